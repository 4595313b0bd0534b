"""When meetings happen: dates, times and reminder offsets, as typed in Slack.

Pure functions only: no Slack, no database, no clock (``now``/``today`` are passed in).
Everything the user types is read in the cluster's local time zone (a ``ZoneInfo``, by
default Europe/Copenhagen) and every instant handed back is an aware UTC ``datetime``.
Bad input raises ``WhenError``, which carries a bilingual ``Text`` that handlers render.

Decisions worth knowing:

* **Dates** are matched against one regular expression per accepted shape and then built
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
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import UserError
from bot.i18n import Text

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

# --------------------------------------------------------------------------- texts

DATE_FORMAT: Final = Text(
    en="I can't read “{text}” as a date. Write the date as YYYY-MM-DD, e.g. "
    "{example:%Y-%m-%d}. DD-MM-YYYY, DD.MM.YYYY, D/M/YYYY and D/M work too.",
    da="Jeg kan ikke læse »{text}« som en dato. Skriv datoen som ÅÅÅÅ-MM-DD, fx "
    "{example:%Y-%m-%d}. DD-MM-ÅÅÅÅ, DD.MM.ÅÅÅÅ, D/M/ÅÅÅÅ og D/M virker også.",
)
DATE_NONEXISTENT: Final = Text(
    en="“{text}” is not a date in the calendar – check the day and the month. "
    "Write the date as YYYY-MM-DD, e.g. {example:%Y-%m-%d}.",
    da="»{text}« findes ikke i kalenderen – tjek dag og måned. "
    "Skriv datoen som ÅÅÅÅ-MM-DD, fx {example:%Y-%m-%d}.",
)
TIME_FORMAT: Final = Text(
    en="I can't read “{text}” as a time. Write the time as HH:MM on the 24-hour clock, "
    "e.g. 16:00 (16.00 and 9:30 work too).",
    da="Jeg kan ikke læse »{text}« som et klokkeslæt. Skriv tiden som TT.MM i 24-timers "
    "format, fx 16.00 (16:00 og 9.30 virker også).",
)
TIME_NONEXISTENT: Final = Text(
    en="“{text}” is not a time of day: hours go from 00 to 23 and minutes from 00 to 59. "
    "Write the time as HH:MM, e.g. 16:00.",
    da="»{text}« er ikke et klokkeslæt: timer går fra 00 til 23 og minutter fra 00 til 59. "
    "Skriv tiden som TT.MM, fx 16.00.",
)
DST_GAP: Final = Text(
    en="{when:%H:%M} on {when:%Y-%m-%d} does not exist in {zone}: the clocks are put forward "
    "that night and skip it. Choose another time as HH:MM, e.g. {suggestion:%H:%M}.",
    da="Klokken {when:%H.%M} den {when:%d.%m.%Y} findes ikke i {zone}: den nat stilles urene "
    "frem og springer tidspunktet over. Vælg et andet tidspunkt som TT.MM, fx {suggestion:%H.%M}.",
)
MEETING_IN_PAST: Final = Text(
    en="{when:%Y-%m-%d %H:%M} has already passed (it is now {now:%Y-%m-%d %H:%M}). "
    "Give a date and time in the future as YYYY-MM-DD HH:MM, e.g. {example:%Y-%m-%d} 16:00.",
    da="{when:%d.%m.%Y kl. %H.%M} er allerede forbi (nu er det {now:%d.%m.%Y kl. %H.%M}). "
    "Angiv en dato og et klokkeslæt i fremtiden som ÅÅÅÅ-MM-DD TT.MM, "
    "fx {example:%Y-%m-%d} 16.00.",
)

OFFSET_EMPTY: Final = Text(
    en="No reminder times given. Write each as a number and a unit – d (days), h (hours) or "
    "m (minutes) – separated by commas, e.g. --remind 7d,1d,1h.",
    da="Der er ingen påmindelsestider. Skriv hver som et tal og en enhed – d (dage), t eller h "
    "(timer), m (minutter) – adskilt af komma, fx --remind 7d,1d,1t.",
)
OFFSET_FORMAT: Final = Text(
    en="I can't read “{text}” as a reminder time. Write a number and a unit – d (days), "
    "h (hours) or m (minutes) – separated by commas, e.g. 7d,1d,1h.",
    da="Jeg kan ikke læse »{text}« som en påmindelsestid. Skriv et tal og en enhed – d (dage), "
    "t eller h (timer), m (minutter) – adskilt af komma, fx 7d,1d,1t.",
)
OFFSET_UNIT: Final = Text(
    en="“{text}” has a unit I don't know: “{unit}”. Use d (days), h (hours) or m (minutes), "
    "e.g. 7d,1d,1h.",
    da="»{text}« har en enhed, jeg ikke kender: »{unit}«. Brug d (dage), t eller h (timer) "
    "eller m (minutter), fx 7d,1d,1t.",
)
OFFSET_NEGATIVE: Final = Text(
    en="“{text}” is negative. Reminders count back from the meeting, so write them without "
    "a minus, e.g. 1d or 30m.",
    da="»{text}« er negativ. Påmindelser regnes baglæns fra mødet, så skriv dem uden minus, "
    "fx 1d eller 30m.",
)
OFFSET_ZERO: Final = Text(
    en="“{text}” is zero – a reminder has to come before the meeting. Use e.g. 30m or 1h.",
    da="»{text}« er nul – en påmindelse skal komme før mødet. Brug fx 30m eller 1t.",
)
OFFSET_TOO_LARGE: Final = Text(
    en="“{text}” is too long before the meeting: reminders can be at most 365d before. "
    "Write e.g. 7d,1d,1h.",
    da="»{text}« er for længe før mødet: en påmindelse kan højst komme 365d før. "
    "Skriv fx 7d,1d,1t.",
)


class WhenError(UserError):
    """Bad date/time input; a ``UserError``, so the person is told privately what to write."""

    def __init__(self, text: Text, /, **values: object) -> None:
        # Not UserError.__init__: its ``text`` parameter would clash with a ``text=`` value.
        ValueError.__init__(self, text.render("en", **values))
        self.text = text
        self.values = values


def shown(text: str, limit: int = 40) -> str:
    """User input as echoed in a message: stripped and cut short."""
    cleaned = " ".join(text.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def require_aware(moment: datetime, name: str) -> None:
    """Refuses a naive ``datetime``: a mistake in the calling code, not in what someone typed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {moment!r}")


