"""Unit tests for bot.when: dates, times, reminder offsets and repeats."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import recurrence, when
from bot.i18n import Text
from bot.recurrence import MAX_OCCURRENCES, parse_count, parse_recurrence
from bot.when import (
    WhenError,
    format_offsets,
    local_to_utc,
    parse_date,
    parse_meeting_start,
    parse_offsets,
    parse_time,
    reminder_time,
)

CPH = ZoneInfo("Europe/Copenhagen")
TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # 13:00 in Copenhagen


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Copenhagen wall time as the UTC instant the module would store."""
    return local_to_utc(date(year, month, day), time(hour, minute), CPH)


def wall(moment: datetime) -> str:
    return moment.astimezone(CPH).strftime("%Y-%m-%d %H:%M")


def refusal(error: pytest.ExceptionInfo[WhenError]) -> tuple[str, str]:
    return error.value.render("en"), error.value.render("da")


# --------------------------------------------------------------------------- WhenError / texts


def test_when_error_is_a_value_error_with_english_str() -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD") as error:
        parse_date("nonsense", today=TODAY)
    assert isinstance(error.value, WhenError)
    assert str(error.value) == error.value.render("en")


def test_when_error_renders_danish() -> None:
    with pytest.raises(WhenError) as error:
        parse_time("16 o'clock")
    assert "klokkeslæt" in error.value.render("da")
    assert "klokkeslæt" not in error.value.render("en")


def test_error_texts_use_the_same_placeholders_in_both_languages() -> None:
    texts = {
        name: value
        for name, value in (vars(when) | vars(recurrence)).items()
        if isinstance(value, Text)
    }
    assert len(texts) >= 15

    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    for name, text in texts.items():
        assert fields(text.en) == fields(text.da), name


