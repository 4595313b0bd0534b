"""The facilitator and note-taker rotation: who is in it, skips, absences, swaps and pins.

Turns themselves live on the meetings (``Meeting.facilitator_id``, ``facilitator_subcluster_id``,
``note_taker_id``); past meetings are the rotation's history, upcoming ones its plan. Only a
turn without a meeting (``/klynge facilitator next`` with nothing planned) is stored here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, UniqueConstraint, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Column, Field, SQLModel, String, col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.meetings import CANCELLED, Meeting
from storage.types import UTCDateTime, utcnow

MEMBERS = "members"
SUBCLUSTERS = "subclusters"
MODES = (MEMBERS, SUBCLUSTERS)

FACILITATOR = "facilitator"
NOTE_TAKER = "note_taker"

PENDING = "pending"
ACCEPTED = "accepted"
DECLINED = "declined"


def subcluster_key(subcluster_id: int) -> str:
    """The rotation key of a sub-cluster (members' keys are their Slack user ids)."""
    return f"sc:{subcluster_id}"


def subcluster_id_of(key: str) -> int | None:
    if not key.startswith("sc:"):
        return None
    number = key[3:]
    return int(number) if re.fullmatch(r"[0-9]{1,12}", number) else None


class RotationSettings(SQLModel, table=True):
    """How a cluster rotates facilitator duty: over ``members`` or ``subclusters``."""

    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True)
    )
    mode: str = Field(default=MEMBERS, max_length=16)


class RotationMember(SQLModel, table=True):
    """Someone in the rotation since ``joined_at``; the id is the join order (ties)."""

    __table_args__ = (UniqueConstraint("cluster_id", "key", name="uq_rotationmember_key"),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), nullable=False)
    )
    key: str = Field(max_length=40)
    joined_at: datetime = Field(sa_type=UTCDateTime)


class RotationTurn(SQLModel, table=True):
    """A turn taken without a meeting (the rotation was advanced by hand).

    ``moved`` marks no turn at all but a place in the queue taken over in a swap: ``key`` waits
    as if their last turn had been at ``at``.
    """

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), nullable=False)
    )
    role: str = Field(max_length=16)
    key: str = Field(max_length=40)
    at: datetime = Field(sa_type=UTCDateTime)
    moved: bool = False


class RotationSkip(SQLModel, table=True):
    """``key`` passes on one turn: a meeting's, or (no meeting) the next turn by hand."""

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), nullable=False)
    )
    key: str = Field(max_length=40)
    meeting_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("meeting.id", ondelete="CASCADE"))
    )
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RotationAway(SQLModel, table=True):
    """A member left out of the rotation up to and including ``until`` (a local date)."""

    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(sa_column=Column(String(32), primary_key=True))
    until: date = Field(sa_column=Column(Date, nullable=False))


class RotationPin(SQLModel, table=True):
    """A meeting's facilitator fixed by a confirmed swap; replanning keeps it."""

    meeting_id: int = Field(
        sa_column=Column(ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True)
    )
    key: str = Field(max_length=40)


