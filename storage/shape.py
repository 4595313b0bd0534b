"""The fixed shape of a cluster's meetings: its default agenda, the check-in questions it added
to the built-in ones, and which check-in questions and energisers it has used (so none repeats
within a year).

The built-in questions and energisers are texts in ``handlers/rituals/library.py``; only their
keys are stored here. A cluster's own question is keyed ``own:<id>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, Text, delete
from sqlmodel import Column, Field, SQLModel, String, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_insert
from storage.types import UTCDateTime, utcnow

CHECKIN = "checkin"
ENERGISER = "energiser"
OWN_PREFIX = "own:"


class ClusterAgenda(SQLModel, table=True):
    """The agenda a cluster's meetings follow when they have none of their own."""

    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True)
    )
    text: str = Field(sa_column=Column(Text, nullable=False))
    set_by: str = Field(max_length=32)
    set_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CheckinQuestion(SQLModel, table=True):
    """A check-in question a cluster added to the built-in ones."""

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), nullable=False)
    )
    text: str = Field(sa_column=Column(Text, nullable=False))
    added_by: str = Field(max_length=32)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RitualUse(SQLModel, table=True):
    """When a cluster last used a check-in question or an energiser, and for which meeting."""

    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True)
    )
    kind: str = Field(sa_column=Column(String(16), primary_key=True))
    key: str = Field(sa_column=Column(String(40), primary_key=True))
    meeting_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("meeting.id", ondelete="SET NULL"))
    )
    used_at: datetime = Field(sa_type=UTCDateTime)


def own_key(question_id: int) -> str:
    return f"{OWN_PREFIX}{question_id}"


# --- the default agenda ---------------------------------------------------------------------------


async def default_agenda(session: AsyncSession, *, cluster_id: int) -> str | None:
    """The cluster's own default agenda (None: it uses the built-in one)."""
    found = await session.get(ClusterAgenda, cluster_id)
    return found.text if found is not None else None


async def set_default_agenda(
    session: AsyncSession, *, cluster_id: int, text: str | None, by: str, now: datetime
) -> None:
    """Set the cluster's default agenda; None goes back to the built-in one."""
    if text is None:
        await session.exec(delete(ClusterAgenda).where(col(ClusterAgenda.cluster_id) == cluster_id))
        return
    statement = dialect_insert(session, ClusterAgenda).values(
        cluster_id=cluster_id, text=text, set_by=by, set_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["cluster_id"], set_={"text": text, "set_by": by, "set_at": now}
    )
    await session.exec(statement)


# --- the cluster's own check-in questions ---------------------------------------------------------


async def own_questions(session: AsyncSession, *, cluster_id: int) -> Sequence[CheckinQuestion]:
    """The cluster's own check-in questions, oldest first."""
    result = await session.exec(
        select(CheckinQuestion)
        .where(CheckinQuestion.cluster_id == cluster_id)
        .order_by(col(CheckinQuestion.id))
    )
    return result.all()


async def add_question(
    session: AsyncSession, *, cluster_id: int, text: str, by: str, now: datetime
) -> CheckinQuestion:
    question = CheckinQuestion(cluster_id=cluster_id, text=text, added_by=by, added_at=now)
    session.add(question)
    await session.flush()
    return question


async def remove_question(session: AsyncSession, *, cluster_id: int, question_id: int) -> bool:
    """Delete one of the cluster's own questions; False when it has no such question."""
    result = await session.exec(
        delete(CheckinQuestion).where(
            col(CheckinQuestion.cluster_id) == cluster_id, col(CheckinQuestion.id) == question_id
        )
    )
    if not result.rowcount:
        return False
    await session.exec(
        delete(RitualUse).where(
            col(RitualUse.cluster_id) == cluster_id,
            col(RitualUse.kind) == CHECKIN,
            col(RitualUse.key) == own_key(question_id),
        )
    )
    return True


# --- what was used --------------------------------------------------------------------------------


async def last_used(session: AsyncSession, *, cluster_id: int, kind: str) -> dict[str, datetime]:
    """key -> when the cluster last used it."""
    result = await session.exec(
        select(RitualUse.key, RitualUse.used_at).where(
            RitualUse.cluster_id == cluster_id, RitualUse.kind == kind
        )
    )
    return dict(result.all())


async def used_for_meeting(
    session: AsyncSession, *, cluster_id: int, kind: str, meeting_id: int
) -> str | None:
    """The key already chosen for this meeting, if one was."""
    result = await session.exec(
        select(RitualUse.key).where(
            RitualUse.cluster_id == cluster_id,
            RitualUse.kind == kind,
            RitualUse.meeting_id == meeting_id,
        )
    )
    return result.first()


async def record_use(
    session: AsyncSession,
    *,
    cluster_id: int,
    kind: str,
    key: str,
    meeting_id: int | None,
    now: datetime,
) -> None:
    """Remember that the cluster used ``key`` now (for ``meeting_id``)."""
    values = {"meeting_id": meeting_id, "used_at": now}
    statement = dialect_insert(session, RitualUse).values(
        cluster_id=cluster_id, kind=kind, key=key, **values
    )
    statement = statement.on_conflict_do_update(
        index_elements=["cluster_id", "kind", "key"], set_=values
    )
    await session.exec(statement)
