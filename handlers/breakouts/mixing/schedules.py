"""The mixer's shared vocabulary: people as indices, rounds and schedules, the repeat-free bound."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

# People are indices 0..n-1 (into the sorted member ids).
Round = tuple[tuple[int, ...], ...]
Schedule = tuple[Round, ...]
Weights = list[dict[int, float]]

# Internal seed for plan *structures*; the caller's seed only relabels people, so
# every seed enjoys the same (best found) schedule quality.
STRUCTURE_SEED = 12024

EPS = 1e-9  # tolerance when comparing float costs


def repeat_free_bound(n: int, sizes: tuple[int, ...]) -> int | None:
    """Most rounds without a repeated pair for ``n`` people in groups ``sizes``.

    The counting bounds of ``grouping.zero_repeat_bound``; ``None`` when rounds hold no pairs.
    """
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


def repeat_free(schedule: Schedule) -> bool:
    """Whether no two people share a group in more than one round of ``schedule``."""
    seen: set[tuple[int, int]] = set()
    for rnd in schedule:
        for group in rnd:
            for a, b in itertools.combinations(sorted(group), 2):
                if (a, b) in seen:
                    return False
                seen.add((a, b))
    return True


def partition(points: Sequence[int], sizes: Sequence[int]) -> list[list[int]]:
    """``points`` cut, in order, into groups of ``sizes``."""
    groups, start = [], 0
    for s in sizes:
        groups.append(list(points[start : start + s]))
        start += s
    return groups