class SwapRequest(SQLModel, table=True):
    """ "Let ``to_key`` take ``from_key``'s turn (and the reverse)", awaiting ``confirmer``."""

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), nullable=False)
    )
    from_key: str = Field(max_length=40)
    to_key: str = Field(max_length=40)
    from_meeting_id: int = Field(
        sa_column=Column(ForeignKey("meeting.id", ondelete="CASCADE"), nullable=False)
    )
    to_meeting_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("meeting.id", ondelete="CASCADE"))
    )
    requested_by: str = Field(max_length=32)
    confirmer: str = Field(max_length=32)
    status: str = Field(default=PENDING, max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# --- settings and members -----------------------------------------------------------------------


async def lock_rotation(session: AsyncSession, *, cluster_id: int, postgres: bool) -> str:
    """Take the cluster's rotation lock for this transaction; returns the rotation mode.

    Two replannings at once would both add newcomers (a unique violation) and overwrite each
    other's plan; the settings row, created if missing, is locked ``FOR UPDATE`` instead.
    """
    insert = pg_insert if postgres else sqlite_insert
    await session.exec(
        insert(RotationSettings)
        .values(cluster_id=cluster_id, mode=MEMBERS)
        .on_conflict_do_nothing(index_elements=["cluster_id"])
    )
    settings = (
        await session.exec(
            select(RotationSettings)
            .where(RotationSettings.cluster_id == cluster_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).one()
    return settings.mode


async def set_mode(session: AsyncSession, *, cluster_id: int, mode: str) -> bool:
    """Set the rotation mode; False when it already was ``mode``."""
    settings = await session.get(RotationSettings, cluster_id)
    if settings is None:
        settings = RotationSettings(cluster_id=cluster_id)
    elif settings.mode == mode:
        return False
    settings.mode = mode
    session.add(settings)
    await session.flush()
    return True


async def sync_members(
    session: AsyncSession, *, cluster_id: int, keys: Sequence[str], now: datetime
) -> list[RotationMember]:
    """Make the rotation hold exactly ``keys`` (newcomers join now, in the order given)."""
    existing = (
        await session.exec(select(RotationMember).where(RotationMember.cluster_id == cluster_id))
    ).all()
    wanted = set(keys)
    gone = [member.id for member in existing if member.key not in wanted]
    if gone:
        await session.exec(delete(RotationMember).where(col(RotationMember.id).in_(gone)))
    known = {member.key for member in existing}
    for key in keys:
        if key not in known:
            session.add(RotationMember(cluster_id=cluster_id, key=key, joined_at=now))
            known.add(key)
            await session.flush()  # ids follow the order given: the join order
    result = await session.exec(
        select(RotationMember)
        .where(RotationMember.cluster_id == cluster_id, col(RotationMember.key).in_(keys))
        .order_by(col(RotationMember.id))
    )
    return list(result.all())


# --- history ------------------------------------------------------------------------------------


async def meetings_from(
    session: AsyncSession, *, cluster_id: int, include_cancelled: bool = False
) -> Sequence[Meeting]:
    """All of the cluster's meetings in time order (cancelled ones left out by default)."""
    statement = select(Meeting).where(Meeting.cluster_id == cluster_id)
    if not include_cancelled:
        statement = statement.where(Meeting.status != CANCELLED)
    result = await session.exec(statement.order_by(col(Meeting.starts_at), col(Meeting.id)))
    return result.all()


async def manual_turns(session: AsyncSession, *, cluster_id: int) -> Sequence[RotationTurn]:
    result = await session.exec(
        select(RotationTurn)
        .where(RotationTurn.cluster_id == cluster_id)
        .order_by(col(RotationTurn.at), col(RotationTurn.id))
    )
    return result.all()


async def add_manual_turn(
    session: AsyncSession,
    *,
    cluster_id: int,
    role: str,
    key: str,
    at: datetime,
    moved: bool = False,
) -> None:
    session.add(RotationTurn(cluster_id=cluster_id, role=role, key=key, at=at, moved=moved))
    await session.flush()


# --- skips, absences, pins ----------------------------------------------------------------------


async def skips(session: AsyncSession, *, cluster_id: int) -> Sequence[RotationSkip]:
    result = await session.exec(
        select(RotationSkip)
        .where(RotationSkip.cluster_id == cluster_id)
        .order_by(col(RotationSkip.id))
    )
    return result.all()


async def add_skip(
    session: AsyncSession, *, cluster_id: int, key: str, meeting_id: int | None, created_by: str
) -> bool:
    """Record a skip; False when the same skip is already recorded."""
    duplicate = await session.exec(
        select(RotationSkip.id).where(
            RotationSkip.cluster_id == cluster_id,
            RotationSkip.key == key,
            RotationSkip.meeting_id == meeting_id
            if meeting_id is not None
            else col(RotationSkip.meeting_id).is_(None),
        )
    )
    if duplicate.first() is not None:
        return False
    session.add(
        RotationSkip(cluster_id=cluster_id, key=key, meeting_id=meeting_id, created_by=created_by)
    )
    await session.flush()
    return True


async def drop_pending_skips(
    session: AsyncSession, *, cluster_id: int, keys: Sequence[str]
) -> None:
    """Forget the skips without a meeting of ``keys`` (they were used up)."""
    if keys:
        await session.exec(
            delete(RotationSkip).where(
                col(RotationSkip.cluster_id) == cluster_id,
                col(RotationSkip.meeting_id).is_(None),
                col(RotationSkip.key).in_(list(keys)),
            )
        )


async def aways(session: AsyncSession, *, cluster_id: int) -> dict[str, date]:
    result = await session.exec(select(RotationAway).where(RotationAway.cluster_id == cluster_id))
    return {away.user_id: away.until for away in result.all()}


async def set_away(session: AsyncSession, *, cluster_id: int, user_id: str, until: date) -> None:
    away = await session.get(RotationAway, (cluster_id, user_id))
    if away is None:
        away = RotationAway(cluster_id=cluster_id, user_id=user_id, until=until)
    away.until = until
    session.add(away)
    await session.flush()


async def pins(session: AsyncSession, *, meeting_ids: Sequence[int]) -> dict[int, str]:
    if not meeting_ids:
        return {}
    result = await session.exec(
        select(RotationPin).where(col(RotationPin.meeting_id).in_(list(meeting_ids)))
    )
    return {pin.meeting_id: pin.key for pin in result.all()}


async def pin(session: AsyncSession, *, meeting_id: int, key: str) -> None:
    existing = await session.get(RotationPin, meeting_id)
    if existing is None:
        existing = RotationPin(meeting_id=meeting_id, key=key)
    existing.key = key
    session.add(existing)
    await session.flush()


# --- swaps --------------------------------------------------------------------------------------


async def add_swap_request(session: AsyncSession, request: SwapRequest) -> SwapRequest:
    session.add(request)
    await session.flush()
    return request


async def get_swap_request(session: AsyncSession, *, request_id: int) -> SwapRequest | None:
    return await session.get(SwapRequest, request_id)


async def answer_swap_request(
    session: AsyncSession, *, request_id: int, status: str, was: str = PENDING
) -> bool:
    """Move a request from ``was`` (pending) to ``status``; False when it was not (atomic)."""
    result = await session.exec(
        update(SwapRequest)
        .where(col(SwapRequest.id) == request_id, col(SwapRequest.status) == was)
        .values(status=status)
    )
    return bool(result.rowcount)
