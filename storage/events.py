"""Event ids already handled, so Slack's retries of an event are handled once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, SQLModel, col, delete
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database
from storage.types import UTCDateTime


class SeenEvent(SQLModel, table=True):
    event_id: str = Field(primary_key=True, max_length=64)
    seen_at: datetime = Field(sa_type=UTCDateTime, index=True)


async def first_time(db: Database, *, event_id: str, at: datetime) -> bool:
    """Record ``event_id``; False when it was recorded before (a retry or a duplicate)."""
    try:
        async with db.session() as session:
            session.add(SeenEvent(event_id=event_id, seen_at=at))
    except IntegrityError:
        return False
    return True


async def forget_before(session: AsyncSession, *, moment: datetime) -> int:
    """Drop records older than ``moment`` (Slack retries within minutes, not days)."""
    result = await session.exec(delete(SeenEvent).where(col(SeenEvent.seen_at) < moment))
    return int(result.rowcount)
