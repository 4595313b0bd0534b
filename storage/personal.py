"""Everything stored about one person in one workspace, for ``/klynge my data`` (GDPR access).

Read only. Votes in polls that show names are included (question, choice, when); anonymous
votes are kept under a one-way key and cannot be found by person at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.breakouts import (
    BreakoutRound,
    BreakoutSeat,
    MemberClinic,
    Subcluster,
    SubclusterMember,
)
from storage.clusters import Cluster, Coordinator, Member
from storage.home import HomeViewer
from storage.meetings import CheckIn, Meeting, Rsvp
from storage.people import UserKind
from storage.polls import Poll, PollOption
from storage.shape import CheckinQuestion
from storage.takeaways import Takeaway
from storage.votes import PollBallot, PollVote


@dataclass(frozen=True)
class MeetingPart:
    """A meeting and what the person did or was at it."""

    title: str
    starts_at: datetime
    what: str  # "coming", "not coming", "checked in", "facilitator", "note-taker"


@dataclass(frozen=True)
class NamedVote:
    """One choice the person made in a poll that shows names (``rank`` 1 but in ranked polls)."""

    question: str
    choice: str
    rank: int
    voted_at: datetime


@dataclass
class ClusterRecord:
    """What one cluster keeps about the person."""

    cluster: Cluster
    member_since: datetime | None = None
    coordinator_since: datetime | None = None
    clinic: str | None = None
    subcluster: str | None = None
    meetings: list[MeetingPart] = field(default_factory=list)
    breakout_seats: int = 0
    convened: int = 0
    texts: list[Takeaway] = field(default_factory=list)
    # The check-in questions the person added to the cluster's own (``/klynge checkin add``).
    checkin_questions: list[CheckinQuestion] = field(default_factory=list)
    votes: list[NamedVote] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.member_since
            or self.coordinator_since
            or self.clinic
            or self.subcluster
            or self.meetings
            or self.breakout_seats
            or self.texts
            or self.checkin_questions
            or self.votes
        )


@dataclass
class PersonalRecord:
    """Everything about ``user_id`` in the workspace, cluster by cluster."""

    user_id: str
    clusters: list[ClusterRecord]
    is_person: bool | None = None
    home_opened_at: datetime | None = None


async def personal_record(session: AsyncSession, *, team_id: str, user_id: str) -> PersonalRecord:
    """What the database holds about ``user_id`` in the workspace ``team_id``."""
    clusters = (
        await session.exec(
            select(Cluster).where(Cluster.team_id == team_id).order_by(col(Cluster.id))
        )
    ).all()
    records = [await _cluster_record(session, cluster, user_id) for cluster in clusters]
    kind = await session.get(UserKind, user_id)
    viewer = await session.get(HomeViewer, (team_id, user_id))
    return PersonalRecord(
        user_id=user_id,
        clusters=[record for record in records if not record.empty],
        is_person=kind.is_person if kind else None,
        home_opened_at=viewer.opened_at if viewer else None,
    )


async def _cluster_record(session: AsyncSession, cluster: Cluster, user_id: str) -> ClusterRecord:
    assert cluster.id is not None
    record = ClusterRecord(cluster=cluster)
    member = await session.get(Member, (cluster.id, user_id))
    record.member_since = member.joined_at if member else None
    coordinator = await session.get(Coordinator, (cluster.id, user_id))
    record.coordinator_since = coordinator.added_at if coordinator else None
    clinic = await session.get(MemberClinic, (cluster.id, user_id))
    record.clinic = clinic.clinic if clinic else None
    membership = await session.get(SubclusterMember, (cluster.id, user_id))
    if membership is not None:
        group = await session.get(Subcluster, membership.subcluster_id)
        record.subcluster = group.name if group else None
    record.meetings = await _meeting_parts(session, cluster.id, user_id)
    seats = (
        await session.exec(
            select(BreakoutSeat.convener)
            .join(BreakoutRound, col(BreakoutRound.id) == col(BreakoutSeat.round_id))
            .where(BreakoutRound.cluster_id == cluster.id, BreakoutSeat.user_id == user_id)
        )
    ).all()
    record.breakout_seats = len(seats)
    record.convened = sum(1 for convener in seats if convener)
    record.texts = list(
        (
            await session.exec(
                select(Takeaway)
                .where(Takeaway.cluster_id == cluster.id, Takeaway.author_id == user_id)
                .order_by(col(Takeaway.created_at), col(Takeaway.id))
            )
        ).all()
    )
    record.checkin_questions = list(
        (
            await session.exec(
                select(CheckinQuestion)
                .where(
                    CheckinQuestion.cluster_id == cluster.id, CheckinQuestion.added_by == user_id
                )
                .order_by(col(CheckinQuestion.id))
            )
        ).all()
    )
    record.votes = await _named_votes(session, cluster.id, user_id)
    return record


async def _named_votes(session: AsyncSession, cluster_id: int, user_id: str) -> list[NamedVote]:
    """The person's votes in the cluster's polls that show names, oldest poll first."""
    rows = await session.exec(
        select(Poll.question, PollOption.text, PollVote.rank, PollBallot.voted_at)
        .join(PollVote, col(PollVote.poll_id) == col(Poll.id))
        .join(PollOption, col(PollOption.id) == col(PollVote.option_id))
        .join(
            PollBallot,
            and_(
                col(PollBallot.poll_id) == col(PollVote.poll_id),
                col(PollBallot.voter) == col(PollVote.voter),
            ),
        )
        .where(
            Poll.cluster_id == cluster_id,
            col(Poll.anonymous).is_(False),
            PollVote.voter == user_id,
        )
        .order_by(col(Poll.id), col(PollVote.rank), col(PollOption.position))
    )
    return [NamedVote(*row) for row in rows.all()]


async def _meeting_parts(session: AsyncSession, cluster_id: int, user_id: str) -> list[MeetingPart]:
    parts: list[MeetingPart] = []
    answers = await session.exec(
        select(Meeting, Rsvp.attending)
        .join(Rsvp, col(Rsvp.meeting_id) == col(Meeting.id))
        .where(Meeting.cluster_id == cluster_id, Rsvp.user_id == user_id)
    )
    for meeting, attending in answers.all():
        parts.append(
            MeetingPart(meeting.title, meeting.starts_at, "coming" if attending else "not coming")
        )
    check_ins = await session.exec(
        select(Meeting)
        .join(CheckIn, col(CheckIn.meeting_id) == col(Meeting.id))
        .where(Meeting.cluster_id == cluster_id, CheckIn.user_id == user_id)
    )
    parts.extend(MeetingPart(m.title, m.starts_at, "checked in") for m in check_ins.all())
    turns = await session.exec(
        select(Meeting).where(
            Meeting.cluster_id == cluster_id,
            or_(col(Meeting.facilitator_id) == user_id, col(Meeting.note_taker_id) == user_id),
        )
    )
    for meeting in turns.all():
        role = "facilitator" if meeting.facilitator_id == user_id else "note-taker"
        parts.append(MeetingPart(meeting.title, meeting.starts_at, role))
    return sorted(parts, key=lambda part: (part.starts_at, part.what))
