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
from bot.when import DEFAULT_TZ, WhenError, in_words, local_to_utc, require_aware, shown
from bot.when_words import date_in_words, weekday_number

MAX_OCCURRENCES: Final = 100
MAX_WEEK_INTERVAL: Final = 52

# --------------------------------------------------------------------------- texts

RECURRENCE_UNKNOWN: Final = Text(
    en="I don't know the repeat pattern “{text}”. Use e.g. --every 4w (every 4 weeks), "
    "weekly, monthly, quarterly, thursday (every Thursday), first-thursday, last-tuesday, "
    "or an RRULE such as FREQ=MONTHLY;BYDAY=1TH.",
    da="Jeg kender ikke gentagelsen »{text}«. Brug fx --gentag 4u (hver 4. uge), ugentlig, "
    "månedlig, kvartalsvis, torsdag (hver torsdag), første-torsdag, sidste-tirsdag eller en "
    "RRULE som FREQ=MONTHLY;BYDAY=1TH.",
)
RRULE_PART_NOT_ALLOWED: Final = Text(
    en="“{part}” can't be used in --every: the time of day comes from the meeting's time, "
    "the end from --until or --count, and meetings repeat at most daily. "
    "Use e.g. FREQ=MONTHLY;BYDAY=1TH.",
    da="»{part}« kan ikke bruges i --gentag: klokkeslættet kommer fra mødets tid, slutningen "
    "fra --indtil eller --antal, og møder gentages højst dagligt. "
    "Brug fx FREQ=MONTHLY;BYDAY=1TH.",
)
RECURRENCE_NO_END: Final = Text(
    en="A repeating meeting needs an end: add --until and a date (the last possible date) or "
    "--count N (the number of meetings, at most {limit}).",
    da="Et gentaget møde skal have en slutning: tilføj --indtil og en dato (sidste mulige "
    "dato) eller --antal N (antal møder, højst {limit}).",
)
RECURRENCE_BOTH_ENDS: Final = Text(
    en="Give either --until and a date or --count N, not both.",
    da="Angiv enten --indtil og en dato eller --antal N, ikke begge.",
)
RECURRENCE_COUNT: Final = Text(
    en="“{text}” is not a number of meetings. Write --count N with N from 1 to {limit}, "
    "e.g. --count 10.",
    da="»{text}« er ikke et antal møder. Skriv --antal N med N fra 1 til {limit}, fx --antal 10.",
)
RECURRENCE_TOO_MANY: Final = Text(
    en="That is more than {limit} meetings. Use --count N with N at most {limit}, or an "
    "earlier --until date.",
    da="Det bliver mere end {limit} møder. Brug --antal N med N højst {limit} eller en "
    "tidligere dato efter --indtil.",
)
RECURRENCE_UNTIL_BEFORE_START: Final = Text(
    en="--until {until} is before the first meeting, {start}. Give a later date.",
    da="--indtil {until} ligger før det første møde, {start}. Angiv en senere dato.",
)
RECURRENCE_START_MISMATCH: Final = Text(
    en="The first meeting, {start}, does not fit “{text}”; the next date that does "
    "is {suggestion}. Start on that date, or choose another --every.",
    da="Det første møde, {start}, passer ikke med »{text}«; den næste dato, der gør, "
    "er {suggestion}. Start på den dato, eller vælg en anden --gentag.",
)
RECURRENCE_MONTH_END: Final = Text(
    en="“{text}” from day {day} of the month would skip the months without that day. Start "
    "on a day from 1 to 28, or repeat on a weekday, e.g. --every last-thursday.",
    da="»{text}« fra den {day}. ville springe de måneder over, der ikke har en {day}. Start på "
    "en dag fra 1 til 28, eller gentag på en ugedag, fx --gentag sidste-torsdag.",
)
RECURRENCE_NEVER: Final = Text(
    en="“{text}” gives no meetings in the two years after {start}. Check the "
    "pattern, e.g. --every FREQ=MONTHLY;BYDAY=1TH.",
    da="»{text}« giver ingen møder i de to år efter {start}. Tjek mønsteret, "
    "fx --gentag FREQ=MONTHLY;BYDAY=1TH.",
)


# --------------------------------------------------------------------------- repeats

