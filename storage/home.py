"""Who has looked at the bot's Home tab, so it can be refreshed when what it shows changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.clusters import Cluster, Member
from storage.polls import OPEN, Poll
from storage.takeaways import Takeaway
from storage.types import UTCDateTime
from storage.votes import PollBallot


class HomeViewer(SQLModel, table=True):
    """The last time a person opened the Home tab (nothing else is kept)."""

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    opened_at: datetime = Field(sa_type=UTCDateTime)


async def record_opened(session: AsyncSession, *, team_id: str, user_id: str, at: datetime) -> None:
    viewer = await session.get(HomeViewer, (team_id, user_id))
    if viewer is None:
        viewer = HomeViewer(team_id=team_id, user_id=user_id, opened_at=at)
    viewer.opened_at = at
    session.add(viewer)


async def recent_viewers(session: AsyncSession, *, cluster: Cluster, since: datetime) -> list[str]:
    """Members of ``cluster`` who opened the Home tab after ``since``."""
    result = await session.exec(
        select(HomeViewer.user_id)
        .join(Member, col(Member.user_id) == col(HomeViewer.user_id))
        .where(
            Member.cluster_id == cluster.id,
            HomeViewer.team_id == cluster.team_id,
            HomeViewer.opened_at > since,
        )
        .order_by(col(HomeViewer.user_id))
    )
    return list(result.all())


async def clusters_of(session: AsyncSession, *, team_id: str, user_id: str) -> Sequence[Cluster]:
    """The clusters whose channel ``user_id`` is a member of."""
    result = await session.exec(
        select(Cluster)
        .join(Member, col(Member.cluster_id) == col(Cluster.id))
        .where(Cluster.team_id == team_id, Member.user_id == user_id)
        .order_by(col(Cluster.name))
    )
    return result.all()


# --- what the feature sections of the Home tab read ---------------------------------------------


async def open_polls(session: AsyncSession, *, cluster_id: int, limit: int) -> Sequence[Poll]:
    """The cluster's open polls that were posted, newest first."""
    result = await session.exec(
        select(Poll)
        .where(
            Poll.cluster_id == cluster_id, Poll.status == OPEN, col(Poll.message_ts).is_not(None)
        )
        .order_by(col(Poll.created_at).desc(), col(Poll.id).desc())
        .limit(limit)
    )
    return result.all()


async def voted_in(session: AsyncSession, *, ballots: dict[int, str]) -> set[int]:
    """Of ``ballots`` (poll id -> the member's voter key in it), the polls they voted in."""
    if not ballots:
        return set()
    result = await session.exec(
        select(PollBallot.poll_id).where(
            or_(
                *(
                    and_(col(PollBallot.poll_id) == poll_id, col(PollBallot.voter) == voter)
                    for poll_id, voter in ballots.items()
                )
            )
        )
    )
    return set(result.all())


async def takeaways_awaiting_answer(
    session: AsyncSession, *, cluster_id: int, author_id: str, limit: int
) -> Sequence[Takeaway]:
    """The author's take-homes they were asked about (follow-up sent) and have not answered."""
    result = await session.exec(
        select(Takeaway)
        .where(
            Takeaway.cluster_id == cluster_id,
            Takeaway.author_id == author_id,
            col(Takeaway.followup_sent_at).is_not(None),
            col(Takeaway.followup_answer).is_(None),
        )
        .order_by(col(Takeaway.created_at), col(Takeaway.id))
        .limit(limit)
    )
    return result.all()
