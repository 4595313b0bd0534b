"""The check-in questions and energisers (pure): enough of them, in both languages, and none
repeated within a year while anything else is left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.rituals.library import CHECKIN_QUESTIONS, ENERGISERS, choose

START = datetime(2027, 1, 7, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize("library", [CHECKIN_QUESTIONS, ENERGISERS])
def test_each_library_holds_more_than_a_year_of_four_weekly_meetings_in_both_languages(
    library: dict[str, object],
) -> None:
    assert len(library) > 365 // 28
    texts = list(library.values())
    assert len({text.en for text in texts}) == len(texts)  # type: ignore[attr-defined]
    assert len({text.da for text in texts}) == len(texts)  # type: ignore[attr-defined]


def test_the_first_never_used_comes_first_in_the_order_given() -> None:
    used = {"c01": START, "c02": START}

    assert choose(["own:4", "c01", "c02", "c03"], used) == "own:4"
    assert choose(["c01", "c02", "c03"], used) == "c03"
    assert choose([], used) is None


def test_when_all_were_used_the_one_used_longest_ago_comes_back() -> None:
    used = {"c01": START, "c02": START - timedelta(days=400), "c03": START - timedelta(days=30)}

    assert choose(["c01", "c02", "c03"], used) == "c02"


def test_meetings_every_four_weeks_never_repeat_a_question_within_a_year() -> None:
    keys = list(CHECKIN_QUESTIONS)
    used: dict[str, datetime] = {}
    chosen: list[tuple[datetime, str]] = []
    for number in range(40):
        now = START + timedelta(days=28 * number)
        key = choose(keys, used)
        assert key is not None
        chosen.append((now, key))
        used[key] = now

    for index, (when, key) in enumerate(chosen):
        later = [k for at, k in chosen[index + 1 :] if at - when < timedelta(days=365)]
        assert key not in later
