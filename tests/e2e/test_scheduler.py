"""The durable scheduler: due jobs run once, survive restarts, and never run twice across
processes sharing one database."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.scheduler import Scheduler
from storage import jobs as job_store
from storage.db import Database
from storage.jobs import FAILED, Job
from tests.harness import CHANNEL, Harness, MutableClock

START = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def db(database_url: str) -> Database:
    database = Database(database_url)
    yield database  # type: ignore[misc]
    await database.dispose()


def _recording(scheduler: Scheduler, kind: str = "note") -> list[Job]:
    ran: list[Job] = []

    async def handler(job: Job) -> None:
        ran.append(job)

    scheduler.on(kind, handler)
    return ran


async def test_job_runs_when_due_and_not_before(db: Database) -> None:
    clock = MutableClock(START)
    scheduler = Scheduler(db, clock=clock)
    ran = _recording(scheduler)
    await scheduler.schedule(
        kind="note", key="note:1", due_at=START + timedelta(hours=1), payload={"n": 1}
    )

    assert await scheduler.run_due() == 0
    clock.advance(timedelta(hours=1))
    assert await scheduler.run_due() == 1

    assert [job.payload for job in ran] == [{"n": 1}]
    assert await scheduler.run_due() == 0  # done jobs are gone


async def test_scheduling_the_same_key_again_moves_the_job_instead_of_doubling_it(
    db: Database,
) -> None:
    clock = MutableClock(START)
    scheduler = Scheduler(db, clock=clock)
    ran = _recording(scheduler)
    await scheduler.schedule(kind="note", key="note:1", due_at=START + timedelta(minutes=5))
    await scheduler.schedule(kind="note", key="note:1", due_at=START + timedelta(minutes=50))

    clock.advance(timedelta(minutes=10))
    assert await scheduler.run_due() == 0
    clock.advance(timedelta(minutes=40))
    assert await scheduler.run_due() == 1
    assert len(ran) == 1


async def test_cancel_by_prefix_removes_only_matching_jobs(db: Database) -> None:
    scheduler = Scheduler(db, clock=MutableClock(START))
    for key in ("reminder:1:7d", "reminder:1:1d", "reminder:12:1d", "reminder:1_x"):
        await scheduler.schedule(kind="note", key=key, due_at=START + timedelta(days=1))

    async with db.session() as session:
        removed = await job_store.cancel(session, prefix="reminder:1:")
    async with db.session() as session:
        left = await job_store.pending_keys(session, prefix="reminder")

    assert removed == 2
    assert sorted(left) == ["reminder:12:1d", "reminder:1_x"]


async def test_expired_job_is_skipped_with_a_log_line(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock = MutableClock(START)
    scheduler = Scheduler(db, clock=clock)
    ran = _recording(scheduler)
    await scheduler.schedule(
        kind="note",
        key="note:late",
        due_at=START + timedelta(hours=1),
        expires_at=START + timedelta(hours=2),
    )
    clock.advance(timedelta(hours=3))  # the bot was down past the meeting's start

    with caplog.at_level(logging.INFO, logger="bot.scheduler"):
        assert await scheduler.run_due() == 1

    assert ran == []
    assert "no longer useful" in caplog.text


async def test_failed_job_is_retried_later_then_given_up(db: Database) -> None:
    clock = MutableClock(START)
    scheduler = Scheduler(db, clock=clock, max_attempts=2)
    attempts = 0

    async def flaky(job: Job) -> None:
        nonlocal attempts
        attempts += 1
        raise RuntimeError("Slack is down")

    scheduler.on("flaky", flaky)
    await scheduler.schedule(kind="flaky", key="flaky:1", due_at=START)

    await scheduler.run_due()
    assert attempts == 1
    assert await scheduler.run_due() == 0  # backoff: not again at once
    clock.advance(timedelta(minutes=5))
    await scheduler.run_due()
    assert attempts == 2
    clock.advance(timedelta(hours=2))
    assert await scheduler.run_due() == 0

    async with db.session() as session:
        job = (await session.exec(select(Job))).one()
    assert job.status == FAILED
    assert "Slack is down" in (job.last_error or "")


async def test_job_of_a_claimer_that_died_runs_again_after_its_lease(db: Database) -> None:
    clock = MutableClock(START)
    await Scheduler(db, clock=clock).schedule(kind="note", key="note:1", due_at=START)
    async with db.session() as session:  # a process claims the job, then dies
        claimed = await job_store.claim_due(
            session, worker="dead", now=START, lease=timedelta(minutes=2), postgres=db.is_postgres
        )
    assert len(claimed) == 1
    survivor = Scheduler(db, clock=clock, lease=timedelta(minutes=2))
    ran = _recording(survivor)

    assert await survivor.run_due() == 0
    clock.advance(timedelta(minutes=3))
    assert await survivor.run_due() == 1
    assert len(ran) == 1


async def test_two_processes_run_each_due_job_exactly_once(db: Database) -> None:
    clock = MutableClock(START)
    schedulers = [Scheduler(db, clock=clock, worker=f"replica-{n}") for n in range(2)]
    runs: Counter[str] = Counter()
    by_worker: Counter[str] = Counter()
    for scheduler in schedulers:

        async def handler(job: Job, worker: str = scheduler.worker) -> None:
            runs[job.key] += 1
            by_worker[worker] += 1
            await asyncio.sleep(0)  # let the other replica interleave

        scheduler.on("note", handler)
    second = Database(str(db.url.render_as_string(hide_password=False)))
    schedulers[1].db = second
    for number in range(200):
        await schedulers[0].schedule(kind="note", key=f"note:{number}", due_at=START)

    try:
        await asyncio.gather(*(scheduler.run_due() for scheduler in schedulers))
    finally:
        await second.dispose()

    assert len(runs) == 200
    assert set(runs.values()) == {1}


async def test_loop_wakes_for_a_new_job_without_waiting_for_its_idle_check(db: Database) -> None:
    scheduler = Scheduler(db, idle_check=timedelta(minutes=10))
    done = asyncio.Event()

    async def handler(job: Job) -> None:
        done.set()

    scheduler.on("note", handler)
    scheduler.start()
    try:
        await asyncio.sleep(0)  # the loop is now asleep for up to ten minutes
        await scheduler.schedule(
            kind="note", key="note:soon", due_at=datetime.now(UTC) + timedelta(milliseconds=200)
        )
        await asyncio.wait_for(done.wait(), timeout=10)
    finally:
        await scheduler.stop()


async def test_scheduled_post_is_sent_after_a_restart_exactly_once(harness: Harness) -> None:
    async def post(job: Job) -> None:
        await harness.deps.client.chat_postMessage(channel=CHANNEL, text=job.payload["text"])

    harness.deps.scheduler.on("post", post)
    await harness.deps.scheduler.schedule(
        kind="post",
        key="post:1",
        due_at=harness.clock() + timedelta(hours=1),
        payload={"text": "Mødet starter om en time"},
    )

    await harness.restart()
    harness.deps.scheduler.on("post", post)
    harness.clock.advance(timedelta(hours=1))
    await harness.run_jobs()
    await harness.run_jobs()

    texts = [message.text for message in harness.posts()]
    assert texts == ["Mødet starter om en time"]


async def test_two_bot_replicas_post_each_scheduled_message_once(harness: Harness) -> None:
    # One channel per message: Slack's posting rate per channel (about 1 a second) is not
    # what this test is about.
    channels = [f"C0KLYNGE{number:02d}" for number in range(30)]
    for channel in channels:
        harness.slack.add_channel(channel, channel.lower(), [])
    async with harness.replica() as (other, _):
        for deps in (harness.deps, other.deps):

            async def post(job: Job, client: object = deps.client) -> None:
                await client.chat_postMessage(  # type: ignore[attr-defined]
                    channel=job.payload["channel"], text=job.payload["text"]
                )

            deps.scheduler.on("post", post)
        for number, channel in enumerate(channels):
            await harness.deps.scheduler.schedule(
                kind="post",
                key=f"post:{number}",
                due_at=harness.clock(),
                payload={"channel": channel, "text": f"reminder {number}"},
            )

        await asyncio.gather(harness.deps.scheduler.run_due(), other.deps.scheduler.run_due())

    texts = sorted(message.text for channel in channels for message in harness.posts(channel))
    assert texts == sorted(f"reminder {number}" for number in range(30))


async def test_scheduling_one_key_from_many_tasks_at_once_leaves_one_job(db: Database) -> None:
    others = [Database(db.url.render_as_string(hide_password=False)) for _ in range(3)]
    schedulers = [Scheduler(database) for database in (db, *others)]
    try:
        await asyncio.gather(
            *(
                scheduler.schedule(
                    kind="note",
                    key="note:same",
                    due_at=START + timedelta(minutes=n),
                    payload={"n": n},
                )
                for n, scheduler in enumerate(schedulers * 5)
            )
        )
    finally:
        for database in others:
            await database.dispose()

    async with db.session() as session:
        jobs = (await session.exec(select(Job))).all()
    assert len(jobs) == 1
