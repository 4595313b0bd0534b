"""Unit tests for bot.when: errors, dates, times, time zones and meeting starts."""

from __future__ import annotations

import string
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot import recurrence, when
from bot.i18n import Text
from bot.when import (
    WhenError,
    local_to_utc,
    parse_date,
    parse_meeting_start,
    parse_time,
)
from tests.unit.when_helpers import CPH, NOW, TODAY, refusal, wall

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
    assert "ÅÅÅÅ" not in da  # Danish GPs write 29.11.2026, not a pattern to decode
    assert "fx som 29.11.2026" in da


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
    assert "ÅÅÅÅ" not in da
    assert "fx som 29.11.2026, 3. december, 3. dec. 2026, 3/12-2026" in da


def test_date_error_example_is_a_week_after_today() -> None:
    with pytest.raises(WhenError) as error:
        parse_date("soon", today=TODAY)
    assert "2026-11-29" in error.value.render("en")
    assert "29.11.2026" in error.value.render("da")


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
