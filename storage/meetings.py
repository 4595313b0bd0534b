"""Meetings, and who said they would come (RSVP) and who checked in.

The tables are shared by several features (reminders, breakouts, rotation, take-home
messages); ``handlers/meetings.py`` owns the commands that change them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlmodel import Column, Field, SQLModel, String, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.types import UTCDateTime, utcnow

PLANNED = "planned"
RUNNING = "running"
ENDED = "ended"
CANCELLED = "cancelled"


class Meeting(SQLModel, table=True):
    """One meeting of a cluster (one occurrence, when it belongs to a series)."""

    __table_args__ = (Index("ix_meeting_cluster_starts", "cluster_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), nullable=False)
    )
    title: str = Field(max_length=200)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    duration_minutes: int = 120
    # Occurrences added together with --every share a series id (the first occurrence's id).
    series_id: int | None = None
    zoom_url: str | None = Field(default=None, max_length=500)
    topic: str | None = Field(default=None, max_length=500)
    agenda: str | None = Field(default=None, max_length=3000)
    preparation: str | None = Field(default=None, max_length=3000)
    # Reminder offsets as "7d,1d,1h"; None means the cluster's defaults.
    reminders: str | None = Field(default=None, max_length=100)
    status: str = Field(default=PLANNED, max_length=16)
    facilitator_id: str | None = Field(default=None, max_length=32)
    facilitator_subcluster_id: int | None = None
    note_taker_id: str | None = Field(default=None, max_length=32)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The channel post of the running meeting (agenda + check-in button), to update counts.
    agenda_ts: str | None = Field(default=None, max_length=32)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Rsvp(SQLModel, table=True):
    """A member's answer to "will you come?" (attending or not)."""

    meeting_id: int = Field(
        sa_column=Column(ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(sa_column=Column(String(32), primary_key=True))
    attending: bool
    answered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CheckIn(SQLModel, table=True):
    """A member who clicked "I'm here" at a running meeting."""

    meeting_id: int = Field(
        sa_column=Column(ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(sa_column=Column(String(32), primary_key=True))
    checked_in_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


async def get_meeting(session: AsyncSession, *, cluster_id: int, meeting_id: int) -> Meeting | None:
    """The meeting ``meeting_id`` if it belongs to the cluster (ids are never trusted blindly)."""
    meeting = await session.get(Meeting, meeting_id)
    return meeting if meeting is not None and meeting.cluster_id == cluster_id else None


async def running_meeting(session: AsyncSession, *, cluster_id: int) -> Meeting | None:
    result = await session.exec(
        select(Meeting)
        .where(Meeting.cluster_id == cluster_id, Meeting.status == RUNNING)
        .order_by(col(Meeting.started_at).desc())
    )
    return result.first()


async def latest_ended_meeting(session: AsyncSession, *, cluster_id: int) -> Meeting | None:
    result = await session.exec(
        select(Meeting)
        .where(Meeting.cluster_id == cluster_id, Meeting.status == ENDED)
        .order_by(col(Meeting.ended_at).desc())
    )
    return result.first()


async def upcoming_meetings(
    session: AsyncSession, *, cluster_id: int, now: datetime, limit: int = 50
) -> Sequence[Meeting]:
    """Planned meetings that have not started yet, soonest first."""
    result = await session.exec(
        select(Meeting)
        .where(
            Meeting.cluster_id == cluster_id,
            Meeting.status == PLANNED,
            Meeting.starts_at > now,
        )
        .order_by(col(Meeting.starts_at), col(Meeting.id))
        .limit(limit)
    )
    return result.all()


async def checked_in_ids(session: AsyncSession, *, meeting_id: int) -> list[str]:
    result = await session.exec(
        select(CheckIn.user_id)
        .where(CheckIn.meeting_id == meeting_id)
        .order_by(col(CheckIn.checked_in_at), col(CheckIn.user_id))
    )
    return list(result.all())
