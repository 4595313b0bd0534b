"""Topic polls: the poll, its options, who voted (ballots) and what they chose (votes).

Counting is exact under concurrent clicks because nothing is counted in Python and stored:
counts are ``COUNT(*)`` over vote rows, a vote row's primary key makes a choice count once,
and a voter's clicks are serialised by the row lock their ballot upsert takes (PostgreSQL) or
by SQLite's ``BEGIN IMMEDIATE``. In anonymous polls ``voter`` is an HMAC of (poll, user) with
a server secret, never the user id.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from sqlalchemy import ForeignKey, Index, UniqueConstraint, func, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Column, Field, SQLModel, String, col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.clusters import Cluster
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


class PollBallot(SQLModel, table=True):
    """That a voter has voted (for nudges and turnout) and the sub-cluster they voted in."""

    poll_id: int = Field(
        sa_column=Column(ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True)
    )
    voter: str = Field(sa_column=Column(String(64), primary_key=True))
    subcluster_id: int | None = None
    voted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PollVote(SQLModel, table=True):
    """One chosen option of one voter; ``rank`` is 1 except in ranked polls."""

    poll_id: int = Field(
        sa_column=Column(ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True)
    )
    voter: str = Field(sa_column=Column(String(64), primary_key=True))
    option_id: int = Field(
        sa_column=Column(ForeignKey("polloption.id", ondelete="CASCADE"), primary_key=True)
    )
    rank: int = 1


def normalize(text: str) -> str:
    """The form in which two options count as the same: trimmed, spaces folded, case-folded."""
    return " ".join(text.split()).casefold()


def voter_key(poll: Poll, user_id: str, *, secret: bytes) -> str:
    """What is stored for ``user_id``: the id itself, or in anonymous polls a keyed hash."""
    if not poll.anonymous:
        return user_id
    message = f"{poll.id}:{user_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


# --- creating and reading ----------------------------------------------------------------------


async def create_poll(session: AsyncSession, *, poll: Poll, options: Sequence[str]) -> Poll:
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


async def poll_with_option(
    session: AsyncSession, *, poll_id: int, option_id: int
) -> tuple[Poll, Cluster, PollOption] | None:
    """The poll, its cluster and one of its options, in one query (None if they don't match)."""
    result = await session.exec(
        select(Poll, Cluster, PollOption)
        .join(Cluster, col(Cluster.id) == col(Poll.cluster_id))
        .join(PollOption, col(PollOption.poll_id) == col(Poll.id))
        .where(col(Poll.id) == poll_id, col(PollOption.id) == option_id)
    )
    row = result.first()
    return (row[0], row[1], row[2]) if row is not None else None


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


@dataclass(frozen=True)
class VoteRow:
    voter: str
    option_id: int
    rank: int
    subcluster_id: int | None


async def votes_of(session: AsyncSession, *, poll_id: int) -> list[VoteRow]:
    """Every vote with its ballot's sub-cluster, in the order ballots were cast."""
    result = await session.exec(
        select(PollVote.voter, PollVote.option_id, PollVote.rank, PollBallot.subcluster_id)
        .join(
            PollBallot,
            (col(PollBallot.poll_id) == col(PollVote.poll_id))
            & (col(PollBallot.voter) == col(PollVote.voter)),
        )
        .where(PollVote.poll_id == poll_id)
        .order_by(col(PollBallot.voted_at), col(PollVote.voter), col(PollVote.rank))
    )
    return [VoteRow(*row) for row in result.all()]


async def voters(session: AsyncSession, *, poll_id: int) -> set[str]:
    result = await session.exec(select(PollBallot.voter).where(PollBallot.poll_id == poll_id))
    return set(result.all())


async def choices_of(session: AsyncSession, *, poll_id: int, voter: str) -> list[int]:
    """The options ``voter`` chose, by rank."""
    result = await session.exec(
        select(PollVote.option_id)
        .where(PollVote.poll_id == poll_id, PollVote.voter == voter)
        .order_by(col(PollVote.rank))
    )
    return list(result.all())


# The first key of PostgreSQL's two-key advisory locks that guard a poll's open/closed state.
_POLL_LOCK_CLASS = 6006


def _is_postgres(session: AsyncSession) -> bool:
    return session.bind is not None and session.bind.dialect.name == "postgresql"


async def lock_open(session: AsyncSession, *, poll_id: int) -> bool:
    """True if the poll is open, and it stays open until this transaction ends.

    On PostgreSQL votes take a shared advisory lock and closing takes it exclusively, so a
    close waits for the votes in flight and no vote lands after the results were counted
    (cheaper than a row lock, which every vote would write into). SQLite runs one writing
    transaction at a time anyway.
    """
    if _is_postgres(session):
        await session.exec(select(func.pg_advisory_xact_lock_shared(_POLL_LOCK_CLASS, poll_id)))
    result = await session.exec(select(Poll.status).where(Poll.id == poll_id))
    return result.first() == OPEN


# --- voting --------------------------------------------------------------------------------------


class Outcome(Enum):
    VOTED = "voted"
    MOVED = "moved"
    WITHDRAWN = "withdrawn"
    TOO_MANY = "too_many"


def _insert(session: AsyncSession, table: Any) -> Any:
    return (postgresql.insert if _is_postgres(session) else sqlite.insert)(table)


async def _lock_ballot(
    session: AsyncSession, *, poll_id: int, voter: str, subcluster_id: int | None, now: datetime
) -> None:
    """Create or touch the voter's ballot; the row lock serialises one voter's clicks."""
    statement = _insert(session, PollBallot).values(
        poll_id=poll_id, voter=voter, subcluster_id=subcluster_id, voted_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["poll_id", "voter"], set_={"subcluster_id": subcluster_id}
    )
    await session.exec(statement)


async def _drop_empty_ballot(session: AsyncSession, *, poll_id: int, voter: str) -> None:
    remaining = await session.exec(
        select(func.count())
        .select_from(PollVote)
        .where(PollVote.poll_id == poll_id, PollVote.voter == voter)
    )
    if remaining.one() == 0:
        await session.exec(
            delete(PollBallot).where(
                col(PollBallot.poll_id) == poll_id, col(PollBallot.voter) == voter
            )
        )


async def toggle_vote(
    session: AsyncSession,
    *,
    poll_id: int,
    voter: str,
    option_id: int,
    max_choices: int,
    subcluster_id: int | None,
    now: datetime,
) -> Outcome:
    """A click on an option: withdraw it if chosen, else choose it (moving a single vote)."""
    await _lock_ballot(session, poll_id=poll_id, voter=voter, subcluster_id=subcluster_id, now=now)
    withdrawn = await session.exec(
        delete(PollVote).where(
            col(PollVote.poll_id) == poll_id,
            col(PollVote.voter) == voter,
            col(PollVote.option_id) == option_id,
        )
    )
    if withdrawn.rowcount:
        await _drop_empty_ballot(session, poll_id=poll_id, voter=voter)
        return Outcome.WITHDRAWN
    outcome = Outcome.VOTED
    if max_choices == 1:
        moved = await session.exec(
            delete(PollVote).where(col(PollVote.poll_id) == poll_id, col(PollVote.voter) == voter)
        )
        outcome = Outcome.MOVED if moved.rowcount else Outcome.VOTED
    else:
        # Safe to count here: this voter's ballot row is locked until the transaction ends.
        chosen = await session.exec(
            select(func.count())
            .select_from(PollVote)
            .where(PollVote.poll_id == poll_id, PollVote.voter == voter)
        )
        count = chosen.one()
        if count >= max_choices:
            return Outcome.TOO_MANY
    await session.exec(
        _insert(session, PollVote)
        .values(poll_id=poll_id, voter=voter, option_id=option_id, rank=1)
        .on_conflict_do_nothing()
    )
    return outcome


async def replace_ranking(
    session: AsyncSession,
    *,
    poll_id: int,
    voter: str,
    ranking: Sequence[int],
    subcluster_id: int | None,
    now: datetime,
) -> bool:
    """Store ``voter``'s ranking in place of any earlier one; True if there was one before."""
    await _lock_ballot(session, poll_id=poll_id, voter=voter, subcluster_id=subcluster_id, now=now)
    before = await session.exec(
        delete(PollVote).where(col(PollVote.poll_id) == poll_id, col(PollVote.voter) == voter)
    )
    for rank, option_id in enumerate(ranking, start=1):
        session.add(PollVote(poll_id=poll_id, voter=voter, option_id=option_id, rank=rank))
    await session.flush()
    if not ranking:
        await _drop_empty_ballot(session, poll_id=poll_id, voter=voter)
    return bool(before.rowcount)


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
    if _is_postgres(session):
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
    statement = _insert(session, Job).values(**values)
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
