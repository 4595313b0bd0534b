"""When meetings happen: dates, times and reminder offsets, as typed in Slack.

Pure functions only: no Slack, no database, no clock (``now``/``today`` are passed in).
Everything the user types is read in the cluster's local time zone (a ``ZoneInfo``, by
default Europe/Copenhagen) and every instant handed back is an aware UTC ``datetime``.
Bad input raises ``WhenError``, which carries a bilingual ``Text`` that handlers render.

Decisions worth knowing:

* **Dates and times** are read the way people write them (``3. december kl. 16``,
  ``3/12-2026 16.00``, ``i morgen kl. 9.30``, ``Dec 3 4pm``, ``next Thursday 16:00-17:30``):
  ``bot.when_words`` lists every form. Each shape is one regular expression, and dates are
  built
  with ``datetime.date``, which refuses days that do not exist. ``dateutil.parser`` is *not*
  used for dates, because even behind a shape check it guesses instead of refusing: with
  ``dayfirst=True`` it reads ISO ``2026-03-10`` as 3 October, it silently swaps day and month
  when the day-first reading is impossible (``3/13`` -> 13 March, ``2026-13-01`` -> 13 January),
  and a year-less ``29/2`` fails or succeeds depending on the default year.
* **Nonexistent local times** (the spring-forward gap, e.g. 2027-03-28 02:30 in Copenhagen)
  are refused; the message suggests the time the clocks show at that instant (03:30).
  **Ambiguous local times** (autumn, 2027-10-31 02:30) are the first occurrence, summer
  time (``fold=0``).
* **Reminder offsets** are ``timedelta``\\ s. An offset of a whole number of days is counted in
  calendar days at the meeting's local wall-clock time ("1d" = same local time the day
  before, 23 or 25 real hours across a DST change); any other offset is real elapsed time.
  A ``timedelta`` cannot tell ``24h`` from ``1d``, so ``24h`` (and ``48h`` …) behaves like
  ``1d`` (``2d`` …) and is written back as such by ``format_offsets``.
  A reminder whose local wall time falls in a spring-forward gap moves to the instant the
  clocks would have shown without the jump (02:30 -> 03:30 summer time); an ambiguous one
  takes the first occurrence.

Repeating meetings (``--every``) are read in ``bot.recurrence``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.i18n import Phrase, Text, format_datetime
from bot.numbers import is_number
from bot.when_texts import (
    DATE_FORMAT,
    DATE_MISSING,
    DATE_NONEXISTENT,
    DST_GAP,
    DURATION_FORMAT,
    DURATION_RANGE,
    DURATION_UNIT,
    END_BEFORE_START,
    MEETING_IN_PAST,
    MONTH_UNKNOWN,
    OFFSET_EMPTY,
    OFFSET_FORMAT,
    OFFSET_NEGATIVE,
    OFFSET_TOO_LARGE,
    OFFSET_UNIT,
    OFFSET_ZERO,
    TIME_FORMAT,
    TIME_MISSING,
    TIME_NEEDED,
    TIME_NONEXISTENT,
    WEEKDAY_MISMATCH,
    WhenError,
    shown,
)
from bot.when_words import Words, date_in_words, read_date, read_time

__all__ = [
    "DATE_FORMAT",
    "DATE_MISSING",
    "DATE_NONEXISTENT",
    "DST_GAP",
    "DURATION_FORMAT",
    "DURATION_RANGE",
    "DURATION_UNIT",
    "END_BEFORE_START",
    "MEETING_IN_PAST",
    "MONTH_UNKNOWN",
    "OFFSET_EMPTY",
    "OFFSET_FORMAT",
    "OFFSET_NEGATIVE",
    "OFFSET_TOO_LARGE",
    "OFFSET_UNIT",
    "OFFSET_ZERO",
    "TIME_FORMAT",
    "TIME_MISSING",
    "TIME_NEEDED",
    "TIME_NONEXISTENT",
    "WEEKDAY_MISMATCH",
    "Start",
    "WhenError",
    "format_offsets",
    "in_words",
    "local_to_utc",
    "parse_date",
    "parse_duration",
    "parse_meeting_start",
    "parse_offsets",
    "parse_start",
    "parse_time",
    "read_start",
    "reminder_time",
    "require_aware",
    "shown",
]

DEFAULT_TZ: Final = ZoneInfo("Europe/Copenhagen")
MAX_ZONE_NAME = 64  # the longest IANA name is about 30 characters


def find_zone(name: str) -> ZoneInfo | None:
    """The IANA time zone ``name`` (``Europe/Copenhagen``), or None when there is no such zone
    (an unknown name, a path, a NUL, or a name too long for the file system: an OSError)."""
    if not name or len(name) > MAX_ZONE_NAME:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


MAX_OFFSET: Final = timedelta(days=365)


def require_aware(moment: datetime, name: str) -> None:
    """Refuses a naive ``datetime``: a mistake in the calling code, not in what someone typed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {moment!r}")


# --------------------------------------------------------------------------- dates and times


