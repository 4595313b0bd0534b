"""Breakout mixing quality and speed of ``handlers.breakouts.grouping``.

    python -m bench.breakout

For each instance, calls ``make_groups`` round after round from an empty history
(seed 0), feeding back every round as the bot does, and reports how many rounds in
a row had no repeated pair, against the known maximum, plus the repeated pairs in
the three rounds after that.  Times include the one-off plan computation on the
first call.  Then times one round for 1,000 members with 50 past rounds (median of
five runs).  Standard library only; prints Markdown.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

from handlers.breakouts.grouping import group_count, make_groups, repeated_pairs, zero_repeat_bound

Round = list[list[str]]

#: (people, group size, best known number of repeat-free rounds or None if open)
INSTANCES: list[tuple[int, int, int | None]] = [
    (15, 3, 7),  # Kirkman's schoolgirls
    (16, 4, 5),  # affine plane of order 4
    (25, 5, 6),  # affine plane of order 5
    (32, 4, 10),  # the social golfer problem
    (40, 6, None),  # 7 groups (5 of 6, 2 of 5); only the counting bound is known to us
]
AFTER = 3
LARGE_MEMBERS, LARGE_SIZE, LARGE_ROUNDS, RUNS = 1000, 6, 50, 5


@dataclass
class Result:
    people: int
    size: int
    known: int | None
    bound: int | None
    achieved: int
    after: list[int]
    seconds: list[float]


def people(n: int) -> list[str]:
    return [f"U{i:04d}" for i in range(n)]


def run_instance(n: int, size: int, known: int | None) -> Result:
    """Play rounds until the first repeat, then ``AFTER`` more rounds."""
    members = people(n)
    history: list[Round] = []
    repeats: list[int] = []
    seconds: list[float] = []
    while True:
        started = time.perf_counter()
        groups = make_groups(members, size, history=history, seed=0)
        seconds.append(time.perf_counter() - started)
        repeats.append(repeated_pairs(groups, history))
        history.append(groups)
        achieved = next((i for i, r in enumerate(repeats) if r), None)
        if achieved is not None and len(repeats) >= achieved + AFTER:
            break
    return Result(n, size, known, zero_repeat_bound(n, size), achieved, repeats[achieved:], seconds)


def random_history(members: Sequence[str], size: int, rounds: int, seed: int) -> list[Round]:
    rng = random.Random(seed)
    history = []
    for _ in range(rounds):
        shuffled = list(members)
        rng.shuffle(shuffled)
        history.append([shuffled[i : i + size] for i in range(0, len(shuffled), size)])
    return history


def time_large() -> tuple[float, int]:
    """Median seconds for one round of 1,000 members with 50 past rounds, and its repeats."""
    members = people(LARGE_MEMBERS)
    history = random_history(members, LARGE_SIZE, LARGE_ROUNDS, seed=1)
    timings, groups = [], []
    for _ in range(RUNS):
        started = time.perf_counter()
        groups = make_groups(members, LARGE_SIZE, history=history, seed=0)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), repeated_pairs(groups, history)


def table(results: Sequence[Result]) -> str:
    header = (
        "| instance | groups | known max zero-repeat rounds | achieved | "
        f"repeats in next {AFTER} rounds | s/round (mean) | slowest round (s) |"
    )
    lines = [header, "|---|---|---|---|---|---|---|"]
    for r in results:
        sizes = group_count(r.people, r.size)
        known = str(r.known) if r.known is not None else f"≤ {r.bound} (counting bound)"
        lines.append(
            f"| {r.people} people / size {r.size} | {sizes} | {known} | {r.achieved} | "
            f"{', '.join(map(str, r.after))} | {statistics.mean(r.seconds):.3f} | "
            f"{max(r.seconds):.3f} |"
        )
    return "\n".join(lines)


def main() -> None:
    results = [run_instance(n, size, known) for n, size, known in INSTANCES]
    print(table(results))
    print()
    median, repeats = time_large()
    print(
        f"{LARGE_MEMBERS} members, groups of {LARGE_SIZE}, {LARGE_ROUNDS} random past rounds: "
        f"{median:.3f} s per round (median of {RUNS}), {repeats} repeated pairs"
    )


if __name__ == "__main__":
    main()
