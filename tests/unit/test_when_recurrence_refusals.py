"""Unit tests for bot.recurrence: the repeats it refuses, each with a friendly reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot import recurrence, when
from bot.recurrence import parse_recurrence
from bot.when import (
    WhenError,
)
from tests.unit.when_helpers import (
    CPH,
    at,
    refusal,
)


def test_refuses_a_count_above_a_hundred() -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(
            "weekly", first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=None, count=101
        )
    assert error.value.text is recurrence.RECURRENCE_TOO_MANY
    en, da = refusal(error)
    assert "100" in en
    assert "--count N" in en
    assert "--until date" in en
    assert "--antal N" in da


def test_refuses_an_until_giving_more_than_a_hundred_meetings() -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(
            "weekly",
            first_start_utc=at(2027, 1, 7, 16),
            tz=CPH,
            until=date(2027, 1, 7) + timedelta(weeks=100),
            count=None,
        )
    assert error.value.text is recurrence.RECURRENCE_TOO_MANY


def test_refuses_a_daily_rule_running_for_years() -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(
            "FREQ=DAILY",
            first_start_utc=at(2027, 1, 7, 16),
            tz=CPH,
            until=date(2099, 1, 1),
            count=None,
        )
    assert error.value.text is recurrence.RECURRENCE_TOO_MANY


def test_refuses_a_repeat_without_an_end() -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(
            "weekly", first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=None, count=None
        )
    assert error.value.text is recurrence.RECURRENCE_NO_END
    en, da = refusal(error)
    assert "--until and a date" in en
    assert "--count N" in en
    assert "--indtil og en dato" in da


def test_refuses_both_until_and_count() -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(
            "weekly", first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=date(2027, 3, 1), count=3
        )
    assert error.value.text is recurrence.RECURRENCE_BOTH_ENDS
    assert "--until and a date or --count N" in error.value.render("en")


@pytest.mark.parametrize("count", [0, -1])
def test_refuses_a_count_below_one(count: int) -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(
            "weekly", first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=None, count=count
        )
    assert error.value.text is recurrence.RECURRENCE_COUNT
    assert "--count N" in error.value.render("en")


def test_refuses_an_until_before_the_first_meeting() -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(
            "weekly", first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=date(2027, 1, 6), count=None
        )
    assert error.value.text is recurrence.RECURRENCE_UNTIL_BEFORE_START
    en, da = refusal(error)
    assert "Wednesday 6 January 2027" in en
    assert "Thursday 7 January 2027 at 16:00" in en
    assert "onsdag den 6. januar 2027" in da


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "fortnight",
        "every weak",
        "0w",
        "53w",
        "1000w",
        "fifth-friday",
        "first-funday",
        "first-thursday-of-month",
        "FREQ=SOMETIMES",
        "FREQ=MONTHLY;BYDAY=9TH",
        "FREQ=MONTHLY;BYDAY=XX",
        "FREQ=MONTHLY;INTERVAL=0",
        "FREQ=MONTHLY;INTERVAL=-1",
        "FREQ=MONTHLY;BYSETPOS=0",
        "RRULE:",
        "FREQ",
        "FREQ=",
    ],
)
def test_refuses_unknown_patterns_showing_examples(rule: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(rule, first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=None, count=3)
    assert error.value.text is recurrence.RECURRENCE_UNKNOWN
    en, da = refusal(error)
    assert "4w" in en
    assert "first-thursday" in en
    assert "FREQ=MONTHLY;BYDAY=1TH" in en
    assert "første-torsdag" in da


@pytest.mark.parametrize(
    ("rule", "part"),
    [
        ("FREQ=HOURLY", "FREQ=HOURLY"),
        ("FREQ=MINUTELY", "FREQ=MINUTELY"),
        ("FREQ=WEEKLY;COUNT=3", "COUNT=3"),
        ("FREQ=WEEKLY;UNTIL=20271231", "UNTIL=20271231"),
        ("FREQ=WEEKLY;BYHOUR=9", "BYHOUR=9"),
        ("FREQ=WEEKLY;DTSTART=20270107", "DTSTART=20270107"),
        ("FREQ=SECONDLY;INTERVAL=5", "FREQ=SECONDLY"),
    ],
)
def test_refuses_rrule_parts_that_clash_with_the_command(rule: str, part: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(rule, first_start_utc=at(2027, 1, 7, 16), tz=CPH, until=None, count=3)
    assert error.value.text is recurrence.RRULE_PART_NOT_ALLOWED
    en, _ = refusal(error)
    assert f"“{part}”" in en
    assert "--until or --count" in en


def test_refuses_a_first_meeting_that_does_not_fit_the_pattern() -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(
            "first-thursday", first_start_utc=at(2027, 1, 14, 16), tz=CPH, until=None, count=3
        )
    assert error.value.text is recurrence.RECURRENCE_START_MISMATCH
    en, da = refusal(error)
    assert "Thursday 14 January 2027" in en
    assert "Thursday 4 February 2027" in en  # the next first Thursday
    assert "torsdag den 4. februar 2027" in da


def test_refuses_a_pattern_that_never_happens() -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            first_start_utc=at(2027, 1, 7, 16),
            tz=CPH,
            until=None,
            count=3,
        )
    assert error.value.text is recurrence.RECURRENCE_NEVER


def test_refuses_a_series_with_a_meeting_in_the_spring_gap() -> None:
    with pytest.raises(WhenError) as error:
        parse_recurrence(
            "weekly", first_start_utc=at(2027, 3, 21, 2, 30), tz=CPH, until=None, count=3
        )
    assert error.value.text is when.DST_GAP
    assert "2027-03-28" in error.value.render("en")
