"""Days a Danish clinic is closed: weekends and the public holidays (helligdage). Pure.

The movable holidays follow Easter Sunday (dateutil's Gregorian computus). Store bededag was a
public holiday until 2023 and was abolished from 2024. Christmas Eve and New Year's Eve are not
public holidays by law, but clinics are closed, so a meeting then is as unlikely as on one.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from dateutil.easter import easter as easter_sunday

from bot.i18n import Text

NEW_YEARS_DAY = Text(en="New Year's Day", da="nytårsdag")
MAUNDY_THURSDAY = Text(en="Maundy Thursday", da="skærtorsdag")
GOOD_FRIDAY = Text(en="Good Friday", da="langfredag")
EASTER_SUNDAY = Text(en="Easter Sunday", da="påskedag")
EASTER_MONDAY = Text(en="Easter Monday", da="2. påskedag")
PRAYER_DAY = Text(en="Great Prayer Day", da="store bededag")
ASCENSION_DAY = Text(en="Ascension Day", da="Kristi himmelfartsdag")
WHIT_SUNDAY = Text(en="Whit Sunday", da="pinsedag")
WHIT_MONDAY = Text(en="Whit Monday", da="2. pinsedag")
CHRISTMAS_EVE = Text(en="Christmas Eve", da="juleaftensdag")
CHRISTMAS_DAY = Text(en="Christmas Day", da="juledag")
BOXING_DAY = Text(en="Boxing Day", da="2. juledag")
NEW_YEARS_EVE = Text(en="New Year's Eve", da="nytårsaftensdag")
SATURDAY = Text(en="a Saturday", da="en lørdag")
SUNDAY = Text(en="a Sunday", da="en søndag")

LAST_PRAYER_DAY_YEAR = 2023  # store bededag was abolished from 2024


@cache
def danish_holidays(year: int) -> dict[date, Text]:
    """The year's Danish public holidays (and the two closed evenings), by date."""
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): NEW_YEARS_DAY,
        easter - timedelta(days=3): MAUNDY_THURSDAY,
        easter - timedelta(days=2): GOOD_FRIDAY,
        easter: EASTER_SUNDAY,
        easter + timedelta(days=1): EASTER_MONDAY,
        easter + timedelta(days=39): ASCENSION_DAY,
        easter + timedelta(days=49): WHIT_SUNDAY,
        easter + timedelta(days=50): WHIT_MONDAY,
        date(year, 12, 24): CHRISTMAS_EVE,
        date(year, 12, 25): CHRISTMAS_DAY,
        date(year, 12, 26): BOXING_DAY,
        date(year, 12, 31): NEW_YEARS_EVE,
    }
    if year <= LAST_PRAYER_DAY_YEAR:
        days[easter + timedelta(days=26)] = PRAYER_DAY
    return days


def closed_reason(day: date) -> Text | None:
    """Why clinics are closed on ``day`` (a holiday's name, or the weekend), or None."""
    holiday = danish_holidays(day.year).get(day)
    if holiday is not None:
        return holiday
    if day.weekday() == 5:
        return SATURDAY
    if day.weekday() == 6:
        return SUNDAY
    return None
