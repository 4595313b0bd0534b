"""Unit tests for bot.when: reminder offsets and reminder times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import when
from bot.when import (
    WhenError,
    format_offsets,
    parse_offsets,
    reminder_time,
)
from tests.unit.when_helpers import CPH, at, refusal, wall

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
