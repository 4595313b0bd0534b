"""Topic polls: the poll and its options, whether it is open, and refreshing its message.

Who voted and what they chose (the click log, ballots and votes) are in ``storage.votes`` and
``storage.ballots``.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, UniqueConstraint, func, or_, update
from sqlmodel import Column, Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_insert, is_postgres
from storage.jobs import PENDING, Job
from storage.types import UTCDateTime, utcnow

OPEN = "open"
CLOSED = "closed"

SINGLE = "single"
MULTI = "multi"
RANKED = "ranked"


class Poll(SQLModel, table=True):
    """One poll in a cluster channel."""

    __table_args__ = (Index("ix_poll_cluster_status", "cluster_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), nullable=False)
    )
    channel_id: str = Field(max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    question: str = Field(max_length=500)
    kind: str = Field(default=SINGLE, max_length=16)
    max_choices: int = 1
    anonymous: bool = False
    open_options: bool = False
    subcluster_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("subcluster.id", ondelete="SET NULL"))
    )
    by_subcluster: bool = False
    closes_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The meeting running when the poll was made: its results go into that meeting's minutes.
    meeting_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("meeting.id", ondelete="SET NULL"))
    )
    status: str = Field(default=OPEN, max_length=16)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Moved by a conditional UPDATE: whoever moves it owns the next chat.update (claim_refresh).
    last_refreshed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    results_ts: str | None = Field(default=None, max_length=32)
    # Anonymous polls: the key of this poll's voter keys (``storage.votes.voter_key``), random
    # per poll; erased when the poll closes, so no ballot can be linked to anyone after that.
    ballot_salt: bytes | None = Field(default=None, sa_column=Column(LargeBinary(32)))


class PollOption(SQLModel, table=True):
    """An option; ``normalized`` (trimmed, case-folded) makes duplicates impossible."""

    __table_args__ = (
        UniqueConstraint("poll_id", "position", name="uq_polloption_position"),
        UniqueConstraint("poll_id", "normalized", name="uq_polloption_text"),
    )

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(
        sa_column=Column(ForeignKey("poll.id", ondelete="CASCADE"), nullable=False)
    )
    position: int
    text: str = Field(max_length=300)
    normalized: str = Field(max_length=300)
    added_by: str | None = Field(default=None, max_length=32)


def normalize(text: str) -> str:
    """The form in which two options count as the same: trimmed, spaces folded, case-folded."""
    return " ".join(text.split()).casefold()


# --- creating and reading ----------------------------------------------------------------------


SALT_BYTES = 32


async def create_poll(session: AsyncSession, *, poll: Poll, options: Sequence[str]) -> Poll:
    """Store the poll and its options; an anonymous poll gets its own random ballot salt."""
    if poll.anonymous:
        poll.ballot_salt = secrets.token_bytes(SALT_BYTES)
    session.add(poll)
    await session.flush()
    assert poll.id is not None
    for position, text in enumerate(options, start=1):
        session.add(
            PollOption(poll_id=poll.id, position=position, text=text, normalized=normalize(text))
        )
    await session.flush()
    return poll


async def get_poll(session: AsyncSession, *, cluster_id: int, poll_id: int) -> Poll | None:
    poll = await session.get(Poll, poll_id, populate_existing=True)
    return poll if poll is not None and poll.cluster_id == cluster_id else None


async def newest_open_poll(session: AsyncSession, *, cluster_id: int) -> Poll | None:
    result = await session.exec(
        select(Poll)
        .where(Poll.cluster_id == cluster_id, Poll.status == OPEN)
        .order_by(col(Poll.created_at).desc(), col(Poll.id).desc())
    )
    return result.first()


async def open_poll_ids(session: AsyncSession, *, cluster_id: int) -> list[int]:
    result = await session.exec(
        select(Poll.id).where(Poll.cluster_id == cluster_id, Poll.status == OPEN)
    )
    return [poll_id for poll_id in result.all() if poll_id is not None]


async def options_of(session: AsyncSession, *, poll_id: int) -> list[PollOption]:
    result = await session.exec(
        select(PollOption).where(PollOption.poll_id == poll_id).order_by(col(PollOption.position))
    )
    return list(result.all())


async def polls_of_meeting(session: AsyncSession, *, meeting_id: int) -> list[Poll]:
    result = await session.exec(
        select(Poll).where(Poll.meeting_id == meeting_id).order_by(col(Poll.id))
    )
    return list(result.all())


# The first key of PostgreSQL's two-key advisory locks that guard a poll's open/closed state.
_POLL_LOCK_CLASS = 6006


async def hold_poll(session: AsyncSession, *, poll_id: int) -> None:
    """Keep the poll open or closed as it is until this transaction ends.

    On PostgreSQL votes take a shared advisory lock and closing takes it exclusively, so a
    close waits for the votes in flight and no vote lands after the results were counted
    (cheaper than a row lock, which every vote would write into). SQLite runs one writing
    transaction at a time anyway.
    """
    if is_postgres(session):
        await session.exec(select(func.pg_advisory_xact_lock_shared(_POLL_LOCK_CLASS, poll_id)))


async def lock_open(session: AsyncSession, *, poll_id: int) -> bool:
    """True if the poll is open, and it stays open until this transaction ends."""
    await hold_poll(session, poll_id=poll_id)
    result = await session.exec(select(Poll.status).where(Poll.id == poll_id))
    return result.first() == OPEN


async def add_option(
    session: AsyncSession, *, poll_id: int, text: str, added_by: str
) -> PollOption:
    """Append an option; raises IntegrityError for a duplicate (or a concurrent append)."""
    highest = await session.exec(
        select(func.max(PollOption.position)).where(PollOption.poll_id == poll_id)
    )
    option = PollOption(
        poll_id=poll_id,
        position=(highest.one() or 0) + 1,
        text=text,
        normalized=normalize(text),
        added_by=added_by,
    )
    session.add(option)
    await session.flush()
    return option


# --- closing and refreshing ---------------------------------------------------------------------


async def mark_closed(session: AsyncSession, *, poll_id: int, now: datetime) -> bool:
    """Close the poll if it is open; True for the one caller that closed it."""
    if is_postgres(session):
        await session.exec(select(func.pg_advisory_xact_lock(_POLL_LOCK_CLASS, poll_id)))
    result = await session.exec(
        update(Poll)
        .where(col(Poll.id) == poll_id, col(Poll.status) == OPEN)
        .values(status=CLOSED, closed_at=now)
    )
    return bool(result.rowcount)


async def claim_refresh(
    session: AsyncSession, *, poll_id: int, now: datetime, interval: timedelta, lease: timedelta
) -> tuple[datetime | None, datetime | None]:
    """Claim the right to update the poll message now: ``(lease_until, None)``.

    Otherwise ``(None, when)``: the moment a claim may succeed. The conditional UPDATE is atomic
    on both databases, so of any number of replicas and clicks only one wins. While the winner
    is updating, ``last_refreshed_at`` holds the end of its lease (a future moment), so nobody
    else can claim until ``finish_refresh`` has recorded when that update was done: updates
    never overlap and are ``interval`` apart, however slow Slack or the database is.
    """
    lease_until = now + lease
    claimed = await session.exec(
        update(Poll)
        .where(
            col(Poll.id) == poll_id,
            or_(
                col(Poll.last_refreshed_at).is_(None),
                col(Poll.last_refreshed_at) <= now - interval,
            ),
        )
        .values(last_refreshed_at=lease_until)
    )
    if claimed.rowcount:
        return lease_until, None
    last = await session.exec(
        select(Poll.last_refreshed_at)
        .where(Poll.id == poll_id)
        .execution_options(populate_existing=True)
    )
    moment = last.one() or now
    # During someone's update (a lease in the future) look again in a second.
    return None, (moment if moment <= now else now) + interval


async def finish_refresh(
    session: AsyncSession,
    *,
    poll_id: int,
    lease_until: datetime,
    now: datetime,
    interval: timedelta,
    job_key: str,
) -> None:
    """Record that the update claimed with ``lease_until`` is done; bring a waiting trailing
    refresh forward to ``interval`` after now (it was due after the lease)."""
    await session.exec(
        update(Poll)
        .where(col(Poll.id) == poll_id, col(Poll.last_refreshed_at) == lease_until)
        .values(last_refreshed_at=now)
    )
    await session.exec(
        update(Job)
        .where(
            col(Job.key) == job_key,
            col(Job.status) == PENDING,
            col(Job.locked_by).is_(None),
            col(Job.due_at) > now + interval,
        )
        .values(due_at=now + interval)
    )


async def schedule_once(
    session: AsyncSession, *, kind: str, key: str, due_at: datetime, payload: dict[str, Any]
) -> bool:
    """Add the job ``key`` or move it, in one atomic upsert (safe for concurrent callers).

    A job that is running at that moment is released too, so it runs once more afterwards:
    whatever changed while it ran is picked up. Returns False when the job was already pending
    at ``due_at`` (nothing changed, no need to wake the scheduler).
    """
    values = {
        "kind": kind,
        "key": key,
        "due_at": due_at,
        "payload": payload,
        "status": PENDING,
        "attempts": 0,
        "created_at": utcnow(),
    }
    statement = dialect_insert(session, Job).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "due_at": due_at,
            "status": PENDING,
            "attempts": 0,
            "locked_by": None,
            "locked_until": None,
        },
        where=or_(
            col(Job.due_at) != due_at,
            col(Job.status) != PENDING,
            col(Job.locked_by).is_not(None),
        ),
    ).returning(col(Job.id))
    changed = await session.exec(statement)
    return changed.first() is not None
