"""Votes on topic polls: the click log, ballots and votes, and reading them.

Every click on a poll option is kept as Slack timed it (``PollClick``: poll, voter, the click's
``action_ts``, option) before the click is acknowledged (``record_clicks``); a click delivered
twice has the same primary key and is kept once. A voter's votes (``PollVote``) are derived from
all their clicks by ``storage.ballots``. Counts are ``COUNT(*)`` over vote rows, never stored.

In anonymous polls ``voter`` is an HMAC of (poll, user) keyed with the poll's own random salt
(``Poll.ballot_salt``), never the user id: in ballots, votes and clicks alike. While the poll is
open the salt lets the bot find a member's ballot (one ballot each, changing and withdrawing a
vote); when it closes, ``seal_ballots`` erases the salt and the click log, so from then on no
ballot can be linked to anyone, whatever secrets the deployment holds.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import ForeignKey, update
from sqlmodel import Column, Field, SQLModel, String, col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.breakouts import SubclusterMember
from storage.db import dialect_insert
from storage.polls import OPEN, RANKED, Poll, PollOption, hold_poll
from storage.types import UTCDateTime, utcnow

# Rows per statement: well under SQLite's and asyncpg's limits on bound parameters.
CHUNK = 300


class PollBallot(SQLModel, table=True):
    """That a voter has votes (for nudges and turnout) and the sub-cluster they voted in."""

    poll_id: int = Field(
        sa_column=Column(ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True)
    )
    voter: str = Field(sa_column=Column(String(64), primary_key=True))
    subcluster_id: int | None = None
    voted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PollVote(SQLModel, table=True):
    """One chosen option of one voter; ``rank`` is 1 except in ranked polls."""

    poll_id: int = Field(
        sa_column=Column(ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True)
    )
    voter: str = Field(sa_column=Column(String(64), primary_key=True))
    option_id: int = Field(
        sa_column=Column(ForeignKey("polloption.id", ondelete="CASCADE"), primary_key=True)
    )
    rank: int = 1


class PollClick(SQLModel, table=True):
    """One click on an option at Slack's ``action_ts`` (zero-padded, so text order is time
    order); ``folded`` once the voter's votes were derived with it."""

    poll_id: int = Field(
        sa_column=Column(ForeignKey("poll.id", ondelete="CASCADE"), primary_key=True)
    )
    voter: str = Field(sa_column=Column(String(64), primary_key=True))
    action_ts: str = Field(sa_column=Column(String(24), primary_key=True))
    option_id: int = Field(
        sa_column=Column(ForeignKey("polloption.id", ondelete="CASCADE"), primary_key=True)
    )
    subcluster_id: int | None = None
    folded: bool = False


def voter_key(poll: Poll, user_id: str) -> str | None:
    """What is stored for ``user_id``: the id itself, or in an anonymous poll an HMAC under the
    poll's salt. None once that salt is erased (the poll closed): nobody's key can be made."""
    if not poll.anonymous:
        return user_id
    if poll.ballot_salt is None:
        return None
    message = f"{poll.id}:{user_id}".encode()
    return hmac.new(poll.ballot_salt, message, hashlib.sha256).hexdigest()


async def seal_ballots(session: AsyncSession, *, poll: Poll, now: datetime) -> None:
    """At close, after the last clicks were folded: erase an anonymous poll's salt and click
    log, and give its ballots one time, so nothing left links a ballot to a person or a click."""
    if not poll.anonymous:
        return
    poll.ballot_salt = None
    session.add(poll)
    await session.flush()
    for statement in (
        delete(PollClick).where(col(PollClick.poll_id) == poll.id),
        update(PollBallot).where(col(PollBallot.poll_id) == poll.id).values(voted_at=now),
    ):
        await session.exec(statement, execution_options={"synchronize_session": False})


class Refusal(Enum):
    GONE = "gone"
    CLOSED = "closed"
    NOT_IN_SUBCLUSTER = "not_in_subcluster"
    NO_SUBCLUSTER = "no_subcluster"


def scope_refusal(poll: Poll, group: int | None) -> Refusal | None:
    """Why a member of sub-cluster ``group`` (None: of none) may not vote in ``poll``, if so."""
    if poll.subcluster_id and group != poll.subcluster_id:
        return Refusal.NOT_IN_SUBCLUSTER
    if poll.by_subcluster and group is None:
        return Refusal.NO_SUBCLUSTER
    return None


def chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


# --- keeping clicks ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Click:
    poll_id: int
    option_id: int
    user_id: str
    action_ts: str


@dataclass(frozen=True)
class Recorded:
    """A click's fate: kept (``refusal`` None) under ``voter``, or refused and why."""

    refusal: Refusal | None
    voter: str = ""
    anonymous: bool = False
    cluster_id: int = 0
    subcluster_id: int | None = None  # the poll's own sub-cluster (named in a refusal)


