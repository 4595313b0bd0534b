"""Unit tests for handlers.breakouts.grouping: balanced breakout groups that mix people well."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from math import floor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.breakouts.grouping import (
    MixingRules,
    balanced_sizes,
    group_count,
    make_groups,
    meeting_cost,
    repeated_pairs,
    zero_repeat_bound,
)

Round = list[list[str]]


def people(n: int, prefix: str = "U") -> list[str]:
    return [f"{prefix}{i:04d}" for i in range(n)]


def play(
    members: Sequence[str],
    size: int,
    rounds: int,
    *,
    rules: MixingRules | None = None,
    seed: int = 0,
) -> list[Round]:
    """Call make_groups round after round, feeding back the history like the bot does."""
    history: list[Round] = []
    for _ in range(rounds):
        kwargs = {"rules": rules} if rules is not None else {}
        history.append(make_groups(members, size, history=history, seed=seed, **kwargs))
    return history


def repeats_per_round(history: Sequence[Round]) -> list[int]:
    return [repeated_pairs(rnd, history[:i]) for i, rnd in enumerate(history)]


def random_history(members: Sequence[str], size: int, rounds: int, seed: int) -> list[Round]:
    rng = random.Random(seed)
    history = []
    for _ in range(rounds):
        shuffled = list(members)
        rng.shuffle(shuffled)
        history.append([shuffled[i : i + size] for i in range(0, len(shuffled), size)])
    return history


def assert_valid_round(groups: Round, members: Sequence[str], size: int) -> None:
    unique = set(members)
    placed = Counter(m for group in groups for m in group)
    assert set(placed) == unique
    assert all(count == 1 for count in placed.values())
    expected = balanced_sizes(len(unique), group_count(len(unique), size))
    assert [len(group) for group in groups] == expected


# --------------------------------------------------------------------------- sizes


@pytest.mark.parametrize(
    ("participants", "size", "groups"),
    [
        (5, 2, 3),  # 2.5 rounds half up
        (7, 2, 4),
        (4, 2, 2),
        (9, 6, 2),  # 1.5 -> 2
        (5, 4, 1),  # 1.25 -> 1
        (1, 5, 1),  # never zero groups
        (0, 3, 1),
        (40, 6, 7),
        (1000, 6, 167),
    ],
)
def test_group_count_rounds_half_up(participants: int, size: int, groups: int) -> None:
    assert group_count(participants, size) == groups


@given(st.integers(0, 5000), st.integers(1, 200))
def test_group_count_matches_the_issue_formula(participants: int, size: int) -> None:
    exact = max(1, floor(Fraction(participants, size) + Fraction(1, 2)))
    assert group_count(participants, size) == exact


def test_group_count_rejects_size_below_one() -> None:
    with pytest.raises(ValueError, match="size"):
        group_count(10, 0)


@given(st.integers(0, 500), st.integers(1, 60))
def test_balanced_sizes_differ_by_at_most_one_larger_first(participants: int, groups: int) -> None:
    sizes = balanced_sizes(participants, groups)
    assert len(sizes) == groups
    assert sum(sizes) == participants
    assert max(sizes) - min(sizes) <= 1
    assert sizes == sorted(sizes, reverse=True)


def test_balanced_sizes_rejects_zero_groups() -> None:
    with pytest.raises(ValueError, match="group"):
        balanced_sizes(5, 0)


@pytest.mark.parametrize(
    ("participants", "size", "bound"),
    [(15, 3, 7), (16, 4, 5), (25, 5, 6), (32, 4, 10), (40, 6, 8), (12, 4, 1), (7, 1, None)],
)
def test_zero_repeat_bound_counts_pairs(participants: int, size: int, bound: int | None) -> None:
    assert zero_repeat_bound(participants, size) == bound


# --------------------------------------------------------------------------- partitions


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 24), st.integers(1, 26), st.integers(0, 3))
def test_every_member_is_placed_once_in_balanced_groups(n: int, size: int, seed: int) -> None:
    members = people(n)
    assert_valid_round(make_groups(members, size, seed=seed), members, size)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 90), st.integers(2, 7), st.integers(0, 6), st.integers(0, 99))
def test_rounds_with_history_are_balanced_partitions(
    n: int, size: int, rounds: int, seed: int
) -> None:
    members = people(n)
    history = random_history([*members, "UGONE1", "UGONE2"], size, rounds, seed)
    assert_valid_round(make_groups(members, size, history=history, seed=seed), members, size)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 30), st.integers(1, 8), st.integers(0, 4), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(
    n: int, size: int, rounds: int, rng: random.Random
) -> None:
    members = people(n)
    history = random_history(members, size, rounds, seed=n)
    clinics = {m: f"clinic{i % 3}" for i, m in enumerate(members)}
    rules = MixingRules(clinics=clinics)
    expected = make_groups(members, size, history=history, rules=rules, seed=7)

    shuffled_members = list(members)
    rng.shuffle(shuffled_members)
    shuffled_history = [[rng.sample(g, len(g)) for g in rng.sample(r, len(r))] for r in history]
    again = make_groups(shuffled_members, size, history=shuffled_history, rules=rules, seed=7)
    assert again == expected


@settings(max_examples=30, deadline=None)
@given(st.integers(2, 80), st.integers(2, 6), st.integers(0, 5), st.integers(0, 1000))
def test_same_input_gives_same_groups(n: int, size: int, rounds: int, seed: int) -> None:
    members = people(n)
    history = random_history(members, size, rounds, seed)
    first = make_groups(members, size, history=history, seed=seed)
    assert make_groups(list(members), size, history=list(history), seed=seed) == first


def test_duplicate_member_ids_are_placed_once() -> None:
    members = people(6)
    groups = make_groups([*members, members[0], members[3]], 2)
    assert_valid_round(groups, members, 2)


def test_empty_members_raise() -> None:
    with pytest.raises(ValueError, match="members"):
        make_groups([], 3)


@pytest.mark.parametrize("size", [0, -2])
def test_size_below_one_raises(size: int) -> None:
    with pytest.raises(ValueError, match="size"):
        make_groups(people(5), size)


@pytest.mark.parametrize("decay", [-0.1, 1.5, float("nan")])
def test_recency_decay_outside_unit_interval_raises(decay: float) -> None:
    with pytest.raises(ValueError, match="recency_decay"):
        MixingRules(recency_decay=decay)


def test_groups_of_one_and_one_big_group_are_valid() -> None:
    members = people(5)
    assert make_groups(members, 1) == [[m] for m in members]
    assert make_groups(members, 50) == [members]


# --------------------------------------------------------------------------- mixing


@pytest.mark.parametrize(
    ("n", "size", "known_max"),
    [
        (15, 3, 7),  # Kirkman's schoolgirls
        (16, 4, 5),  # affine plane of order 4
        (25, 5, 6),  # affine plane of order 5
        (32, 4, 10),  # the social golfer problem
    ],
)
def test_known_instances_reach_their_maximum_without_repeats(
    n: int, size: int, known_max: int
) -> None:
    history = play(people(n), size, known_max)
    assert repeats_per_round(history) == [0] * known_max
    assert zero_repeat_bound(n, size) == known_max  # nobody can do better


def test_kirkman_schedule_is_repeat_free_for_other_seeds_too() -> None:
    history = play(people(15), 3, 7, seed=12345)
    assert repeats_per_round(history) == [0] * 7


def test_forty_in_groups_of_six_get_seven_fresh_rounds() -> None:
    history = play(people(40), 6, 7)
    assert repeats_per_round(history) == [0] * 7


def test_groups_of_two_meet_everybody_once() -> None:
    history = play(people(10), 2, 9)
    assert repeats_per_round(history) == [0] * 9


def test_plan_is_recognised_when_history_order_differs() -> None:
    members = people(15)
    history = play(members, 3, 4)
    scrambled = [[list(reversed(group)) for group in reversed(rnd)] for rnd in history]
    rest: list[Round] = []
    for _ in range(3):
        rest.append(make_groups(members, 3, history=scrambled + rest))
    assert repeats_per_round(history + rest) == [0] * 7


def test_departed_members_in_history_are_ignored() -> None:
    members = people(15)
    history = play([*members, "UGONE"], 3, 2)
    groups = make_groups(members, 3, history=history)
    assert_valid_round(groups, members, 3)
    assert repeated_pairs(groups, history) == 0


def test_foreign_history_is_avoided_by_local_search() -> None:
    members = people(30)
    history = random_history(members, 3, 4, seed=1)
    assert repeated_pairs(make_groups(members, 3, history=history), history) == 0


def test_greedy_fallback_keeps_large_clusters_fresh_for_many_rounds() -> None:
    history = play(people(120), 4, 12)
    assert repeats_per_round(history) == [0] * 12


def test_forced_repeat_prefers_the_oldest_pairing() -> None:
    a, b, c, d = people(4)
    history = [[[a, b], [c, d]], [[a, c], [b, d]], [[a, d], [b, c]]]  # all pairs met
    assert make_groups([a, b, c, d], 2, history=history) == [[a, b], [c, d]]


def test_forced_repeat_prefers_one_recent_pair_over_two_old_ones() -> None:
    # ab+cd repeats two pairs met twice, ad+bc two pairs met once, ac+bd only ac
    # (met in the latest round): one recent repeat beats two older ones.
    a, b, c, d = people(4)
    history = [[[a, b], [c, d]], [[a, b], [c, d]], [[a, d], [b, c]], [[a, c]]]
    assert make_groups([a, b, c, d], 2, history=history) == [[a, c], [b, d]]


def test_meeting_cost_decays_towards_one() -> None:
    costs = [meeting_cost(k) for k in range(6)]
    assert costs[0] == 2.0
    assert costs == sorted(costs, reverse=True)
    assert all(cost > 1.0 for cost in costs)
    assert meeting_cost(3, MixingRules(recency_decay=0.0)) == 1.0


# --------------------------------------------------------------------------- clinics


def four_clinics_of_three() -> tuple[list[str], dict[str, str]]:
    members = people(12)
    return members, {m: "ABCD"[i // 3] for i, m in enumerate(members)}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_clinics_are_spread_over_groups(seed: int) -> None:
    members, clinics = four_clinics_of_three()
    groups = make_groups(members, 3, rules=MixingRules(clinics=clinics), seed=seed)
    assert all(len({clinics[m] for m in group}) == 3 for group in groups)


def test_clinics_are_spread_in_large_clusters() -> None:
    members = people(90)
    clinics = {m: f"clinic{i // 3}" for i, m in enumerate(members)}
    groups = make_groups(members, 3, rules=MixingRules(clinics=clinics))
    assert all(len({clinics[m] for m in group}) == 3 for group in groups)


def test_clinics_stay_together_when_asked_round_after_round() -> None:
    members, clinics = four_clinics_of_three()
    rules = MixingRules(clinics=clinics, keep_clinics_together=True)
    for groups in play(members, 3, 3, rules=rules):
        assert all(len({clinics[m] for m in group}) == 1 for group in groups)


def test_clinic_spreading_never_costs_a_repeat() -> None:
    members = people(15)
    clinics = {m: f"clinic{i % 5}" for i, m in enumerate(members)}
    history = play(members, 3, 7, rules=MixingRules(clinics=clinics))
    assert repeats_per_round(history) == [0] * 7


# --------------------------------------------------------------------------- scale


def test_thousand_members_with_fifty_past_rounds() -> None:
    members = people(1000)
    history = random_history(members, 6, 50, seed=3)
    groups = make_groups(members, 6, history=history)
    assert_valid_round(groups, members, 6)
    assert repeated_pairs(groups, history) == 0


# --------------------------------------------------------------------------- metric


def test_repeated_pairs_counts_each_pair_met_before_once() -> None:
    a, b, c, d = people(4)
    history = [[[a, b, c]], [[a, b], [c, d]]]
    assert repeated_pairs([[a, b, d], [c]], history) == 1  # only a-b; a-d, b-d are new
    assert repeated_pairs([[a, b, c, d]], history) == 4  # a-b, a-c, b-c, c-d
    assert repeated_pairs([[a, b, c, d]], []) == 0


def test_repeated_pairs_of_a_round_against_itself_counts_all_pairs() -> None:
    members = people(9)
    groups = [members[0:3], members[3:6], members[6:9]]
    assert repeated_pairs(groups, [groups]) == 9
