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
"""

from __future__ import annotations

import functools
import itertools
import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

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

# Internal seed for plan *structures*; the caller's seed only relabels people, so
# every seed enjoys the same (best found) schedule quality.
_STRUCTURE_SEED = 12024

_EPS = 1e-9

# Up to this many people the round search looks at every swap of every unhappy
# person each step; above it, at swaps around a few sampled unhappy people.
_FULL_NEIGHBOURHOOD = 40
_SAMPLED_MOVERS = 3
# With up to this many groups every other group is a swap candidate; with more, a
# sample biased towards groups holding none of the person's past partners.
_ALL_GROUPS_UP_TO = 24

# Work cap of one round search, in evaluated swaps (~1 s of CPython at worst),
# and the smaller cap used while building the round-by-round baseline plan.
_ROUND_EVALUATIONS = 250_000
_BASELINE_EVALUATIONS = 30_000

# Work caps of the 1-rotational plan search (evaluated swaps): per number of
# rounds tried, and in total (~1 s of CPython for 60 people).
_ROTATIONAL_ATTEMPT = 150_000
_ROTATIONAL_EVALUATIONS = 300_000

# Internal types: people are indices 0..n-1 (into the sorted member ids).
Round = tuple[tuple[int, ...], ...]
Schedule = tuple[Round, ...]
Weights = list[dict[int, float]]
NamedSchedule = tuple[tuple[tuple[str, ...], ...], ...]


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
    return _bound(participants, tuple(sizes))


def _bound(n: int, sizes: tuple[int, ...]) -> int | None:
    per_round = sum(s * (s - 1) // 2 for s in sizes)
    if per_round == 0:
        return None
    if max(sizes) > len(sizes):
        return 1
    bound = (n * (n - 1) // 2) // per_round
    smallest = min(sizes)
    if smallest >= 2:
        bound = min(bound, (n - 1) // (smallest - 1))
    return bound


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
            plan = _member_plan(ids, sizes, clinic_ids, seed)
            if len(done) < len(plan) and all(
                past == _as_partition(planned) for past, planned in zip(done, plan, strict=False)
            ):
                return _present(plan[len(done)])

    index = {member: i for i, member in enumerate(ids)}
    weights = _history_weights(index, history, rules, clinic_ids)
    clinic_weight = -CLINIC_WEIGHT if rules.keep_clinics_together else CLINIC_WEIGHT
    rng = random.Random(seed)
    groups = _search_round(sizes, weights, clinic_ids, clinic_weight, rng)
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


def _repeat_free(schedule: Schedule) -> bool:
    seen: set[tuple[int, int]] = set()
    for rnd in schedule:
        for group in rnd:
            for a, b in itertools.combinations(sorted(group), 2):
                if (a, b) in seen:
                    return False
                seen.add((a, b))
    return True


def _partition(points: Sequence[int], sizes: Sequence[int]) -> list[list[int]]:
    groups, start = [], 0
    for s in sizes:
        groups.append(list(points[start : start + s]))
        start += s
    return groups


# --------------------------------------------------------------------------- plans


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
    bound = _bound(len(ids), sizes)
    if bound is not None and len(done) >= bound:
        return False
    expected = sorted(sizes)
    return all(sorted(len(group) for group in rnd) == expected for rnd in done)


@functools.lru_cache(maxsize=64)
def _member_plan(
    ids: tuple[str, ...], sizes: tuple[int, ...], clinic_ids: tuple[int, ...], seed: int
) -> NamedSchedule:
    """The plan structure with people assigned to its points (seeded, clinic-aware)."""
    structure = _plan_structure(len(ids), sizes)
    order = list(range(len(ids)))
    random.Random(seed).shuffle(order)
    label = _spread_clinics_over_plan(structure, order, clinic_ids)
    return tuple(tuple(tuple(ids[label[p]] for p in group) for group in rnd) for rnd in structure)


def _spread_clinics_over_plan(
    structure: Schedule, label: list[int], clinic_ids: Sequence[int]
) -> list[int]:
    """Swap people between plan points so colleagues rarely share a group.

    Relabelling never creates repeats, so this is free.  Earlier rounds weigh more
    (round r weighs 2**-r): they are certain to be played, later ones may never be.
    """
    if not set(clinic_ids) - {-1} or not structure:
        return label
    n = len(label)
    group_at = [[0] * n for _ in structure]  # group index of each point per round
    for r, rnd in enumerate(structure):
        for g, group in enumerate(rnd):
            for p in group:
                group_at[r][p] = g
    round_weight = [0.5**r for r in range(len(structure))]

    def clashes(point: int, person: int, ignore: int) -> float:
        """Weighted colleagues of ``person`` if placed at ``point`` (``ignore`` leaves)."""
        clinic = clinic_ids[person]
        if clinic < 0:
            return 0.0
        total = 0.0
        for r, rnd in enumerate(structure):
            for other in rnd[group_at[r][point]]:
                if other not in (point, ignore) and clinic_ids[label[other]] == clinic:
                    total += round_weight[r]
        return total

    for _ in range(4):  # a few first-improvement sweeps over people with clashes
        improved = False
        for p in range(n):
            if clashes(p, label[p], -1) == 0:
                continue
            for q in range(n):
                a, b = label[p], label[q]
                if clinic_ids[a] == clinic_ids[b]:
                    continue
                before = clashes(p, a, q) + clashes(q, b, p)
                after = clashes(q, a, p) + clashes(p, b, q)
                if after < before - _EPS:
                    label[p], label[q] = b, a
                    improved = True
        if not improved:
            break
    return label


@functools.lru_cache(maxsize=32)
def _plan_structure(n: int, sizes: tuple[int, ...]) -> Schedule:
    """Longest repeat-free schedule we can find for ``n`` points in groups ``sizes``."""
    for construction in (_round_robin_plan, _affine_plane_plan, _doubled_flats_plan):
        plan = construction(n, sizes)
        if plan is not None and _repeat_free(plan):
            return plan
    bound = _bound(n, sizes) or 1
    greedy = _greedy_schedule(n, sizes, bound)
    rotational = _rotational_plan(n, sizes, bound, len(greedy))
    if rotational is not None and len(rotational) > len(greedy):
        return rotational
    return greedy


def _greedy_schedule(n: int, sizes: tuple[int, ...], bound: int) -> Schedule:
    """Round-by-round weighted search, kept while rounds stay repeat-free."""
    rng = random.Random(_STRUCTURE_SEED)
    weights: Weights = [{} for _ in range(n)]
    no_clinics = (-1,) * n
    rounds: list[Round] = []
    while len(rounds) < bound:
        groups = _search_round(sizes, weights, no_clinics, 0.0, rng, _BASELINE_EVALUATIONS)
        candidate = tuple(tuple(sorted(g)) for g in groups)
        if not _repeat_free((*rounds, candidate)):
            break
        rounds.append(candidate)
        for group in candidate:
            for a, b in itertools.combinations(group, 2):
                weights[a][b] = weights[b][a] = 1.0
    return tuple(rounds)


# ----- round robin: groups of two (plus a single person when n is odd)


def _round_robin_plan(n: int, sizes: tuple[int, ...]) -> Schedule | None:
    """Circle method: everybody meets everybody once in n-1 (n even) or n rounds."""
    if max(sizes) != 2 or sizes.count(1) > 1:
        return None
    players = n + n % 2  # a phantom player pairs up with whoever sits out
    rounds = []
    for r in range(players - 1):
        pairs = [(players - 1, r)]
        pairs += [
            ((r + k) % (players - 1), (r - k) % (players - 1)) for k in range(1, players // 2)
        ]
        rnd = [tuple(p for p in pair if p < n) for pair in pairs]
        rounds.append(tuple(sorted(rnd, key=len, reverse=True)))
    return tuple(rounds)


# ----- affine planes: q*q people in q groups of q, q + 1 rounds


def _prime_power(q: int) -> tuple[int, int] | None:
    """``(p, k)`` with ``q == p**k`` for a prime p, else None."""
    if q < 2:
        return None
    p = next(d for d in range(2, q + 1) if q % d == 0)
    k, rest = 0, q
    while rest % p == 0:
        rest //= p
        k += 1
    return (p, k) if rest == 1 else None


@functools.lru_cache(maxsize=16)
def _field_tables(q: int) -> tuple[list[list[int]], list[list[int]]]:
    """Addition and multiplication tables of GF(q), q a prime power.

    Elements are integers whose base-p digits are polynomial coefficients; the
    modulus is the first monic degree-k polynomial that yields a field.
    """
    pk = _prime_power(q)
    if pk is None:
        raise ValueError(f"{q} is not a prime power")
    p, k = pk

    def digits(v: int) -> list[int]:
        return [(v // p**i) % p for i in range(k)]

    def number(ds: Sequence[int]) -> int:
        return sum(d * p**i for i, d in enumerate(ds))

    def mulmod(x: list[int], y: list[int], tail: list[int]) -> int:
        prod = [0] * (2 * k - 1)
        for i, a in enumerate(x):
            for j, b in enumerate(y):
                prod[i + j] = (prod[i + j] + a * b) % p
        for top in range(2 * k - 2, k - 1, -1):  # x^k == -tail(x)
            c, prod[top] = prod[top], 0
            for i, t in enumerate(tail):
                prod[top - k + i] = (prod[top - k + i] - c * t) % p
        return number(prod[:k])

    add = [
        [number([(a + b) % p for a, b in zip(digits(x), digits(y), strict=True)]) for y in range(q)]
        for x in range(q)
    ]
    nonzero = list(range(1, q))
    for modulus in range(q):
        tail = digits(modulus)
        mul = [[mulmod(digits(x), digits(y), tail) for y in range(q)] for x in range(q)]
        if all(sorted(mul[x][1:]) == nonzero for x in nonzero):
            return add, mul
    raise AssertionError("every prime power has an irreducible polynomial")


def _affine_plane_plan(n: int, sizes: tuple[int, ...]) -> Schedule | None:
    """Lines of AG(2, q): point (x, y) is index x*q + y; one round per direction."""
    q = math.isqrt(n)
    if q * q != n or any(s != q for s in sizes) or _prime_power(q) is None:
        return None
    add, mul = _field_tables(q)
    vertical = tuple(tuple(x * q + y for y in range(q)) for x in range(q))
    sloped = tuple(
        tuple(tuple(x * q + add[mul[slope][x]][c] for x in range(q)) for c in range(q))
        for slope in range(q)
    )
    return (vertical, *sloped)


# ----- 32 people in groups of 4: doubled planes of the binary 4-space, 10 rounds


def _doubled_flats_plan(n: int, sizes: tuple[int, ...]) -> Schedule | None:
    """Ten repeat-free rounds for 32 people in 8 groups of 4 (the social golfer case).

    Take the 16 vectors of GF(2)^4.  Two spreads (5 planes through 0 covering every
    non-zero vector once) with no plane in common give 10 ways to cut the space into
    4 parallel planes; every two vectors share a plane exactly twice.  Person
    ``2x + e`` is vector x with a "side" bit e.  Each plane B becomes the two groups
    {2x + s_B(x)} and {2x + 1 - s_B(x)}; choosing the bits s_B so that the two planes
    through any pair {x, y} give s(x) xor s(y) different parities (a linear system
    over GF(2)) makes every two people meet exactly once, except the twins 2x, 2x+1.
    """
    if n != 32 or any(s != 4 for s in sizes):
        return None
    planes = sorted(
        {frozenset({0, a, b, a ^ b}) for a in range(1, 16) for b in range(1, 16) if a != b},
        key=sorted,
    )
    spreads = list(_spreads(planes, frozenset(), ()))
    for first, second in itertools.combinations(spreads, 2):
        if set(first) & set(second):
            continue
        classes = [_cosets(plane) for plane in (*first, *second)]
        signs = _solve_parities(classes)
        if signs is None:
            continue
        return tuple(
            tuple(
                group
                for b, block in enumerate(blocks)
                for group in (
                    tuple(2 * x + signs[(c, b, x)] for x in block),
                    tuple(2 * x + 1 - signs[(c, b, x)] for x in block),
                )
            )
            for c, blocks in enumerate(classes)
        )
    return None


def _spreads(
    planes: Sequence[frozenset[int]], covered: frozenset[int], chosen: tuple[frozenset[int], ...]
) -> Iterator[tuple[frozenset[int], ...]]:
    """All sets of planes through 0 that cover each non-zero vector exactly once."""
    if len(covered) == 15:
        yield chosen
        return
    first_gap = min(set(range(1, 16)) - covered)
    for plane in planes:
        if first_gap in plane and not (plane - {0}) & covered:
            yield from _spreads(planes, covered | (plane - {0}), (*chosen, plane))


def _cosets(plane: frozenset[int]) -> list[tuple[int, ...]]:
    seen: set[int] = set()
    blocks = []
    for x in range(16):
        if x not in seen:
            block = tuple(sorted(x ^ w for w in plane))
            seen.update(block)
            blocks.append(block)
    return blocks


def _solve_parities(
    classes: Sequence[Sequence[tuple[int, ...]]],
) -> dict[tuple[int, int, int], int] | None:
    """Bits s_B(x) with s_B1(x)^s_B1(y)^s_B2(x)^s_B2(y) == 1 for both planes of {x, y}."""
    variables = {
        (c, b, x): i
        for i, (c, b, x) in enumerate(
            (c, b, x)
            for c, blocks in enumerate(classes)
            for b, blk in enumerate(blocks)
            for x in blk
        )
    }
    holders: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for c, blocks in enumerate(classes):
        for b, block in enumerate(blocks):
            for x, y in itertools.combinations(block, 2):
                holders.setdefault((x, y), []).append((c, b))
    pivots: dict[int, tuple[int, int]] = {}  # leading bit -> (equation mask, right side)
    for (x, y), blocks_with_pair in holders.items():
        mask, rhs = 0, 1
        for c, b in blocks_with_pair:
            mask ^= (1 << variables[(c, b, x)]) ^ (1 << variables[(c, b, y)])
        while mask:
            lead = mask.bit_length() - 1
            if lead not in pivots:
                pivots[lead] = (mask, rhs)
                break
            pivot_mask, pivot_rhs = pivots[lead]
            mask ^= pivot_mask
            rhs ^= pivot_rhs
        else:
            if rhs:
                return None  # inconsistent system
    value = [0] * len(variables)  # free variables are 0; solve from low to high pivots
    for lead in sorted(pivots):
        mask, rhs = pivots[lead]
        rest = mask & ~(1 << lead)
        while rest:
            low = rest & -rest
            rhs ^= value[low.bit_length() - 1]
            rest ^= low
        value[lead] = rhs
    return {key: value[i] for key, i in variables.items()}


# ----- 1-rotational schedules: one base round shifted round after round


def _rotational_plan(
    n: int, sizes: tuple[int, ...], bound: int, longer_than: int
) -> Schedule | None:
    """Search a base round whose ``m`` cyclic shifts form a repeat-free schedule.

    People are ``t`` "types" of ``m`` each (person ``i*m + x`` is type i, position
    x in Z_m) plus ``f`` fixed people.  Round k adds k to every position.  Two people
    then meet in at most one round iff every pair "orbit" (types plus position
    difference) occurs at most once in the base round — a much smaller search than
    a whole schedule.  Tries ``m = bound`` downwards within a total work budget.
    """
    budget = _ROTATIONAL_EVALUATIONS
    for rounds in range(bound, max(longer_than, 1), -1):
        types, fixed = divmod(n, rounds)
        if fixed > len(sizes) or types == 0:
            continue  # fixed people must sit in different groups
        if budget <= 0:
            break
        orbit, forbidden = _orbit_table(n, rounds, types)
        rng = random.Random(_STRUCTURE_SEED)
        attempt = min(budget, _ROTATIONAL_ATTEMPT)
        base, used = _search_base_round(sizes, orbit, forbidden, rng, attempt)
        budget -= used
        if base is None:
            continue
        schedule = tuple(
            tuple(tuple(_shift(p, k, rounds, types) for p in group) for group in base)
            for k in range(rounds)
        )
        if _repeat_free(schedule):
            return schedule
    return None


def _shift(point: int, k: int, m: int, types: int) -> int:
    if point >= m * types:
        return point  # fixed people stay put
    kind, position = divmod(point, m)
    return kind * m + (position + k) % m


def _orbit_table(n: int, m: int, types: int) -> tuple[list[list[int]], list[bool]]:
    """Orbit id of every pair under the shifts, and which orbits always repeat."""
    ids: dict[tuple[int, ...], int] = {}
    forbidden: list[bool] = []
    table = [[-1] * n for _ in range(n)]
    finite = m * types
    for p, q in itertools.combinations(range(n), 2):
        bad = False
        if q < finite:
            (i, x), (j, y) = divmod(p, m), divmod(q, m)
            d = (y - x) % m
            if i == j:
                d = min(d, m - d)
                bad = 2 * d == m  # shifting by m/2 swaps the pair: it would meet twice
            key: tuple[int, ...] = (i, j, d)
        elif p < finite:
            key = (-1, q, p // m)  # fixed person q meets type p // m
        else:
            key, bad = (-2, p, q), True  # two fixed people would meet every round
        if key not in ids:
            ids[key] = len(ids)
            forbidden.append(bad)
        table[p][q] = table[q][p] = ids[key]
    return table, forbidden


def _search_base_round(
    sizes: Sequence[int],
    orbit: list[list[int]],
    forbidden: list[bool],
    rng: random.Random,
    max_evaluations: int,
) -> tuple[list[list[int]] | None, int]:
    """Tabu search over swaps for a base round using every orbit at most once.

    Returns the base round (None if not found) and the number of evaluated swaps.
    Dotú & Van Hentenryck style: each step takes the best non-tabu swap involving
    a person in a clash (random among ties); a swapped pair stays tabu for a while.
    """
    n = len(orbit)
    points = list(range(n))
    rng.shuffle(points)
    groups = _partition(points, sizes)
    where = [0] * n
    for g, group in enumerate(groups):
        for p in group:
            where[p] = g
    usage = [1 if bad else 0 for bad in forbidden]  # forbidden orbits start "used"
    for group in groups:
        for a, b in itertools.combinations(group, 2):
            usage[orbit[a][b]] += 1
    cost = sum(u - 1 for u in usage if u > 1)

    def delta_of(p: int, q: int) -> int:
        """Change in cost if p and q (in different groups) traded places."""
        op, oq = orbit[p], orbit[q]
        delta = 0
        touched = []  # (orbit left, orbit joined) per changed pair, to undo afterwards
        for x in groups[where[p]]:
            if x != p:
                touched.append((op[x], oq[x]))
        for y in groups[where[q]]:
            if y != q:
                touched.append((oq[y], op[y]))
        for left, joined in touched:
            usage[left] -= 1
            if usage[left]:  # still used by someone else: a clash disappears
                delta -= 1
            if usage[joined]:  # already used: a clash appears
                delta += 1
            usage[joined] += 1
        for left, joined in touched:
            usage[left] += 1
            usage[joined] -= 1
        return delta

    def swap(p: int, q: int) -> int:
        delta = delta_of(p, q)
        for leaver, joiner, group in ((p, q, groups[where[p]]), (q, p, groups[where[q]])):
            for x in group:
                if x != leaver:
                    usage[orbit[leaver][x]] -= 1
                    usage[orbit[joiner][x]] += 1
        ga, gb = where[p], where[q]
        groups[ga][groups[ga].index(p)] = q
        groups[gb][groups[gb].index(q)] = p
        where[p], where[q] = gb, ga
        return delta

    tabu: dict[tuple[int, int], int] = {}
    best, evaluations, step = cost, 0, 0
    while cost > 0 and evaluations < max_evaluations:
        step += 1
        conflicted = {
            p
            for group in groups
            for p, x in itertools.permutations(group, 2)
            if usage[orbit[p][x]] > 1
        }
        best_delta, moves = None, []
        for p in sorted(conflicted):
            for q in range(n):
                if where[q] == where[p] or (q < p and q in conflicted):
                    continue  # same group, or a pair already tried from q's side
                evaluations += 1
                delta = delta_of(p, q)
                if tabu.get((min(p, q), max(p, q)), 0) >= step and cost + delta >= best:
                    continue
                if best_delta is None or delta < best_delta:
                    best_delta, moves = delta, [(p, q)]
                elif delta == best_delta:
                    moves.append((p, q))
        if best_delta is None:
            continue
        p, q = moves[rng.randrange(len(moves))]
        cost += swap(p, q)
        tabu[(min(p, q), max(p, q))] = step + 10 + rng.randrange(10)
        best = min(best, cost)
    return (groups if cost == 0 else None), evaluations


# --------------------------------------------------------------------------- one round


def _search_round(
    sizes: Sequence[int],
    weights: Weights,
    clinic: Sequence[int],
    clinic_weight: float,
    rng: random.Random,
    max_evaluations: int = _ROUND_EVALUATIONS,
) -> list[list[int]]:
    """One round minimising pair weights plus the clinic term: greedy, then tabu."""
    state = _RoundState(sizes, weights, clinic, clinic_weight)
    state.greedy_fill(rng)
    state.tabu_search(rng, max_evaluations)
    return state.best_groups()


class _RoundState:
    """Assignment of people to groups, with each person's current cost cached."""

    def __init__(
        self, sizes: Sequence[int], weights: Weights, clinic: Sequence[int], clinic_weight: float
    ) -> None:
        self.sizes = list(sizes)
        self.n = len(weights)
        self.weights = weights
        self.clinic = clinic
        self.clinic_weight = clinic_weight
        self.groups: list[list[int]] = [[] for _ in sizes]
        self.group_of = [-1] * self.n
        self.clinic_count: list[dict[int, int]] = [{} for _ in sizes]
        self.cost = [0.0] * self.n
        self.best_assignment: list[int] = []
        # Best achievable own cost, to know when a person needs no more attention.
        self.ideal = self._ideal_costs()

    # -- bookkeeping

    def _ideal_costs(self) -> list[float]:
        if self.clinic_weight >= 0:
            return [0.0] * self.n
        clinic_sizes: dict[int, int] = {}
        for c in self.clinic:
            clinic_sizes[c] = clinic_sizes.get(c, 0) + 1
        room = max(self.sizes) - 1
        return [
            self.clinic_weight * min(clinic_sizes[c] - 1, room) if c >= 0 else 0.0
            for c in self.clinic
        ]

    def place(self, person: int, g: int) -> None:
        self.groups[g].append(person)
        self.group_of[person] = g
        c = self.clinic[person]
        if c >= 0:
            self.clinic_count[g][c] = self.clinic_count[g].get(c, 0) + 1

    def cost_in(self, person: int, g: int) -> float:
        """What ``person`` would cost in group g (excluding themselves)."""
        w = self.weights[person]
        total = 0.0
        for other in self.groups[g]:
            if other != person:
                total += w.get(other, 0.0)
        c = self.clinic[person]
        if c >= 0:
            colleagues = self.clinic_count[g].get(c, 0) - (self.group_of[person] == g)
            total += self.clinic_weight * colleagues
        return total

    def pair_cost(self, a: int, b: int) -> float:
        same_clinic = self.clinic[a] >= 0 and self.clinic[a] == self.clinic[b]
        return self.weights[a].get(b, 0.0) + (self.clinic_weight if same_clinic else 0.0)

    def is_bad(self, person: int) -> bool:
        return self.cost[person] > self.ideal[person] + _EPS

    # -- construction

    def greedy_fill(self, rng: random.Random) -> None:
        """Place people one by one (seeded order) where they cost least."""
        order = list(range(self.n))
        rng.shuffle(order)
        room = list(self.sizes)
        open_groups = list(range(len(self.sizes)))
        rng.shuffle(open_groups)
        for person in order:
            penalty: dict[int, float] = {}
            for other, w in self.weights[person].items():
                g = self.group_of[other]
                if g >= 0:
                    penalty[g] = penalty.get(g, 0.0) + w
            c = self.clinic[person]
            best_g, best_key = -1, (math.inf, 0)
            for g in open_groups:
                value = penalty.get(g, 0.0)
                if c >= 0:
                    value += self.clinic_weight * self.clinic_count[g].get(c, 0)
                key = (value, -room[g])  # ties: the emptiest group keeps options open
                if key < best_key:
                    best_g, best_key = g, key
            self.place(person, best_g)
            room[best_g] -= 1
            if room[best_g] == 0:
                open_groups.remove(best_g)
        for person in range(self.n):
            self.cost[person] = self.cost_in(person, self.group_of[person])
        self.best_assignment = list(self.group_of)

    # -- improvement

    def candidate_groups(self, person: int, rng: random.Random) -> list[int]:
        """Groups worth trying for ``person``: all when few, else a cheap sample."""
        own = self.group_of[person]
        count = len(self.groups)
        if count <= _ALL_GROUPS_UP_TO:
            return [g for g in range(count) if g != own]
        busy: set[int] = {self.group_of[o] for o in self.weights[person]}
        free = [g for g in range(count) if g not in busy and g != own]
        picks = rng.sample(free, min(8, len(free)))
        others = [g for g in range(count) if g in busy and g != own]
        picks += rng.sample(others, min(4 if picks else 12, len(others)))
        return picks

    def swap(self, a: int, b: int) -> None:
        ga, gb = self.group_of[a], self.group_of[b]
        for person, old, new in ((a, ga, gb), (b, gb, ga)):
            group = self.groups[old]
            group[group.index(person)] = b if person == a else a
            self.group_of[person] = new
            c = self.clinic[person]
            if c >= 0:
                self.clinic_count[old][c] -= 1
                self.clinic_count[new][c] = self.clinic_count[new].get(c, 0) + 1
        for g in (ga, gb):
            for person in self.groups[g]:
                self.cost[person] = self.cost_in(person, g)

    def tabu_search(self, rng: random.Random, max_evaluations: int) -> None:
        """Swap people between groups; tabu keeps moved people from moving straight back.

        Stops when nobody can do better than their ideal, after ``patience`` steps
        without a new best, or after ``max_evaluations`` evaluated swaps (work
        counts, never wall-clock time, so results are reproducible).
        """
        if len(self.groups) < 2:
            return
        total = sum(self.cost) / 2
        best = total
        patience = 200 + 4 * self.n
        tabu: dict[tuple[int, int], int] = {}
        last_gain = evaluations = step = 0
        bad: list[int] = []
        while evaluations < max_evaluations:
            step += 1
            # Re-scan everybody now and then; in between only drop people who got fixed.
            bad = [p for p in bad if self.is_bad(p)]
            if not bad or step % 16 == 1:
                bad = [p for p in range(self.n) if self.is_bad(p)]
            if not bad or step - last_gain > patience:
                break
            if self.n <= _FULL_NEIGHBOURHOOD or len(bad) <= _SAMPLED_MOVERS:
                movers = bad
            else:
                movers = rng.sample(bad, _SAMPLED_MOVERS)
            a, move, move_delta, ties = -1, -1, math.inf, 0
            for person in movers:
                ga = self.group_of[person]
                for gb in self.candidate_groups(person, rng):
                    in_b = self.cost_in(person, gb)
                    evaluations += len(self.groups[gb])
                    for b in self.groups[gb]:
                        pair = self.pair_cost(person, b)
                        delta = (in_b - pair) + (self.cost_in(b, ga) - pair)
                        delta -= self.cost[person] + self.cost[b]
                        if delta > move_delta + _EPS:
                            continue
                        forbidden = tabu.get((person, gb), 0) > step or tabu.get((b, ga), 0) > step
                        if forbidden and total + delta >= best - _EPS:
                            continue
                        # Random tie-breaking (reservoir sampling) avoids cycling.
                        ties = 1 if delta < move_delta - _EPS else ties + 1
                        if ties == 1 or rng.randrange(ties) == 0:
                            a, move, move_delta = person, b, delta
            if a < 0:
                continue
            ga = self.group_of[a]
            self.swap(a, move)
            total += move_delta
            tenure = 5 + rng.randrange(5)
            tabu[(a, ga)] = tabu[(move, self.group_of[a])] = step + tenure
            if total < best - _EPS:
                best, last_gain = total, step
                self.best_assignment = list(self.group_of)

    def best_groups(self) -> list[list[int]]:
        groups: list[list[int]] = [[] for _ in self.sizes]
        for person, g in enumerate(self.best_assignment):
            groups[g].append(person)
        return groups
