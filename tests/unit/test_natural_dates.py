"""Dates, times and lengths as Danish GPs (and English speakers) write them: every form the
help names reads back as the date and time it was written from."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import when
from bot.i18n import format_datetime
from bot.recurrence import parse_recurrence
from bot.when import (
    WhenError,
    local_to_utc,
    parse_date,
    parse_duration,
    parse_offsets,
    parse_start,
    parse_time,
    read_start,
)

CPH = ZoneInfo("Europe/Copenhagen")
# Sunday 22 November 2026, 13:00 in Copenhagen.
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
TODAY = date(2026, 11, 22)
DA_MONTHS = "januar februar marts april maj juni juli august september oktober november december"
EN_MONTHS = "January February March April May June July August September October November December"
DA_WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def local(text: str, now: datetime = NOW) -> str:
    start = read_start(text.split(), tz=CPH, now=now)
    return start.at.astimezone(CPH).strftime("%Y-%m-%d %H:%M")


def refusal(text: str) -> WhenError:
    with pytest.raises(WhenError) as error:
        parse_start(text.split(), tz=CPH, now=NOW)
    return error.value


# --------------------------------------------------------------------------- the forms in help


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3. december kl. 16", "2026-12-03 16:00"),
        ("3. dec. kl. 16.00", "2026-12-03 16:00"),
        ("3/12-2026 16.00", "2026-12-03 16:00"),
        ("3/12-26 16.00", "2026-12-03 16:00"),
        ("3.12.26 kl. 16", "2026-12-03 16:00"),
        ("i morgen kl. 9.30", "2026-11-23 09:30"),
        ("i overmorgen kl. 8", "2026-11-24 08:00"),
        ("3.12 16", "2026-12-03 16:00"),
        ("3/12 kl. 16", "2026-12-03 16:00"),
        ("den 3. december 2026 klokken 16", "2026-12-03 16:00"),
        ("torsdag den 3. december kl. 16", "2026-12-03 16:00"),
        ("3.dec kl.16", "2026-12-03 16:00"),
        ("kl. 16 i morgen", "2026-11-23 16:00"),
        ("2026-12-03 16:00", "2026-12-03 16:00"),
        ("Dec 3 4pm", "2026-12-03 16:00"),
        ("December 3rd 2026 at 4:30 pm", "2026-12-03 16:30"),
        ("3 Dec 2026 16:00", "2026-12-03 16:00"),
        ("Thursday, Dec 3, 4pm", "2026-12-03 16:00"),
        ("tomorrow 9:30", "2026-11-23 09:30"),
        ("tomorrow at 9:30am", "2026-11-23 09:30"),
        ("12/1-2027 12pm", "2027-01-12 12:00"),
        ("12/1-2027 12am", "2027-01-12 00:00"),
    ],
)
def test_reads_dates_and_times_as_people_write_them(typed: str, expected: str) -> None:
    assert local(typed) == expected


def test_a_date_without_its_year_is_the_next_one_not_before_today() -> None:
    assert local("21. november kl. 16") == "2027-11-21 16:00"
    assert local("22/11 kl. 16") == "2026-11-22 16:00"


def test_weekdays_are_the_coming_one_and_next_is_the_one_in_next_week() -> None:
    monday = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert local("torsdag kl. 16", monday) == "2026-11-26 16:00"
    assert local("på torsdag kl. 16", monday) == "2026-11-26 16:00"
    assert local("on Thursday 4pm", monday) == "2026-11-26 16:00"
    assert local("næste torsdag kl. 16", monday) == "2026-12-03 16:00"
    assert local("next Thursday 4pm", monday) == "2026-12-03 16:00"
    assert local("torsdag i næste uge kl. 16", monday) == "2026-12-03 16:00"
    # "på mandag" on a Monday is a week on, never today.
    assert local("på mandag kl. 16", monday) == "2026-11-30 16:00"


def test_a_range_gives_the_meeting_its_length() -> None:
    for typed in (
        "3/12 16.00-17.30",
        "3/12 kl. 16 til 17.30",
        "Dec 3 4pm to 5:30pm",
        "3/12 16 - 17.30",
    ):
        start = read_start(typed.split(), tz=CPH, now=NOW)
        assert start.length == timedelta(minutes=90), typed
        assert start.at == local_to_utc(date(2026, 12, 3), time(16), CPH)


def test_the_words_after_the_time_are_the_title_as_typed() -> None:
    start = read_start(["3.", "dec.", "kl.", "16", "Til", "lykke,", "KOL"], tz=CPH, now=NOW)
    assert start.rest == ["Til", "lykke,", "KOL"]
    assert start.typed == "3. dec. kl. 16"
    start = read_start(["2026-12-03", "16:00", "10", "bud", "om", "diabetes"], tz=CPH, now=NOW)
    assert start.rest == ["10", "bud", "om", "diabetes"]


def test_relative_and_year_less_dates_are_guessed_full_ones_are_not() -> None:
    def guessed(typed: str) -> bool:
        return read_start(typed.split(), tz=CPH, now=NOW).guessed

    assert guessed("i morgen kl. 9")
    assert guessed("3/12 16.00")
    assert guessed("3/12-26 16.00")
    assert not guessed("3/12-2026 16.00")
    assert not guessed("2026-12-03 16:00")
    assert not guessed("3. december 2026 kl. 16")


# --------------------------------------------------------------------------- refusals


def test_a_misspelt_month_is_blamed_by_name() -> None:
    error = refusal("3. decembr kl. 16 Julemøde")
    assert error.text is when.MONTH_UNKNOWN
    assert "»decembr«" in error.render("da")


def test_a_missing_time_blames_the_word_where_the_time_should_be() -> None:
    error = refusal("3. december Julemøde")
    assert error.text is when.TIME_MISSING
    assert "torsdag den 3. december 2026" in error.render("da")
    assert "»Julemøde«" in error.render("da")


def test_an_unreadable_date_blames_the_first_word() -> None:
    error = refusal("Julemøde 3/12")
    assert error.text is when.DATE_FORMAT
    assert "»Julemøde«" in error.render("da")
    assert "3. december" in error.render("da")  # the forms, as Danes write them


def test_a_weekday_that_does_not_fit_the_date_is_refused_with_the_date_in_words() -> None:
    error = refusal("fredag den 3. december kl. 16")
    assert error.text is when.WEEKDAY_MISMATCH
    assert "torsdag den 3. december 2026" in error.render("da")
    assert "Thursday 3 December 2026" in error.render("en")


def test_the_past_is_refused_with_the_date_read_in_words() -> None:
    error = refusal("21/11-2026 kl. 16")
    assert error.text is when.MEETING_IN_PAST
    assert error.render("da").startswith("lørdag den 21. november 2026 kl. 16.00 er allerede forbi")


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("3/12 18-16", when.END_BEFORE_START),
        ("3/12 kl. 25", when.TIME_NONEXISTENT),
        ("3/12 13pm", when.TIME_NONEXISTENT),
        ("3/12 16 - senere", when.TIME_FORMAT),
        ("kl. 16", when.DATE_MISSING),
        ("", when.DATE_MISSING),
        ("31/4 kl. 10", when.DATE_NONEXISTENT),
        ("29/2-2027 kl. 10", when.DATE_NONEXISTENT),
    ],
)
def test_refusals_name_what_is_wrong(typed: str, text: object) -> None:
    assert refusal(typed).text is text


def test_typed_markup_is_never_echoed_back() -> None:
    error = refusal("<!channel> kl. 16")
    assert "<!channel>" not in error.render("da")
    assert "&lt;!channel&gt;" in error.render("da")


# --------------------------------------------------------------------------- lengths, reminders


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("90m", 90),
        ("90 min", 90),
        ("2t", 120),
        ("2 timer", 120),
        ("1,5t", 90),
        ("1.5h", 90),
        ("1h30m", 90),
        ("1t30", 90),
        ("1:30", 90),
        ("45", 45),
    ],
)
def test_reads_a_meeting_length(typed: str, minutes: int) -> None:
    assert parse_duration(typed) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("5", when.DURATION_UNIT),
        ("5m", when.DURATION_RANGE),
        ("13t", when.DURATION_RANGE),
        ("lang", when.DURATION_FORMAT),
        ("²", when.DURATION_FORMAT),
        ("٣٠", when.DURATION_FORMAT),
    ],
)
def test_refuses_a_length_that_is_unclear_or_out_of_range(typed: str, text: object) -> None:
    with pytest.raises(WhenError) as error:
        parse_duration(typed)
    assert error.value.text is text


def test_reminders_read_weeks_in_both_languages() -> None:
    week = timedelta(weeks=1)
    assert parse_offsets("1u,1d,1t") == [week, timedelta(days=1), timedelta(hours=1)]
    assert parse_offsets("2w") == [2 * week]
    assert parse_offsets("1 uge, 2 dage, 30 min") == [
        week,
        timedelta(days=2),
        timedelta(minutes=30),
    ]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("månedlig", ["2026-12-03", "2027-01-03", "2027-02-03"]),
        ("hver anden uge", ["2026-12-03", "2026-12-17", "2026-12-31"]),
        ("4u", ["2026-12-03", "2026-12-31", "2027-01-28"]),
        ("hver 4. uge", ["2026-12-03", "2026-12-31", "2027-01-28"]),
        ("første torsdag i måneden", ["2026-12-03", "2027-01-07", "2027-02-04"]),
        ("hver torsdag", ["2026-12-03", "2026-12-10", "2026-12-17"]),
        ("kvartalsvis", ["2026-12-03", "2027-03-03", "2027-06-03"]),
        ("every other week", ["2026-12-03", "2026-12-17", "2026-12-31"]),
    ],
)
def test_repeats_in_danish_and_english_words(rule: str, expected: list[str]) -> None:
    first = local_to_utc(date(2026, 12, 3), time(16), CPH)
    starts = parse_recurrence(rule, first_start_utc=first, tz=CPH, until=None, count=3)
    assert [start.astimezone(CPH).date().isoformat() for start in starts] == expected


# --------------------------------------------------------------------------- round trips

FUTURE_DAYS = st.dates(min_value=date(2026, 11, 23), max_value=date(2030, 12, 31))
TIMES = st.times().map(lambda moment: moment.replace(second=0, microsecond=0))


def _forms(day: date, at: time) -> list[str]:
    """The day and time in every form the help names (and a few more a GP writes)."""
    da_month = DA_MONTHS.split()[day.month - 1]
    en_month = EN_MONTHS.split()[day.month - 1]
    hour12 = at.hour % 12 or 12
    ampm = "am" if at.hour < 12 else "pm"
    return [
        f"{day.day}. {da_month} {day.year} kl. {at.hour}.{at.minute:02d}",
        f"{day.day}. {da_month[:3]}. {day.year} kl. {at.hour:02d}.{at.minute:02d}",
        f"{day.day}/{day.month}-{day.year} {at.hour}.{at.minute:02d}",
        f"{day.day}/{day.month}-{day.year % 100:02d} {at.hour}:{at.minute:02d}",
        f"{day.day}.{day.month}.{day.year} {at.hour:02d}:{at.minute:02d}",
        f"{day.isoformat()} {at.hour:02d}:{at.minute:02d}",
        f"{DA_WEEKDAYS[day.weekday()]} den {day.day}. {da_month} {day.year} kl. "
        f"{at.hour}.{at.minute:02d}",
        f"{en_month[:3]} {day.day} {day.year} {hour12}:{at.minute:02d}{ampm}",
        f"{EN_WEEKDAYS[day.weekday()]}, {day.day} {en_month} {day.year} "
        f"at {at.hour}:{at.minute:02d}",
    ]


@given(day=FUTURE_DAYS, at=TIMES)
def test_every_form_reads_back_as_the_date_and_time_it_was_written_from(
    day: date, at: time
) -> None:
    try:
        expected = local_to_utc(day, at, CPH)
    except WhenError:  # the spring-forward hour does not exist, however it is written
        return
    for typed in _forms(day, at):
        start = read_start(typed.split(), tz=CPH, now=NOW)
        assert start.at == expected, typed
        assert start.rest == []


@given(day=FUTURE_DAYS)
def test_the_date_forms_alone_read_back(day: date) -> None:
    da_month = DA_MONTHS.split()[day.month - 1]
    for typed in (
        f"{day.day}. {da_month} {day.year}",
        f"{day.day}/{day.month}-{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        day.isoformat(),
        f"{EN_MONTHS.split()[day.month - 1]} {day.day} {day.year}",
    ):
        assert parse_date(typed, today=TODAY) == day, typed


@given(offset=st.integers(min_value=0, max_value=2), at=TIMES)
def test_relative_days_read_back(offset: int, at: time) -> None:
    now = datetime(2026, 11, 22, 0, 0, tzinfo=CPH).astimezone(UTC)
    day = date(2026, 11, 22) + timedelta(days=offset)
    words = ("i dag", "i morgen", "i overmorgen")[offset]
    english = ("today", "tomorrow", "day after tomorrow")[offset]
    expected = local_to_utc(day, at, CPH)
    for typed in (f"{words} kl. {at.hour}.{at.minute:02d}", f"{english} {at.hour}:{at.minute:02d}"):
        assert read_start(typed.split(), tz=CPH, now=now).at == expected


@given(
    begin=st.integers(min_value=0, max_value=22 * 60),
    minutes=st.integers(min_value=10, max_value=12 * 60),
)
def test_every_range_reads_back_as_its_start_and_length(begin: int, minutes: int) -> None:
    end = begin + minutes
    if end >= 24 * 60:
        return
    start, stop = time(begin // 60, begin % 60), time(end // 60, end % 60)
    for typed in (
        f"3/12 {start.hour}.{start.minute:02d}-{stop.hour}.{stop.minute:02d}",
        f"3/12 kl. {start.hour}:{start.minute:02d} til {stop.hour}:{stop.minute:02d}",
    ):
        read = read_start(typed.split(), tz=CPH, now=NOW)
        assert read.at == local_to_utc(date(2026, 12, 3), start, CPH), typed
        assert read.length == timedelta(minutes=minutes), typed


@given(at=TIMES)
def test_times_alone_read_back(at: time) -> None:
    for typed in (f"{at.hour}.{at.minute:02d}", f"kl. {at.hour:02d}:{at.minute:02d}"):
        assert parse_time(typed) == at
    if at.minute == 0:
        assert parse_time(f"kl. {at.hour}") == at


@given(day=FUTURE_DAYS, at=TIMES)
def test_what_the_bot_writes_can_be_typed_back(day: date, at: time) -> None:
    """The date in words in a confirmation ("torsdag den 3. december 2026 kl. 16.00") is
    itself a form the bot reads, in both languages: copying it into a command works."""
    try:
        expected = local_to_utc(day, at, CPH)
    except WhenError:
        return
    moment = datetime.combine(day, at)
    for language in ("da", "en"):
        written = format_datetime(moment, language)
        assert read_start(written.split(), tz=CPH, now=NOW).at == expected, written


@given(
    today=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    weekday=st.integers(min_value=0, max_value=6),
)
def test_weekday_forms_read_back_as_that_weekday_this_or_next_week(
    today: date, weekday: int
) -> None:
    now = datetime.combine(today, time(6, 0), tzinfo=CPH).astimezone(UTC)
    coming = {f"{DA_WEEKDAYS[weekday]}", f"på {DA_WEEKDAYS[weekday]}", f"on {EN_WEEKDAYS[weekday]}"}
    for words in coming:
        day = read_start(f"{words} kl. 16".split(), tz=CPH, now=now).at.astimezone(CPH).date()
        assert day.weekday() == weekday, words
        assert 1 <= (day - today).days <= 7, words  # the coming one, never today
    monday_next_week = today + timedelta(days=7 - today.weekday())
    for words in (f"næste {DA_WEEKDAYS[weekday]}", f"next {EN_WEEKDAYS[weekday]}"):
        day = read_start(f"{words} 16.00-17.30".split(), tz=CPH, now=now).at.astimezone(CPH).date()
        assert day == monday_next_week + timedelta(days=weekday), words