def in_words(moment: datetime) -> Phrase:
    """A local time written out in the language it is shown in: "torsdag den 3. december
    2026 kl. 16.00" / "Thursday 3 December 2026 at 16:00"."""
    return Text(en=format_datetime(moment, "en"), da=format_datetime(moment, "da")).bind()


@dataclass(frozen=True)
class Start:
    """A date and time read from what someone typed."""

    at: datetime  # UTC
    length: timedelta | None  # from an end time: 16.00-17.30
    rest: list[str]  # the typed words after the date and time (a title)
    typed: str  # the words read, as typed
    guessed: bool  # a relative date, or one without its year: worth repeating in words


def read_start(typed: Sequence[str], *, tz: ZoneInfo = DEFAULT_TZ, now: datetime) -> Start:
    """The date and time at the start of ``typed`` (date first, or time first: ``kl. 16 i
    morgen``), in the zone ``tz``; the words after them are ``rest``. The past is not refused
    here (``parse_start`` does)."""
    require_aware(now, "now")
    today = now.astimezone(tz).date()
    example = today + timedelta(days=7)
    words = Words(typed)
    found = read_date(words, today)
    if found is None:
        clock = read_time(words, bare=False)
        if clock is not None and words.done:
            raise WhenError(DATE_MISSING, example=example)
        if clock is None or (found := read_date(words, today)) is None:
            if words.done:
                raise WhenError(DATE_MISSING, example=example)
            raise WhenError(DATE_FORMAT, text=shown(words.typed_word()), example=example)
    else:
        clock = read_time(words, bare=True)
        if clock is None and words.done:
            raise WhenError(TIME_NEEDED, date=date_in_words(found[0]))
        if clock is None:
            raise WhenError(
                TIME_MISSING, date=date_in_words(found[0]), text=shown(words.typed_word())
            )
    (day, guessed), (begin, end) = found, clock
    length = None
    if end is not None:
        length = datetime.combine(day, end) - datetime.combine(day, begin)
    read, rest = words.typed_since(0), words.rest()
    return Start(local_to_utc(day, begin, tz), length, rest, read, guessed)


def parse_start(typed: Sequence[str], *, tz: ZoneInfo = DEFAULT_TZ, now: datetime) -> Start:
    """``read_start``, refusing a time that has passed (answered with the time read, in words)."""
    start = read_start(typed, tz=tz, now=now)
    if start.at <= now:
        local_now = now.astimezone(tz)
        raise WhenError(
            MEETING_IN_PAST,
            when=in_words(start.at.astimezone(tz)),
            now=in_words(local_now),
            example=local_now.date() + timedelta(days=7),
        )
    return start


def parse_date(text: str, *, today: date) -> date:
    """A date alone: ``2026-12-03``, ``3/12-2026``, ``3.12``, ``3. december``, ``Dec 3``,
    ``i morgen``, ``næste torsdag`` … (``bot.when_words``); ``D/M`` without a year is the next
    such date that is not before ``today`` (today counts), so ``29/2`` is the next leap day.
    Past dates are not refused here."""
    words = Words(text.split())
    found = read_date(words, today)
    if found is None or not words.done:
        raise WhenError(DATE_FORMAT, text=shown(text), example=today + timedelta(days=7))
    return found[0]


