"""Erasing one member's personal data in one cluster (GDPR erasure; docs/privacy.md).

``erase_member`` deletes, in the caller's transaction, what the cluster keeps about the person:
RSVPs, check-ins, everything they wrote (take-home messages, decisions, staff instructions,
check-in questions), their votes in polls that show names, their breakout seats, sub-cluster,
clinic and rotation entries (skips, absences, swaps, pins), their membership, and their
facilitator and note-taker turns (past ones anonymised, upcoming ones released for the rotation
to hand on). What others made that merely names them as its maker (a meeting, a poll, an option
they added, a breakout round, the default agenda, a skip) keeps its content with the maker left
blank. Anonymous ballots are keyed by a one-way hash and cannot be found: they stay.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, update
from sqlalchemy.sql import Select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.breakouts import BreakoutRound, BreakoutSeat, MemberClinic, SubclusterMember
from storage.clusters import Cluster, Coordinator, Member
from storage.facilitators import (
    RotationAway,
    RotationMember,
    RotationPin,
    RotationSkip,
    RotationTurn,
    SwapRequest,
)
from storage.home import HomeViewer
from storage.meetings import PLANNED, CheckIn, Meeting, Rsvp
from storage.people import UserKind
from storage.polls import Poll, PollOption
from storage.shape import CheckinQuestion, ClusterAgenda
from storage.takeaways import Takeaway
from storage.votes import PollBallot, PollClick, PollVote

# What a blanked maker column holds: nobody (these columns are NOT NULL).
NOBODY = ""


@dataclass(frozen=True)
class ReleasedTurns:
    """Upcoming meetings (by id) whose facilitator or note-taker turn was freed because its
    holder left the channel or was erased: the rotation hands them on without naming anyone."""

    facilitator: frozenset[int] = frozenset()
    note_taker: frozenset[int] = frozenset()

    def __len__(self) -> int:
        return len(self.facilitator) + len(self.note_taker)

    @property
    def meetings(self) -> frozenset[int]:
        return self.facilitator | self.note_taker


@dataclass
class Erased:
    """What ``erase_member`` removed, counted for the person's reply."""

    rsvps: int = 0
    check_ins: int = 0
    texts: int = 0
    votes: int = 0
    seats: int = 0
    released: ReleasedTurns = field(default_factory=ReleasedTurns)
    turns_anonymised: int = 0
    made: int = 0  # things they made for the cluster, kept with the maker left blank
    other: int = 0  # membership, sub-cluster, clinic, rotation entries, questions, settings
    coordinator_kept: bool = False

    @property
    def duties_released(self) -> int:
        return len(self.released)

    @property
    def total(self) -> int:
        return (
            self.rsvps
            + self.check_ins
            + self.texts
            + self.votes
            + self.seats
            + self.duties_released
            + self.turns_anonymised
            + self.made
            + self.other
        )


async def _run(session: AsyncSession, statement: Any) -> int:
    result = await session.exec(statement)
    return int(result.rowcount or 0)


def _meetings_of(cluster_id: int) -> Select[Any]:
    return select(Meeting.id).where(Meeting.cluster_id == cluster_id)