async def record_clicks(session: AsyncSession, *, clicks: Sequence[Click]) -> list[Recorded]:
    """Keep the clicks on open polls (a few statements however many clicks); one verdict each.

    The polls stay as they are until the transaction ends (``hold_poll``): a close waits for
    these clicks and then counts them. A click already kept (same poll, voter, time and option)
    is not kept twice.
    """
    polls: dict[int, Poll] = {}
    for poll_id in sorted({click.poll_id for click in clicks}):
        await hold_poll(session, poll_id=poll_id)
        if (poll := await session.get(Poll, poll_id, populate_existing=True)) is not None:
            polls[poll_id] = poll
    found = await session.exec(
        select(PollOption.id, PollOption.poll_id).where(
            col(PollOption.id).in_(sorted({click.option_id for click in clicks}))
        )
    )
    option_polls = dict(found.all())
    groups = await _groups(session, list(polls.values()), clicks)
    verdicts: list[Recorded] = []
    rows: dict[tuple[int, str, str, int], dict[str, Any]] = {}
    for click in clicks:
        poll = polls.get(click.poll_id)
        if poll is None or option_polls.get(click.option_id) != poll.id or poll.kind == RANKED:
            verdicts.append(Recorded(Refusal.GONE))
            continue
        group = groups.get((poll.cluster_id, click.user_id))
        refusal = Refusal.CLOSED if poll.status != OPEN else scope_refusal(poll, group)
        voter = voter_key(poll, click.user_id) if refusal is None else None
        if refusal is None and voter is None:  # sealed: no ballot can be found any more
            refusal = Refusal.CLOSED
        verdicts.append(
            Recorded(refusal, voter or "", poll.anonymous, poll.cluster_id, poll.subcluster_id)
        )
        if refusal is None and voter is not None:
            rows[(click.poll_id, voter, click.action_ts, click.option_id)] = {
                "poll_id": click.poll_id,
                "voter": voter,
                "action_ts": click.action_ts,
                "option_id": click.option_id,
                "subcluster_id": group if poll.subcluster_id or poll.by_subcluster else None,
                "folded": False,
            }
    if rows:  # one statement with many parameter sets: compiled once, not per batch
        insert = dialect_insert(session, PollClick).on_conflict_do_nothing()
        await session.exec(insert, params=list(rows.values()))
    return verdicts


async def _groups(
    session: AsyncSession, polls: list[Poll], clicks: Sequence[Click]
) -> dict[tuple[int, str], int]:
    """(cluster id, user id) -> sub-cluster, for the clickers of polls that care."""
    clusters = sorted(
        {poll.cluster_id for poll in polls if poll.subcluster_id or poll.by_subcluster}
    )
    if not clusters:
        return {}
    found = await session.exec(
        select(
            SubclusterMember.cluster_id, SubclusterMember.user_id, SubclusterMember.subcluster_id
        ).where(
            col(SubclusterMember.cluster_id).in_(clusters),
            col(SubclusterMember.user_id).in_(sorted({click.user_id for click in clicks})),
        )
    )
    return {(cluster, user): group for cluster, user, group in found.all()}


# --- reading votes and rankings ------------------------------------------------------------------


@dataclass(frozen=True)
class VoteRow:
    voter: str
    option_id: int
    rank: int
    subcluster_id: int | None


async def votes_of(session: AsyncSession, *, poll_id: int) -> list[VoteRow]:
    """Every vote with its ballot's sub-cluster, in the order ballots were cast."""
    result = await session.exec(
        select(PollVote.voter, PollVote.option_id, PollVote.rank, PollBallot.subcluster_id)
        .join(
            PollBallot,
            (col(PollBallot.poll_id) == col(PollVote.poll_id))
            & (col(PollBallot.voter) == col(PollVote.voter)),
        )
        .where(PollVote.poll_id == poll_id)
        .order_by(col(PollBallot.voted_at), col(PollVote.voter), col(PollVote.rank))
    )
    return [VoteRow(*row) for row in result.all()]


async def voters(session: AsyncSession, *, poll_id: int) -> set[str]:
    result = await session.exec(select(PollBallot.voter).where(PollBallot.poll_id == poll_id))
    return set(result.all())


async def choices_of(session: AsyncSession, *, poll_id: int, voter: str) -> list[int]:
    """The options ``voter`` chose, by rank."""
    result = await session.exec(
        select(PollVote.option_id)
        .where(PollVote.poll_id == poll_id, PollVote.voter == voter)
        .order_by(col(PollVote.rank))
    )
    return list(result.all())


async def replace_ranking(
    session: AsyncSession,
    *,
    poll_id: int,
    voter: str,
    ranking: Sequence[int],
    subcluster_id: int | None,
    now: datetime,
) -> bool:
    """Store ``voter``'s ranking in place of any earlier one; True if there was one before."""
    ballot = dialect_insert(session, PollBallot).values(
        poll_id=poll_id, voter=voter, subcluster_id=subcluster_id, voted_at=now
    )
    await session.exec(  # the row lock serialises one voter's submissions
        ballot.on_conflict_do_update(
            index_elements=["poll_id", "voter"], set_={"subcluster_id": subcluster_id}
        )
    )
    before = await session.exec(
        delete(PollVote).where(col(PollVote.poll_id) == poll_id, col(PollVote.voter) == voter)
    )
    for rank, option_id in enumerate(ranking, start=1):
        session.add(PollVote(poll_id=poll_id, voter=voter, option_id=option_id, rank=rank))
    await session.flush()
    if not ranking:
        await session.exec(
            delete(PollBallot).where(
                col(PollBallot.poll_id) == poll_id, col(PollBallot.voter) == voter
            )
        )
    return bool(before.rowcount)
