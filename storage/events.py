"""Event ids already handled, so Slack's retries of an event are handled once."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database
from storage.types import UTCDateTime


class SeenEvent(SQLModel, table=True):
    event_id: str = Field(primary_key=True, max_length=64)
    seen_at: datetime = Field(sa_type=UTCDateTime, index=True)


# Slack retries within minutes; a day is plenty, and keeps the table small.
REMEMBER = timedelta(days=1)


async def first_time(db: Database, *, event_id: str, at: datetime) -> bool:
    """Record ``event_id``; False when it was recorded before (a retry or a duplicate)."""
    try:
        async with db.session() as session:
            session.add(SeenEvent(event_id=event_id, seen_at=at))
            await session.flush()
            await forget_before(session, moment=at - REMEMBER)
    except IntegrityError:
        return False
    return True


async def forget_before(session: AsyncSession, *, moment: datetime) -> int:
    """Drop records older than ``moment`` (an indexed range delete, cheap on every event)."""
    result = await session.exec(delete(SeenEvent).where(col(SeenEvent.seen_at) < moment))
    return int(result.rowcount)
