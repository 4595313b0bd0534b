"""Who facilitates (or takes notes) next: a fair rotation, as pure functions.

The rotation is a queue ordered by *how long each candidate has waited*: a candidate has waited
since their last turn, or since they joined the rotation if they never had one. The next turn
goes to whoever has waited longest; ties (the first round, when everyone joined together) are
broken by join order, then by key. Consequences worth knowing:

* Over 2N turns among N candidates with no exclusions, each serves exactly twice, in the same
  order both times (a served candidate goes to the back of the queue).
* Someone who joins later has waited only since joining, so they join at the end of the queue.
* A candidate left out of a turn (skipped, away) does not move: having waited longest, they get
  the first turn they can take afterwards ("they keep their place").
* A *pinned* turn (the result of a confirmed swap) goes to its holder, who is not given any
  earlier free turn; a pin whose holder is not available for that turn is ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Candidate:
    """Someone (a member or a sub-cluster) in the rotation; ``order`` is their join sequence."""

    key: str
    joined_at: datetime
    order: int


@dataclass(frozen=True)
class Slot:
    """A turn to fill (one meeting): when it is, who can't take it, who it is pinned to."""

    id: int
    at: datetime
    excluded: frozenset[str] = field(default_factory=frozenset)
    pinned: str | None = None


def waited_since(candidate: Candidate, last_turns: Mapping[str, datetime]) -> datetime:
    """The moment ``candidate`` started waiting: their last turn, or joining if later."""
    last = last_turns.get(candidate.key)
    return candidate.joined_at if last is None or last < candidate.joined_at else last


def _waiting(candidate: Candidate, last_turns: Mapping[str, datetime]) -> tuple[datetime, bool]:
    """The sort key of waiting: a turn taken at the very moment others joined ranks after them."""
    last = last_turns.get(candidate.key)
    if last is None or last < candidate.joined_at:
        return candidate.joined_at, False
    return last, True


def queue(candidates: Iterable[Candidate], last_turns: Mapping[str, datetime]) -> list[str]:
    """Every candidate's key, whoever has waited longest first."""
    ordered = sorted(candidates, key=lambda c: (_waiting(c, last_turns), c.order, c.key))
    return [candidate.key for candidate in ordered]


def plan(
    candidates: Sequence[Candidate],
    last_turns: Mapping[str, datetime],
    slots: Sequence[Slot],
) -> list[str | None]:
    """The holder of each slot (in the order given, which should be by time); None if nobody can.

    ``last_turns`` holds each candidate's last turn before the first slot.
    """
    by_key = {candidate.key: candidate for candidate in candidates}
    waiting = {key: _waiting(candidate, last_turns) for key, candidate in by_key.items()}
    valid_pins = [
        slot.pinned if slot.pinned in by_key and slot.pinned not in slot.excluded else None
        for slot in slots
    ]
    holders: list[str | None] = []
    for index, slot in enumerate(slots):
        chosen = valid_pins[index]
        if chosen is None:
            pinned_later = {pin for pin in valid_pins[index + 1 :] if pin is not None}
            eligible = [
                key for key in by_key if key not in slot.excluded and key not in pinned_later
            ]
            if eligible:
                chosen = min(eligible, key=lambda key: (waiting[key], by_key[key].order, key))
        if chosen is not None:
            waiting[chosen] = max(waiting[chosen], (slot.at, True))
        holders.append(chosen)
    return holders


def away_keys(away: Mapping[str, date], day: date) -> frozenset[str]:
    """Who is away on ``day`` (away *until* a date means up to and including that date)."""
    return frozenset(key for key, until in away.items() if day <= until)


def passed_over(order: Sequence[str], chosen: str | None) -> list[str]:
    """The keys ahead of ``chosen`` in ``order`` (those who were left out of the turn)."""
    if chosen is None or chosen not in order:
        return []
    return list(order[: order.index(chosen)])
