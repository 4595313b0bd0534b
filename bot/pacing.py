"""Keeping to Slack's pace: posts to one channel and calls of one method spaced so that Slack
never has to answer 429.

Slack allows about one ``chat.postMessage`` per second per channel with short bursts, and each
method a number of calls per minute by its tier. ``PacedWebClient`` waits for its turn before
such a call, in the order calls were made, so posts to one channel keep their order. The pace is
per process; with several replicas the retry handler absorbs the rare 429 that remains.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

# chat.postMessage: "1 message per second to a specific channel, with short bursts over 1
# allowed" (Slack's rate-limit docs). We allow ourselves bursts of 3, below what Slack tolerates.
POSTS_PER_SECOND = 1.0
POST_BURST = 3
# Calls per minute we allow ourselves, a little under each method's tier (Tier 3 ≈ 50/min,
# Tier 4 ≈ 100/min) so that a burst from another replica still fits.
METHOD_BUDGETS: dict[str, int] = {
    "chat.update": 45,
    "chat.postEphemeral": 90,
    "views.publish": 90,
    "users.info": 90,
    "conversations.open": 45,
    "conversations.members": 90,
}
WINDOW = 60.0


class Budget:
    """At most ``per_minute`` calls in any ``window`` seconds, and none while Slack asked us to
    wait (``hold``).

    ``reserve`` books the next free moment and says how long to sleep until then; the caller
    sleeps. Bookings never go back in time, so calls leave in the order they were booked.
    """

    def __init__(
        self, per_minute: int, clock: Callable[[], float], *, window: float = WINDOW
    ) -> None:
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self._booked: deque[float] = deque()
        self._held_until = float("-inf")

    def reserve(self, *, max_wait: float = math.inf) -> float | None:
        """Seconds until a call may go out (booking it), or None (booking nothing) when that
        moment is more than ``max_wait`` seconds away."""
        now = self.clock()
        while self._booked and self._booked[0] <= now - self.window:
            self._booked.popleft()
        start = max(now, self._held_until)
        if self._booked:
            start = max(start, self._booked[-1])
        if len(self._booked) >= self.per_minute:
            start = max(start, self._booked[-self.per_minute] + self.window)
        if start - now > max_wait:
            return None
        self._booked.append(start)
        return start - now

    def hold(self, seconds: float) -> None:
        """Slack answered 429 with Retry-After ``seconds``: nothing goes out before then."""
        self._held_until = max(self._held_until, self.clock() + seconds)


class _Bucket:
    """Posts to one channel: ``burst`` at once, then ``rate`` per second. A turn taken before
    its token has refilled is owed, and its caller waits until it has."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float]) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self._tokens = burst
        self._at: float | None = None

    def reserve(self) -> float:
        """Take a turn; the seconds to wait before it."""
        now = self.clock()
        refilled = 0.0 if self._at is None else (now - self._at) * self.rate
        self._tokens = min(self.burst, self._tokens + refilled) - 1
        self._at = now
        return max(0.0, -self._tokens / self.rate)


@dataclass
class _Queue:
    """Callers of one pace, in the order they came: the lock is held while a caller sleeps."""

    pace: Budget | _Bucket
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Pacer:
    """Hands out turns per channel (posts) and per method (tiers), waiting when needed."""

    def __init__(
        self,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._channels: dict[str, _Queue] = {}
        self._methods: dict[str, _Queue] = {}
        self.waited = 0.0  # seconds spent waiting, for benchmarks and logs

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    async def turn(self, method: str, args: dict[str, Any], workspace: str | None = None) -> None:
        """Wait until ``method`` may be called with ``args`` without exceeding Slack's pace.
        Method budgets are per ``workspace`` (Slack counts them per app and workspace)."""
        if method == "chat.postMessage":
            channel = str(args.get("channel") or "")
            if channel not in self._channels:
                bucket = _Bucket(POSTS_PER_SECOND, POST_BURST, self._now)
                self._channels[channel] = _Queue(bucket)
            await self._take(self._channels[channel])
        budget = METHOD_BUDGETS.get(method)
        if budget:
            key = f"{workspace}:{method}" if workspace else method
            if key not in self._methods:
                self._methods[key] = _Queue(Budget(budget, self._now))
            await self._take(self._methods[key])

    async def _take(self, queue: _Queue) -> None:
        async with queue.lock:
            wait = queue.pace.reserve() or 0.0
            if wait > 0:
                self.waited += wait
                await self._sleep(wait)


class PacedWebClient(AsyncWebClient):
    """An ``AsyncWebClient`` whose calls wait for their turn with the shared ``Pacer``."""

    def __init__(self, *, pacer: Pacer, **options: Any) -> None:
        super().__init__(**options)
        self.pacer = pacer

    async def api_call(self, api_method: str, **options: Any) -> AsyncSlackResponse:
        args: dict[str, Any] = {}
        for key in ("params", "data", "json"):
            if isinstance(options.get(key), dict):
                args.update(options[key])
        await self.pacer.turn(api_method, args, self.workspace())
        return await super().api_call(api_method, **options)

    def workspace(self) -> str | None:
        """The workspace this call's pace is counted in (None: the only one)."""
        return None
