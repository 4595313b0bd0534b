"""Unit tests for bot.pacing: posts per channel and calls per method kept to Slack's pace."""

from __future__ import annotations

import asyncio

import pytest

from bot import pacing
from bot.pacing import POST_BURST, WINDOW, Budget, Pacer


class VirtualTime:
    """A clock that the pacer's sleep moves forward instead of waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def time() -> VirtualTime:
    return VirtualTime()


async def test_posts_to_one_channel_burst_then_go_once_a_second(time: VirtualTime) -> None:
    pacer = Pacer(clock=time, sleep=time.sleep)
    started = time.now
    moments = []
    for _ in range(POST_BURST + 4):
        await pacer.turn("chat.postMessage", {"channel": "C1"})
        moments.append(time.now - started)

    assert moments[:POST_BURST] == [0.0] * POST_BURST
    gaps = [
        later - earlier
        for earlier, later in zip(moments[POST_BURST - 1 : -1], moments[POST_BURST:], strict=True)
    ]
    assert all(gap == pytest.approx(1.0) for gap in gaps)


async def test_posts_to_other_channels_do_not_wait_for_each_other(time: VirtualTime) -> None:
    pacer = Pacer(clock=time, sleep=time.sleep)
    for channel in range(20):
        await pacer.turn("chat.postMessage", {"channel": f"C{channel}"})

    assert pacer.waited == 0


async def test_concurrent_posts_to_one_channel_keep_their_order(time: VirtualTime) -> None:
    pacer = Pacer(clock=time, sleep=time.sleep)
    order: list[int] = []

    async def post(number: int) -> None:
        await pacer.turn("chat.postMessage", {"channel": "C1"})
        order.append(number)

    await asyncio.gather(*(post(number) for number in range(12)))

    assert order == list(range(12))


async def test_a_method_over_its_budget_waits_for_the_minute_to_pass(time: VirtualTime) -> None:
    pacer = Pacer(clock=time, sleep=time.sleep)
    budget = pacing.METHOD_BUDGETS["chat.update"]
    for _ in range(budget):
        await pacer.turn("chat.update", {"channel": "C1", "ts": "1.0"})
    assert pacer.waited == 0

    await pacer.turn("chat.update", {"channel": "C1", "ts": "1.0"})

    assert pacer.waited == pytest.approx(60.0)


async def test_methods_without_a_pace_never_wait(time: VirtualTime) -> None:
    pacer = Pacer(clock=time, sleep=time.sleep)
    for _ in range(500):
        await pacer.turn("views.open", {})

    assert pacer.waited == 0


async def test_each_workspace_has_its_own_method_budget(time: VirtualTime) -> None:
    pacer = Pacer(clock=time, sleep=time.sleep)
    budget = pacing.METHOD_BUDGETS["chat.update"]
    for workspace in ("T1", "T2"):
        for _ in range(budget):
            await pacer.turn("chat.update", {"channel": "C1"}, workspace)

    assert pacer.waited == 0
    await pacer.turn("chat.update", {"channel": "C1"}, "T1")
    assert pacer.waited > 0


def test_a_budget_lets_a_minutes_worth_go_at_once() -> None:
    budget = Budget(5, Clock())

    assert [budget.reserve(max_wait=0) for _ in range(5)] == [0.0] * 5


def test_a_budget_books_the_next_call_when_the_oldest_leaves_the_window() -> None:
    clock = Clock()
    budget = Budget(2, clock)
    budget.reserve(max_wait=0)
    clock.now += 10
    budget.reserve(max_wait=0)

    assert budget.reserve(max_wait=WINDOW) == WINDOW - 10
    assert budget.reserve(max_wait=WINDOW) == WINDOW


def test_no_window_of_a_minute_ever_holds_more_than_the_limit() -> None:
    clock = Clock()
    budget = Budget(3, clock)
    starts = []
    for _ in range(10):
        delay = budget.reserve(max_wait=1000)
        assert delay is not None
        starts.append(clock.now + delay)
        clock.now += 0.5

    for start in starts:
        assert sum(start <= other < start + WINDOW for other in starts) <= 3


def test_a_call_that_would_wait_too_long_books_nothing() -> None:
    clock = Clock()
    budget = Budget(1, clock)
    budget.reserve(max_wait=0)

    assert budget.reserve(max_wait=5) is None
    clock.now += WINDOW
    assert budget.reserve(max_wait=0) == 0.0


def test_after_a_429_nothing_goes_out_until_retry_after_has_passed() -> None:
    clock = Clock()
    budget = Budget(100, clock)
    budget.hold(30)

    assert budget.reserve(max_wait=3) is None
    assert budget.reserve(max_wait=30) == 30
    clock.now += 31
    assert budget.reserve(max_wait=0) == 0.0
