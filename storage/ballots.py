"""Deriving each voter's votes from their clicks, in the order Slack says they happened.

A voter's clicks are folded in ``action_ts`` order (``fold``, pure) under the row lock of their
ballot, and the result written as vote rows. So the last click counts whatever order clicks
arrive in, on one replica or several, and a fold that runs twice (two replicas, a recovery job,
a close) writes the same rows. ``folded`` marks the clicks a fold has seen, so a recovery after a
crash finds the voters whose votes do not reflect their clicks yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import tuple_, update
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import dialect_insert
from storage.polls import Poll
from storage.votes import PollBallot, PollClick, PollVote, chunks

# --- the fold (pure) -----------------------------------------------------------------------------


class Outcome(Enum):
    VOTED = "voted"
    MOVED = "moved"
    WITHDRAWN = "withdrawn"
    TOO_MANY = "too_many"


@dataclass(frozen=True)
class Folded:
    """A voter's choices after all their clicks, and what each click did, in click order."""

    chosen: tuple[int, ...]
    outcomes: tuple[Outcome, ...]


def fold(clicks: Sequence[int], *, max_choices: int) -> Folded:
    """Apply clicks on options (in time order) to an empty ballot. A click withdraws a chosen
    option; else it chooses it, moving a single choice, or is refused beyond ``max_choices``."""
    chosen: list[int] = []
    outcomes: list[Outcome] = []
    for option in clicks:
        if option in chosen:
            chosen.remove(option)
            outcomes.append(Outcome.WITHDRAWN)
        elif max_choices == 1:
            outcomes.append(Outcome.MOVED if chosen else Outcome.VOTED)
            chosen = [option]
        elif len(chosen) >= max_choices:
            outcomes.append(Outcome.TOO_MANY)
        else:
            chosen.append(option)
            outcomes.append(Outcome.VOTED)
    return Folded(tuple(chosen), tuple(outcomes))


# --- deriving votes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A voter's choices after a fold, and what the newest click folded just now did."""

    chosen: tuple[int, ...]
    last: Outcome | None = None
    last_option: int | None = None


async def pending_voters(session: AsyncSession, *, poll_id: int) -> list[str]:
    """Voters with clicks their votes do not reflect yet."""
    found = await session.exec(
        select(PollClick.voter)
        .where(PollClick.poll_id == poll_id, col(PollClick.folded).is_(False))
        .distinct()
    )
    return list(found.all())


async def fold_pending(session: AsyncSession, *, poll: Poll, now: datetime) -> dict[str, Change]:
    """Derive the votes of everyone with clicks not reflected yet (closing, recovery)."""
    voters = await pending_voters(session, poll_id=poll.id or 0)
    return await fold_voters(session, poll=poll, voters=voters, now=now)


async def fold_voters(
    session: AsyncSession, *, poll: Poll, voters: Sequence[str], now: datetime
) -> dict[str, Change]:
    """Derive ``voters``' votes from all their clicks, a few statements per chunk of voters."""
    changes: dict[str, Change] = {}
    for chunk in chunks(sorted(set(voters))):
        changes.update(await _fold_chunk(session, poll, chunk, now))
    return changes


@dataclass(frozen=True)
class _Clicked:
    action_ts: str
    option_id: int
    folded: bool


@dataclass
class _Read:
    """What a fold reads for a chunk of voters: their clicks in order, the sub-cluster of each
    one's newest click (scoped polls), and the options they have now."""

    clicks: dict[str, list[_Clicked]]
    group_of: dict[str, int | None]
    have: dict[str, set[int]]


