"""Reading a date and a time from the words someone typed, as Danes and English speakers
write them. Pure; ``bot.when`` builds its public functions on these readers.

Dates: ``2026-12-03``, ``3/12-2026``, ``3/12-26``, ``3.12.2026``, ``3.12``, ``3/12``,
``3. december``, ``3. dec. 2026``, ``den 3. december``, ``Dec 3``, ``3rd Dec 2026``,
``i dag``, ``i morgen``, ``i overmorgen``, ``today``, ``tomorrow``, a weekday (``torsdag``,
``på torsdag``, ``Thursday``: the coming one, never today), ``næste torsdag`` / ``next
Thursday`` / ``torsdag i næste uge`` (the Thursday of next week), and a weekday with a date
(``torsdag den 3. december``), which must agree. A date without its year is the next one
that is not before today.

Times: ``16.00``, ``16:00``, ``9.30``, ``kl. 16``, ``klokken 16``, ``at 4pm``, ``4:30 pm``,
a bare hour (``16``) right after a date or ``kl.``, and a range giving the end too:
``16.00-17.30``, ``16-18``, ``kl. 16 til 18``, ``4pm to 5:30pm``.

A reader returns None, having read nothing, when no date (time) starts where it looks; it
raises ``WhenError`` naming the word at fault when one clearly starts but goes wrong
(``3. decembr``: »decembr« is not a month).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Final

from bot.i18n import Phrase, Text, format_date
from bot.when_texts import (
    DATE_NONEXISTENT,
    END_BEFORE_START,
    MONTH_UNKNOWN,
    TIME_FORMAT,
    TIME_NONEXISTENT,
    WEEKDAY_MISMATCH,
    WhenError,
    shown,
)

_MONTH_NAMES: Final = (
    ("januar", "january", "jan"),
    ("februar", "february", "feb"),
    ("marts", "march", "mar"),
    ("april", "apr"),
    ("maj", "may"),
    ("juni", "june", "jun"),
    ("juli", "july", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("oktober", "october", "okt", "oct"),
    ("november", "nov"),
    ("december", "dec"),
)
_MONTHS: Final = {name: n for n, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_WEEKDAY_NAMES: Final = (
    ("mandag", "monday", "man", "mon"),
    ("tirsdag", "tuesday", "tirs", "tir", "tue", "tues"),
    ("onsdag", "wednesday", "ons", "wed"),
    ("torsdag", "thursday", "tors", "tor", "thu", "thur", "thurs"),
    ("fredag", "friday", "fre", "fri"),
    ("lørdag", "saturday", "lør", "sat"),
    ("søndag", "sunday", "søn", "sun"),
)
_WEEKDAYS: Final = {name: n for n, names in enumerate(_WEEKDAY_NAMES) for name in names}
# Words before a weekday: the coming one ("på torsdag"), or the one in next week ("næste").
_COMING: Final = frozenset({"på", "on", "this", "denne", "kommende", "coming"})
_NEXT_WEEK: Final = frozenset({"næste", "next"})
_NEXT_WEEK_AFTER: Final = (("i", "næste", "uge"), ("next", "week"))
_THE: Final = frozenset({"den", "the"})
# Days from today, by the words that name them.
_RELATIVE: Final = (
    (("i", "dag"), 0),
    (("idag",), 0),
    (("today",), 0),
    (("i", "morgen"), 1),
    (("imorgen",), 1),
    (("tomorrow",), 1),
    (("i", "overmorgen"), 2),
    (("overmorgen",), 2),
    (("day", "after", "tomorrow"), 2),
)
_TIME_PREFIXES: Final = frozenset({"kl.", "kl", "klokken", "at", "@"})
_DASHES: Final = frozenset({"-", "–"})
_UNTIL: Final = frozenset({"til", "to", "until"})

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# 3.12.2026, 3-12-26, 3/12/2026 and the Danish 3/12-2026
_DAY_FIRST_DATE = re.compile(
    r"([0-9]{1,2})(?:([-./])([0-9]{1,2})\2|/([0-9]{1,2})-)([0-9]{4}|[0-9]{2})"
)
_DAY_MONTH = re.compile(r"([0-9]{1,2})[./]([0-9]{1,2})\.?")
_DAY = re.compile(r"([0-9]{1,2})(\.|st|nd|rd|th)?")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_CLOCK = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.)?")
_RANGE = re.compile(r"(.+?)[-–](.+)")
_SPLITS = (
    re.compile(r"(kl\.?|klokken)([0-9].*)"),  # kl.16
    re.compile(r"([0-9]{1,2}\.)([^\W\d_].*)"),  # 3.dec
)


def weekday_number(word: str) -> int | None:
    """0 for Monday … 6 for Sunday, from a Danish or English name (or its short form)."""
    return _WEEKDAYS.get(word.lower().rstrip("."))


def date_in_words(day: date) -> Phrase:
    """``torsdag den 3. december 2026`` / ``Thursday 3 December 2026``, in the language shown."""
    moment = datetime.combine(day, time())
    return Text(en=format_date(moment, "en"), da=format_date(moment, "da")).bind()


def date_as_typed(day: date) -> Phrase:
    """How to type ``day`` in an example, in the language shown: ``2026-12-03`` / ``3/12-2026``."""
    return Text(en=day.isoformat(), da=f"{day.day}/{day.month}-{day.year}").bind()


class Words:
    """The words of a date-and-time phrase: lower case, with ``kl.16`` and ``3.dec`` split,
    each remembering which typed word it came from (so the rest, a title, stays as typed)."""

    def __init__(self, typed: Sequence[str]) -> None:
        self.typed = list(typed)
        self.items: list[tuple[str, int]] = []
        for index, word in enumerate(typed):
            lowered = word.lower().strip(",")
            for split in _SPLITS:
                if match := split.fullmatch(lowered):
                    self.items += [(match[1], index), (match[2], index)]
                    break
            else:
                self.items.append((lowered, index))
        self.at = 0

    @property
    def done(self) -> bool:
        return self.at >= len(self.items)

    def peek(self, ahead: int = 0) -> str:
        spot = self.at + ahead
        return self.items[spot][0] if spot < len(self.items) else ""

    def starts_with(self, form: Sequence[str]) -> bool:
        return all(self.peek(i) == word for i, word in enumerate(form))

    def take(self, count: int = 1) -> None:
        self.at += count

    def typed_word(self) -> str:
        """The typed word of the next item, to blame it ("" at the end)."""
        return self.typed[self.items[self.at][1]] if not self.done else ""

    def typed_since(self, start: int) -> str:
        """What was typed from item ``start`` up to here."""
        if start >= len(self.items) or self.at <= start:
            return ""
        first, last = self.items[start][1], self.items[self.at - 1][1]
        return " ".join(self.typed[first : last + 1])

    def rest(self) -> list[str]:
        """The typed words after the phrase."""
        if self.done:
            return []
        index = self.items[self.at][1]
        if self.at > 0 and self.items[self.at - 1][1] == index:  # half a word was read
            raise WhenError(TIME_FORMAT, text=shown(self.typed[index]))
        return self.typed[index:]


# --------------------------------------------------------------------------- dates


def read_date(words: Words, today: date) -> tuple[date, bool] | None:
    """A date at the start of ``words`` and whether it was guessed (relative, or without its
    year); None, with nothing read, if no date starts there."""
    start = words.at
    found = _read_named_date(words, today)
    if found is None:
        words.at = start
    return found


def _read_named_date(words: Words, today: date) -> tuple[date, bool] | None:
    start = words.at
    for form, days in _RELATIVE:
        if words.starts_with(form):
            words.take(len(form))
            return today + timedelta(days=days), True
    prefix = words.peek() if words.peek() in _COMING | _NEXT_WEEK else ""
    weekday = weekday_number(words.peek(1 if prefix else 0))
    if weekday is None:
        if prefix:
            return None
        if words.peek() in _THE:
            words.take()
        return _read_explicit(words, today)
    words.take(2 if prefix else 1)
    if words.peek() in _THE:
        words.take()
    explicit = _read_explicit(words, today)
    if explicit is None:
        next_week = prefix in _NEXT_WEEK
        for form in _NEXT_WEEK_AFTER:
            if words.starts_with(form):
                words.take(len(form))
                next_week = True
        return _weekday_after(today, weekday, next_week=next_week), True
    day, guessed = explicit
    if day.weekday() != weekday:
        text = shown(words.typed_since(start))
        raise WhenError(WEEKDAY_MISMATCH, text=text, date=date_in_words(day))
    return day, guessed


def _read_explicit(words: Words, today: date) -> tuple[date, bool] | None:
    """A date written out: ``2026-12-03``, ``3/12-2026``, ``3.12``, ``3. dec. 2026``, ``Dec 3``."""
    start = words.at
    first = words.peek()
    if match := _ISO_DATE.fullmatch(first):
        words.take()
        return resolve(int(match[3]), int(match[2]), int(match[1]), first, today), False
    if match := _DAY_FIRST_DATE.fullmatch(first):
        words.take()
        full_year = int(match[5]) + (2000 if len(match[5]) == 2 else 0)
        day, month = int(match[1]), int(match[3] or match[4])
        return resolve(day, month, full_year, first, today), len(match[5]) == 2
    if match := _DAY_MONTH.fullmatch(first):
        words.take()
        day, month = int(match[1]), int(match[2])
    elif (month_first := _MONTHS.get(first.rstrip("."))) and (
        day_match := _DAY.fullmatch(words.peek(1))
    ):  # Dec 3
        words.take(2)
        day, month = int(day_match[1]), month_first
    elif day_match := _DAY.fullmatch(first):  # 3. december
        month = _MONTHS.get(words.peek(1).rstrip("."), 0)
        if not month:
            if day_match[2] == "." and words.peek(1) and not _CLOCK.fullmatch(words.peek(1)):
                words.take()  # "3." is clearly a day: blame the month
                raise WhenError(MONTH_UNKNOWN, text=shown(words.typed_word()))
            return None
        words.take(2)
        day = int(day_match[1])
    else:
        return None
    year = int(words.peek()) if _YEAR.fullmatch(words.peek()) else None
    if year is not None:
        words.take()
    return resolve(day, month, year, words.typed_since(start), today), year is None


def resolve(day: int, month: int, year: int | None, typed: str, today: date) -> date:
    """The date ``day``/``month``/``year``; without a year, the next one not before today."""
    example = today + timedelta(days=7)
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            raise WhenError(DATE_NONEXISTENT, text=shown(typed), example=example) from None
    for candidate_year in range(today.year, today.year + 9):  # a leap day can be 8 years away
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise WhenError(DATE_NONEXISTENT, text=shown(typed), example=example)


def _weekday_after(today: date, weekday: int, *, next_week: bool) -> date:
    """The coming ``weekday`` (never today), or the one in the week after this one."""
    if next_week:
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return monday + timedelta(days=weekday)
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


# --------------------------------------------------------------------------- times


def read_time(words: Words, *, bare: bool) -> tuple[time, time | None] | None:
    """A time, and the end time of a range, at the start of ``words``; a bare hour (``16``)
    counts only after ``kl.`` or where ``bare`` says a time must come (after a date)."""
    start = words.at
    prefixed = words.peek() in _TIME_PREFIXES
    if prefixed:
        words.take()
    if (pair := _RANGE.fullmatch(words.peek())) and (begin := clock(pair[1], bare=True)):
        end = clock(pair[2], bare=True)
        if end is None:
            raise WhenError(TIME_FORMAT, text=shown(words.typed_word()))
        words.take()
        return begin, _checked(words, start, begin, end)
    begin = _read_clock(words, bare=bare or prefixed)
    if begin is None:
        if prefixed:
            raise WhenError(TIME_FORMAT, text=shown(words.typed_word()))
        words.at = start
        return None
    if words.peek() in _DASHES | _UNTIL:
        dash = words.peek() in _DASHES
        words.take()
        end = _read_clock(words, bare=True)
        if end is not None:
            return begin, _checked(words, start, begin, end)
        if dash:
            raise WhenError(TIME_FORMAT, text=shown(words.typed_word()))
        words.at -= 1  # "til" was the title's first word
    return begin, None


def _read_clock(words: Words, *, bare: bool) -> time | None:
    """``16.00``, ``4pm`` or ``4 pm`` (two words), or a bare hour where ``bare``."""
    if words.peek(1) in {"am", "pm"} and (found := clock(words.peek() + words.peek(1))):
        words.take(2)
        return found
    found = clock(words.peek(), bare=bare)
    if found is not None:
        words.take()
    return found


def clock(word: str, *, bare: bool = False) -> time | None:
    """``16.00``, ``9:30``, ``4pm``; a bare hour (``16``) only where ``bare`` says it is a time.
    Refuses an hour or minute that does not exist."""
    match = _CLOCK.fullmatch(word)
    if match is None or (match[2] is None and match[3] is None and not bare):
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3]:
        if not 1 <= hour <= 12:
            raise WhenError(TIME_NONEXISTENT, text=shown(word))
        hour = hour % 12 + (12 if match[3].startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise WhenError(TIME_NONEXISTENT, text=shown(word))
    return time(hour, minute)


def _checked(words: Words, start: int, begin: time, end: time) -> time:
    if end <= begin:
        raise WhenError(END_BEFORE_START, text=shown(words.typed_since(start)))
    return end
