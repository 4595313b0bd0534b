"""Who came to which meeting: read from the check-ins (``storage.meetings.CheckIn``), which are
kept with their meetings; and the cluster's attendance rule ("at least 3 of the last 4").

A meeting was *held* when it was started (running or ended); planned and cancelled meetings
had no check-in to miss.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, func
from sqlmodel import Column, Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.clusters import Member
from storage.meetings import ENDED, RUNNING, CheckIn, Meeting

HELD = (RUNNING, ENDED)


class AttendanceRule(SQLModel, table=True):
    """A member should check in at ``required`` of the last ``out_of`` meetings held; one who
    drops below is told privately."""

    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True)
    )
    required: int
    out_of: int


async def get_rule(session: AsyncSession, *, cluster_id: int) -> AttendanceRule | None:
    return await session.get(AttendanceRule, cluster_id)


async def set_rule(
    session: AsyncSession, *, cluster_id: int, required: int | None, out_of: int | None
) -> None:
    """Set the cluster's rule; ``None`` removes it."""
    rule = await session.get(AttendanceRule, cluster_id)
    if required is None or out_of is None:
        if rule is not None:
            await session.delete(rule)
        return
    rule = rule or AttendanceRule(cluster_id=cluster_id, required=required, out_of=out_of)
    rule.required, rule.out_of = required, out_of
    session.add(rule)


async def latest_held(session: AsyncSession, *, cluster_id: int, limit: int) -> list[Meeting]:
    """The cluster's ``limit`` latest meetings held, oldest first."""
    result = await session.exec(
        select(Meeting)
        .where(Meeting.cluster_id == cluster_id, col(Meeting.status).in_(HELD))
        .order_by(col(Meeting.started_at).desc(), col(Meeting.id).desc())
        .limit(limit)
    )
    return list(reversed(result.all()))


async def meetings_held(
    session: AsyncSession, *, cluster_id: int, since: datetime, until: datetime | None = None
) -> Sequence[Meeting]:
    """The cluster's meetings started from ``since`` (and before ``until``), oldest first."""
    query = select(Meeting).where(
        Meeting.cluster_id == cluster_id,
        col(Meeting.status).in_(HELD),
        col(Meeting.started_at) >= since,
    )
    if until is not None:
        query = query.where(col(Meeting.started_at) < until)
    result = await session.exec(query.order_by(col(Meeting.started_at), col(Meeting.id)))
    return result.all()


async def check_ins(session: AsyncSession, *, meeting_ids: Sequence[int]) -> dict[int, set[str]]:
    """meeting id -> the ids of those who checked in (every meeting asked for is a key)."""
    found: dict[int, set[str]] = {meeting_id: set() for meeting_id in meeting_ids}
    if not meeting_ids:
        return found
    result = await session.exec(
        select(CheckIn.meeting_id, CheckIn.user_id).where(
            col(CheckIn.meeting_id).in_(list(meeting_ids))
        )
    )
    for meeting_id, user_id in result.all():
        found[meeting_id].add(user_id)
    return found


async def attendance_of(
    session: AsyncSession, *, cluster_id: int, user_id: str, since: datetime
) -> tuple[int, int]:
    """(meetings ``user_id`` checked in at, meetings held) in the cluster since ``since``."""
    held = select(Meeting.id).where(
        Meeting.cluster_id == cluster_id,
        col(Meeting.status).in_(HELD),
        col(Meeting.started_at) >= since,
    )
    total = (await session.exec(select(func.count()).select_from(held.subquery()))).one()
    attended = (
        await session.exec(
            select(func.count())
            .select_from(CheckIn)
            .where(CheckIn.user_id == user_id, col(CheckIn.meeting_id).in_(held))
        )
    ).one()
    return int(attended), int(total)


async def joined(session: AsyncSession, *, cluster_id: int) -> dict[str, datetime]:
    """member id -> when the bot first saw them in the channel."""
    result = await session.exec(
        select(Member.user_id, Member.joined_at).where(Member.cluster_id == cluster_id)
    )
    return dict(result.all())