def test_long_user_input_is_cut_short_in_the_message() -> None:
    with pytest.raises(WhenError) as error:
        parse_date("x" * 500, today=TODAY)
    en, _ = refusal(error)
    assert "x" * 39 + "…" in en
    assert "x" * 41 not in en


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03", date(2026, 12, 3)),
        ("2026-3-5", date(2026, 3, 5)),
        ("03-12-2026", date(2026, 12, 3)),
        ("3-12-2026", date(2026, 12, 3)),
        ("03.12.2026", date(2026, 12, 3)),
        ("3.12.2026", date(2026, 12, 3)),
        ("3/12/2026", date(2026, 12, 3)),
        ("03/12/2026", date(2026, 12, 3)),
        ("  2026-12-03 ", date(2026, 12, 3)),
    ],
)
def test_parse_date_accepts_iso_and_day_first_forms(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


def test_parse_date_reads_iso_year_first_not_day_first() -> None:
    # dateutil with dayfirst=True would read this as 3 October.
    assert parse_date("2026-03-10", today=date(2026, 1, 1)) == date(2026, 3, 10)


def test_parse_date_day_month_without_year_is_this_year_when_still_ahead() -> None:
    assert parse_date("3/12", today=TODAY) == date(2026, 12, 3)


def test_parse_date_day_month_without_year_counts_today_as_not_past() -> None:
    assert parse_date("22/11", today=TODAY) == date(2026, 11, 22)


def test_parse_date_day_month_without_year_rolls_to_next_year_when_passed() -> None:
    assert parse_date("21/11", today=TODAY) == date(2027, 11, 21)


def test_parse_date_leap_day_without_year_is_the_next_leap_day() -> None:
    assert parse_date("29/2", today=TODAY) == date(2028, 2, 29)


@pytest.mark.parametrize("text", ["2026-02-30", "30-02-2026", "30.02.2026", "31/4/2027", "31/4"])
def test_parse_date_refuses_days_that_do_not_exist(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_date(text, today=TODAY)
    assert error.value.text is when.DATE_NONEXISTENT
    en, da = refusal(error)
    assert text in en
    assert "YYYY-MM-DD" in en
    assert "ÅÅÅÅ-MM-DD" in da


@pytest.mark.parametrize("text", ["2026-13-01", "3/13", "3/13/2026", "13-13-2026", "0/1"])
def test_parse_date_refuses_month_13_instead_of_swapping_day_and_month(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_date(text, today=TODAY)
    assert error.value.text is when.DATE_NONEXISTENT


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tomorow",
        "3 Decembre 2026",
        "2026/12/03",
        "03-12.2026",
        "3/12/2026x",
        "3-12",
        "next",
        "på fredag kl",
        "2026-12-03T16:00",
        "20261203",
        "٣/١٢",
    ],
)
def test_parse_date_refuses_unreadable_text_showing_the_accepted_forms(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_date(text, today=TODAY)
    assert error.value.text is when.DATE_FORMAT
    en, da = refusal(error)
    assert "YYYY-MM-DD" in en
    assert "D/M" in en
    assert "ÅÅÅÅ-MM-DD" in da


def test_date_error_example_is_a_week_after_today() -> None:
    with pytest.raises(WhenError) as error:
        parse_date("soon", today=TODAY)
    assert "2026-11-29" in error.value.render("en")


# --------------------------------------------------------------------------- parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16:00", time(16, 0)),
        ("16.00", time(16, 0)),
        ("9:30", time(9, 30)),
        ("9.30", time(9, 30)),
        ("09:30", time(9, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        (" 7.05 ", time(7, 5)),
    ],
)
def test_parse_time_accepts_colon_and_danish_dot_forms(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:99", "24:00", "12:60", "99.99"])
def test_parse_time_refuses_times_that_do_not_exist(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_time(text)
    assert error.value.text is when.TIME_NONEXISTENT
    en, da = refusal(error)
    assert text in en
    assert "HH:MM" in en
    assert "TT.MM" in da


@pytest.mark.parametrize(
    "text", ["", "1600", "16:0", "16:000", "kl. sen", "16h00", "16:00:00", "16-17", "16 30"]
)
def test_parse_time_refuses_unreadable_text_showing_the_form(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_time(text)
    assert error.value.text is when.TIME_FORMAT
    en, da = refusal(error)
    assert "HH:MM" in en
    assert "TT.MM" in da


# --------------------------------------------------------------------------- local_to_utc


def test_local_to_utc_in_winter_is_one_hour_ahead_of_utc() -> None:
    assert local_to_utc(date(2027, 1, 7), time(16), CPH) == datetime(2027, 1, 7, 15, tzinfo=UTC)


def test_local_to_utc_in_summer_is_two_hours_ahead_of_utc() -> None:
    assert local_to_utc(date(2027, 6, 10), time(16), CPH) == datetime(2027, 6, 10, 14, tzinfo=UTC)


def test_local_to_utc_returns_utc() -> None:
    assert local_to_utc(date(2027, 6, 10), time(16), CPH).tzinfo is UTC


def test_local_to_utc_refuses_the_spring_forward_gap_and_suggests_the_shifted_time() -> None:
    with pytest.raises(WhenError) as error:
        local_to_utc(date(2027, 3, 28), time(2, 30), CPH)
    assert error.value.text is when.DST_GAP
    en, da = refusal(error)
    assert "02:30" in en
    assert "2027-03-28" in en
    assert "Europe/Copenhagen" in en
    assert "03:30" in en
    assert "HH:MM" in en
    assert "03.30" in da


def test_local_to_utc_accepts_the_edges_of_the_spring_gap() -> None:
    assert local_to_utc(date(2027, 3, 28), time(1, 59), CPH) == datetime(
        2027, 3, 28, 0, 59, tzinfo=UTC
    )
    assert local_to_utc(date(2027, 3, 28), time(3, 0), CPH) == datetime(2027, 3, 28, 1, tzinfo=UTC)


def test_local_to_utc_takes_the_summer_time_occurrence_of_an_ambiguous_autumn_time() -> None:
    assert local_to_utc(date(2027, 10, 31), time(2, 30), CPH) == datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC
    )


def test_local_to_utc_uses_the_given_zone() -> None:
    new_york = ZoneInfo("America/New_York")
    assert local_to_utc(date(2027, 1, 7), time(16), new_york) == datetime(
        2027, 1, 7, 21, tzinfo=UTC
    )
    with pytest.raises(WhenError):
        local_to_utc(date(2027, 3, 14), time(2, 30), new_york)


# --------------------------------------------------------------------------- parse_meeting_start


def test_parse_meeting_start_returns_the_utc_instant_of_the_local_time() -> None:
    start = parse_meeting_start("2026-12-03", "16:00", tz=CPH, now=NOW)
    assert start == datetime(2026, 12, 3, 15, tzinfo=UTC)
    assert start.tzinfo is UTC


def test_parse_meeting_start_defaults_to_copenhagen() -> None:
    assert parse_meeting_start("2027-06-10", "16:00", now=NOW) == datetime(
        2027, 6, 10, 14, tzinfo=UTC
    )


def test_parse_meeting_start_accepts_danish_forms() -> None:
    assert parse_meeting_start("3.12.2026", "16.00", tz=CPH, now=NOW) == datetime(
        2026, 12, 3, 15, tzinfo=UTC
    )
    assert parse_meeting_start("3/12", "9:30", tz=CPH, now=NOW) == datetime(
        2026, 12, 3, 8, 30, tzinfo=UTC
    )


def test_parse_meeting_start_accepts_later_today() -> None:
    assert parse_meeting_start("2026-11-22", "13:01", tz=CPH, now=NOW) == datetime(
        2026, 11, 22, 12, 1, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("date_text", "time_text"),
    [("2026-11-22", "13:00"), ("2026-11-22", "09:00"), ("2026-11-21", "16:00"), ("22/11", "8:00")],
)
def test_parse_meeting_start_refuses_the_past(date_text: str, time_text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_meeting_start(date_text, time_text, tz=CPH, now=NOW)
    assert error.value.text is when.MEETING_IN_PAST
    en, da = refusal(error)
    assert "YYYY-MM-DD HH:MM" in en
    # The time read and "now", in words and local time, so a slip shows at once.
    assert "(it is now Sunday 22 November 2026 at 13:00)" in en
    assert "(nu er det søndag den 22. november 2026 kl. 13.00)" in da


def test_parse_meeting_start_resolves_day_month_against_the_local_date() -> None:
    # 23:30 UTC on 31 December is already 1 January in Copenhagen, so "31/12" is next year.
    now = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert wall(parse_meeting_start("31/12", "16:00", tz=CPH, now=now)) == "2027-12-31 16:00"


def test_parse_meeting_start_refuses_the_spring_forward_gap() -> None:
    with pytest.raises(WhenError) as error:
        parse_meeting_start("2027-03-28", "02:30", tz=CPH, now=NOW)
    assert error.value.text is when.DST_GAP


def test_parse_meeting_start_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError, match="timezone-aware") as error:
        parse_meeting_start("2026-12-03", "16:00", tz=CPH, now=datetime(2026, 11, 22))
    assert not isinstance(error.value, WhenError)


def test_parse_meeting_start_reports_a_bad_date_before_a_bad_time() -> None:
    with pytest.raises(WhenError) as error:
        parse_meeting_start("2026-02-30", "25:99", tz=CPH, now=NOW)
    assert error.value.text is when.DATE_NONEXISTENT


# --------------------------------------------------------------------------- parse_offsets

D, H, M = timedelta(days=1), timedelta(hours=1), timedelta(minutes=1)


def test_parse_offsets_reads_the_documented_example() -> None:
    assert parse_offsets("7d,1d,1h") == [7 * D, D, H]


@pytest.mark.parametrize(("text", "expected"), [("30m", 30 * M), ("2d", 2 * D), ("36h", 36 * H)])
def test_parse_offsets_reads_each_unit(text: str, expected: timedelta) -> None:
    assert parse_offsets(text) == [expected]


def test_parse_offsets_tolerates_whitespace() -> None:
    assert parse_offsets(" 1h , 7d ,1 d ") == [7 * D, D, H]


def test_parse_offsets_removes_duplicates() -> None:
    assert parse_offsets("1d,1d,1h,60m") == [D, H]


def test_parse_offsets_sorts_longest_first() -> None:
    assert parse_offsets("1h,7d,30m,1d") == [7 * D, D, H, 30 * M]


def test_parse_offsets_ignores_case() -> None:
    assert parse_offsets("1D,2H,5M") == [D, 2 * H, 5 * M]


def test_parse_offsets_accepts_danish_t_for_hours() -> None:
    assert parse_offsets("1t") == [H]


def test_parse_offsets_skips_empty_items() -> None:
    assert parse_offsets("7d,,1h,") == [7 * D, H]


def test_parse_offsets_accepts_exactly_one_year() -> None:
    assert parse_offsets("365d,8760h,525600m") == [365 * D]


@pytest.mark.parametrize("text", ["0d", "0m", "00h", "7d,0h", "-0d"])
def test_parse_offsets_refuses_zero(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_offsets(text)
    assert error.value.text is when.OFFSET_ZERO
    assert "30m" in error.value.render("en")


@pytest.mark.parametrize("text", ["-1d", "- 2h", "7d,-30m"])
def test_parse_offsets_refuses_negative(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_offsets(text)
    assert error.value.text is when.OFFSET_NEGATIVE
    assert "1d" in error.value.render("en")


@pytest.mark.parametrize(
    ("text", "unit"), [("2y", "y"), ("1år", "år"), ("7d,3x", "x"), ("5mins", "mins")]
)
def test_parse_offsets_refuses_unknown_units(text: str, unit: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_offsets(text)
    assert error.value.text is when.OFFSET_UNIT
    en, da = refusal(error)
    assert f"“{unit}”" in en
    assert "d (days), h (hours), m (minutes) or w (weeks)" in en
    assert "7d,1d,1h" in en
    assert "d (dage)" in da


@pytest.mark.parametrize("text", ["15", "soon", "1.5h", "1d2h", "d", "1 d 2", "7d;1d"])
def test_parse_offsets_refuses_unreadable_items(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_offsets(text)
    assert error.value.text is when.OFFSET_FORMAT
    assert "7d,1d,1h" in error.value.render("en")


@pytest.mark.parametrize("text", ["366d", "8761h", "525601m", "1000000000000000000000000d"])
def test_parse_offsets_refuses_more_than_a_year(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_offsets(text)
    assert error.value.text is when.OFFSET_TOO_LARGE
    assert "365d" in error.value.render("en")


@pytest.mark.parametrize("text", ["", "  ", ",", " , "])
def test_parse_offsets_refuses_nothing(text: str) -> None:
    with pytest.raises(WhenError) as error:
        parse_offsets(text)
    assert error.value.text is when.OFFSET_EMPTY
    assert "--remind 7d,1d,1h" in error.value.render("en")


def test_parse_offsets_names_the_bad_item() -> None:
    with pytest.raises(WhenError) as error:
        parse_offsets("7d,2x,1h")
    assert "“2x”" in error.value.render("en")


# --------------------------------------------------------------------------- format_offsets


def test_format_offsets_writes_the_documented_example() -> None:
    assert format_offsets([7 * D, D, H]) == "7d,1d,1h"


@pytest.mark.parametrize(
    ("offset", "text"),
    [(25 * H, "25h"), (24 * H, "1d"), (90 * M, "90m"), (120 * M, "2h"), (D + 30 * M, "1470m")],
)
def test_format_offsets_uses_the_largest_exact_unit(offset: timedelta, text: str) -> None:
    assert format_offsets([offset]) == text


def test_format_offsets_sorts_and_deduplicates() -> None:
    assert format_offsets([H, 7 * D, H, 30 * M]) == "7d,1h,30m"


def test_format_offsets_of_nothing_is_empty() -> None:
    assert format_offsets([]) == ""


@pytest.mark.parametrize("offset", [timedelta(0), -H, timedelta(seconds=90)])
def test_format_offsets_refuses_offsets_that_cannot_be_written(offset: timedelta) -> None:
    with pytest.raises(ValueError, match="positive whole minutes"):
        format_offsets([offset])


offset_lists = st.lists(
    st.integers(min_value=1, max_value=365 * 24 * 60).map(lambda minutes: minutes * M), min_size=1
)


@given(offset_lists)
def test_parse_offsets_round_trips_format_offsets(offsets: list[timedelta]) -> None:
    assert parse_offsets(format_offsets(offsets)) == sorted(set(offsets), reverse=True)


offset_items = st.tuples(
    st.integers(min_value=1, max_value=365), st.sampled_from(["d", "h", "t", "m", "D", "H", "M"])
).map(lambda item: f"{item[0]}{item[1]}")


@given(st.lists(offset_items, min_size=1))
def test_format_offsets_is_canonical_for_anything_parse_offsets_accepts(items: list[str]) -> None:
    parsed = parse_offsets(" , ".join(items))
    assert parse_offsets(format_offsets(parsed)) == parsed
    assert format_offsets(parse_offsets(format_offsets(parsed))) == format_offsets(parsed)


# --------------------------------------------------------------------------- reminder_time


def test_one_day_reminder_before_spring_forward_keeps_local_time_23_real_hours() -> None:
    start = at(2027, 3, 28, 16)  # first day of summer time
    assert start == datetime(2027, 3, 28, 14, tzinfo=UTC)
    reminder = reminder_time(start, D, CPH)
    assert reminder == datetime(2027, 3, 27, 15, tzinfo=UTC)
    assert wall(reminder) == "2027-03-27 16:00"
    assert start - reminder == 23 * H


def test_one_day_reminder_before_fall_back_keeps_local_time_25_real_hours() -> None:
    start = at(2027, 10, 31, 16)  # first day of winter time
    assert start == datetime(2027, 10, 31, 15, tzinfo=UTC)
    reminder = reminder_time(start, D, CPH)
    assert reminder == datetime(2027, 10, 30, 14, tzinfo=UTC)
    assert wall(reminder) == "2027-10-30 16:00"
    assert start - reminder == 25 * H


def test_one_day_reminder_the_day_after_spring_forward_is_24_real_hours() -> None:
    start = at(2027, 3, 29, 16)
    reminder = reminder_time(start, D, CPH)
    assert wall(reminder) == "2027-03-28 16:00"
    assert start - reminder == 24 * H


def test_seven_day_reminder_across_spring_forward_keeps_local_time() -> None:
    start = at(2027, 4, 1, 16)
    reminder = reminder_time(start, 7 * D, CPH)
    assert wall(reminder) == "2027-03-25 16:00"
    assert start - reminder == 7 * D - H


def test_seven_day_reminder_across_fall_back_keeps_local_time() -> None:
    start = at(2027, 11, 4, 16)
    reminder = reminder_time(start, 7 * D, CPH)
    assert wall(reminder) == "2027-10-28 16:00"
    assert start - reminder == 7 * D + H


def test_one_hour_reminder_across_spring_forward_is_60_real_minutes() -> None:
    start = at(2027, 3, 28, 3, 30)  # 01:30 UTC, just after the jump
    reminder = reminder_time(start, H, CPH)
    assert start - reminder == H
    assert wall(reminder) == "2027-03-28 01:30"  # the wall clock moved two hours


def test_two_hour_reminder_across_fall_back_is_120_real_minutes() -> None:
    start = at(2027, 10, 31, 3)  # 02:00 UTC, winter time
    reminder = reminder_time(start, 2 * H, CPH)
    assert reminder == datetime(2027, 10, 31, 0, tzinfo=UTC)
    assert wall(reminder) == "2027-10-31 02:00"  # the first 02:00, still summer time


def test_thirty_minute_reminder_is_thirty_minutes_before() -> None:
    start = at(2026, 12, 3, 16)
    assert reminder_time(start, 30 * M, CPH) == start - 30 * M


def test_twenty_five_hour_reminder_is_real_elapsed_time() -> None:
    start = at(2027, 3, 28, 16)
    reminder = reminder_time(start, 25 * H, CPH)
    assert start - reminder == 25 * H
    assert wall(reminder) == "2027-03-27 14:00"


def test_twenty_four_hour_reminder_counts_as_one_day() -> None:
    # A timedelta cannot tell 24h from 1d; documented in the module.
    start = at(2027, 3, 28, 16)
    assert reminder_time(start, 24 * H, CPH) == reminder_time(start, D, CPH)


def test_day_reminder_landing_in_the_spring_gap_moves_to_the_shifted_time() -> None:
    start = at(2027, 3, 29, 2, 30)
    reminder = reminder_time(start, D, CPH)
    assert wall(reminder) == "2027-03-28 03:30"
    assert reminder < start


def test_day_reminder_landing_on_an_ambiguous_time_takes_the_first() -> None:
    start = at(2027, 11, 1, 2, 30)
    assert reminder_time(start, D, CPH) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_reminder_time_defaults_to_copenhagen_and_returns_utc() -> None:
    reminder = reminder_time(at(2027, 3, 28, 16), D)
    assert reminder == datetime(2027, 3, 27, 15, tzinfo=UTC)
    assert reminder.tzinfo is UTC


def test_reminder_time_accepts_a_start_in_another_zone() -> None:
    start = at(2027, 3, 28, 16).astimezone(CPH)
    assert reminder_time(start, D, CPH) == datetime(2027, 3, 27, 15, tzinfo=UTC)


def test_reminder_time_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        reminder_time(datetime(2027, 3, 28, 14), D, CPH)


@pytest.mark.parametrize("offset", [timedelta(0), -D])
def test_reminder_time_refuses_non_positive_offsets(offset: timedelta) -> None:
    with pytest.raises(ValueError, match="positive"):
        reminder_time(at(2027, 3, 28, 16), offset, CPH)


daytime_meetings = st.builds(
    at,
    st.integers(2026, 2030),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(8, 21),  # Copenhagen never changes clocks in these hours
    st.integers(0, 59),
)


@given(daytime_meetings, st.integers(1, 365))
def test_whole_day_reminders_keep_the_local_wall_time(start: datetime, days: int) -> None:
    reminder = reminder_time(start, days * D, CPH)
    assert reminder.astimezone(CPH).time() == start.astimezone(CPH).time()
    assert reminder.astimezone(CPH).date() == start.astimezone(CPH).date() - days * D


@given(daytime_meetings, st.integers(1, 365 * 24 * 60).filter(lambda minutes: minutes % 1440))
def test_other_reminders_are_real_elapsed_time(start: datetime, minutes: int) -> None:
    assert start - reminder_time(start, minutes * M, CPH) == minutes * M


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
