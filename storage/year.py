"""The year (årshjul): a cluster's theme for each calendar year, and the meetings of a period.

A meeting belongs to the theme of the year it is held in, in the cluster's time zone: no link
is stored, so moving a meeting into another year moves it to that year's theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, Text, func
from sqlmodel import Column, Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.meetings import CANCELLED, Meeting
from storage.types import UTCDateTime, utcnow

MAX_THEME = 300


class YearTheme(SQLModel, table=True):
    """The theme a cluster chose for one calendar year (its red thread)."""

    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True)
    )
    year: int = Field(primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    set_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


async def get_theme(session: AsyncSession, *, cluster_id: int, year: int) -> str | None:
    """The cluster's theme for ``year`` (None: none chosen)."""
    found = await session.get(YearTheme, (cluster_id, year))
    return found.text if found else None


async def set_theme(
    session: AsyncSession, *, cluster_id: int, year: int, text: str | None, now: datetime
) -> bool:
    """Set the theme of ``year``, or remove it (``text`` None); False when there was none to
    remove."""
    found = await session.get(YearTheme, (cluster_id, year))
    if text is None:
        if found is None:
            return False
        await session.delete(found)
        return True
    theme = found or YearTheme(cluster_id=cluster_id, year=year, text=text)
    theme.text, theme.set_at = text, now
    session.add(theme)
    return True


async def meetings_between(
    session: AsyncSession, *, cluster_id: int, since: datetime, until: datetime
) -> Sequence[Meeting]:
    """The cluster's meetings (held, running or planned; not cancelled) that started, or are
    planned to start, from ``since`` and before ``until``, in order."""
    when = func.coalesce(col(Meeting.started_at), col(Meeting.starts_at))
    result = await session.exec(
        select(Meeting)
        .where(
            Meeting.cluster_id == cluster_id,
            col(Meeting.status) != CANCELLED,
            when >= since,
            when < until,
        )
        .order_by(when, col(Meeting.id))
    )
    return result.all()
