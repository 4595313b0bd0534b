"""The year (årshjul): a cluster's theme for each calendar year, the meetings of a period, and
how their take-homes' follow-up was answered (for the implementation rate).

A meeting belongs to the theme of the year it is held in, in the cluster's time zone: no link
is stored, so moving a meeting into another year moves it to that year's theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, Text, func, or_
from sqlmodel import Column, Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.meetings import CANCELLED, Meeting
from storage.takeaways import FOLLOWED_UP, Takeaway
from storage.types import UTCDateTime, utcnow

MAX_THEME = 300
# Counted apart (``implementation_counts``): texts whose authors were not asked yet.
NOT_ASKED = "not-asked"


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


async def implementation_counts(
    session: AsyncSession, *, meeting_ids: Sequence[int]
) -> dict[int, dict[str | None, int]]:
    """meeting id -> answer (None: not answered; ``NOT_ASKED``: the author not asked yet) ->
    how many of its followed-up texts; a meeting without any is not a key. The answer is the
    latest: asked again half a year on, a new answer replaces the first."""
    if not meeting_ids:
        return {}
    asked = or_(
        col(Takeaway.followup_sent_at).is_not(None), col(Takeaway.followup_answer).is_not(None)
    )
    result = await session.exec(
        select(Takeaway.meeting_id, Takeaway.followup_answer, asked, func.count())
        .where(col(Takeaway.meeting_id).in_(list(meeting_ids)), col(Takeaway.kind).in_(FOLLOWED_UP))
        .group_by(col(Takeaway.meeting_id), col(Takeaway.followup_answer), asked)
    )
    found: dict[int, dict[str | None, int]] = {}
    for meeting_id, answer, was_asked, count in result.all():
        if meeting_id is None:
            continue
        key = answer if was_asked else NOT_ASKED
        counts = found.setdefault(meeting_id, {})
        counts[key] = counts.get(key, 0) + int(count)
    return found
