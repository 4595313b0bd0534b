"""A daily job that forgets what is no longer needed (old event ids)."""

from __future__ import annotations

from datetime import datetime, timedelta

from slack_bolt.async_app import AsyncApp

from bot.deps import Deps
from handlers.wiring import Wiring
from storage.events import forget_before
from storage.jobs import Job

KIND = "housekeeping"
KEEP_EVENT_IDS = timedelta(days=1)


def _key(day: datetime) -> str:
    return f"{KIND}:{day.date().isoformat()}"


async def schedule_next(deps: Deps) -> None:
    """Make sure tomorrow's run is planned (the same key from every replica: one job)."""
    tomorrow = (deps.clock() + timedelta(days=1)).replace(hour=3, minute=0, second=0, microsecond=0)
    await deps.scheduler.schedule(kind=KIND, key=_key(tomorrow), due_at=tomorrow)


def register(app: AsyncApp, wiring: Wiring) -> None:
    wiring.hooks.started.append(schedule_next)


def register_jobs(deps: Deps) -> None:
    async def run(job: Job) -> None:
        async with deps.db.session() as session:
            await forget_before(session, moment=deps.clock() - KEEP_EVENT_IDS)
        await schedule_next(deps)

    deps.scheduler.on(KIND, run)
