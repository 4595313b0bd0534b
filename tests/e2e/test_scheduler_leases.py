"""Leases under a slow Slack: two schedulers on one database (two replicas) run every job once
even when a Slack call outlasts the lease, and one that stops leaves the due jobs to the other.

These schedulers keep real time (the lease is what runs out while Slack is slow), so they are
built here rather than taken from the harness, whose clock only moves when a test moves it.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.scheduler import Scheduler
from storage import jobs as job_store
from storage.db import Database
from storage.jobs import Job
from tests.harness import CHANNEL, DOCTORS, Harness, MutableClock

LEASE = timedelta(seconds=1.5)


class Replicas:
    """Two schedulers, each with its own database engine, posting ``post`` jobs to Slack."""

    def __init__(self, harness: Harness, other_db: Database, lease: timedelta) -> None:
        self.harness = harness
        self.schedulers = [
            Scheduler(db, lease=lease, idle_check=timedelta(milliseconds=100), worker=name)
            for db, name in ((harness.db, "replica-1"), (other_db, "replica-2"))
        ]
        self.runs: Counter[str] = Counter()
        self.by_worker: Counter[str] = Counter()
        self.started = asyncio.Event()
        self.finished: list[str] = []
        self.changed = asyncio.Event()
        for scheduler in self.schedulers:

            async def post(job: Job, worker: str = scheduler.worker) -> None:
                self.runs[job.key] += 1
                self.by_worker[worker] += 1
                self.started.set()
                await harness.deps.client.chat_postMessage(
                    channel=job.payload["channel"], text=job.payload["text"]
                )
                self.finished.append(job.key)
                self.changed.set()

            scheduler.on("post", post)

    async def schedule(self, count: int, *, channels: list[str]) -> None:
        now = datetime.now(UTC)
        for number in range(count):
            await self.schedulers[number % 2].schedule(
                kind="post",
                key=f"post:{number}",
                due_at=now,
                payload={"channel": channels[number], "text": f"Reminder {number}"},
            )

    async def run_all(self, count: int, *, channels: list[str]) -> None:
        """Both replicas' loops running (polling every 100 ms), ``count`` posts due now; stops
        both once every post went out, each waiting for the job in its hand."""
        for scheduler in self.schedulers:
            scheduler.start()
        try:
            await self.schedule(count, channels=channels)
            async with asyncio.timeout(60):
                while len(set(self.finished)) < count:
                    self.changed.clear()
                    await self.changed.wait()
        finally:
            await self.stop()

    async def stop(self) -> None:
        for scheduler in self.schedulers:
            await scheduler.stop()  # waits for the job in hand, if any

    async def jobs_left(self) -> list[Job]:
        async with self.harness.db.session() as session:
            return list((await session.exec(select(Job))).all())


@pytest.fixture
async def second_db(harness: Harness) -> AsyncIterator[Database]:
    database = Database(harness.database_url)
    yield database
    await database.dispose()


def own_channels(harness: Harness, count: int) -> list[str]:
    """``count`` cluster channels, so that Slack's per-channel posting rate plays no part."""
    channels = [f"C0KLYNGE{number:02d}" for number in range(count)]
    for channel in channels:
        harness.slack.add_channel(channel, channel.lower(), DOCTORS)
    return channels


def texts_posted(harness: Harness, channels: list[str]) -> Counter[str]:
    return Counter(m.text for channel in channels for m in harness.slack.channel_messages(channel))


async def test_a_job_whose_slack_call_outlasts_the_lease_runs_once_with_two_schedulers_polling(
    harness: Harness, second_db: Database
) -> None:
    harness.slack.delays["chat.postMessage"] = 2 * LEASE.total_seconds()
    replicas = Replicas(harness, second_db, LEASE)

    await replicas.run_all(1, channels=[CHANNEL])

    assert replicas.runs == {"post:0": 1}
    assert len(harness.slack.calls_to("chat.postMessage")) == 1
    assert [m.text for m in harness.posts()] == ["Reminder 0"]
    assert await replicas.jobs_left() == []


