"""Messages the bot has posted for an outcome that must reach the channel exactly once.

An outcome (a poll's results, the closing post at ``end``, the minutes, a follow-up DM) is posted
by a scheduler job that retries until Slack takes it. Each message it posts is recorded here
under a natural key (``poll_results:12``, ``minutes:7:2``) with its ``ts`` in the same step, so
a retry after a partial failure skips what already went out and never posts it twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Field, SQLModel, col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_insert
from storage.types import UTCDateTime

# Retries stop within a day (``bot.outbox``); a month keeps the table small with room to spare.
REMEMBER = timedelta(days=30)


class SentMessage(SQLModel, table=True):
    key: str = Field(primary_key=True, max_length=255)
    channel: str = Field(max_length=32)
    ts: str = Field(max_length=32)
    sent_at: datetime = Field(sa_type=UTCDateTime, index=True)


async def sent_ts(session: AsyncSession, *, key: str) -> str | None:
    """The ``ts`` of the message posted under ``key``, or None if it has not gone out."""
    row = await session.get(SentMessage, key)
    return row.ts if row is not None else None


async def record_sent(
    session: AsyncSession, *, key: str, channel: str, ts: str, now: datetime
) -> None:
    """Remember that ``key`` went out as message ``ts`` (and forget month-old records)."""
    statement = dialect_insert(session, SentMessage).values(
        key=key, channel=channel, ts=ts, sent_at=now
    )
    await session.exec(statement.on_conflict_do_nothing(index_elements=["key"]))
    await session.exec(delete(SentMessage).where(col(SentMessage.sent_at) < now - REMEMBER))
