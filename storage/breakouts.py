"""Breakout rounds (who sat in which group), sub-clusters (babyklynger) and members' clinics.

The tables are shared: breakouts write rounds, the rotation reads sub-clusters, polls scope
votes to sub-clusters, take-home summaries group by breakout group. ``handlers/breakouts.py``
owns the commands that change them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, Index, UniqueConstraint, delete, func
from sqlmodel import Column, Field, SQLModel, String, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_insert as _insert
from storage.types import UTCDateTime, utcnow


class BreakoutRound(SQLModel, table=True):
    """One split of the participants into groups, usually during a meeting."""

    __table_args__ = (Index("ix_breakoutround_cluster_created", "cluster_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), nullable=False)
    )
    meeting_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("meeting.id", ondelete="SET NULL"))
    )
    group_size: int
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The channel post that lists the groups.
    message_ts: str | None = Field(default=None, max_length=32)


class BreakoutSeat(SQLModel, table=True):
    """A member's place in a round: their group number (1-based); the convener is marked."""

    round_id: int = Field(
        sa_column=Column(ForeignKey("breakoutround.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(sa_column=Column(String(32), primary_key=True))
    group_number: int
    convener: bool = False


class Subcluster(SQLModel, table=True):
    """A persistent group of about six members inside a large cluster (a babyklynge)."""

    __table_args__ = (UniqueConstraint("cluster_id", "name", name="uq_subcluster_name"),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), nullable=False)
    )
    name: str = Field(max_length=80)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SubclusterMember(SQLModel, table=True):
    """Membership; the primary key makes a member belong to at most one sub-cluster."""

    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(sa_column=Column(String(32), primary_key=True))
    subcluster_id: int = Field(
        sa_column=Column(ForeignKey("subcluster.id", ondelete="CASCADE"), nullable=False)
    )


class MemberClinic(SQLModel, table=True):
    """Which clinic a member works in (to spread or keep together clinics in breakouts)."""

    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(sa_column=Column(String(32), primary_key=True))
    clinic: str = Field(max_length=120)


async def rounds_of_meeting(session: AsyncSession, *, meeting_id: int) -> Sequence[BreakoutRound]:
    """The meeting's breakout rounds, oldest first."""
    result = await session.exec(
        select(BreakoutRound)
        .where(BreakoutRound.meeting_id == meeting_id)
        .order_by(col(BreakoutRound.created_at), col(BreakoutRound.id))
    )
    return result.all()


async def subclusters(session: AsyncSession, *, cluster_id: int) -> Sequence[Subcluster]:
    result = await session.exec(
        select(Subcluster).where(Subcluster.cluster_id == cluster_id).order_by(col(Subcluster.name))
    )
    return result.all()


async def subcluster_member_ids(session: AsyncSession, *, subcluster_id: int) -> list[str]:
    result = await session.exec(
        select(SubclusterMember.user_id)
        .where(SubclusterMember.subcluster_id == subcluster_id)
        .order_by(col(SubclusterMember.user_id))
    )
    return list(result.all())


async def subcluster_of(session: AsyncSession, *, cluster_id: int, user_id: str) -> int | None:
    """The id of the sub-cluster ``user_id`` belongs to, if any."""
    membership = await session.get(SubclusterMember, (cluster_id, user_id))
    return membership.subcluster_id if membership else None


# --- breakout rounds ----------------------------------------------------------------------------


async def cluster_history(session: AsyncSession, *, cluster_id: int) -> list[list[list[str]]]:
    """Every past round of the cluster, oldest first, each a list of groups of user ids."""
    result = await session.exec(
        select(BreakoutSeat.round_id, BreakoutSeat.group_number, BreakoutSeat.user_id)
        .join(BreakoutRound, col(BreakoutRound.id) == col(BreakoutSeat.round_id))
        .where(BreakoutRound.cluster_id == cluster_id)
        .order_by(
            col(BreakoutRound.created_at),
            col(BreakoutRound.id),
            col(BreakoutSeat.group_number),
            col(BreakoutSeat.user_id),
        )
    )
    rounds: dict[int, dict[int, list[str]]] = {}
    for round_id, group_number, user_id in result.all():
        rounds.setdefault(round_id, {}).setdefault(group_number, []).append(user_id)
    return [list(groups.values()) for groups in rounds.values()]


async def convener_counts(session: AsyncSession, *, cluster_id: int) -> dict[str, int]:
    """How often each member has convened a group in the cluster's rounds."""
    result = await session.exec(
        select(BreakoutSeat.user_id, func.count())
        .join(BreakoutRound, col(BreakoutRound.id) == col(BreakoutSeat.round_id))
        .where(BreakoutRound.cluster_id == cluster_id, col(BreakoutSeat.convener).is_(True))
        .group_by(col(BreakoutSeat.user_id))
    )
    return {user_id: int(count) for user_id, count in result.all()}


async def add_round(
    session: AsyncSession,
    *,
    cluster_id: int,
    meeting_id: int | None,
    group_size: int,
    created_by: str,
    created_at: datetime,
    message_ts: str | None,
    groups: Sequence[Sequence[str]],
) -> BreakoutRound:
    """Store a round: group ``i`` (1-based) of ``groups``; each group's first member convenes."""
    breakout = BreakoutRound(
        cluster_id=cluster_id,
        meeting_id=meeting_id,
        group_size=group_size,
        created_by=created_by,
        created_at=created_at,
        message_ts=message_ts,
    )
    session.add(breakout)
    await session.flush()
    assert breakout.id is not None
    session.add_all(
        BreakoutSeat(
            round_id=breakout.id, user_id=user_id, group_number=number, convener=position == 0
        )
        for number, group in enumerate(groups, start=1)
        for position, user_id in enumerate(group)
    )
    await session.flush()
    return breakout


async def set_clinic(session: AsyncSession, *, cluster_id: int, user_id: str, clinic: str) -> None:
    """Set (or change) a member's clinic in one atomic statement."""
    statement = _insert(session, MemberClinic).values(
        cluster_id=cluster_id, user_id=user_id, clinic=clinic
    )
    statement = statement.on_conflict_do_update(
        index_elements=["cluster_id", "user_id"], set_={"clinic": clinic}
    )
    await session.exec(statement)


async def clear_clinic(session: AsyncSession, *, cluster_id: int, user_id: str) -> bool:
    result = await session.exec(
        delete(MemberClinic).where(
            col(MemberClinic.cluster_id) == cluster_id, col(MemberClinic.user_id) == user_id
        )
    )
    return bool(result.rowcount)


async def clinic_of(session: AsyncSession, *, cluster_id: int, user_id: str) -> str | None:
    found = await session.get(MemberClinic, (cluster_id, user_id))
    return found.clinic if found else None


async def clinics(session: AsyncSession, *, cluster_id: int) -> dict[str, str]:
    """user id -> clinic name, for every member of the cluster who gave one."""
    result = await session.exec(
        select(MemberClinic.user_id, MemberClinic.clinic).where(
            MemberClinic.cluster_id == cluster_id
        )
    )
    return dict(result.all())


# --- sub-clusters -------------------------------------------------------------------------------


async def add_subcluster(session: AsyncSession, *, cluster_id: int, name: str) -> Subcluster:
    """A new sub-cluster (IntegrityError if the cluster already has one of that name)."""
    subcluster = Subcluster(cluster_id=cluster_id, name=name)
    session.add(subcluster)
    await session.flush()
    return subcluster


async def put_in_subcluster(
    session: AsyncSession, *, cluster_id: int, subcluster_id: int, user_id: str
) -> int | None:
    """Make ``user_id`` a member of the sub-cluster; returns the sub-cluster they left, if any.

    One atomic upsert on the (cluster, user) key: a member is never in two sub-clusters.
    """
    before = await subcluster_of(session, cluster_id=cluster_id, user_id=user_id)
    statement = _insert(session, SubclusterMember).values(
        cluster_id=cluster_id, user_id=user_id, subcluster_id=subcluster_id
    )
    statement = statement.on_conflict_do_update(
        index_elements=["cluster_id", "user_id"], set_={"subcluster_id": subcluster_id}
    )
    await session.exec(statement)
    return before if before != subcluster_id else None


async def take_from_subcluster(
    session: AsyncSession, *, cluster_id: int, subcluster_id: int, user_id: str
) -> bool:
    """Remove ``user_id`` from the sub-cluster; False if they were not in it."""
    result = await session.exec(
        delete(SubclusterMember).where(
            col(SubclusterMember.cluster_id) == cluster_id,
            col(SubclusterMember.user_id) == user_id,
            col(SubclusterMember.subcluster_id) == subcluster_id,
        )
    )
    return bool(result.rowcount)


async def delete_subcluster(session: AsyncSession, *, subcluster_id: int) -> None:
    await session.exec(
        delete(SubclusterMember).where(col(SubclusterMember.subcluster_id) == subcluster_id)
    )
    await session.exec(delete(Subcluster).where(col(Subcluster.id) == subcluster_id))


async def subcluster_members(session: AsyncSession, *, cluster_id: int) -> dict[int, list[str]]:
    """sub-cluster id -> its member ids (sorted), for every sub-cluster with members."""
    result = await session.exec(
        select(SubclusterMember.subcluster_id, SubclusterMember.user_id)
        .where(SubclusterMember.cluster_id == cluster_id)
        .order_by(col(SubclusterMember.user_id))
    )
    found: dict[int, list[str]] = {}
    for subcluster_id, user_id in result.all():
        found.setdefault(subcluster_id, []).append(user_id)
    return found
