"""When meetings happen: dates, times, reminder offsets and repeats, as typed in Slack.

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
* **Repeats** are expanded with ``dateutil.rrule`` in local wall time (a 16:00 meeting stays
  at 16:00 local across DST) and then converted to UTC. The first meeting must itself fit
  the pattern (otherwise the user is told the next date that does); an occurrence that
  falls in a spring-forward gap refuses the whole series, like a single meeting would.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Final
from zoneinfo import ZoneInfo

from dateutil import rrule as rr

from bot.errors import UserError
from bot.i18n import Text

DEFAULT_TZ: Final = ZoneInfo("Europe/Copenhagen")
MAX_OCCURRENCES: Final = 100
MAX_OFFSET: Final = timedelta(days=365)
MAX_WEEK_INTERVAL: Final = 52

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

RECURRENCE_UNKNOWN: Final = Text(
    en="I don't know the repeat pattern “{text}”. Use e.g. --every 4w (every 4 weeks), 2w, "
    "weekly, monthly, first-thursday, last-tuesday, or an RRULE such as "
    "FREQ=MONTHLY;BYDAY=1TH.",
    da="Jeg kender ikke gentagelsen »{text}«. Brug fx --every 4w (hver 4. uge), 2w, weekly, "
    "monthly, første-torsdag, sidste-tirsdag eller en RRULE som FREQ=MONTHLY;BYDAY=1TH.",
)
RRULE_PART_NOT_ALLOWED: Final = Text(
    en="“{part}” can't be used in --every: the time of day comes from HH:MM, the end from "
    "--until or --count, and meetings repeat at most daily. Use e.g. FREQ=MONTHLY;BYDAY=1TH.",
    da="»{part}« kan ikke bruges i --every: klokkeslættet kommer fra TT.MM, slutningen fra "
    "--until eller --count, og møder gentages højst dagligt. Brug fx FREQ=MONTHLY;BYDAY=1TH.",
)
RECURRENCE_NO_END: Final = Text(
    en="A repeating meeting needs an end: add --until YYYY-MM-DD (the last possible date) or "
    "--count N (the number of meetings, at most {limit}).",
    da="Et gentaget møde skal have en slutning: tilføj --until ÅÅÅÅ-MM-DD (sidste mulige dato) "
    "eller --count N (antal møder, højst {limit}).",
)
RECURRENCE_BOTH_ENDS: Final = Text(
    en="Give either --until YYYY-MM-DD or --count N, not both.",
    da="Angiv enten --until ÅÅÅÅ-MM-DD eller --count N, ikke begge.",
)
RECURRENCE_COUNT: Final = Text(
    en="“{text}” is not a number of meetings. Write --count N with N from 1 to {limit}, "
    "e.g. --count 10.",
    da="»{text}« er ikke et antal møder. Skriv --count N med N fra 1 til {limit}, fx --count 10.",
)
RECURRENCE_TOO_MANY: Final = Text(
    en="That is more than {limit} meetings. Use --count N with N at most {limit}, or an "
    "earlier --until YYYY-MM-DD.",
    da="Det bliver mere end {limit} møder. Brug --count N med N højst {limit} eller en "
    "tidligere --until ÅÅÅÅ-MM-DD.",
)
RECURRENCE_UNTIL_BEFORE_START: Final = Text(
    en="--until {until:%Y-%m-%d} is before the first meeting on {start:%Y-%m-%d}. "
    "Give a later date as --until YYYY-MM-DD.",
    da="--until {until:%d.%m.%Y} ligger før det første møde den {start:%d.%m.%Y}. "
    "Angiv en senere dato som --until ÅÅÅÅ-MM-DD.",
)
RECURRENCE_START_MISMATCH: Final = Text(
    en="The first meeting, {start:%Y-%m-%d}, does not fit “{text}”; the next date that does "
    "is {suggestion:%Y-%m-%d}. Start on that date (YYYY-MM-DD), or choose another --every.",
    da="Det første møde, {start:%d.%m.%Y}, passer ikke med »{text}«; den næste dato, der gør, "
    "er {suggestion:%d.%m.%Y}. Start på den dato (ÅÅÅÅ-MM-DD), eller vælg en anden --every.",
)
RECURRENCE_NEVER: Final = Text(
    en="“{text}” gives no meetings in the two years after {start:%Y-%m-%d}. Check the "
    "pattern, e.g. --every FREQ=MONTHLY;BYDAY=1TH.",
    da="»{text}« giver ingen møder i de to år efter {start:%d.%m.%Y}. Tjek mønsteret, "
    "fx --every FREQ=MONTHLY;BYDAY=1TH.",
)


class WhenError(UserError):
    """Bad date/time input; a ``UserError``, so the person is told privately what to write."""

    def __init__(self, text: Text, /, **values: object) -> None:
        # Not UserError.__init__: its ``text`` parameter would clash with a ``text=`` value.
        ValueError.__init__(self, text.render("en", **values))
        self.text = text
        self.values = values


def _shown(text: str, limit: int = 40) -> str:
    """User input as echoed in a message: stripped and cut short."""
    cleaned = " ".join(text.split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _require_aware(moment: datetime, name: str) -> None:
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
        raise WhenError(DATE_NONEXISTENT, text=_shown(text), example=example)
    else:
        raise WhenError(DATE_FORMAT, text=_shown(text), example=example)
    try:
        return date(year, month, day)
    except ValueError:
        raise WhenError(DATE_NONEXISTENT, text=_shown(text), example=example) from None


def parse_time(text: str) -> time:
    """Read ``HH:MM``, ``H:MM``, ``HH.MM`` or ``H.MM`` on the 24-hour clock."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise WhenError(TIME_FORMAT, text=_shown(text))
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise WhenError(TIME_NONEXISTENT, text=_shown(text))
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
    _require_aware(now, "now")
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
            raise WhenError(OFFSET_FORMAT, text=_shown(item))
        sign, digits, unit = match[1], match[2], match[3].lower()
        if not unit:
            raise WhenError(OFFSET_FORMAT, text=_shown(item))
        if unit not in _UNITS:
            raise WhenError(OFFSET_UNIT, text=_shown(item), unit=_shown(match[3], 10))
        if sign == "-" and digits.strip("0"):
            raise WhenError(OFFSET_NEGATIVE, text=_shown(item))
        significant = digits.lstrip("0")
        if not significant:
            raise WhenError(OFFSET_ZERO, text=_shown(item))
        # Check the size before building the timedelta, which overflows on huge numbers.
        if len(significant) > 9 or int(significant) * _UNITS[unit] > MAX_OFFSET:
            raise WhenError(OFFSET_TOO_LARGE, text=_shown(item))
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
    _require_aware(start_utc, "start_utc")
    if offset <= timedelta(0):
        raise ValueError(f"a reminder offset must be positive, got {offset!r}")
    if offset % timedelta(days=1):
        return (start_utc - offset).astimezone(UTC)
    wall = start_utc.astimezone(tz).replace(tzinfo=None) - offset
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


