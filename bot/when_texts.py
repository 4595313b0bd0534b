"""What ``bot.when`` says when a date, a time, a length or a reminder can't be read, and
``WhenError``, which carries it.

Dates and times in these texts are values the code fills in: ``{when}`` and ``{date}`` are
written out in words in the language shown ("torsdag den 3. december 2026 kl. 16.00"), so a
slip shows at once; ``{text}`` is the word someone typed that could not be read (``shown``).
"""

from __future__ import annotations

from typing import Final

from bot.errors import UserError
from bot.i18n import Text
from bot.mrkdwn import escape


class WhenError(UserError):
    """Bad date/time input; a ``UserError``, so the person is told privately what to write."""

    def __init__(self, text: Text, /, **values: object) -> None:
        # Not UserError.__init__: its ``text`` parameter would clash with a ``text=`` value.
        ValueError.__init__(self, text.render("en", **values))
        self.text = text
        self.values = values


def shown(text: str, limit: int = 40) -> str:
    """What someone typed, as echoed in a message: stripped, cut short, escaped for Slack."""
    cleaned = " ".join(text.split())
    return escape(cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…")


_DATE_FORMS_EN: Final = (
    "e.g. 3 Dec, Dec 3 2026, 2026-12-03, 3/12, 3/12-2026, tomorrow or next Thursday"
)
_DATE_FORMS_DA: Final = (
    "3. december, 3. dec. 2026, 3/12-2026, 3.12, 2026-12-03, i morgen eller næste torsdag"
)

DATE_FORMAT: Final = Text(
    en="I can't read “{text}” as a date. Write it as YYYY-MM-DD ({example:%Y-%m-%d}), D/M or "
    f"a day and a month, {_DATE_FORMS_EN}.",
    da="Jeg kan ikke læse »{text}« som en dato. Skriv den fx som {example:%d.%m.%Y}, "
    f"{_DATE_FORMS_DA}.",
)
DATE_MISSING: Final = Text(
    en="The date is missing. Write it first, as YYYY-MM-DD ({example:%Y-%m-%d}), D/M or "
    f"a day and a month, {_DATE_FORMS_EN}.",
    da=f"Datoen mangler. Skriv den først, fx som {{example:%d.%m.%Y}}, {_DATE_FORMS_DA}.",
)
MONTH_UNKNOWN: Final = Text(
    en="“{text}” is not a month. Write the month as a name or its first three letters "
    "(December, Dec) or as a number (3/12).",
    da="»{text}« er ikke en måned. Skriv måneden som navn eller forkortet (december, dec.) "
    "eller som tal (3/12).",
)
DATE_NONEXISTENT: Final = Text(
    en="“{text}” is not a date in the calendar – check the day and the month. "
    "Write the date as YYYY-MM-DD, e.g. {example:%Y-%m-%d}.",
    da="»{text}« findes ikke i kalenderen – tjek dag og måned. "
    "Skriv datoen fx som {example:%d.%m.%Y}.",
)
WEEKDAY_MISMATCH: Final = Text(
    en="“{text}” does not add up: that date is {date}. Check the weekday and the date.",
    da="»{text}« passer ikke sammen: den dato er {date}. Tjek ugedagen og datoen.",
)
TIME_FORMAT: Final = Text(
    en="I can't read “{text}” as a time. Write the time as HH:MM on the 24-hour clock, "
    "e.g. 16:00 (4pm, 16.00 and 16 work too; 16:00-17:30 gives the end as well).",
    da="Jeg kan ikke læse »{text}« som et klokkeslæt. Skriv tiden som TT.MM, fx 16.00 "
    "(kl. 16 virker også; 16.00-17.30 giver også sluttidspunktet).",
)
TIME_MISSING: Final = Text(
    en="After the date ({date}) comes the time, e.g. 16:00 or 4pm – “{text}” is not a time.",
    da="Efter datoen ({date}) kommer klokkeslættet, fx kl. 16 eller 16.00 – »{text}« er ikke "
    "et klokkeslæt.",
)
TIME_NEEDED: Final = Text(
    en="After the date ({date}) comes the time, e.g. 16:00 or 4pm.",
    da="Efter datoen ({date}) kommer klokkeslættet, fx kl. 16 eller 16.00.",
)
TIME_NONEXISTENT: Final = Text(
    en="“{text}” is not a time of day: hours go from 00 to 23 and minutes from 00 to 59. "
    "Write the time as HH:MM, e.g. 16:00.",
    da="»{text}« er ikke et klokkeslæt: timer går fra 00 til 23 og minutter fra 00 til 59. "
    "Skriv tiden som TT.MM, fx 16.00.",
)
END_BEFORE_START: Final = Text(
    en="“{text}” ends before it begins. Write the start and then the end, e.g. 16:00-17:30.",
    da="»{text}« slutter, før det begynder. Skriv start og så slut, fx 16.00-17.30.",
)
DST_GAP: Final = Text(
    en="{when:%H:%M} on {when:%Y-%m-%d} does not exist in {zone}: the clocks are put forward "
    "that night and skip it. Choose another time as HH:MM, e.g. {suggestion:%H:%M}.",
    da="Klokken {when:%H.%M} den {when:%d.%m.%Y} findes ikke i {zone}: den nat stilles urene "
    "frem og springer tidspunktet over. Vælg et andet tidspunkt som TT.MM, fx {suggestion:%H.%M}.",
)
MEETING_IN_PAST: Final = Text(
    en="{when} has already passed (it is now {now}). Give a date and time in the future "
    "as YYYY-MM-DD HH:MM, e.g. {example:%Y-%m-%d} 16:00.",
    da="{when} er allerede forbi (nu er det {now}). Angiv en dato og et klokkeslæt i "
    "fremtiden, fx {example:%d.%m.%Y} kl. 16.",
)

DURATION_FORMAT: Final = Text(
    en="I can't read “{text}” as a length of time. Write e.g. 90, 1h30 or 2h (a meeting lasts "
    "from 15 minutes to 12 hours).",
    da="Jeg kan ikke læse »{text}« som en varighed. Skriv fx 90, 1t30 eller 2t (et møde varer "
    "fra 15 minutter til 12 timer).",
)
DURATION_UNIT: Final = Text(
    en="“{text}” – hours or minutes? Write e.g. {text}h or {text}m (a meeting lasts from "
    "15 minutes to 12 hours).",
    da="»{text}« – timer eller minutter? Skriv fx {text}t eller {text}m (et møde varer fra "
    "15 minutter til 12 timer).",
)
DURATION_RANGE: Final = Text(
    en="A meeting lasts from 15 minutes to 12 hours; “{text}” is outside that.",
    da="Et møde varer fra 15 minutter til 12 timer; »{text}« ligger uden for det.",
)

OFFSET_EMPTY: Final = Text(
    en="No reminder times given. Write each as a number and a unit – d (days), h (hours), "
    "m (minutes) or w (weeks) – separated by commas, e.g. --remind 7d,1d,1h.",
    da="Der er ingen påmindelsestider. Skriv hver som et tal og en enhed – d (dage), t (timer), "
    "m (minutter) eller u (uger) – adskilt af komma, fx --påmind 7d,1d,1t.",
)
OFFSET_FORMAT: Final = Text(
    en="I can't read “{text}” as a reminder time. Write a number and a unit – d (days), "
    "h (hours), m (minutes) or w (weeks) – separated by commas, e.g. 7d,1d,1h.",
    da="Jeg kan ikke læse »{text}« som en påmindelsestid. Skriv et tal og en enhed – d (dage), "
    "t (timer), m (minutter) eller u (uger) – adskilt af komma, fx 7d,1d,1t.",
)
OFFSET_UNIT: Final = Text(
    en="“{text}” has a unit I don't know: “{unit}”. Use d (days), h (hours), m (minutes) or "
    "w (weeks), e.g. 7d,1d,1h.",
    da="»{text}« har en enhed, jeg ikke kender: »{unit}«. Brug d (dage), t (timer), "
    "m (minutter) eller u (uger), fx 7d,1d,1t.",
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
