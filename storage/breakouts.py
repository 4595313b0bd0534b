"""Breakout rounds (who sat in which group), sub-clusters (babyklynger) and members' clinics.

The tables are shared: breakouts write rounds, the rotation reads sub-clusters, polls scope
votes to sub-clusters, take-home summaries group by breakout group. ``handlers/breakouts.py``
owns the commands that change them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlmodel import Column, Field, SQLModel, String, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.types import UTCDateTime, utcnow


class BreakoutRound(SQLModel, table=True):
    """One split of the participants into groups, usually during a meeting."""

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


async def group_in_round(session: AsyncSession, *, round_id: int, user_id: str) -> int | None:
    seat = await session.get(BreakoutSeat, (round_id, user_id))
    return seat.group_number if seat else None


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
