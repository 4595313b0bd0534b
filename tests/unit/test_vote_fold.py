"""The fold that derives a voter's votes from their clicks, and Slack's click times as text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.slack import click_time
from storage.ballots import Outcome, fold

VOTED, MOVED, WITHDRAWN, TOO_MANY = (
    Outcome.VOTED,
    Outcome.MOVED,
    Outcome.WITHDRAWN,
    Outcome.TOO_MANY,
)


def test_single_choice_moves_and_withdraws() -> None:
    folded = fold([1, 2, 2, 3], max_choices=1)

    assert folded.chosen == (3,)
    assert folded.outcomes == (VOTED, MOVED, WITHDRAWN, VOTED)


def test_clicking_the_same_option_twice_withdraws_it() -> None:
    assert fold([1, 1], max_choices=1).chosen == ()
    assert fold([1, 1, 1], max_choices=1).chosen == (1,)


def test_multi_choice_refuses_beyond_the_limit_until_one_is_withdrawn() -> None:
    folded = fold([1, 2, 3, 1, 3], max_choices=2)

    assert folded.chosen == (2, 3)
    assert folded.outcomes == (VOTED, VOTED, TOO_MANY, WITHDRAWN, VOTED)


def test_no_clicks_no_votes() -> None:
    assert fold([], max_choices=3).chosen == ()


FALLBACK = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("1700000000.123456", "0001700000000.123456"),
        ("1700000000.1", "0001700000000.100000"),
        ("1700000000", "0001700000000.000000"),
        ("1700000000.1234567", "0001700000000.123456"),
        ("", "0001767225600.000000"),
        ("soon", "0001767225600.000000"),
        ("-5", "0001767225600.000000"),
        ("NaN", "0001767225600.000000"),
        ("1e30", "0001767225600.000000"),
    ],
)
def test_click_time_is_zero_padded_and_falls_back_when_missing(sent: str, stored: str) -> None:
    assert click_time({"actions": [{"action_ts": sent}]}, fallback=FALLBACK) == stored


def test_click_times_sort_as_text_in_the_order_of_time() -> None:
    times = ["999999999.9", "1700000000.000002", "1700000000.00001", "1700000000.1"]

    stored = [click_time({"actions": [{"action_ts": t}]}, fallback=FALLBACK) for t in times]

    assert sorted(stored) == stored