def parse_time(text: str) -> time:
    """A time alone: ``16:00``, ``16.00``, ``9.30``, ``kl. 16``, ``16``, ``4pm``."""
    words = Words(text.split())
    found = read_time(words, bare=True)
    if found is None or found[1] is not None or not words.done:
        raise WhenError(TIME_FORMAT, text=shown(text))
    return found[0]


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall time ``day at`` in ``tz``.

    Refuses a wall time skipped by a spring-forward change; an ambiguous autumn wall time is
    its first occurrence (summer time, ``fold=0``).
    """
    wall = datetime.combine(day, at.replace(tzinfo=None))
    utc = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != wall:
        raise WhenError(DST_GAP, when=wall, zone=tz.key, suggestion=utc.astimezone(tz))
    return utc


def parse_meeting_start(
    date_text: str, time_text: str, *, tz: ZoneInfo = DEFAULT_TZ, now: datetime
) -> datetime:
    """The UTC start of a meeting typed as a local date and a time (two fields of a form);
    refuses the past."""
    start = parse_start([*date_text.split(), *time_text.split()], tz=tz, now=now)
    if start.rest or start.length is not None:
        raise WhenError(TIME_FORMAT, text=shown(time_text))
    return start.at


# --------------------------------------------------------------------------- lengths

_LENGTH = re.compile(
    r"(?:([0-9]+(?:[.,][0-9]+)?)\s*(?:t|h|time|timer|hours?))?\s*"
    r"(?:([0-9]+)\s*(?:m|min|minut|minutter|minutes?)?)?"
)
_LENGTH_CLOCK = re.compile(r"([0-9]{1,2})[:.]([0-5][0-9])")
MIN_LENGTH: Final = timedelta(minutes=15)
MAX_LENGTH: Final = timedelta(hours=12)


def parse_duration(text: str) -> timedelta:
    """A meeting's length: ``90m``, ``90 min``, ``2t``, ``1,5 timer``, ``1h30m``, ``1t30``,
    ``1 t 30 min``, ``1:30``; a bare number of at least 15 is minutes (``2`` is asked about:
    hours or minutes?). From 15 minutes to 12 hours."""
    cleaned = text.strip().lower().rstrip(".")
    if match := _LENGTH_CLOCK.fullmatch(cleaned):
        length = timedelta(hours=int(match[1]), minutes=int(match[2]))
    elif is_number(cleaned, digits=4):
        if int(cleaned) < MIN_LENGTH // timedelta(minutes=1):
            raise WhenError(DURATION_UNIT, text=shown(cleaned, 10))
        length = timedelta(minutes=int(cleaned))
    elif (match := _LENGTH.fullmatch(cleaned)) and (match[1] or match[2]) and len(cleaned) <= 20:
        hours = float(match[1].replace(",", ".")) if match[1] else 0.0
        length = timedelta(hours=hours, minutes=int(match[2] or 0))
    else:
        raise WhenError(DURATION_FORMAT, text=shown(text))
    if not MIN_LENGTH <= length <= MAX_LENGTH or length % timedelta(minutes=1):
        raise WhenError(DURATION_RANGE, text=shown(text))
    return length


# --------------------------------------------------------------------------- reminder offsets

_OFFSET = re.compile(r"([+-]?)\s*([0-9]+)\s*([^0-9\s]*)")
_UNIT_NAMES: Final = (
    (timedelta(weeks=1), ("w", "u", "uge", "uger", "week", "weeks")),
    (timedelta(days=1), ("d", "dag", "dage", "day", "days")),
    (timedelta(hours=1), ("h", "t", "time", "timer", "hour", "hours")),
    (timedelta(minutes=1), ("m", "min", "minut", "minutter", "minute", "minutes")),
)
_UNITS: Final = {name: unit for unit, names in _UNIT_NAMES for name in names}


def parse_offsets(text: str) -> list[timedelta]:
    """Read ``7d,1d,1h``: units w (or u), d, h (or t), m, also written out (``1 uge``,
    ``2 dage``, ``30 min``); duplicates removed, longest first."""
    offsets: set[timedelta] = set()
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        match = _OFFSET.fullmatch(item)
        if match is None:
            raise WhenError(OFFSET_FORMAT, text=shown(item))
        sign, digits, unit = match[1], match[2], match[3].lower()
        if not unit:
            raise WhenError(OFFSET_FORMAT, text=shown(item))
        if unit not in _UNITS:
            raise WhenError(OFFSET_UNIT, text=shown(item), unit=shown(match[3], 10))
        if sign == "-" and digits.strip("0"):
            raise WhenError(OFFSET_NEGATIVE, text=shown(item))
        significant = digits.lstrip("0")
        if not significant:
            raise WhenError(OFFSET_ZERO, text=shown(item))
        # Check the size before building the timedelta, which overflows on huge numbers.
        if len(significant) > 9 or int(significant) * _UNITS[unit] > MAX_OFFSET:
            raise WhenError(OFFSET_TOO_LARGE, text=shown(item))
        offsets.add(int(significant) * _UNITS[unit])
    if not offsets:
        raise WhenError(OFFSET_EMPTY)
    return sorted(offsets, reverse=True)


def format_offsets(offsets: Sequence[timedelta]) -> str:
    """``[7 days, 1 day, 1 hour]`` -> ``"7d,1d,1h"`` (deduplicated, longest first).

    Each offset uses the largest unit that divides it: ``25h`` stays ``25h``, ``24h`` is ``1d``.
    Offsets must be positive whole minutes.
    """
    parts = []
    for offset in sorted(set(offsets), reverse=True):
        if offset <= timedelta(0) or offset % timedelta(minutes=1):
            raise ValueError(f"reminder offsets must be positive whole minutes, got {offset!r}")
        if not offset % timedelta(days=1):
            parts.append(f"{offset.days}d")
        elif not offset % timedelta(hours=1):
            parts.append(f"{offset // timedelta(hours=1)}h")
        else:
            parts.append(f"{offset // timedelta(minutes=1)}m")
    return ",".join(parts)


def reminder_time(start_utc: datetime, offset: timedelta, tz: ZoneInfo = DEFAULT_TZ) -> datetime:
    """When (UTC) to remind ``offset`` before a meeting starting at ``start_utc``.

    Whole days go back in local wall time (``1d`` = same local time the day before, also
    across a DST change); anything else is real elapsed time (``1h`` = 60 real minutes).
    """
    require_aware(start_utc, "start_utc")
    if offset <= timedelta(0):
        raise ValueError(f"a reminder offset must be positive, got {offset!r}")
    if offset % timedelta(days=1):
        return (start_utc - offset).astimezone(UTC)
    wall = start_utc.astimezone(tz).replace(tzinfo=None) - offset
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
