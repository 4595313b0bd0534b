"""Shared set-up and helpers for the tests/e2e/test_facilitators*.py modules.

Meetings and sub-clusters belong to other features; these helpers insert them with the storage
layer and call the hooks the way the meetings feature does.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from bot.fakeslack.model import BOT_USER_ID, TEAM_ID, Message
from storage.breakouts import Subcluster, SubclusterMember
from storage.clusters import Cluster, get_cluster
from storage.meetings import CANCELLED, Meeting
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, Harness

A, B, C, D, E = DOCTORS[:5]
FOUR = [A, B, C, D]
WEEK = timedelta(days=7)


async def _start(h: Harness, people: list[str]) -> Cluster:
    """A cluster whose channel holds ``people`` (and the bot); the first one is coordinator."""
    h.slack.channels[CHANNEL]["members"] = [*people, BOT_USER_ID]
    await h.setup_cluster()
    return await _cluster(h)


async def _cluster(h: Harness) -> Cluster:
    async with h.db.session() as session:
        cluster = await get_cluster(session, team_id=TEAM_ID, channel_id=CHANNEL)
    assert cluster is not None
    return cluster


async def _plan_meetings(
    h: Harness, count: int, *, first: timedelta = timedelta(days=20), every: timedelta = 4 * WEEK
) -> list[int]:
    """Insert ``count`` meetings and run the meeting_planned hook for each, like `meeting add`."""
    cluster = await _cluster(h)
    ids = []
    for number in range(count):
        async with h.db.session() as session:
            meeting = Meeting(
                cluster_id=cluster.id or 0,
                title=f"Meeting {number + 1}",
                starts_at=h.clock() + first + number * every,
                created_by=COORDINATOR,
            )
            session.add(meeting)
            await session.flush()
            ids.append(meeting.id or 0)
        await h.deps.hooks.run(h.deps.hooks.meeting_planned, h.deps, cluster, meeting)
    await h.settle()
    return ids


async def _meetings(h: Harness) -> list[Meeting]:
    async with h.db.session() as session:
        result = await session.exec(
            select(Meeting).where(Meeting.status != CANCELLED).order_by(col(Meeting.starts_at))
        )
        return list(result.all())


async def _facilitators(h: Harness) -> list[str | None]:
    return [meeting.facilitator_id for meeting in await _meetings(h)]


def _dm(h: Harness, user: str) -> Message:
    messages = h.slack.channel_messages("D" + user)
    assert messages, f"{user} got no direct message"
    return messages[-1]


async def _subclusters(h: Harness, cluster: Cluster, groups: dict[str, list[str]]) -> list[int]:
    ids = []
    async with h.db.session() as session:
        for name, users in groups.items():
            group = Subcluster(cluster_id=cluster.id or 0, name=name)
            session.add(group)
            await session.flush()
            ids.append(group.id or 0)
            for user in users:
                session.add(
                    SubclusterMember(
                        cluster_id=cluster.id or 0, user_id=user, subcluster_id=group.id or 0
                    )
                )
    return ids
