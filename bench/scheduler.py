"""Scheduler benchmark: claim time with 10,000 pending jobs, lateness of due jobs, memory.

python -m bench.scheduler            # both databases
python -m bench.scheduler sqlite     # one
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from bench.common import fresh_database, percentile, summary_ms, table
from bot.scheduler import Scheduler
from storage import jobs as job_store
from storage.db import Database
from storage.jobs import Job

PENDING = 10_000
DUE_NOW = 200
LATENESS_JOBS = 50


async def _fill(db: Database, now: datetime) -> None:
    """10,000 future jobs (reminders months ahead) plus DUE_NOW due ones, in bulk."""
    rows = [
        {
            "kind": "bench",
            "key": f"future:{n}",
            "due_at": now + timedelta(days=1 + n % 300, minutes=n),
            "payload": {},
            "status": "pending",
            "attempts": 0,
            "created_at": now,
        }
        for n in range(PENDING)
    ]
    rows += [
        {**row, "key": f"due:{n}", "due_at": now - timedelta(seconds=1)}
        for n, row in enumerate(rows[:DUE_NOW])
    ]
    async with db.session() as session:
        for start in range(0, len(rows), 1000):
            await session.exec(insert(Job).values(rows[start : start + 1000]))


async def claim_time(url: str) -> list[float]:
    """Seconds per claim of one due job among 10,000 pending (the scheduler claims one at a
    time, just before running it)."""
    db = Database(url)
    now = datetime.now(UTC)
    await _fill(db, now)
    timings = []
    for _ in range(DUE_NOW):
        started = time.perf_counter()
        async with db.session() as session:
            claimed = await job_store.claim_due(
                session,
                worker="bench",
                now=now,
                lease=timedelta(minutes=2),
                postgres=db.is_postgres,
            )
        timings.append(time.perf_counter() - started)
        assert len(claimed) == 1
        async with db.session() as session:
            await job_store.finish(session, job=claimed[0], worker="bench")
    await db.dispose()
    return timings


async def lateness(url: str) -> list[float]:
    """How late the running scheduler loop delivers jobs due over the next few seconds,
    with 10,000 other jobs pending; two replicas share the database."""
    dbs = [Database(url), Database(url)]
    delivered: dict[str, float] = {}
    due: dict[str, datetime] = {}
    done = asyncio.Event()
    schedulers = [Scheduler(db, worker=f"replica-{n}") for n, db in enumerate(dbs)]
    for scheduler in schedulers:

        async def handler(job: Job) -> None:
            delivered[job.key] = (datetime.now(UTC) - due[job.key]).total_seconds()
            if len(delivered) == LATENESS_JOBS:
                done.set()

        scheduler.on("late", handler)
        scheduler.on("bench", handler)
        scheduler.start()
    start = datetime.now(UTC) + timedelta(seconds=1)
    for n in range(LATENESS_JOBS):
        key = f"late:{n}"
        due[key] = start + timedelta(milliseconds=100 * n)
        await schedulers[n % 2].schedule(kind="late", key=key, due_at=due[key])
    await asyncio.wait_for(done.wait(), timeout=60)
    for scheduler in schedulers:
        await scheduler.stop()
    for db in dbs:
        await db.dispose()
    assert len(delivered) == LATENESS_JOBS
    return list(delivered.values())


async def main(backends: list[str]) -> None:
    rows = []
    for backend in backends:
        async with fresh_database(backend) as url:
            claims = await claim_time(url)
            late = await lateness(url)
        rows.append(
            [
                backend,
                f"{percentile(claims, 0.5) * 1000:.1f} / {percentile(claims, 0.99) * 1000:.1f}",
                f"{percentile(late, 0.5) * 1000:.0f} / {max(late) * 1000:.0f}",
            ]
        )
        print(
            f"{backend}: claim {summary_ms(claims)}; lateness {summary_ms(late)}", file=sys.stderr
        )
    print(
        table(
            ["database", "claim 1 of 10,000 pending, p50 / p99 (ms)", "lateness p50 / max (ms)"],
            rows,
        )
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the benchmark process: {rss:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:] or ["sqlite", "postgresql"]))