# --------------------------------------------------------------------------- repeats

_WEEKS = re.compile(r"([0-9]{1,3})\s*w")
_NTH_WEEKDAY = re.compile(r"(\w+)[-_\s]+(\w+)")
_SIMPLE: Final = {
    "weekly": "FREQ=WEEKLY",
    "ugentlig": "FREQ=WEEKLY",
    "ugentligt": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
    "månedlig": "FREQ=MONTHLY",
    "månedligt": "FREQ=MONTHLY",
}
_ORDINALS: Final = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "last": -1,
    "første": 1,
    "anden": 2,
    "tredje": 3,
    "fjerde": 4,
    "sidste": -1,
}
_WEEKDAY_CODES: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAYS: Final = {
    name: code
    for names in (
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    )
    for name, code in zip(names, _WEEKDAY_CODES, strict=True)
}
_RRULE_KEYS: Final = frozenset(
    (
        "FREQ",
        "INTERVAL",
        "BYDAY",
        "BYMONTHDAY",
        "BYMONTH",
        "BYSETPOS",
        "BYWEEKNO",
        "BYYEARDAY",
        "WKST",
    )
)
_SUB_DAILY_FREQS: Final = frozenset({"HOURLY", "MINUTELY", "SECONDLY"})


def _rrule_body(rule: str) -> str:
    """The RRULE (without DTSTART/COUNT/UNTIL) for a ``--every`` pattern."""
    cleaned = rule.strip()
    lowered = cleaned.lower()
    if lowered in _SIMPLE:
        return _SIMPLE[lowered]
    if match := _WEEKS.fullmatch(lowered):
        weeks = int(match[1])
        if not 1 <= weeks <= MAX_WEEK_INTERVAL:
            raise WhenError(RECURRENCE_UNKNOWN, text=_shown(rule))
        return f"FREQ=WEEKLY;INTERVAL={weeks}"
    if (match := _NTH_WEEKDAY.fullmatch(lowered)) and match[1] in _ORDINALS:
        if match[2] not in _WEEKDAYS:
            raise WhenError(RECURRENCE_UNKNOWN, text=_shown(rule))
        return f"FREQ=MONTHLY;BYDAY={_ORDINALS[match[1]]}{_WEEKDAYS[match[2]]}"
    upper = cleaned.upper()
    if upper.startswith("RRULE:"):
        upper = upper.removeprefix("RRULE:").strip()
    if not upper.startswith("FREQ="):
        raise WhenError(RECURRENCE_UNKNOWN, text=_shown(rule))
    parts = [part.strip() for part in upper.split(";") if part.strip()]
    for part in parts:
        key, _, value = part.partition("=")
        if key not in _RRULE_KEYS or (key == "FREQ" and value in _SUB_DAILY_FREQS):
            raise WhenError(RRULE_PART_NOT_ALLOWED, part=_shown(part))
        if key == "INTERVAL" and not (value.isdigit() and 1 <= int(value) <= 999):
            raise WhenError(RECURRENCE_UNKNOWN, text=_shown(rule))
    return ";".join(parts)


