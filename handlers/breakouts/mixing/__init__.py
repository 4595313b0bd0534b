"""The machinery behind ``handlers.breakouts.grouping`` (its public face), all pure.

- ``schedules``   people as indices 0..n-1, rounds and schedules, the repeat-free bound
- ``search``      one round by local search: a greedy start, then tabu swaps of two people
- ``plans``       a whole repeat-free schedule for a fresh member set, members placed on it
- ``designs``     classical schedules: round robin, affine planes, doubled flats
- ``rotational``  1-rotational schedules: one base round shifted round after round
"""
