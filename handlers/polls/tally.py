"""Counting poll votes: plurality (single and multiple choice), instant-runoff, by sub-cluster.

Pure functions over option ids and ballots, no Slack and no database. A ballot is the sequence
of option ids one voter chose (for ranked polls in order of preference). Ties are reported as
ties, never broken by chance.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Generic, TypeVar

Ballot = Sequence[int]
Group = TypeVar("Group", bound=Hashable)


@dataclass(frozen=True)
class Result:
    """The counts per option (in the poll's option order) and the option(s) in the lead."""

    counts: dict[int, Fraction]
    winners: tuple[int, ...]
    ballots: int

    @property
    def is_tie(self) -> bool:
        return len(self.winners) > 1


@dataclass(frozen=True)
class Round:
    """One instant-runoff round: counts of the options still in, and who went out after it."""

    counts: dict[int, int]
    eliminated: tuple[int, ...]
    exhausted: int


@dataclass(frozen=True)
class RunoffResult(Result):
    """An instant-runoff result with its rounds; ``out_in_round`` is 1-based."""

    rounds: tuple[Round, ...] = ()
    out_in_round: dict[int, int] = field(default_factory=dict)


def _leaders(counts: Mapping[int, Fraction | int]) -> tuple[int, ...]:
    top = max(counts.values(), default=0)
    if top <= 0:
        return ()
    return tuple(option for option, count in counts.items() if count == top)


def plurality(options: Sequence[int], ballots: Sequence[Ballot]) -> Result:
    """One vote per chosen option (single choice, or approval-style multiple choice)."""
    counts = {option: Fraction(0) for option in options}
    used = 0
    for ballot in ballots:
        chosen = {option for option in ballot if option in counts}
        if chosen:
            used += 1
        for option in chosen:
            counts[option] += 1
    return Result(counts=counts, winners=_leaders(counts), ballots=used)


def instant_runoff(options: Sequence[int], ballots: Sequence[Ballot]) -> RunoffResult:
    """Instant-runoff: drop the weakest option each round until one has a majority.

    A majority is more than half of the ballots that still rank an option in the race. Options
    tied for last place all go out together, unless that would leave none: then the remaining
    options are a tie. A round in which all remaining options are level is a tie as well.
    """
    cleaned = [_dedupe([o for o in ballot if o in options]) for ballot in ballots]
    cleaned = [ballot for ballot in cleaned if ballot]
    remaining = list(options)
    rounds: list[Round] = []
    out_in_round: dict[int, int] = {}
    last_counts: dict[int, int] = dict.fromkeys(options, 0)
    winners: tuple[int, ...] = ()
    while remaining and cleaned:
        counts = dict.fromkeys(remaining, 0)
        exhausted = 0
        for ballot in cleaned:
            top = next((option for option in ballot if option in counts), None)
            if top is None:
                exhausted += 1
            else:
                counts[top] += 1
        for option, count in counts.items():
            last_counts[option] = count
        active = len(cleaned) - exhausted
        leader = max(counts.values())
        if leader * 2 > active or len(remaining) == 1:
            rounds.append(Round(counts, (), exhausted))
            winners = tuple(option for option, count in counts.items() if count == leader)
            break
        lowest = min(counts.values())
        weakest = tuple(option for option, count in counts.items() if count == lowest)
        if len(weakest) == len(remaining):
            rounds.append(Round(counts, (), exhausted))
            winners = weakest
            break
        rounds.append(Round(counts, weakest, exhausted))
        for option in weakest:
            out_in_round[option] = len(rounds)
        remaining = [option for option in remaining if option not in weakest]
    final = {option: Fraction(last_counts[option]) for option in options}
    return RunoffResult(
        counts=final,
        winners=winners,
        ballots=len(cleaned),
        rounds=tuple(rounds),
        out_in_round=out_in_round,
    )


def _dedupe(ballot: Sequence[int]) -> list[int]:
    return list(dict.fromkeys(ballot))


def tally(options: Sequence[int], ballots: Sequence[Ballot], *, ranked: bool) -> Result:
    """The poll's result by its method."""
    return instant_runoff(options, ballots) if ranked else plurality(options, ballots)


@dataclass(frozen=True)
class GroupedResult(Generic[Group]):
    """Each group's own result, and the overall one in which every group has one vote."""

    groups: dict[Group, Result]
    overall: Result


def by_group(
    options: Sequence[int], ballots: Mapping[Group, Sequence[Ballot]], *, ranked: bool
) -> GroupedResult[Group]:
    """Count each group (sub-cluster) separately; each group then casts one vote overall.

    A group whose own result is a tie splits its vote equally among the tied options; a group
    without votes casts none.
    """
    groups = {group: tally(options, votes, ranked=ranked) for group, votes in ballots.items()}
    counts = {option: Fraction(0) for option in options}
    voting_groups = 0
    for result in groups.values():
        if not result.winners:
            continue
        voting_groups += 1
        share = Fraction(1, len(result.winners))
        for option in result.winners:
            counts[option] += share
    overall = Result(counts=counts, winners=_leaders(counts), ballots=voting_groups)
    return GroupedResult(groups=groups, overall=overall)


def format_count(count: Fraction | int) -> str:
    """``3``, or ``1.5`` for a split vote (at most two decimals)."""
    value = Fraction(count)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.2f}".rstrip("0").rstrip(".")
