"""One round by local search: a greedy start, then tabu search over swaps of two people.

It minimises the weighted repeated pairs plus the clinic term, within a budget of work.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from handlers.breakouts.mixing.schedules import EPS, Weights

# Up to this many people the round search looks at every swap of every unhappy
# person each step; above it, at swaps around a few sampled unhappy people.
_FULL_NEIGHBOURHOOD = 40
_SAMPLED_MOVERS = 3
# With up to this many groups every other group is a swap candidate; with more, a
# sample biased towards groups holding none of the person's past partners.
_ALL_GROUPS_UP_TO = 24

# Work cap of one round search, in evaluated swaps (~1 s of CPython at worst).
_ROUND_EVALUATIONS = 250_000


def search_round(
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
        return self.cost[person] > self.ideal[person] + EPS

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
                        if delta > move_delta + EPS:
                            continue
                        forbidden = tabu.get((person, gb), 0) > step or tabu.get((b, ga), 0) > step
                        if forbidden and total + delta >= best - EPS:
                            continue
                        # Random tie-breaking (reservoir sampling) avoids cycling.
                        ties = 1 if delta < move_delta - EPS else ties + 1
                        if ties == 1 or rng.randrange(ties) == 0:
                            a, move, move_delta = person, b, delta
            if a < 0:
                continue
            ga = self.group_of[a]
            self.swap(a, move)
            total += move_delta
            tenure = 5 + rng.randrange(5)
            tabu[(a, ga)] = tabu[(move, self.group_of[a])] = step + tenure
            if total < best - EPS:
                best, last_gain = total, step
                self.best_assignment = list(self.group_of)

    def best_groups(self) -> list[list[int]]:
        groups: list[list[int]] = [[] for _ in self.sizes]
        for person, g in enumerate(self.best_assignment):
            groups[g].append(person)
        return groups
