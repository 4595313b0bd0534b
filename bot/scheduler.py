"""The durable scheduler: runs the rows of the jobs table when they come due, exactly once.

It sleeps until the earliest due job, or until ``wake()`` says a nearer one was just added, and
rechecks at least every ``idle_check`` (so jobs added by another replica are seen too). Due jobs
are claimed atomically one at a time, just before running (see ``storage.jobs.claim_due``), so no
job waits in one replica's hand while another is free. While a handler runs, a heartbeat extends
the job's lease every third of it, so a slow Slack never lets another replica run the job again;
a replica that dies holds at most its one running job, until the lease ends. A job that ran is
deleted only if this scheduler still holds that claim (it was not moved, cancelled or taken over
meanwhile). A failing handler is retried with exponential backoff; a job whose ``expires_at`` has
passed (downtime outlasted its usefulness) is skipped with a log line. ``stop()`` lets the job in
hand finish and hands back one claimed but not yet started.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timedelta
from typing import Any

from bot.slack import is_slack_unavailable
from storage import jobs as job_store
from storage.db import Database, is_unavailable
from storage.jobs import Job
from storage.types import utcnow

log = logging.getLogger(__name__)

JobHandler = Callable[[Job], Awaitable[None]]
Clock = Callable[[], datetime]
# Runs a job "as" its workspace (``bot.workspaces.Workspaces.acting_for``).
ActingFor = Callable[[str | None], AbstractAsyncContextManager[None]]


def _as_anyone(_team_id: str | None) -> AbstractAsyncContextManager[None]:
    return contextlib.nullcontext()


class Scheduler:
    """Claims and runs due jobs; one per process, any number of processes per database."""

    def __init__(
        self,
        db: Database,
        *,
        clock: Clock = utcnow,
        lease: timedelta = timedelta(minutes=2),
        idle_check: timedelta = timedelta(seconds=30),
        max_attempts: int = 6,
        worker: str | None = None,
        acting_for: ActingFor = _as_anyone,
    ) -> None:
        """``acting_for(team_id)`` surrounds each job: its Slack calls use that workspace's
        bot token (with one workspace there is only one token and nothing to do)."""
        self.db = db
        self.acting_for = acting_for
        self.clock = clock
        self.lease = lease
        self.idle_check = idle_check
        self.max_attempts = max_attempts
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._handlers: dict[str, JobHandler] = {}
        self._attempts: dict[str, int] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def on(self, kind: str, handler: JobHandler, *, max_attempts: int | None = None) -> None:
        """Register the handler for jobs of ``kind``; ``max_attempts`` instead of the
        scheduler's own for an outcome that must keep trying (``bot.outbox``)."""
        if kind in self._handlers:
            raise ValueError(f"a handler for job kind {kind!r} is already registered")
        self._handlers[kind] = handler
        if max_attempts is not None:
            self._attempts[kind] = max_attempts

    async def schedule(
        self,
        *,
        kind: str,
        key: str,
        due_at: datetime,
        payload: dict[str, Any] | None = None,
        expires_at: datetime | None = None,
    ) -> None:
        """Add or move the job ``key`` in its own transaction and wake the loop."""
        async with self.db.session() as session:
            await job_store.schedule(
                session, kind=kind, key=key, due_at=due_at, payload=payload, expires_at=expires_at
            )
        self.wake()

    def wake(self) -> None:
        """Tell the loop that the jobs changed (call after committing a scheduled job)."""
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._stopping.clear()
            self._task = asyncio.create_task(self._loop(), name="klynge-scheduler")

    async def stop(self) -> None:
        """Stop after the job in hand (if any) has finished; due jobs not yet started stay
        free for the other replicas at once (none waits for a lease to run out)."""
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def run_due(self) -> int:
        """Claim and run, one at a time, every job due now; returns how many ran (or were
        skipped). Stops early, between jobs, once ``stop()`` was called."""
        done = 0
        while not self._stopping.is_set():
            job = await self._claim_one()
            if job is None:
                return done
            if self._stopping.is_set():  # claimed, not started: free it for another replica
                await self._hand_back(job)
                return done
            await self._run_one(job)
            done += 1
        return done

    async def run_now(self, key: str) -> bool:
        """Run the job ``key`` here and now, ahead of its time (a request that just scheduled
        it, in the same transaction as what it follows from). True when it ran and is done;
        False when it failed (it is then retried with backoff like any job), or another
        process holds it at this moment."""
        job = await self._claim_one(key=key)
        if job is None:
            return False
        return await self._run_one(job)

    async def _claim_one(self, *, key: str | None = None) -> Job | None:
        async with self.db.session() as session:
            claimed = await job_store.claim_due(
                session,
                worker=self.worker,
                now=self.clock(),
                lease=self.lease,
                limit=1,
                postgres=self.db.is_postgres,
                key=key,
            )
        return claimed[0] if claimed else None

    async def _hand_back(self, job: Job) -> None:
        async with self.db.session() as session:
            await job_store.release(session, job=job, worker=self.worker)

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                await self.run_due()
                delay = await self._time_to_next()
            except Exception as error:  # noqa: BLE001 - the loop must outlive database outages
                log.warning("scheduler: %s; retrying in 5 s", _describe(error))
                delay = 5.0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)

    async def _time_to_next(self) -> float:
        now = self.clock()
        async with self.db.session() as session:
            next_at = await job_store.next_due_at(session, now=now)
        ceiling = self.idle_check.total_seconds()
        if next_at is None:
            return ceiling
        return min(ceiling, max(0.0, (next_at - now).total_seconds()))

    async def _run_one(self, job: Job) -> bool:
        """Run a claimed job; True when it is done (ran, or skipped as expired)."""
        handler = self._handlers.get(job.kind)
        now = self.clock()
        if handler is None:
            await self._release(job, error=f"no handler for job kind {job.kind!r}", give_up=True)
            log.error("scheduler: no handler for job %s (%s); marked failed", job.key, job.kind)
            return False
        if job.expires_at is not None and job.expires_at <= now:
            log.info(
                "scheduler: skipped %s, no longer useful (expired %s)", job.key, job.expires_at
            )
            await self._finish(job)
            return True
        try:
            async with self._holding(job), self.acting_for(job.team_id):
                await handler(job)
        except Exception as error:  # one job's failure must not stop the others
            give_up = job.attempts >= self._attempts.get(job.kind, self.max_attempts)
            log.warning(
                "scheduler: job %s failed (attempt %d): %s",
                job.key,
                job.attempts,
                error,
                exc_info=not (is_unavailable(error) or is_slack_unavailable(error)),
            )
            await self._release(job, error=_describe(error), give_up=give_up)
            return False
        await self._finish(job)
        return True

    @contextlib.asynccontextmanager
    async def _holding(self, job: Job) -> AsyncIterator[None]:
        """Keep the lease on ``job`` while the block runs (a heartbeat every third of it)."""
        beat = asyncio.create_task(self._heartbeat(job), name=f"klynge-lease:{job.key}")
        try:
            yield
        finally:
            beat.cancel()
            # Propagates a cancellation of this task; the heartbeat's own is swallowed.
            await asyncio.gather(beat, return_exceptions=True)

    async def _heartbeat(self, job: Job) -> None:
        interval = self.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(interval)
            try:
                async with self.db.session() as session:
                    kept = await job_store.extend_lease(
                        session, job=job, worker=self.worker, until=self.clock() + self.lease
                    )
            except Exception as error:  # noqa: BLE001 - try again at the next beat
                log.warning(
                    "scheduler: could not extend the lease on %s: %s", job.key, _describe(error)
                )
                continue
            if not kept:
                log.warning(
                    "scheduler: job %s was moved, cancelled or taken over while it ran", job.key
                )
                return

    async def _finish(self, job: Job) -> None:
        async with self.db.session() as session:
            gone = await job_store.finish(session, job=job, worker=self.worker)
        if not gone:
            log.info("scheduler: %s changed while it ran; left for its new claim or time", job.key)

    async def _release(self, job: Job, *, error: str, give_up: bool) -> None:
        backoff = timedelta(seconds=min(15 * 2 ** max(0, job.attempts - 1), 3600))
        async with self.db.session() as session:
            await job_store.retry_later(
                session,
                job=job,
                worker=self.worker,
                due_at=self.clock() + backoff,
                error=error,
                give_up=give_up,
            )


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
