"""Pure parts of changing meetings: Danish holidays, and the values ``meeting set`` reads."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UserError
from handlers.meetings.fields import (
    AGENDA,
    LENGTH,
    REMINDERS,
    TITLE,
    TOPIC,
    ZOOM,
    parse_length,
    parse_value,
    split_series_flag,
    unquote,
)
from handlers.meetings.holidays import closed_reason, danish_holidays, easter_sunday

# --- holidays -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5))],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_the_danish_holidays_of_2026() -> None:
    names = {day: text.da for day, text in danish_holidays(2026).items()}
    assert names == {
        date(2026, 1, 1): "nytårsdag",
        date(2026, 4, 2): "skærtorsdag",
        date(2026, 4, 3): "langfredag",
        date(2026, 4, 5): "påskedag",
        date(2026, 4, 6): "2. påskedag",
        date(2026, 5, 14): "Kristi himmelfartsdag",
        date(2026, 5, 24): "pinsedag",
        date(2026, 5, 25): "2. pinsedag",
        date(2026, 12, 24): "juleaftensdag",
        date(2026, 12, 25): "juledag",
        date(2026, 12, 26): "2. juledag",
        date(2026, 12, 31): "nytårsaftensdag",
    }


def test_store_bededag_until_2023_only() -> None:
    assert danish_holidays(2023)[date(2023, 5, 5)].da == "store bededag"
    assert date(2024, 4, 26) not in danish_holidays(2024)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_the_movable_holidays_keep_their_weekdays(day: date) -> None:
    easter = easter_sunday(day.year)
    assert easter.weekday() == 6
    holidays = danish_holidays(day.year)
    assert holidays[easter + timedelta(days=39)].en == "Ascension Day"
    assert (easter + timedelta(days=39)).weekday() == 3
    reason = closed_reason(day)
    assert (reason is None) == (day.weekday() < 5 and day not in holidays)


# --- values of meeting set ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("90", 90),
        ("90m", 90),
        ("90 min", 90),
        ("90 minutter", 90),
        ("2h", 120),
        ("2t", 120),
        ("2 timer", 120),
        ("1h30", 90),
        ("1t30m", 90),
        ("1 t 30 min", 90),
        ("1,5t", 90),
        ("1.5h", 90),
        ("1:30", 90),
        ("12 timer", 720),
        ("15", 15),
    ],
)
def test_lengths_as_doctors_write_them(typed: str, minutes: int) -> None:
    assert parse_length(typed) == minutes


@pytest.mark.parametrize("typed", ["", "0", "14", "13h", "721", "lang", "1h2h", "-30", "1:75"])
def test_impossible_lengths_are_refused(typed: str) -> None:
    with pytest.raises(UserError):
        parse_length(typed)


def test_series_flag_is_found_at_either_end_and_in_danish() -> None:
    assert split_series_flag("https://zoom.us/j/1 --series") == ("https://zoom.us/j/1", True)
    assert split_series_flag("--serie Læs op") == ("Læs op", True)
    assert split_series_flag("— series Mac dash") == ("— series Mac dash", False)
    assert split_series_flag("—series Mac dash") == ("Mac dash", True)
    assert split_series_flag("1. Velkomst\n2. Sager") == ("1. Velkomst\n2. Sager", False)


def test_quotes_around_a_value_are_taken_off() -> None:
    assert unquote("„Hjertesvigt“") == "Hjertesvigt"
    assert unquote('"KOL"') == "KOL"
    assert unquote('KOL "og" astma') == 'KOL "og" astma'


def test_dash_clears_what_may_be_empty_and_nothing_else() -> None:
    for field in (ZOOM, TOPIC, AGENDA, REMINDERS):
        assert parse_value(field, "-") is None
    for field in (TITLE, LENGTH):
        with pytest.raises(UserError):
            parse_value(field, "-")


def test_values_are_read_for_their_field() -> None:
    assert parse_value(TITLE, "  Diabetes   og  nyrer ") == "Diabetes og nyrer"
    assert parse_value(REMINDERS, "7d, 1d") == "7d,1d"
    assert parse_value(REMINDERS, "ingen") == ""
    assert parse_value(ZOOM, "https://zoom.us/j/1") == "https://zoom.us/j/1"
    assert parse_value(AGENDA, "1. Check-in\n2. Cases") == "1. Check-in\n2. Cases"
    with pytest.raises(UserError):
        parse_value(TOPIC, "x" * 501)
    with pytest.raises(UserError):
        parse_value(TOPIC, "Sagen om 010190-1234")
