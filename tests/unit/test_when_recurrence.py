"""Unit tests for bot.recurrence: repeats and counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot import recurrence, when
from bot.recurrence import MAX_OCCURRENCES, parse_count, parse_recurrence
from bot.when import (
    WhenError,
)
from tests.unit.when_helpers import CPH, at, refusal, wall

# --------------------------------------------------------------------------- parse_recurrence


def walls(moments: list[datetime]) -> list[str]:
    return [wall(moment) for moment in moments]


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
