"""Unit tests for bot.recurrence: how a series ends (a count or an until date, at most a hundred
meetings) and parse_count.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot import recurrence
from bot.recurrence import MAX_OCCURRENCES, parse_count, parse_recurrence
from bot.when import (
    WhenError,
)
from tests.unit.when_helpers import (
    CPH,
    at,
    refusal,
    walls,
)


def test_count_gives_exactly_that_many_meetings_starting_with_the_first() -> None:
    first = at(2027, 1, 7, 16)
    meetings = parse_recurrence("2w", first_start_utc=first, tz=CPH, until=None, count=5)
    assert len(meetings) == 5
    assert meetings[0] == first


def test_count_of_one_is_just_the_first_meeting() -> None:
    first = at(2027, 1, 7, 16)
    assert parse_recurrence("weekly", first_start_utc=first, tz=CPH, until=None, count=1) == [first]


def test_until_is_inclusive() -> None:
    meetings = parse_recurrence(
        "weekly", first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=date(2027, 1, 21), count=None
    )
    assert walls(meetings) == ["2027-01-07 16:00", "2027-01-14 16:00", "2027-01-21 16:00"]


def test_until_the_day_before_the_next_meeting_excludes_it() -> None:
    meetings = parse_recurrence(
        "weekly", first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=date(2027, 1, 20), count=None
    )
    assert len(meetings) == 2


def test_until_is_a_local_date() -> None:
    # 00:30 on 20 January in Copenhagen is still 19 January in UTC.
    meetings = parse_recurrence(
        "weekly", first_start_utc=at(2027, 1, 6, 0, 30), tz=CPH, until=date(2027, 1, 19), count=None
    )
    assert walls(meetings) == ["2027-01-06 00:30", "2027-01-13 00:30"]


def test_until_on_the_first_day_is_just_the_first_meeting() -> None:
    first = at(2027, 1, 7, 16)
    meetings = parse_recurrence(
        "weekly", first_start_utc=first, tz=CPH, until=date(2027, 1, 7), count=None
    )
    assert meetings == [first]


def test_a_hundred_meetings_by_count_are_allowed() -> None:
    meetings = parse_recurrence(
        "weekly", first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=None, count=MAX_OCCURRENCES
    )
    assert len(meetings) == 100


def test_a_hundred_meetings_by_until_are_allowed() -> None:
    meetings = parse_recurrence(
        "weekly",
        first_start_utc=at(2027, 1, 7, 16),
        tz=CPH,
        until=date(2027, 1, 7) + timedelta(weeks=99),
        count=None,
    )
    assert len(meetings) == 100


# --------------------------------------------------------------------------- parse_count


@pytest.mark.parametrize(("text", "expected"), [("10", 10), (" 7 ", 7), ("100", 100), ("007", 7)])
def test_parse_count_reads_whole_numbers(text: str, expected: int) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["0", "000", "", "abc", "-3", "1.5", "²", "10x"])
def test_parse_count_refuses_non_counts(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_count(text)
    assert error.value.text is recurrence.RECURRENCE_COUNT
    en, _ = refusal(error)
    assert "--count N" in en
    assert "100" in en


@pytest.mark.parametrize("text", ["101", "99999999999", "1" * 5000])
def test_parse_count_refuses_more_than_a_hundred(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_count(text)
    assert error.value.text is recurrence.RECURRENCE_TOO_MANY