async def erase_member(
    session: AsyncSession,
    *,
    cluster_id: int,
    user_id: str,
    now: datetime,
    remove_coordinator: bool = False,
) -> Erased:
    """Erase ``user_id``'s personal data in the cluster (one transaction: the caller's).

    The coordinator role is a role, not a record: it goes only with ``remove_coordinator`` (the
    member left), and never from the last coordinator."""
    erased = Erased()
    meetings = _meetings_of(cluster_id)
    erased.rsvps = await _run(
        session,
        delete(Rsvp).where(col(Rsvp.meeting_id).in_(meetings), col(Rsvp.user_id) == user_id),
    )
    erased.check_ins = await _run(
        session,
        delete(CheckIn).where(
            col(CheckIn.meeting_id).in_(meetings), col(CheckIn.user_id) == user_id
        ),
    )
    erased.texts = await _run(
        session,
        delete(Takeaway).where(
            col(Takeaway.cluster_id) == cluster_id, col(Takeaway.author_id) == user_id
        ),
    )
    erased.votes = await _erase_named_votes(session, cluster_id=cluster_id, user_id=user_id)
    rounds = select(BreakoutRound.id).where(BreakoutRound.cluster_id == cluster_id)
    erased.seats = await _run(
        session,
        delete(BreakoutSeat).where(
            col(BreakoutSeat.round_id).in_(rounds), col(BreakoutSeat.user_id) == user_id
        ),
    )
    await _erase_turns(session, erased, cluster_id=cluster_id, user_id=user_id, now=now)
    erased.other += await _erase_rotation(session, cluster_id=cluster_id, user_id=user_id)
    erased.other += await _erase_own_rows(session, cluster_id=cluster_id, user_id=user_id)
    erased.made = await _blank_maker(session, cluster_id=cluster_id, user_id=user_id)
    if remove_coordinator:
        others = await session.exec(
            select(Coordinator.user_id).where(
                Coordinator.cluster_id == cluster_id, Coordinator.user_id != user_id
            )
        )
        if others.first() is not None:
            erased.other += await _run(
                session,
                delete(Coordinator).where(
                    col(Coordinator.cluster_id) == cluster_id, col(Coordinator.user_id) == user_id
                ),
            )
    erased.coordinator_kept = await session.get(Coordinator, (cluster_id, user_id)) is not None
    await _forget_person_if_unknown(session, cluster_id=cluster_id, user_id=user_id)
    return erased


async def _erase_named_votes(session: AsyncSession, *, cluster_id: int, user_id: str) -> int:
    """The person's ballots, votes and clicks in the cluster's polls that show names (in
    anonymous ones the voter is a keyed hash, never ``user_id``); the number of polls."""
    named = select(Poll.id).where(Poll.cluster_id == cluster_id, col(Poll.anonymous).is_(False))
    polls = set(
        (
            await session.exec(
                select(PollBallot.poll_id).where(
                    col(PollBallot.poll_id).in_(named), PollBallot.voter == user_id
                )
            )
        ).all()
    )
    for table in (PollVote, PollClick, PollBallot):
        voted = await session.exec(
            select(table.poll_id).where(col(table.poll_id).in_(named), table.voter == user_id)
        )
        polls.update(voted.all())
        await session.exec(
            delete(table).where(col(table.poll_id).in_(named), col(table.voter) == user_id)
        )
    return len(polls)


async def count_held(
    session: AsyncSession, *, cluster_id: int, user_id: str, now: datetime
) -> Erased:
    """What ``erase_member`` would remove, counted, and nothing removed (a savepoint rolled
    back): the erasure itself decides what counts, so the two cannot drift apart."""
    savepoint = await session.begin_nested()
    try:
        return await erase_member(session, cluster_id=cluster_id, user_id=user_id, now=now)
    finally:
        await savepoint.rollback()


async def upcoming_turns(
    session: AsyncSession, *, cluster_id: int, user_ids: Collection[str], now: datetime
) -> ReleasedTurns:
    """The upcoming meetings at which any of ``user_ids`` facilitates or takes notes."""
    upcoming = (
        (col(Meeting.cluster_id) == cluster_id)
        & (col(Meeting.status) == PLANNED)
        & (col(Meeting.starts_at) > now)
    )
    held = await session.exec(
        select(Meeting.id, Meeting.facilitator_id, Meeting.note_taker_id).where(
            upcoming,
            or_(
                col(Meeting.facilitator_id).in_(list(user_ids)),
                col(Meeting.note_taker_id).in_(list(user_ids)),
            ),
        )
    )
    rows = held.all()
    return ReleasedTurns(
        facilitator=frozenset(m for m, facilitator, _ in rows if m and facilitator in user_ids),
        note_taker=frozenset(m for m, _, note_taker in rows if m and note_taker in user_ids),
    )


async def _erase_turns(
    session: AsyncSession, erased: Erased, *, cluster_id: int, user_id: str, now: datetime
) -> None:
    """Release upcoming turns (the rotation hands them on) and anonymise past ones."""
    erased.released = await upcoming_turns(
        session, cluster_id=cluster_id, user_ids=[user_id], now=now
    )
    for name in ("facilitator_id", "note_taker_id"):
        mine = (col(Meeting.cluster_id) == cluster_id) & (getattr(Meeting, name) == user_id)
        # Past (or cancelled) ones are anonymised; upcoming ones go, counted as released.
        erased.turns_anonymised += await _run(
            session, update(Meeting).where(mine).values({name: None})
        )
    erased.turns_anonymised -= erased.duties_released


