"""Unit tests for bot.recurrence: the repeat patterns (every n weeks, nth weekday, monthly, raw
RRULE) and local time across summer-time changes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot import recurrence
from bot.recurrence import parse_recurrence
from bot.when import (
    WhenError,
)
from tests.unit.when_helpers import (
    CPH,
    at,
    refusal,
    walls,
)


def test_every_four_weeks_across_spring_forward_stays_at_local_16() -> None:
    meetings = parse_recurrence(
        "4w", first_start_utc=at(2027, 3, 11, 16), tz=CPH, until=None, count=3
    )
    assert walls(meetings) == ["2027-03-11 16:00", "2027-04-08 16:00", "2027-05-06 16:00"]
    assert [m.hour for m in meetings] == [15, 14, 14]  # UTC hours change with DST
    assert all(m.tzinfo is UTC for m in meetings)


def test_weekly_across_fall_back_stays_at_local_16() -> None:
    meetings = parse_recurrence(
        "weekly", first_start_utc=at(2027, 10, 21, 16), tz=CPH, until=None, count=3
    )
    assert walls(meetings) == ["2027-10-21 16:00", "2027-10-28 16:00", "2027-11-04 16:00"]
    assert [m.hour for m in meetings] == [14, 14, 15]


@pytest.mark.parametrize(
    ("rule", "weeks"), [("1w", 1), ("2w", 2), ("4w", 4), ("2W", 2), ("52w", 52)]
)
def test_every_n_weeks(rule: str, weeks: int) -> None:
    meetings = parse_recurrence(
        rule, first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=None, count=3
    )
    first = date(2027, 1, 7)
    assert [m.astimezone(CPH).date() for m in meetings] == [
        first + timedelta(weeks=weeks * i) for i in range(3)
    ]


def test_first_thursday_for_a_year() -> None:
    meetings = parse_recurrence(
        "first-thursday",
        first_start_utc=at(2027, 1, 7, 16),
        tz=CPH,
        until=date(2027, 12, 31),
        count=None,
    )
    assert walls(meetings) == [
        "2027-01-07 16:00",
        "2027-02-04 16:00",
        "2027-03-04 16:00",
        "2027-04-01 16:00",
        "2027-05-06 16:00",
        "2027-06-03 16:00",
        "2027-07-01 16:00",
        "2027-08-05 16:00",
        "2027-09-02 16:00",
        "2027-10-07 16:00",
        "2027-11-04 16:00",
        "2027-12-02 16:00",
    ]


@pytest.mark.parametrize(
    "rule",
    ["første-torsdag", "First-Thursday", "first thursday", "first_thursday", "FØRSTE-TORSDAG"],
)
def test_nth_weekday_spellings_match_first_thursday(rule: str) -> None:
    expected = parse_recurrence(
        "first-thursday", first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=None, count=5
    )
    assert (
        parse_recurrence(rule, first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=None, count=5)
        == expected
    )


@pytest.mark.parametrize("rule", ["last-tuesday", "sidste-tirsdag"])
def test_last_tuesday(rule: str) -> None:
    meetings = parse_recurrence(
        rule, first_start_utc=at(2027, 1, 26, 16), tz=CPH, until=None, count=4
    )
    assert walls(meetings) == [
        "2027-01-26 16:00",
        "2027-02-23 16:00",
        "2027-03-30 16:00",
        "2027-04-27 16:00",
    ]


@pytest.mark.parametrize("rule", ["second-monday", "anden-mandag"])
def test_second_monday(rule: str) -> None:
    meetings = parse_recurrence(
        rule, first_start_utc=at(2027, 1, 11, 9), tz=CPH, until=None, count=3
    )
    assert walls(meetings) == ["2027-01-11 09:00", "2027-02-08 09:00", "2027-03-08 09:00"]


@pytest.mark.parametrize("rule", ["monthly", "månedlig", "quarterly"])
def test_monthly_from_the_29th_on_is_refused_not_skipping_short_months(rule: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(rule, first_start_utc=at(2027, 1, 31, 16), tz=CPH, until=None, count=7)
    assert error.value.text is recurrence.RECURRENCE_MONTH_END
    en, da = refusal(error)
    assert "day 31" in en
    assert "last-thursday" in en
    assert "sidste-torsdag" in da


def test_monthly_on_the_28th_is_every_month() -> None:
    meetings = parse_recurrence(
        "månedlig", first_start_utc=at(2027, 1, 28, 16), tz=CPH, until=None, count=3
    )
    assert walls(meetings) == ["2027-01-28 16:00", "2027-02-28 16:00", "2027-03-28 16:00"]


def test_danish_monthly_matches_monthly() -> None:
    first = at(2027, 1, 15, 16)
    assert parse_recurrence(
        "månedligt", first_start_utc=first, tz=CPH, until=None, count=3
    ) == parse_recurrence("monthly", first_start_utc=first, tz=CPH, until=None, count=3)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=1TH",
        "RRULE:FREQ=MONTHLY;BYDAY=1TH",
        "rrule:freq=monthly;byday=1th",
        " FREQ=MONTHLY ; BYDAY=+1TH; ",
    ],
)
def test_raw_rrule_first_thursday(rule: str) -> None:
    meetings = parse_recurrence(
        rule, first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=None, count=3
    )
    assert walls(meetings) == ["2027-01-07 16:00", "2027-02-04 16:00", "2027-03-04 16:00"]


def test_raw_rrule_with_interval() -> None:
    meetings = parse_recurrence(
        "FREQ=WEEKLY;INTERVAL=3", first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=None, count=3
    )
    assert walls(meetings) == ["2027-01-07 16:00", "2027-01-28 16:00", "2027-02-18 16:00"]


def test_series_meeting_at_an_ambiguous_time_takes_summer_time() -> None:
    meetings = parse_recurrence(
        "weekly", first_start_utc=at(2027, 10, 24, 2, 30), tz=CPH, until=None, count=2
    )
    assert meetings[1] == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_parse_recurrence_refuses_a_naive_first_start() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_recurrence(
            "weekly", first_start_utc=datetime(2027, 1, 7, 15), tz=CPH, until=None, count=3
        )


def test_parse_recurrence_defaults_to_copenhagen() -> None:
    meetings = parse_recurrence("4w", first_start_utc=at(2027, 3, 11, 16), until=None, count=2)
    assert walls(meetings) == ["2027-03-11 16:00", "2027-04-08 16:00"]
