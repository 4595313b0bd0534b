"""Breakout grouping: who sits with whom when a cluster meeting splits up.

Pure functions only (no Slack, no database, no I/O, no clock), so every result is
reproducible from its inputs.  Used by ``/klynge breakout <size>`` (one round at a
time, fed the cluster's history) and by ``subcluster auto <size>`` (no history).

How a round is chosen
---------------------
1. *Planned schedules.*  For a fresh member set (no history, or a history that is
   exactly the start of our own plan) we compute a whole multi-round schedule in
   which nobody meets anybody twice, for as many rounds as we can, and hand out its
   rounds one at a time.  Plans come from classical constructions where they apply
   (round-robin for pairs, affine planes for q² people in groups of q, a doubled
   4-dimensional binary geometry for 32 people in groups of 4) and otherwise from a
   search over cyclically developed schedules ("1-rotational" designs: one base
   round, shifted round after round) or, failing that, round-by-round search.
2. *Weighted local search.*  When the plan is used up, the members changed, the
   history came from elsewhere, or clinics must be kept together, we search one
   round directly: a greedy start followed by tabu search over swaps of two people,
   minimising the weighted number of repeated pairs (recent meetings weigh more)
   plus a small clinic term.

All searches use iteration budgets and seeded ``random.Random`` instances, never
wall-clock time, so the same input always gives the same groups.

The machinery lives in ``mixing/`` (``search`` for one round, ``plans`` for schedules);
this module is its public face.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from handlers.breakouts.mixing.plans import member_plan
from handlers.breakouts.mixing.schedules import Weights, repeat_free_bound
from handlers.breakouts.mixing.search import search_round

__all__ = [
    "CLINIC_WEIGHT",
    "PLAN_MAX_MEMBERS",
    "MixingRules",
    "balanced_sizes",
    "group_count",
    "make_groups",
    "meeting_cost",
    "repeated_pairs",
    "zero_repeat_bound",
]

#: Cost of one pair of same-clinic colleagues in one group (negative reward when
#: clinics are kept together).  Far below the cost of one repeated pair (>= 1), so
#: clinics only decide between groupings that are equally good for mixing.
CLINIC_WEIGHT = 1e-3

#: Multi-round plans are only computed for member sets up to this size.  Larger
#: sets have so much room that round-by-round search already avoids repeats for
#: many rounds, and plan searches would get slow.
PLAN_MAX_MEMBERS = 64


# --------------------------------------------------------------------------- sizes


def group_count(participants: int, size: int) -> int:
    """Number of groups for ``participants`` people in groups of about ``size``.

    ``max(1, floor(participants / size + 0.5))`` — i.e. round half up, so 5 people
    with size 2 give 3 groups.  Computed in integers to avoid float surprises.
    """
    if size < 1:
        raise ValueError(f"group size must be at least 1, got {size}")
    if participants < 0:
        raise ValueError(f"participants must be non-negative, got {participants}")
    return max(1, (2 * participants + size) // (2 * size))


def balanced_sizes(participants: int, groups: int) -> list[int]:
    """Sizes of ``groups`` groups holding ``participants`` people, larger first.

    Sizes differ by at most one, e.g. ``balanced_sizes(40, 7) == [6, 6, 6, 6, 6, 5, 5]``.
    """
    if groups < 1:
        raise ValueError(f"need at least one group, got {groups}")
    if participants < 0:
        raise ValueError(f"participants must be non-negative, got {participants}")
    base, extra = divmod(participants, groups)
    return [base + 1] * extra + [base] * (groups - extra)


def zero_repeat_bound(participants: int, size: int) -> int | None:
    """Upper bound on the number of rounds without any repeated pair.

    The smallest of three counting bounds: all pairs ``C(n, 2)`` divided by the
    pairs one round uses; ``(n - 1) / (smallest group - 1)`` (everyone meets at
    least that many new people per round); and 1 when groups are larger than the
    number of groups (a second round would need two people from some earlier group
    together).  ``None`` when rounds contain no pairs at all (groups of one).
    """
    sizes = balanced_sizes(participants, group_count(participants, size))
    return repeat_free_bound(participants, tuple(sizes))


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class MixingRules:
    """How to mix people besides avoiding repeated pairs.

    ``clinics`` maps member id -> clinic name.  By default colleagues are spread over
    different groups; with ``keep_clinics_together`` they are kept together instead,
    and then meetings between colleagues do not count as repeats (sitting together
    is the point).  Either way the clinic rule is secondary: it costs
    ``CLINIC_WEIGHT`` per colleague pair, against at least 1 per repeated pair.

    ``recency_decay`` shapes the cost of a repeat: a pair that shared a group ``k``
    rounds ago (``k = 0`` is the latest round) costs ``1 + recency_decay ** k``.  So
    every past meeting counts (whole history, at least 1), a meeting in the latest
    round counts double, and the extra fades geometrically (default 0.5: 2, 1.5,
    1.25, ...).  Costs of several past meetings of the same pair add up.
    """

    clinics: Mapping[str, str] = field(default_factory=dict)
    keep_clinics_together: bool = False
    recency_decay: float = 0.5

    def __post_init__(self) -> None:
        if not 0.0 <= self.recency_decay <= 1.0:
            raise ValueError(f"recency_decay must be within [0, 1], got {self.recency_decay}")


_DEFAULT_RULES = MixingRules()


def meeting_cost(rounds_ago: int, rules: MixingRules = _DEFAULT_RULES) -> float:
    """Cost of repeating a pair that last shared a group ``rounds_ago`` rounds ago."""
    return 1.0 + rules.recency_decay**rounds_ago


# --------------------------------------------------------------------------- public API


def repeated_pairs(
    groups: Sequence[Sequence[str]], history: Sequence[Sequence[Sequence[str]]]
) -> int:
    """Number of pairs in ``groups`` that already shared a group in any past round."""
    met: set[frozenset[str]] = set()
    for past_round in history:
        for group in past_round:
            met.update(_pairs_of(group))
    return sum(1 for group in groups for pair in _pairs_of(group) if pair in met)


def make_groups(
    members: Sequence[str],
    size: int,
    *,
    history: Sequence[Sequence[Sequence[str]]] = (),
    rules: MixingRules = _DEFAULT_RULES,
    seed: int = 0,
) -> list[list[str]]:
    """Split ``members`` into ``group_count(n, size)`` balanced groups for one round.

    ``history`` holds past rounds, oldest first, each a list of groups of member ids;
    people no longer in ``members`` are ignored.  The result lists every member
    exactly once, groups ordered largest first with sorted ids, and depends only on
    the *set* of members, ``size``, ``history``, ``rules`` and ``seed``.

    Raises ``ValueError`` for ``size < 1`` or no members.
    """
    if size < 1:
        raise ValueError(f"group size must be at least 1, got {size}")
    ids = tuple(sorted(set(members)))
    if not ids:
        raise ValueError("cannot make groups without members")
    sizes = tuple(balanced_sizes(len(ids), group_count(len(ids), size)))
    clinic_ids = _clinic_indices(ids, rules.clinics)

    if _plan_applies(len(ids), sizes, rules):
        done = _restrict_history(ids, history)
        if _may_follow_plan(ids, sizes, done):
            plan = member_plan(ids, sizes, clinic_ids, seed)
            if len(done) < len(plan) and all(
                past == _as_partition(planned) for past, planned in zip(done, plan, strict=False)
            ):
                return _present(plan[len(done)])

    index = {member: i for i, member in enumerate(ids)}
    weights = _history_weights(index, history, rules, clinic_ids)
    clinic_weight = -CLINIC_WEIGHT if rules.keep_clinics_together else CLINIC_WEIGHT
    rng = random.Random(seed)
    groups = search_round(sizes, weights, clinic_ids, clinic_weight, rng)
    return _present(tuple(tuple(ids[i] for i in group) for group in groups))


# --------------------------------------------------------------------------- helpers


def _pairs_of(group: Sequence[str]) -> Iterator[frozenset[str]]:
    unique = sorted(set(group))
    return (frozenset(pair) for pair in itertools.combinations(unique, 2))


def _present(groups: Sequence[Sequence[str]]) -> list[list[str]]:
    """Canonical output order: larger groups first, then by sorted member ids."""
    ordered = [sorted(group) for group in groups]
    ordered.sort(key=lambda group: (-len(group), group))
    return ordered


def _as_partition(groups: Sequence[Sequence[str]]) -> frozenset[frozenset[str]]:
    return frozenset(frozenset(group) for group in groups)


def _restrict_history(
    ids: Sequence[str], history: Sequence[Sequence[Sequence[str]]]
) -> list[frozenset[frozenset[str]]]:
    """Past rounds restricted to the current members, as order-free partitions."""
    present = set(ids)
    rounds = []
    for past_round in history:
        groups = (frozenset(m for m in group if m in present) for group in past_round)
        rounds.append(frozenset(group for group in groups if group))
    return rounds


def _clinic_indices(ids: Sequence[str], clinics: Mapping[str, str]) -> tuple[int, ...]:
    """Clinic of each member as a small int (-1 = unknown), numbered by clinic name."""
    names = sorted({clinics[m] for m in ids if m in clinics})
    number = {name: i for i, name in enumerate(names)}
    return tuple(number[clinics[m]] if m in clinics else -1 for m in ids)


def _history_weights(
    index: Mapping[str, int],
    history: Sequence[Sequence[Sequence[str]]],
    rules: MixingRules,
    clinic_ids: Sequence[int],
) -> Weights:
    """Symmetric pair costs from past rounds (see ``MixingRules.recency_decay``)."""
    weights: Weights = [{} for _ in index]
    exempt_colleagues = rules.keep_clinics_together
    for rounds_ago, past_round in enumerate(reversed(history)):
        cost = meeting_cost(rounds_ago, rules)
        for group in past_round:
            people = sorted({index[m] for m in group if m in index})
            for i, a in enumerate(people):
                wa = weights[a]
                for b in people[i + 1 :]:
                    if exempt_colleagues and clinic_ids[a] >= 0 and clinic_ids[a] == clinic_ids[b]:
                        continue
                    wa[b] = wa.get(b, 0.0) + cost
                    weights[b][a] = wa[b]
    return weights


# --------------------------------------------------------------------------- following a plan


def _plan_applies(n: int, sizes: tuple[int, ...], rules: MixingRules) -> bool:
    # Keeping clinics together is not "everybody meets everybody": no plan.
    return (
        not rules.keep_clinics_together
        and len(sizes) >= 2
        and max(sizes) >= 2
        and n <= PLAN_MAX_MEMBERS
    )


def _may_follow_plan(
    ids: Sequence[str], sizes: tuple[int, ...], done: Sequence[frozenset[frozenset[str]]]
) -> bool:
    """Cheap pre-check so foreign histories never trigger a plan computation."""
    bound = repeat_free_bound(len(ids), sizes)
    if bound is not None and len(done) >= bound:
        return False
    expected = sorted(sizes)
    return all(sorted(len(group) for group in rnd) == expected for rnd in done)