async def _erase_rotation(session: AsyncSession, *, cluster_id: int, user_id: str) -> int:
    """The person's place in the rotation, skips, absences, turns kept by hand, swaps, pins."""
    count = 0
    for table in (RotationMember, RotationTurn, RotationSkip):
        count += await _run(
            session,
            delete(table).where(col(table.cluster_id) == cluster_id, col(table.key) == user_id),
        )
    count += await _run(
        session,
        delete(RotationAway).where(
            col(RotationAway.cluster_id) == cluster_id, col(RotationAway.user_id) == user_id
        ),
    )
    count += await _run(
        session,
        delete(RotationPin).where(
            col(RotationPin.meeting_id).in_(_meetings_of(cluster_id)),
            col(RotationPin.key) == user_id,
        ),
    )
    count += await _run(
        session,
        delete(SwapRequest).where(
            col(SwapRequest.cluster_id) == cluster_id,
            or_(
                col(SwapRequest.from_key) == user_id,
                col(SwapRequest.to_key) == user_id,
                col(SwapRequest.requested_by) == user_id,
                col(SwapRequest.confirmer) == user_id,
            ),
        ),
    )
    return count


async def _erase_own_rows(session: AsyncSession, *, cluster_id: int, user_id: str) -> int:
    """Membership, sub-cluster, clinic and the check-in questions the person added."""
    count = 0
    for table in (Member, SubclusterMember, MemberClinic):
        count += await _run(
            session,
            delete(table).where(col(table.cluster_id) == cluster_id, col(table.user_id) == user_id),
        )
    count += await _run(
        session,
        delete(CheckinQuestion).where(
            col(CheckinQuestion.cluster_id) == cluster_id, col(CheckinQuestion.added_by) == user_id
        ),
    )
    return count


async def _blank_maker(session: AsyncSession, *, cluster_id: int, user_id: str) -> int:
    """Things the cluster keeps that the person made for it: kept, their maker left blank;
    returns how many."""
    polls = select(Poll.id).where(Poll.cluster_id == cluster_id)
    made: list[tuple[Any, Any, Any, str | None]] = [
        (Meeting, Meeting.created_by, col(Meeting.cluster_id) == cluster_id, NOBODY),
        (Poll, Poll.created_by, col(Poll.cluster_id) == cluster_id, NOBODY),
        (PollOption, PollOption.added_by, col(PollOption.poll_id).in_(polls), None),
        (
            BreakoutRound,
            BreakoutRound.created_by,
            col(BreakoutRound.cluster_id) == cluster_id,
            NOBODY,
        ),
        (RotationSkip, RotationSkip.created_by, col(RotationSkip.cluster_id) == cluster_id, NOBODY),
        (ClusterAgenda, ClusterAgenda.set_by, col(ClusterAgenda.cluster_id) == cluster_id, NOBODY),
    ]
    count = 0
    for table, maker, in_cluster, blank in made:
        count += await _run(
            session,
            update(table).where(in_cluster, col(maker) == user_id).values({maker: blank}),
        )
    return count


async def _forget_person_if_unknown(
    session: AsyncSession, *, cluster_id: int, user_id: str
) -> None:
    """Whether the account is a person, and when they last opened the Home tab, are kept only
    for members: forgotten when the person is in no other cluster the bot serves."""
    elsewhere = await session.exec(
        select(Member.cluster_id).where(Member.user_id == user_id, Member.cluster_id != cluster_id)
    )
    if elsewhere.first() is not None:
        return
    await session.exec(delete(UserKind).where(col(UserKind.user_id) == user_id))
    team = (await session.exec(select(Cluster.team_id).where(Cluster.id == cluster_id))).first()
    if team is not None:
        await session.exec(
            delete(HomeViewer).where(
                col(HomeViewer.team_id) == team, col(HomeViewer.user_id) == user_id
            )
        )