async def test_twenty_due_posts_with_two_schedulers_and_a_slow_slack_go_out_once_each(
    harness: Harness, second_db: Database
) -> None:
    # Twenty posts take several leases in all: claimed together, the other replica would take
    # over the ones still waiting and post them a second time.
    harness.slack.delays["chat.postMessage"] = 0.3
    channels = own_channels(harness, 20)
    replicas = Replicas(harness, second_db, timedelta(seconds=1))

    await replicas.run_all(20, channels=channels)

    assert set(replicas.runs.values()) == {1}
    assert texts_posted(harness, channels) == Counter(f"Reminder {n}" for n in range(20))
    assert set(replicas.by_worker) == {"replica-1", "replica-2"}  # both took their share
    assert await replicas.jobs_left() == []


async def test_a_scheduler_stopped_mid_batch_leaves_the_waiting_jobs_to_the_other_at_once(
    harness: Harness, second_db: Database
) -> None:
    harness.slack.delays["chat.postMessage"] = 0.5
    channels = own_channels(harness, 5)
    # A lease far longer than the test: the jobs must not wait for one to run out.
    replicas = Replicas(harness, second_db, timedelta(minutes=10))
    leaving, staying = replicas.schedulers
    await replicas.schedule(5, channels=channels)

    leaving.start()
    await replicas.started.wait()  # its first job is in Slack's hands
    await leaving.stop()
    assert replicas.by_worker == {"replica-1": 1}

    assert await staying.run_due() == 4
    assert replicas.by_worker == {"replica-1": 1, "replica-2": 4}
    assert set(replicas.runs.values()) == {1}
    assert texts_posted(harness, channels) == Counter(f"Reminder {n}" for n in range(5))
    assert await replicas.jobs_left() == []


# --- claims, on the database alone ---------------------------------------------------------------

START = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


async def test_a_job_claimed_just_as_the_scheduler_stops_is_handed_back_unrun(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MutableClock(START)
    leaving = Scheduler(db, clock=clock, worker="leaving")
    staying = Scheduler(db, clock=clock, worker="staying")
    ran: list[str] = []
    for scheduler in (leaving, staying):

        async def note(job: Job, worker: str = scheduler.worker) -> None:
            ran.append(worker)

        scheduler.on("note", note)
    await leaving.schedule(kind="note", key="note:1", due_at=START)
    claim = job_store.claim_due

    async def claim_as_the_stop_comes(*args: Any, **kwargs: Any) -> list[Job]:
        claimed = await claim(*args, **kwargs)
        await leaving.stop()
        return claimed

    monkeypatch.setattr(job_store, "claim_due", claim_as_the_stop_comes)
    assert await leaving.run_due() == 0
    monkeypatch.undo()

    assert await staying.run_due() == 1  # at once: the clock has not moved
    assert ran == ["staying"]


async def test_a_job_taken_over_after_a_lost_lease_is_not_deleted_by_its_old_runner(
    db: Database,
) -> None:
    clock = MutableClock(START)
    old = Scheduler(db, clock=clock, lease=timedelta(minutes=2), worker="old")
    started, proceed = asyncio.Event(), asyncio.Event()

    async def stalls(job: Job) -> None:
        started.set()
        await proceed.wait()

    old.on("note", stalls)
    await old.schedule(kind="note", key="note:1", due_at=START)
    running = asyncio.create_task(old.run_due())
    await started.wait()
    async with db.session() as session:  # the lease ran out meanwhile; another replica took it
        taken = await job_store.claim_due(
            session,
            worker="new",
            now=START + timedelta(minutes=3),
            lease=timedelta(minutes=2),
            postgres=db.is_postgres,
        )
    assert [job.key for job in taken] == ["note:1"]

    proceed.set()
    assert await running == 1

    async with db.session() as session:
        left = (await session.exec(select(Job))).all()
    assert [(job.key, job.locked_by) for job in left] == [("note:1", "new")]
