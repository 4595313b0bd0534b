"""1-rotational schedules: one base round, shifted round after round, found by tabu search."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from handlers.breakouts.mixing.schedules import (
    STRUCTURE_SEED,
    Schedule,
    partition,
    repeat_free,
)

# Work caps of the 1-rotational plan search (evaluated swaps): per number of
# rounds tried, and in total (~1 s of CPython for 60 people).
_ROTATIONAL_ATTEMPT = 150_000
_ROTATIONAL_EVALUATIONS = 300_000


def rotational_plan(
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
        rng = random.Random(STRUCTURE_SEED)
        attempt = min(budget, _ROTATIONAL_ATTEMPT)
        base, used = _search_base_round(sizes, orbit, forbidden, rng, attempt)
        budget -= used
        if base is None:
            continue
        schedule = tuple(
            tuple(tuple(_shift(p, k, rounds, types) for p in group) for group in base)
            for k in range(rounds)
        )
        if repeat_free(schedule):
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
    groups = partition(points, sizes)
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
