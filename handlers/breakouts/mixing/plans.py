"""Whole repeat-free schedules for a fresh member set, and the members placed on them.

A schedule's structure (people as indices) depends only on the member count and the group
sizes, so it is computed once and cached; the caller's seed and the clinics only relabel it.
"""

from __future__ import annotations

import functools
import itertools
import random
from collections.abc import Sequence

from handlers.breakouts.mixing.designs import (
    affine_plane_plan,
    doubled_flats_plan,
    round_robin_plan,
)
from handlers.breakouts.mixing.rotational import rotational_plan
from handlers.breakouts.mixing.schedules import (
    EPS,
    STRUCTURE_SEED,
    Round,
    Schedule,
    Weights,
    repeat_free,
    repeat_free_bound,
)
from handlers.breakouts.mixing.search import search_round

NamedSchedule = tuple[tuple[tuple[str, ...], ...], ...]

# The work cap of each round search while building the round-by-round baseline plan (evaluated
# swaps), smaller than that of a single round the bot asks for.
_BASELINE_EVALUATIONS = 30_000


@functools.lru_cache(maxsize=64)
def member_plan(
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
                if after < before - EPS:
                    label[p], label[q] = b, a
                    improved = True
        if not improved:
            break
    return label


@functools.lru_cache(maxsize=32)
def _plan_structure(n: int, sizes: tuple[int, ...]) -> Schedule:
    """Longest repeat-free schedule we can find for ``n`` points in groups ``sizes``."""
    for construction in (round_robin_plan, affine_plane_plan, doubled_flats_plan):
        plan = construction(n, sizes)
        if plan is not None and repeat_free(plan):
            return plan
    bound = repeat_free_bound(n, sizes) or 1
    greedy = _greedy_schedule(n, sizes, bound)
    rotational = rotational_plan(n, sizes, bound, len(greedy))
    if rotational is not None and len(rotational) > len(greedy):
        return rotational
    return greedy


def _greedy_schedule(n: int, sizes: tuple[int, ...], bound: int) -> Schedule:
    """Round-by-round weighted search, kept while rounds stay repeat-free."""
    rng = random.Random(STRUCTURE_SEED)
    weights: Weights = [{} for _ in range(n)]
    no_clinics = (-1,) * n
    rounds: list[Round] = []
    while len(rounds) < bound:
        groups = search_round(sizes, weights, no_clinics, 0.0, rng, _BASELINE_EVALUATIONS)
        candidate = tuple(tuple(sorted(g)) for g in groups)
        if not repeat_free((*rounds, candidate)):
            break
        rounds.append(candidate)
        for group in candidate:
            for a, b in itertools.combinations(group, 2):
                weights[a][b] = weights[b][a] = 1.0
    return tuple(rounds)
