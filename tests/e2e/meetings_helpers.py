"""Shared set-up and helpers for the tests/e2e/test_meetings_*.py modules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select

from bot.fakeslack.model import Message
from storage.jobs import Job
from storage.meetings import Meeting
from tests.harness import Harness

# Sunday 22 November 2026, 13:00 in Copenhagen.
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


# Thursday 3 December 2026 at 16:00 in Copenhagen (UTC+1).
DEC_3_16H = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


async def _ready(h: Harness, at: datetime = NOW) -> None:
    h.clock.set(at)
    await h.setup_cluster()


async def _meetings(h: Harness) -> list[Meeting]:
    async with h.db.session() as session:
        return list((await session.exec(select(Meeting).order_by(col(Meeting.id)))).all())


async def _run_reminders(h: Harness) -> int:
    """Run the due jobs (of every feature); how many reminders that posted."""
    before = len(_reminders(h))
    await h.run_jobs()
    return len(_reminders(h)) - before


async def _jobs(h: Harness) -> dict[str, Job]:
    async with h.db.session() as session:
        jobs = (await session.exec(select(Job).where(Job.kind == "reminder"))).all()
    return {job.key: job for job in jobs}


async def _update_meeting(h: Harness, meeting_id: int, **values: Any) -> None:
    async with h.db.session() as session:
        meeting = await session.get(Meeting, meeting_id)
        assert meeting is not None
        for name, value in values.items():
            setattr(meeting, name, value)
        session.add(meeting)


def _reminders(h: Harness) -> list[Message]:
    return [
        m
        for m in h.posts()
        if any(b.get("block_id", "").startswith("meeting_rsvp:") for b in m.blocks)
    ]


def _block_text(message: Message, block_id: str) -> str:
    for block in message.blocks:
        if block.get("block_id") == block_id:
            return str(block["elements"][0]["text"])
    raise AssertionError(f"no block {block_id}")


def _all_text(message: Message) -> str:
    parts = [message.text]
    for block in message.blocks:
        if "text" in block:
            parts.append(str(block["text"].get("text", "")))
        for element in block.get("elements") or []:
            parts.append(str(element.get("text", "")))
            parts.append(str(element.get("url", "")))
    return "\n".join(parts)
