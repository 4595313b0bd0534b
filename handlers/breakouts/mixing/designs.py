"""Classical repeat-free schedules, where they apply: round robin for pairs, affine planes for
q² people in groups of q, and doubled flats of the binary 4-space for 32 people in groups of 4."""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator, Sequence

from handlers.breakouts.mixing.schedules import Schedule

# ----- round robin: groups of two (plus a single person when n is odd)


def round_robin_plan(n: int, sizes: tuple[int, ...]) -> Schedule | None:
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


def affine_plane_plan(n: int, sizes: tuple[int, ...]) -> Schedule | None:
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


def doubled_flats_plan(n: int, sizes: tuple[int, ...]) -> Schedule | None:
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
