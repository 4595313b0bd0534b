"""The jobs table: every future action (reminder, poll close, nudge, follow-up) is a row here.

Rows survive restarts. Several bot processes may share one database: a process *claims* a due job
by writing its name and a lease into it in one atomic UPDATE, so a job is run by one process
only; the claimer extends the lease while the job runs, and a lease that runs out (the claimer
died) makes the job claimable again. Each claim counts an attempt, so the pair (worker, attempts)
names one claim: finishing, extending or releasing a job checks that the row is still the claim
the worker holds, never one that was moved, cancelled or taken over meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, ColumnElement, Index, and_, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Column, Field, SQLModel, col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.types import UTCDateTime, utcnow

PENDING = "pending"
FAILED = "failed"

# The workspace the running request or job acts in (``bot.workspaces`` sets it). A job scheduled
# meanwhile, however it is inserted, records it, so the job later acts in the same workspace.
acting_team: ContextVar[str | None] = ContextVar("klynge_acting_team", default=None)


class Job(SQLModel, table=True):
    """One scheduled action: run handler ``kind`` with ``payload`` at ``due_at``."""

    __table_args__ = (Index("ix_job_status_due", "status", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64)
    # Natural key ("reminder:12:1d"): scheduling the same key again moves the job, never doubles it.
    key: str = Field(max_length=255, unique=True)
    due_at: datetime = Field(sa_type=UTCDateTime)
    # Past this moment the job is no longer useful (the meeting has started): skip, don't send.
    expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The workspace it acts in (its bot token makes the job's Slack calls): ``acting_team``
    # when it was scheduled.
    team_id: str | None = Field(
        default=None,
        max_length=32,
        index=True,
        sa_column_kwargs={"default": lambda: acting_team.get()},
    )
    status: str = Field(default=PENDING, max_length=16)
    attempts: int = 0
    locked_by: str | None = Field(default=None, max_length=64)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


async def schedule(
    session: AsyncSession,
    *,
    kind: str,
    key: str,
    due_at: datetime,
    payload: dict[str, Any] | None = None,
    expires_at: datetime | None = None,
) -> None:
    """Create the job ``key``, or move it (new time and payload) if it exists.

    One INSERT ... ON CONFLICT statement, so two processes scheduling the same key at once
    end with one job, never an error.
    """
    values: dict[str, Any] = {
        "kind": kind,
        "key": key,
        "due_at": due_at,
        "expires_at": expires_at,
        "payload": payload or {},
        "status": PENDING,
        "attempts": 0,
        "locked_by": None,
        "locked_until": None,
        "last_error": None,
        "created_at": utcnow(),
    }
    bind = session.bind
    dialect = bind.dialect.name if bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Job).values(**values)
    changes = {
        name: statement.excluded[name] for name in values if name not in {"key", "created_at"}
    }
    await session.exec(statement.on_conflict_do_update(index_elements=["key"], set_=changes))


async def cancel(
    session: AsyncSession, *, keys: Sequence[str] = (), prefix: str | None = None
) -> int:
    """Delete pending jobs by exact key and/or key prefix; returns how many went."""
    conditions: list[ColumnElement[bool]] = []
    if keys:
        conditions.append(col(Job.key).in_(list(keys)))
    if prefix:
        conditions.append(col(Job.key).startswith(prefix, autoescape=True))
    if not conditions:
        return 0
    result = await session.exec(delete(Job).where(or_(*conditions)))
    return int(result.rowcount)


async def pending_keys(session: AsyncSession, *, prefix: str) -> list[str]:
    result = await session.exec(
        select(Job.key)
        .where(col(Job.key).startswith(prefix, autoescape=True), Job.status == PENDING)
        .order_by(col(Job.due_at))
    )
    return list(result.all())


async def next_due_at(session: AsyncSession, *, now: datetime) -> datetime | None:
    """When the earliest pending job can next be claimed (its due time or its lease's end)."""
    claimable = or_(col(Job.locked_until).is_(None), col(Job.locked_until) <= now)
    first_free = (
        await session.exec(
            select(Job.due_at)
            .where(Job.status == PENDING, claimable)
            .order_by(col(Job.due_at))
            .limit(1)
        )
    ).first()
    first_lease_end = (
        await session.exec(
            select(Job.locked_until)
            .where(Job.status == PENDING, col(Job.locked_until) > now)
            .order_by(col(Job.locked_until))
            .limit(1)
        )
    ).first()
    candidates = [moment for moment in (first_free, first_lease_end) if moment is not None]
    return min(candidates) if candidates else None


async def claim_due(
    session: AsyncSession,
    *,
    worker: str,
    now: datetime,
    lease: timedelta,
    limit: int = 1,
    postgres: bool,
    key: str | None = None,
) -> list[Job]:
    """Atomically take up to ``limit`` due, unclaimed jobs for ``worker`` (the scheduler takes
    one at a time, just before running it, so no job waits behind another in someone's hand).
    With ``key``: that one job, unclaimed, whenever it is due (run now, ahead of its time).

    On PostgreSQL the candidate rows are locked with ``FOR UPDATE SKIP LOCKED`` so concurrent
    claimers pass each other by instead of queueing; SQLite serialises writers anyway.
    """
    claimable = or_(col(Job.locked_until).is_(None), col(Job.locked_until) <= now)
    which = Job.key == key if key is not None else Job.due_at <= now
    candidates = (
        select(Job.id)
        .where(Job.status == PENDING, which, claimable)
        .order_by(col(Job.due_at), col(Job.id))
        .limit(limit)
    )
    if postgres:
        candidates = candidates.with_for_update(skip_locked=True)
    statement = (
        update(Job)
        .where(col(Job.id).in_(candidates.scalar_subquery()), claimable)
        .values(locked_by=worker, locked_until=now + lease, attempts=col(Job.attempts) + 1)
        .returning(col(Job.id))
    )
    claimed_ids = list((await session.exec(statement)).scalars())
    if not claimed_ids:
        return []
    jobs = await session.exec(
        select(Job)
        .where(col(Job.id).in_(claimed_ids))
        .order_by(col(Job.due_at), col(Job.id))
        .execution_options(populate_existing=True)
    )
    return list(jobs.all())


def _still_held(job: Job, worker: str) -> ColumnElement[bool]:
    """The row is still the claim ``worker`` made of ``job`` (same claimer, same attempt)."""
    return and_(
        col(Job.id) == job.id,
        col(Job.locked_by) == worker,
        col(Job.attempts) == job.attempts,
    )


async def extend_lease(session: AsyncSession, *, job: Job, worker: str, until: datetime) -> bool:
    """Keep the claim on a running job until ``until``; False if it is no longer ours."""
    result = await session.exec(
        update(Job).where(_still_held(job, worker)).values(locked_until=until)
    )
    return bool(result.rowcount)


async def release(session: AsyncSession, *, job: Job, worker: str) -> bool:
    """Hand back a claimed job that was never started, for any worker to take at once."""
    result = await session.exec(
        update(Job)
        .where(_still_held(job, worker))
        .values(locked_by=None, locked_until=None, attempts=col(Job.attempts) - 1)
    )
    return bool(result.rowcount)


async def finish(session: AsyncSession, *, job: Job, worker: str) -> bool:
    """The job ran: remove it, only if it is still the claim ``worker`` made. A job moved or
    cancelled meanwhile, or taken over after a lost lease, stays; returns whether it went."""
    result = await session.exec(delete(Job).where(_still_held(job, worker)))
    return bool(result.rowcount)


async def retry_later(
    session: AsyncSession,
    *,
    job: Job,
    worker: str,
    due_at: datetime,
    error: str,
    give_up: bool,
) -> None:
    """The job failed: release it to run again at ``due_at``, or mark it failed for good
    (only if it is still the claim ``worker`` made)."""
    await session.exec(
        update(Job)
        .where(_still_held(job, worker))
        .values(
            due_at=due_at,
            locked_by=None,
            locked_until=None,
            last_error=error[:500],
            status=FAILED if give_up else PENDING,
        )
    )
