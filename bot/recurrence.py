"""Repeating meetings: the ``--every`` patterns, ``--until`` and ``--count``, as typed in Slack.

Pure functions, like ``bot.when``, whose ``WhenError`` they raise for bad input.

Repeats are expanded with ``dateutil.rrule`` in local wall time (a 16:00 meeting stays at
16:00 local across DST) and then converted to UTC. The first meeting must itself fit the
pattern (otherwise the user is told the next date that does); an occurrence that falls in a
spring-forward gap refuses the whole series, like a single meeting would.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Final
from zoneinfo import ZoneInfo

from dateutil import rrule as rr

from bot.i18n import Text
from bot.numbers import is_number
from bot.when import DEFAULT_TZ, WhenError, local_to_utc, require_aware, shown

MAX_OCCURRENCES: Final = 100
MAX_WEEK_INTERVAL: Final = 52

# --------------------------------------------------------------------------- texts

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
            raise WhenError(RECURRENCE_UNKNOWN, text=shown(rule))
        return f"FREQ=WEEKLY;INTERVAL={weeks}"
    if (match := _NTH_WEEKDAY.fullmatch(lowered)) and match[1] in _ORDINALS:
        if match[2] not in _WEEKDAYS:
            raise WhenError(RECURRENCE_UNKNOWN, text=shown(rule))
        return f"FREQ=MONTHLY;BYDAY={_ORDINALS[match[1]]}{_WEEKDAYS[match[2]]}"
    upper = cleaned.upper()
    if upper.startswith("RRULE:"):
        upper = upper.removeprefix("RRULE:").strip()
    if not upper.startswith("FREQ="):
        raise WhenError(RECURRENCE_UNKNOWN, text=shown(rule))
    parts = [part.strip() for part in upper.split(";") if part.strip()]
    for part in parts:
        key, _, value = part.partition("=")
        if key not in _RRULE_KEYS or (key == "FREQ" and value in _SUB_DAILY_FREQS):
            raise WhenError(RRULE_PART_NOT_ALLOWED, part=shown(part))
        if key == "INTERVAL" and not (is_number(value, digits=3) and 1 <= int(value) <= 999):
            raise WhenError(RECURRENCE_UNKNOWN, text=shown(rule))
    return ";".join(parts)


def _expand(body: str, dtstart: datetime, rule: str, *, end: str) -> list[datetime]:
    """Wall-time occurrences of ``body`` from ``dtstart``; ``end`` is ``;COUNT=…``/``;UNTIL=…``.

    Stops after ``MAX_OCCURRENCES + 1`` so callers can tell "too many" without expanding more.
    """
    try:
        recurrence = rr.rrulestr(body + end, dtstart=dtstart)
        return list(islice(recurrence, MAX_OCCURRENCES + 1))
    except (ValueError, IndexError, KeyError, TypeError, OverflowError):
        raise WhenError(RECURRENCE_UNKNOWN, text=shown(rule)) from None


def parse_count(text: str) -> int:
    """Read the ``N`` of ``--count N`` (1 to ``MAX_OCCURRENCES``)."""
    significant = text.strip().lstrip("0")
    if not re.fullmatch(r"[0-9]+", text.strip()) or not significant:
        raise WhenError(RECURRENCE_COUNT, text=shown(text), limit=MAX_OCCURRENCES)
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
    require_aware(first_start_utc, "first_start_utc")
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
        raise WhenError(RECURRENCE_NEVER, text=shown(rule), start=dtstart)
    if probe[0] != dtstart:
        raise WhenError(
            RECURRENCE_START_MISMATCH, text=shown(rule), start=dtstart, suggestion=probe[0]
        )

    if until is not None:
        end = ";UNTIL=" + datetime.combine(until, time(23, 59, 59)).strftime("%Y%m%dT%H%M%S")
    else:
        end = f";COUNT={count}"
    occurrences = _expand(body, dtstart, rule, end=end)
    if len(occurrences) > MAX_OCCURRENCES:
        raise WhenError(RECURRENCE_TOO_MANY, limit=MAX_OCCURRENCES)
    return [local_to_utc(moment.date(), moment.time(), tz) for moment in occurrences]
