"""Clusters (one per Slack channel), their coordinators and their members."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint, delete
from sqlmodel import Column, Field, SQLModel, String, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.types import UTCDateTime, utcnow


class Cluster(SQLModel, table=True):
    """A quality cluster: one Slack channel in one workspace."""

    __table_args__ = (UniqueConstraint("team_id", "channel_id", name="uq_cluster_channel"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    channel_id: str = Field(max_length=32)
    name: str = Field(max_length=200)
    timezone: str = Field(default="Europe/Copenhagen", max_length=64)
    language: str = Field(default="en", max_length=8)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    members_synced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Default reminder offsets as "7d,1d,1h"; None means the product default, "" means none.
    reminder_defaults: str | None = Field(default=None, max_length=100)


class Coordinator(SQLModel, table=True):
    """A member of the cluster board, allowed to plan and run meetings."""

    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(sa_column=Column(String(32), primary_key=True))
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Member(SQLModel, table=True):
    """A human member of the cluster's channel (bots and deactivated users are never stored)."""

    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True)
    )
    user_id: str = Field(sa_column=Column(String(32), primary_key=True))
    joined_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


async def get_cluster(session: AsyncSession, *, team_id: str, channel_id: str) -> Cluster | None:
    """The cluster run in this channel, if it has been set up."""
    result = await session.exec(
        select(Cluster).where(Cluster.team_id == team_id, Cluster.channel_id == channel_id)
    )
    return result.first()


async def get_cluster_by_id(session: AsyncSession, cluster_id: int) -> Cluster | None:
    return await session.get(Cluster, cluster_id)


async def create_cluster(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    name: str,
    timezone: str,
    language: str,
    coordinator_id: str,
) -> Cluster:
    """Register the channel as a cluster with its first coordinator."""
    cluster = Cluster(
        team_id=team_id, channel_id=channel_id, name=name, timezone=timezone, language=language
    )
    session.add(cluster)
    await session.flush()
    assert cluster.id is not None
    session.add(Coordinator(cluster_id=cluster.id, user_id=coordinator_id))
    return cluster


async def coordinator_ids(session: AsyncSession, *, cluster_id: int) -> list[str]:
    """The cluster's coordinators in the order they were added."""
    result = await session.exec(
        select(Coordinator.user_id)
        .where(Coordinator.cluster_id == cluster_id)
        .order_by(col(Coordinator.added_at), col(Coordinator.user_id))
    )
    return list(result.all())


async def is_coordinator(session: AsyncSession, *, cluster_id: int, user_id: str) -> bool:
    return await session.get(Coordinator, (cluster_id, user_id)) is not None


async def add_coordinator(session: AsyncSession, *, cluster_id: int, user_id: str) -> bool:
    """Make ``user_id`` a coordinator; False when they already were."""
    if await is_coordinator(session, cluster_id=cluster_id, user_id=user_id):
        return False
    session.add(Coordinator(cluster_id=cluster_id, user_id=user_id))
    await session.flush()
    return True


async def remove_coordinator(session: AsyncSession, *, cluster_id: int, user_id: str) -> bool:
    """Remove a coordinator; False when they were not one."""
    coordinator = await session.get(Coordinator, (cluster_id, user_id))
    if coordinator is None:
        return False
    await session.delete(coordinator)
    await session.flush()
    return True


async def member_ids(session: AsyncSession, *, cluster_id: int) -> list[str]:
    """The channel's human members as last synchronised, in a stable order."""
    result = await session.exec(
        select(Member.user_id).where(Member.cluster_id == cluster_id).order_by(col(Member.user_id))
    )
    return list(result.all())


async def replace_members(
    session: AsyncSession, *, cluster: Cluster, user_ids: Iterable[str], synced_at: datetime
) -> tuple[set[str], set[str]]:
    """Make the stored member list exactly ``user_ids`` (keeping join dates of those who stay);
    returns who was dropped and who was added."""
    assert cluster.id is not None
    wanted = set(user_ids)
    current = set(await member_ids(session, cluster_id=cluster.id))
    gone = current - wanted
    if gone:
        await session.exec(
            delete(Member).where(
                col(Member.cluster_id) == cluster.id, col(Member.user_id).in_(gone)
            )
        )
    for user_id in sorted(wanted - current):
        session.add(Member(cluster_id=cluster.id, user_id=user_id))
    cluster.members_synced_at = synced_at
    session.add(cluster)
    await session.flush()
    return gone, wanted - current


async def add_member(session: AsyncSession, *, cluster_id: int, user_id: str) -> bool:
    if await session.get(Member, (cluster_id, user_id)) is not None:
        return False
    session.add(Member(cluster_id=cluster_id, user_id=user_id))
    await session.flush()
    return True


async def remove_member(session: AsyncSession, *, cluster_id: int, user_id: str) -> bool:
    member = await session.get(Member, (cluster_id, user_id))
    if member is None:
        return False
    await session.delete(member)
    await session.flush()
    return True
