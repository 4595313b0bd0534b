"""Meetings, and who said they would come (RSVP) and who checked in.

The tables are shared by several features (reminders, breakouts, rotation, take-home
messages); ``handlers/meetings/`` owns the commands that change them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, func, text, update
from sqlmodel import Column, Field, SQLModel, String, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.clusters import Cluster
from storage.db import dialect_insert
from storage.types import UTCDateTime, utcnow

PLANNED = "planned"
RUNNING = "running"
ENDED = "ended"
CANCELLED = "cancelled"
DEFAULT_MINUTES = 120  # a meeting's length when none is given


class Meeting(SQLModel, table=True):
    """One meeting of a cluster (one occurrence, when it belongs to a series)."""

    __table_args__ = (
        Index("ix_meeting_cluster_starts", "cluster_id", "starts_at"),
        # At most one running meeting per cluster, even if two coordinators start at once.
        Index(
            "uq_meeting_one_running",
            "cluster_id",
            unique=True,
            sqlite_where=text("status = 'running'"),
            postgresql_where=text("status = 'running'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), nullable=False)
    )
    title: str = Field(max_length=200)
    starts_at: datetime = Field(sa_type=UTCDateTime)
    duration_minutes: int = DEFAULT_MINUTES
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
    # Bumped on every move or cancellation: the SEQUENCE of the meeting's calendar (.ics) entry.
    revision: int = 0


class Rsvp(SQLModel, table=True):
    """A member's answer to "will you come?" (attending or not): their newest click's, by
    ``action_ts`` (Slack's time of the click, zero-padded; see ``bot.slack.click_time``)."""

    meeting_id: int = Field(
        sa_column=Column(ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(sa_column=Column(String(32), primary_key=True))
    attending: bool
    answered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    action_ts: str = Field(
        default="", sa_column=Column(String(24), nullable=False, server_default="")
    )


class CheckIn(SQLModel, table=True):
    """A member who clicked "I'm here" at a running meeting; ``action_ts`` is Slack's time of
    the click that checked them in."""

    meeting_id: int = Field(
        sa_column=Column(ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(sa_column=Column(String(32), primary_key=True))
    checked_in_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    action_ts: str = Field(
        default="", sa_column=Column(String(24), nullable=False, server_default="")
    )


async def meeting_and_cluster(
    session: AsyncSession, *, meeting_id: int
) -> tuple[Meeting, Cluster] | None:
    """Meeting ``meeting_id`` with its cluster (a job's meeting); None if either is gone."""
    meeting = await session.get(Meeting, meeting_id)
    cluster = await session.get(Cluster, meeting.cluster_id) if meeting is not None else None
    return (meeting, cluster) if meeting is not None and cluster is not None else None


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


# --- planning -----------------------------------------------------------------------------------


async def add_meetings(
    session: AsyncSession,
    *,
    cluster_id: int,
    title: str,
    starts: Sequence[datetime],
    created_by: str,
    zoom_url: str | None = None,
    reminders: str | None = None,
    duration_minutes: int | None = None,
) -> list[Meeting]:
    """One meeting per start; several starts form a series sharing the first one's id.
    Without a ``duration_minutes`` a meeting lasts the default (``DEFAULT_MINUTES``)."""
    meetings = [
        Meeting(
            cluster_id=cluster_id,
            title=title,
            starts_at=start,
            duration_minutes=duration_minutes or DEFAULT_MINUTES,
            zoom_url=zoom_url,
            reminders=reminders,
            created_by=created_by,
        )
        for start in starts
    ]
    session.add_all(meetings)
    await session.flush()
    if len(meetings) > 1:
        for meeting in meetings:
            meeting.series_id = meetings[0].id
        await session.flush()
    return meetings


async def meetings_starting_at(
    session: AsyncSession, *, cluster_id: int, starts: Sequence[datetime]
) -> Sequence[Meeting]:
    """The cluster's planned or running meetings that start at one of ``starts``."""
    result = await session.exec(
        select(Meeting)
        .where(
            Meeting.cluster_id == cluster_id,
            col(Meeting.status).in_((PLANNED, RUNNING)),
            col(Meeting.starts_at).in_(list(starts)),
        )
        .order_by(col(Meeting.starts_at), col(Meeting.id))
    )
    return result.all()


async def rest_of_series(session: AsyncSession, *, meeting: Meeting) -> list[Meeting]:
    """``meeting`` and the planned meetings of its series after it, in order."""
    if meeting.series_id is None:
        return [meeting]
    result = await session.exec(
        select(Meeting)
        .where(
            Meeting.cluster_id == meeting.cluster_id,
            Meeting.series_id == meeting.series_id,
            Meeting.status == PLANNED,
            Meeting.starts_at > meeting.starts_at,
        )
        .order_by(col(Meeting.starts_at), col(Meeting.id))
    )
    return [meeting, *result.all()]


async def meeting_to_start(
    session: AsyncSession, *, cluster_id: int, now: datetime, early: timedelta
) -> Meeting | None:
    """The planned meeting nearest ``now`` among those from ``early`` before start to their end."""
    longest = timedelta(hours=24)  # no meeting lasts longer; bounds the query
    result = await session.exec(
        select(Meeting).where(
            Meeting.cluster_id == cluster_id,
            Meeting.status == PLANNED,
            Meeting.starts_at <= now + early,
            Meeting.starts_at > now - longest,
        )
    )
    candidates = [
        meeting
        for meeting in result.all()
        if now < meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
    ]
    return min(candidates, key=lambda m: (abs(m.starts_at - now), m.id or 0), default=None)


async def planned_with_default_reminders(
    session: AsyncSession, *, cluster_id: int, now: datetime
) -> Sequence[Meeting]:
    """Upcoming planned meetings that follow the cluster's default reminders."""
    result = await session.exec(
        select(Meeting)
        .where(
            Meeting.cluster_id == cluster_id,
            Meeting.status == PLANNED,
            Meeting.starts_at > now,
            col(Meeting.reminders).is_(None),
        )
        .order_by(col(Meeting.starts_at), col(Meeting.id))
    )
    return result.all()


# --- RSVPs and check-ins ------------------------------------------------------------------------


async def answer_rsvp(
    session: AsyncSession,
    *,
    meeting_id: int,
    user_id: str,
    attending: bool,
    now: datetime,
    action_ts: str,
) -> bool:
    """Record ``user_id``'s answer clicked at ``action_ts`` unless a newer click's answer is
    stored (one atomic statement: the last click wins in any order of arrival, and the same
    click twice changes nothing). Returns the answer stored now."""
    statement = dialect_insert(session, Rsvp).values(
        meeting_id=meeting_id,
        user_id=user_id,
        attending=attending,
        answered_at=now,
        action_ts=action_ts,
    )
    statement = statement.on_conflict_do_update(
        index_elements=["meeting_id", "user_id"],
        set_={"attending": attending, "answered_at": now, "action_ts": action_ts},
        where=col(Rsvp.action_ts) < action_ts,
    )
    await session.exec(statement)
    stored = await session.exec(
        select(Rsvp.attending).where(Rsvp.meeting_id == meeting_id, Rsvp.user_id == user_id)
    )
    return bool(stored.one())


async def rsvp_counts(session: AsyncSession, *, meeting_id: int) -> tuple[int, int]:
    """(attending, not attending) for the meeting."""
    result = await session.exec(
        select(Rsvp.attending, func.count())
        .where(Rsvp.meeting_id == meeting_id)
        .group_by(col(Rsvp.attending))
    )
    counts = dict(result.all())
    return int(counts.get(True, 0)), int(counts.get(False, 0))


async def check_in(
    session: AsyncSession, *, meeting_id: int, user_id: str, now: datetime, action_ts: str
) -> bool:
    """Check ``user_id`` in with the click at ``action_ts`` (one atomic statement); False when
    another click had checked them in already (the same click delivered twice is still this
    click)."""
    statement = (
        dialect_insert(session, CheckIn)
        .values(meeting_id=meeting_id, user_id=user_id, checked_in_at=now, action_ts=action_ts)
        .on_conflict_do_nothing(index_elements=["meeting_id", "user_id"])
    )
    result = await session.exec(statement)
    if result.rowcount:
        return True
    stored = await session.exec(
        select(CheckIn.action_ts).where(
            CheckIn.meeting_id == meeting_id, CheckIn.user_id == user_id
        )
    )
    return stored.first() == action_ts


async def checked_in_count(session: AsyncSession, *, meeting_id: int) -> int:
    result = await session.exec(
        select(func.count()).select_from(CheckIn).where(CheckIn.meeting_id == meeting_id)
    )
    return int(result.one())


async def start_planned(session: AsyncSession, *, meeting: Meeting, now: datetime) -> bool:
    """Mark ``meeting`` running if it is still planned; False when someone else was first.

    One conditional UPDATE, so two coordinators starting the same meeting at once cannot both
    succeed (the second one's WHERE no longer matches once the first has committed).
    """
    result = await session.exec(
        update(Meeting)
        .where(col(Meeting.id) == meeting.id, col(Meeting.status) == PLANNED)
        .values(status=RUNNING, started_at=now)
    )
    if result.rowcount != 1:
        return False
    await session.refresh(meeting)
    return True