async def _lock_and_read(
    session: AsyncSession, poll: Poll, voters: Sequence[str], now: datetime
) -> _Read:
    poll_id = poll.id or 0
    # The ballot rows first, in a fixed order: their row locks serialise folds of one voter, so
    # the clicks read below include every click kept before this fold took the lock.
    ballots = dialect_insert(session, PollBallot)
    await session.exec(
        ballots.on_conflict_do_update(
            index_elements=["poll_id", "voter"], set_={"voter": ballots.excluded.voter}
        ),
        params=[
            {"poll_id": poll_id, "voter": v, "subcluster_id": None, "voted_at": now} for v in voters
        ],
    )
    mine = (col(PollClick.poll_id) == poll_id) & col(PollClick.voter).in_(voters)
    clicks = await session.exec(
        select(PollClick.voter, PollClick.action_ts, PollClick.option_id, PollClick.folded)
        .where(mine)
        .order_by(col(PollClick.voter), col(PollClick.action_ts), col(PollClick.option_id))
    )
    read = _Read({}, {}, {})
    for row in clicks.all():
        read.clicks.setdefault(row[0], []).append(_Clicked(*row[1:]))
    if poll.subcluster_id or poll.by_subcluster:
        newest = await session.exec(
            select(PollClick.voter, PollClick.subcluster_id)
            .where(mine)
            .order_by(col(PollClick.voter), col(PollClick.action_ts))
        )
        read.group_of = dict(newest.all())
    held = await session.exec(
        select(PollVote.voter, PollVote.option_id).where(
            PollVote.poll_id == poll_id, col(PollVote.voter).in_(voters)
        )
    )
    for voter, option_id in held.all():
        read.have.setdefault(voter, set()).add(option_id)
    return read


async def _fold_chunk(
    session: AsyncSession, poll: Poll, voters: Sequence[str], now: datetime
) -> dict[str, Change]:
    poll_id = poll.id or 0
    read = await _lock_and_read(session, poll, voters, now)
    changes: dict[str, Change] = {}
    gone: list[tuple[str, int]] = []
    added: list[dict[str, Any]] = []
    empty: list[str] = []
    groups: dict[int, list[str]] = {}
    seen: list[tuple[str, str, int]] = []
    for voter in voters:
        own = read.clicks.get(voter, [])
        folded = fold([click.option_id for click in own], max_choices=poll.max_choices)
        current = read.have.get(voter, set())
        gone.extend((voter, option) for option in current - set(folded.chosen))
        added.extend(
            {"poll_id": poll_id, "voter": voter, "option_id": option, "rank": 1}
            for option in folded.chosen
            if option not in current
        )
        if not folded.chosen:
            empty.append(voter)
        elif (group := read.group_of.get(voter)) is not None:
            groups.setdefault(group, []).append(voter)
        new = [index for index, click in enumerate(own) if not click.folded]
        seen.extend((voter, own[index].action_ts, own[index].option_id) for index in new)
        last = new[-1] if new else None
        changes[voter] = Change(
            folded.chosen,
            folded.outcomes[last] if last is not None else None,
            own[last].option_id if last is not None else None,
        )
    await _write(session, poll_id, gone=gone, added=added, empty=empty, groups=groups, seen=seen)
    return changes


async def _write(
    session: AsyncSession,
    poll_id: int,
    *,
    gone: list[tuple[str, int]],
    added: list[dict[str, Any]],
    empty: list[str],
    groups: dict[int, list[str]],
    seen: list[tuple[str, str, int]],
) -> None:
    """Bring the vote rows, ballots and click flags to what the fold derived."""
    if added:
        insert = dialect_insert(session, PollVote).on_conflict_do_nothing()
        await session.exec(insert, params=added)
    statements: list[Any] = []
    pair = tuple_(col(PollVote.voter), col(PollVote.option_id))
    statements += [
        delete(PollVote).where(col(PollVote.poll_id) == poll_id, pair.in_(chunk))
        for chunk in chunks(gone)
    ]
    statements += [
        update(PollBallot)
        .where(col(PollBallot.poll_id) == poll_id, col(PollBallot.voter).in_(members))
        .values(subcluster_id=group)
        for group, members in groups.items()
    ]
    if empty:
        statements.append(
            delete(PollBallot).where(
                col(PollBallot.poll_id) == poll_id, col(PollBallot.voter).in_(empty)
            )
        )
    key = tuple_(col(PollClick.voter), col(PollClick.action_ts), col(PollClick.option_id))
    statements += [
        update(PollClick)
        .where(col(PollClick.poll_id) == poll_id, key.in_(chunk))
        .values(folded=True)
        for chunk in chunks(seen)
    ]
    for statement in statements:
        # Plain statements: no objects of these tables are in the session to keep in step.
        await session.exec(statement, execution_options={"synchronize_session": False})
