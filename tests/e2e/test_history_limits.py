"""Take-home reactions in a workspace that installed the bot by OAuth, where Slack lets an app from
outside the Marketplace read history once a minute: no reaction is lost, the member is told it
comes, and every read still returns the one reacted-to message and nothing else.

The fake Slack keeps that limit by default (``SlackRules.distributed_history``); its rate-limit
clock is moved here instead of waiting a real minute.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.fakeslack.model import Message
from storage.takeaways import Takeaway
from tests.e2e.test_takeaways_capture import reaction
from tests.e2e.test_workspaces import NORTH, _command, _driver, _install, region  # noqa: F401
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, Harness

OTHER, THIRD = DOCTORS[2], DOCTORS[3]


class SlackClock:
    """The fake Slack's rate-limit clock: real time, plus however far a test moved it."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.ahead


@pytest.fixture
async def installed(region: Harness) -> tuple[Harness, SlackClock]:  # noqa: F811
    """The north workspace installed the bot by OAuth, with a cluster in its channel."""
    clock = SlackClock()
    region.slack.limiter.clock = clock
    await _install(region, NORTH, user=COORDINATOR)
    await _command(region, NORTH, "setup", user=COORDINATOR, channel=CHANNEL)
    return region, clock


async def _event(h: Harness, event: dict[str, Any]) -> None:
    """``event`` from the north workspace (one driver: event ids are never repeated)."""
    driver = h.__dict__.setdefault("north_driver", _driver(h, NORTH))
    reply = await driver.event(event)
    assert reply.status == 200
    await h.settle()


async def _react(h: Harness, user: str, message: Message) -> None:
    await _event(h, reaction(user, message))


async def _a_minute_later(h: Harness, clock: SlackClock) -> None:
    clock.ahead += 61
    h.clock.set(h.clock() + timedelta(seconds=61))
    await h.run_jobs()


async def _saved(h: Harness) -> dict[str, str]:
    """The saved take-home messages, by author."""
    async with h.db.session() as session:
        rows = (await session.exec(select(Takeaway))).all()
    return {row.author_id: row.text for row in rows}


async def test_reactions_slack_makes_wait_are_read_later_one_message_each_and_none_is_lost(
    installed: tuple[Harness, SlackClock],
) -> None:
    h, clock = installed
    first = h.slack.post_as_user(CHANNEL, MEMBER, "Ring patienterne op efter 3 måneder")
    second = h.slack.post_as_user(CHANNEL, OTHER, "Tjek INR hver uge")
    third = h.slack.post_as_user(CHANNEL, THIRD, "Ny tjekliste til sygeplejersken")
    parent = h.slack.post_as_user(CHANNEL, OTHER, "Tråd om KOL")
    reply = h.slack.post_as_user(CHANNEL, DOCTORS[4], "Spirometri hos alle", thread_ts=parent.ts)

    await _react(h, MEMBER, first)  # this minute's read
    await _react(h, OTHER, second)  # Slack: wait
    await _react(h, THIRD, third)
    await _react(h, DOCTORS[4], reply)

    assert await _saved(h) == {MEMBER: "Ring patienterne op efter 3 måneder"}
    for user in (OTHER, THIRD, DOCTORS[4]):
        assert "saved within a few minutes" in h.last_whisper(user)
    assert h.slack.rate_limited  # Slack did turn reads away

    for _ in range(4):  # a read a minute (the reply takes one of each method)
        await _a_minute_later(h, clock)
    assert await _saved(h) == {
        MEMBER: "Ring patienterne op efter 3 måneder",
        OTHER: "Tjek INR hver uge",
        THIRD: "Ny tjekliste til sygeplejersken",
        DOCTORS[4]: "Spirometri hos alle",
    }
    assert "Tjek INR hver uge" in h.dms(OTHER)[-1]
    assert "Ny tjekliste" in h.dms(THIRD)[-1]
    assert "Spirometri" in h.dms(DOCTORS[4])[-1]
    for call in h.slack.calls_to("conversations.history"):  # only ever the one message
        assert call.args["oldest"] == call.args["latest"]
        assert int(call.args["limit"]) == 1


async def test_a_reaction_taken_back_while_it_waits_is_never_saved(
    installed: tuple[Harness, SlackClock],
) -> None:
    h, clock = installed
    first = h.slack.post_as_user(CHANNEL, MEMBER, "Første")
    second = h.slack.post_as_user(CHANNEL, OTHER, "Anden")
    await _react(h, MEMBER, first)
    await _react(h, OTHER, second)
    await _event(h, {**reaction(OTHER, second), "type": "reaction_removed"})

    await _a_minute_later(h, clock)

    assert (await _saved(h)).keys() == {MEMBER}
    assert not h.dms(OTHER)