# --------------------------------------------------------------------------- dates and times

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DAY_FIRST_DATE = re.compile(r"([0-9]{1,2})([-./])([0-9]{1,2})\2([0-9]{4})")
_DAY_MONTH = re.compile(r"([0-9]{1,2})/([0-9]{1,2})")
_TIME = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})")


def parse_date(text: str, *, today: date) -> date:
    """Read ``YYYY-MM-DD``, ``DD-MM-YYYY``, ``DD.MM.YYYY``, ``D/M/YYYY`` or ``D/M``.

    ``D/M`` without a year is the next such date that is not before ``today`` (today counts),
    so ``29/2`` is the next leap day. Past dates are not refused here.
    """
    cleaned = text.strip()
    example = today + timedelta(days=7)
    if match := _ISO_DATE.fullmatch(cleaned):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    elif match := _DAY_FIRST_DATE.fullmatch(cleaned):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := _DAY_MONTH.fullmatch(cleaned):
        day, month = int(match[1]), int(match[2])
        for year in range(today.year, today.year + 9):  # a leap day can be 8 years away
            try:
                candidate = date(year, month, day)
            except ValueError:
                continue
            if candidate >= today:
                return candidate
        raise WhenError(DATE_NONEXISTENT, text=shown(text), example=example)
    else:
        raise WhenError(DATE_FORMAT, text=shown(text), example=example)
    try:
        return date(year, month, day)
    except ValueError:
        raise WhenError(DATE_NONEXISTENT, text=shown(text), example=example) from None


def parse_time(text: str) -> time:
    """Read ``HH:MM``, ``H:MM``, ``HH.MM`` or ``H.MM`` on the 24-hour clock."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise WhenError(TIME_FORMAT, text=shown(text))
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise WhenError(TIME_NONEXISTENT, text=shown(text))
    return time(hour, minute)


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
    """The UTC start of a meeting typed as local date and time; refuses the past."""
    require_aware(now, "now")
    local_now = now.astimezone(tz)
    day = parse_date(date_text, today=local_now.date())
    start = local_to_utc(day, parse_time(time_text), tz)
    if start <= now:
        raise WhenError(
            MEETING_IN_PAST,
            when=start.astimezone(tz),
            now=local_now,
            example=local_now.date() + timedelta(days=7),
        )
    return start


# --------------------------------------------------------------------------- reminder offsets

_OFFSET = re.compile(r"([+-]?)\s*([0-9]+)\s*([^0-9\s]*)")
_UNITS: Final = {
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "t": timedelta(hours=1),  # Danish "time"/"timer"
    "m": timedelta(minutes=1),
}


def parse_offsets(text: str) -> list[timedelta]:
    """Read ``7d,1d,1h``: units d, h (or t), m; duplicates removed, longest first."""
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
