"""Counting votes: plurality, instant-runoff with rounds, ties, and one vote per sub-cluster."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from handlers.polls.tally import by_group, format_count, instant_runoff, plurality

A, B, C, D = 1, 2, 3, 4


def test_plurality_counts_each_chosen_option_once_per_ballot() -> None:
    result = plurality([A, B, C], [[A], [A, B], [B, B], [C], []])

    assert result.counts == {A: 2, B: 2, C: 1}
    assert result.winners == (A, B)
    assert result.is_tie
    assert result.ballots == 4


def test_plurality_without_votes_has_no_winner() -> None:
    result = plurality([A, B], [])

    assert result.winners == ()
    assert not result.is_tie


def test_plurality_ignores_unknown_options() -> None:
    result = plurality([A, B], [[A], [99]])

    assert result.counts == {A: 1, B: 0}
    assert result.winners == (A,)


def test_runoff_with_a_first_round_majority_has_one_round() -> None:
    result = instant_runoff([A, B, C], [[A], [A], [A, B], [B], [C]])

    assert result.winners == (A,)
    assert len(result.rounds) == 1
    assert result.rounds[0].counts == {A: 3, B: 1, C: 1}


def test_runoff_transfers_votes_of_the_eliminated_option() -> None:
    ballots = [[A, B], [A], [B, A], [B], [C, B]]

    result = instant_runoff([A, B, C], ballots)

    assert result.winners == (B,)
    assert [r.counts for r in result.rounds] == [{A: 2, B: 2, C: 1}, {A: 2, B: 3}]
    assert result.rounds[0].eliminated == (C,)
    assert result.out_in_round == {C: 1}
    assert result.counts[B] == 3


def test_runoff_eliminates_options_tied_for_last_together() -> None:
    ballots = [[A], [A], [A], [B, A], [C, B], [D, B], [B]]

    result = instant_runoff([A, B, C, D], ballots)

    assert result.rounds[0].eliminated == (C, D)
    assert result.winners == (B,)


def test_runoff_reports_a_tie_when_all_remaining_options_are_level() -> None:
    result = instant_runoff([A, B], [[A], [B]])

    assert result.winners == (A, B)
    assert result.is_tie


def test_runoff_counts_exhausted_ballots_and_uses_a_majority_of_the_rest() -> None:
    ballots = [[A], [A], [B], [B], [C]]  # C's voter ranked nothing else

    result = instant_runoff([A, B, C], ballots)

    assert result.rounds[-1].exhausted == 1
    assert result.winners == (A, B)


def test_runoff_ignores_repeated_and_unknown_options_on_a_ballot() -> None:
    result = instant_runoff([A, B], [[A, A, B], [99, B]])

    assert result.rounds[0].counts == {A: 1, B: 1}


def test_runoff_without_ballots_has_no_winner_and_no_rounds() -> None:
    result = instant_runoff([A, B], [[], [99]])

    assert result.winners == ()
    assert result.rounds == ()
    assert result.ballots == 0


def test_each_subcluster_counts_as_one_vote_overall() -> None:
    grouped = by_group(
        [A, B],
        {"nord": [[A], [A], [A], [A]], "syd": [[B], [B]], "vest": [[B]]},
        ranked=False,
    )

    assert grouped.overall.counts == {A: 1, B: 2}
    assert grouped.overall.winners == (B,)
    assert grouped.groups["nord"].counts[A] == 4


def test_a_tied_subcluster_splits_its_vote_and_a_silent_one_casts_none() -> None:
    grouped = by_group([A, B], {"nord": [[A], [B]], "syd": [[A]], "vest": []}, ranked=False)

    assert grouped.overall.counts == {A: Fraction(3, 2), B: Fraction(1, 2)}
    assert grouped.overall.ballots == 2


def test_by_group_uses_runoff_for_ranked_polls() -> None:
    grouped = by_group([A, B, C], {"nord": [[A, B], [B], [C, B], [B]]}, ranked=True)

    assert grouped.groups["nord"].winners == (B,)
    assert grouped.overall.counts[B] == 1


def test_split_votes_are_shown_with_at_most_two_decimals() -> None:
    assert format_count(Fraction(3, 2)) == "1.5"
    assert format_count(Fraction(1, 3)) == "0.33"
    assert format_count(4) == "4"


@given(
    st.lists(
        st.lists(st.sampled_from([A, B, C, D]), max_size=4),
        max_size=60,
    )
)
def test_runoff_winner_is_a_remaining_option_and_rounds_shrink(ballots: list[list[int]]) -> None:
    result = instant_runoff([A, B, C, D], ballots)

    sizes = [len(r.counts) for r in result.rounds]
    assert sizes == sorted(sizes, reverse=True)
    assert all(winner not in result.out_in_round for winner in result.winners)
    if result.rounds:
        assert result.winners
        assert sum(result.rounds[0].counts.values()) == result.ballots


@given(st.lists(st.lists(st.sampled_from([A, B, C]), max_size=3), max_size=60))
def test_plurality_total_equals_distinct_choices(ballots: list[list[int]]) -> None:
    result = plurality([A, B, C], ballots)

    assert sum(result.counts.values()) == sum(len(set(b)) for b in ballots)