_WEEKS = re.compile(r"(?:every |hver |hvert? )?([0-9]{1,3})\.?\s*(?:w|u|uge|uger|weeks?)")
_NTH_WEEKDAY = re.compile(r"(\w+)[-_\s]+(\w+)")
# Words around a pattern that add nothing: "hver", "i måneden", "of the month".
_FILLER = re.compile(
    r"^(?:every|each|hver|hvert)\s+"
    r"|\s+(?:i måneden|hver måned|of the month|of every month|of each month|in the month)$"
)
_SIMPLE: Final = {
    **dict.fromkeys(("weekly", "week", "ugentlig", "ugentligt", "uge"), "FREQ=WEEKLY"),
    **dict.fromkeys(
        ("biweekly", "fortnightly", "other week", "anden uge", "14. dag", "fjortende dag"),
        "FREQ=WEEKLY;INTERVAL=2",
    ),
    **dict.fromkeys(("monthly", "month", "månedlig", "månedligt", "måned"), "FREQ=MONTHLY"),
    **dict.fromkeys(("quarterly", "quarter", "kvartalsvis", "kvartal"), "FREQ=MONTHLY;INTERVAL=3"),
    **dict.fromkeys(("halvårlig", "halvårligt", "halve år"), "FREQ=MONTHLY;INTERVAL=6"),
}
_ORDINALS: Final = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
    "første": 1,
    "1": 1,
    "anden": 2,
    "2": 2,
    "tredje": 3,
    "3": 3,
    "fjerde": 4,
    "4": 4,
    "sidste": -1,
}
_WEEKDAY_CODES: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
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
    cleaned = " ".join(rule.split())
    lowered = _FILLER.sub("", cleaned.lower())
    if lowered in _SIMPLE:
        return _SIMPLE[lowered]
    if match := _WEEKS.fullmatch(lowered):
        weeks = int(match[1])
        if not 1 <= weeks <= MAX_WEEK_INTERVAL:
            raise WhenError(RECURRENCE_UNKNOWN, text=shown(rule))
        return f"FREQ=WEEKLY;INTERVAL={weeks}"
    if (weekday := weekday_number(lowered)) is not None:  # "hver torsdag", "every Thursday"
        return f"FREQ=WEEKLY;BYDAY={_WEEKDAY_CODES[weekday]}"
    if (match := _NTH_WEEKDAY.fullmatch(re.sub(r"^([0-9])\.", r"\1", lowered))) and (
        match[1] in _ORDINALS
    ):
        if (weekday := weekday_number(match[2])) is None:
            raise WhenError(RECURRENCE_UNKNOWN, text=shown(rule))
        return f"FREQ=MONTHLY;BYDAY={_ORDINALS[match[1]]}{_WEEKDAY_CODES[weekday]}"
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
        raise WhenError(
            RECURRENCE_UNTIL_BEFORE_START, until=date_in_words(until), start=in_words(dtstart)
        )

    body = _rrule_body(rule)
    if body.startswith("FREQ=MONTHLY") and "BY" not in body and dtstart.day > 28:
        raise WhenError(RECURRENCE_MONTH_END, text=shown(rule), day=dtstart.day)
    # dateutil leaves DTSTART out when it does not fit the rule; refuse that, pointing to the
    # next date that does fit (searching two years, so impossible rules end quickly).
    probe_end = (dtstart + timedelta(days=2 * 366)).strftime("%Y%m%dT%H%M%S")
    probe = _expand(body, dtstart, rule, end=f";UNTIL={probe_end}")
    if not probe:
        raise WhenError(RECURRENCE_NEVER, text=shown(rule), start=date_in_words(dtstart.date()))
    if probe[0] != dtstart:
        raise WhenError(
            RECURRENCE_START_MISMATCH,
            text=shown(rule),
            start=date_in_words(dtstart.date()),
            suggestion=date_in_words(probe[0].date()),
        )

    if until is not None:
        end = ";UNTIL=" + datetime.combine(until, time(23, 59, 59)).strftime("%Y%m%dT%H%M%S")
    else:
        end = f";COUNT={count}"
    occurrences = _expand(body, dtstart, rule, end=end)
    if len(occurrences) > MAX_OCCURRENCES:
        raise WhenError(RECURRENCE_TOO_MANY, limit=MAX_OCCURRENCES)
    return [local_to_utc(moment.date(), moment.time(), tz) for moment in occurrences]
