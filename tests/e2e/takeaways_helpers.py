"""Shared set-up, helpers and the `h` fixture for the tests/e2e/test_takeaways_*.py modules.

Meetings and breakout rounds belong to other features; tests insert their rows as set-up and
drive this feature through signed requests and the hooks the meetings feature calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from bot.fakeslack.model import Message
from storage import takeaways as store
from storage.breakouts import BreakoutRound, BreakoutSeat
from storage.clusters import Cluster, get_cluster
from storage.meetings import ENDED, PLANNED, RUNNING, Meeting
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, Harness

OTHER = DOCTORS[2]


THIRD = DOCTORS[3]


# --- set-up helpers ----------------------------------------------------------------------------


async def cluster_of(h: Harness, channel: str = CHANNEL) -> Cluster:
    async with h.db.session() as session:
        cluster = await get_cluster(session, team_id=h.slack.team_id, channel_id=channel)
    assert cluster is not None
    return cluster


async def add_meeting(
    h: Harness,
    *,
    status: str = RUNNING,
    title: str = "Diabetes i almen praksis",
    started: timedelta = timedelta(hours=1),
    ended: timedelta | None = None,
    channel: str = CHANNEL,
    **fields: Any,
) -> Meeting:
    """A meeting that started ``started`` ago (and ended ``ended`` ago, if given)."""
    cluster = await cluster_of(h, channel)
    now = h.clock()
    meeting = Meeting(
        cluster_id=cluster.id or 0,
        title=title,
        starts_at=now - started,
        status=ENDED if ended is not None else status,
        started_at=now - started if status != PLANNED else None,
        ended_at=now - ended if ended is not None else None,
        created_by=COORDINATOR,
        **fields,
    )
    async with h.db.session() as session:
        session.add(meeting)
    return meeting


async def add_round(h: Harness, meeting: Meeting, groups: Sequence[Sequence[str]]) -> None:
    cluster = await cluster_of(h)
    async with h.db.session() as session:
        breakout = BreakoutRound(
            cluster_id=cluster.id or 0,
            meeting_id=meeting.id,
            group_size=3,
            created_by=COORDINATOR,
            created_at=h.clock(),
        )
        session.add(breakout)
        await session.flush()
        for number, members in enumerate(groups, start=1):
            for user in members:
                session.add(
                    BreakoutSeat(round_id=breakout.id or 0, user_id=user, group_number=number)
                )


async def takeaways(h: Harness) -> list[store.Takeaway]:
    async with h.db.session() as session:
        result = await session.exec(select(store.Takeaway).order_by(col(store.Takeaway.id)))
        return list(result.all())


def opened_view(h: Harness) -> dict[str, Any]:
    calls = h.slack.calls_to("views.open")
    assert calls, "no modal was opened"
    view = calls[-1].args["view"]
    assert isinstance(view, dict)
    return view


def section_texts(messages: Sequence[Message]) -> list[str]:
    return [
        block["text"]["text"]
        for message in messages
        for block in message.blocks
        if block.get("type") == "section"
    ]


@pytest.fixture(name="h")
async def h_fixture(harness: Harness) -> Harness:
    await harness.setup_cluster()
    return harness