def _expand(body: str, dtstart: datetime, rule: str, *, end: str) -> list[datetime]:
    """Wall-time occurrences of ``body`` from ``dtstart``; ``end`` is ``;COUNT=…``/``;UNTIL=…``.

    Stops after ``MAX_OCCURRENCES + 1`` so callers can tell "too many" without expanding more.
    """
    try:
        recurrence = rr.rrulestr(body + end, dtstart=dtstart)
        return list(islice(recurrence, MAX_OCCURRENCES + 1))
    except (ValueError, IndexError, KeyError, TypeError, OverflowError):
        raise WhenError(RECURRENCE_UNKNOWN, text=_shown(rule)) from None


def parse_count(text: str) -> int:
    """Read the ``N`` of ``--count N`` (1 to ``MAX_OCCURRENCES``)."""
    significant = text.strip().lstrip("0")
    if not re.fullmatch(r"[0-9]+", text.strip()) or not significant:
        raise WhenError(RECURRENCE_COUNT, text=_shown(text), limit=MAX_OCCURRENCES)
    if len(significant) > 3 or int(significant) > MAX_OCCURRENCES:
        raise WhenError(RECURRENCE_TOO_MANY, limit=MAX_OCCURRENCES)
    return int(significant)


def parse_recurrence(
    rule: str,
    *,
    first_start_utc: datetime,
    tz: ZoneInfo = DEFAULT_TZ,
    until: date | None,
    count: int | None,
) -> list[datetime]:
    """All meetings (UTC) of a ``--every`` series, the first being ``first_start_utc``.

    ``rule`` is ``4w``/``2w``/``1w``, ``weekly``, ``monthly``, ``first-thursday`` (also
    ``second``/``third``/``fourth``/``last`` and Danish ``første-torsdag``, ``sidste-tirsdag``…)
    or a raw RRULE (``FREQ=MONTHLY;BYDAY=1TH``, optionally prefixed ``RRULE:``). Exactly one
    end is required: ``until`` (inclusive local date) or ``count``; at most
    ``MAX_OCCURRENCES`` meetings.
    """
    _require_aware(first_start_utc, "first_start_utc")
    if until is None and count is None:
        raise WhenError(RECURRENCE_NO_END, limit=MAX_OCCURRENCES)
    if until is not None and count is not None:
        raise WhenError(RECURRENCE_BOTH_ENDS)
    if count is not None and count < 1:
        raise WhenError(RECURRENCE_COUNT, text=str(count), limit=MAX_OCCURRENCES)
    if count is not None and count > MAX_OCCURRENCES:
        raise WhenError(RECURRENCE_TOO_MANY, limit=MAX_OCCURRENCES)
    dtstart = first_start_utc.astimezone(tz).replace(tzinfo=None)
    if until is not None and until < dtstart.date():
        raise WhenError(RECURRENCE_UNTIL_BEFORE_START, until=until, start=dtstart)

    body = _rrule_body(rule)
    # dateutil leaves DTSTART out when it does not fit the rule; refuse that, pointing to the
    # next date that does fit (searching two years, so impossible rules end quickly).
    probe_end = (dtstart + timedelta(days=2 * 366)).strftime("%Y%m%dT%H%M%S")
    probe = _expand(body, dtstart, rule, end=f";UNTIL={probe_end}")
    if not probe:
        raise WhenError(RECURRENCE_NEVER, text=_shown(rule), start=dtstart)
    if probe[0] != dtstart:
        raise WhenError(
            RECURRENCE_START_MISMATCH, text=_shown(rule), start=dtstart, suggestion=probe[0]
        )

    if until is not None:
        end = ";UNTIL=" + datetime.combine(until, time(23, 59, 59)).strftime("%Y%m%dT%H%M%S")
    else:
        end = f";COUNT={count}"
    occurrences = _expand(body, dtstart, rule, end=end)
    if len(occurrences) > MAX_OCCURRENCES:
        raise WhenError(RECURRENCE_TOO_MANY, limit=MAX_OCCURRENCES)
    return [local_to_utc(moment.date(), moment.time(), tz) for moment in occurrences]
