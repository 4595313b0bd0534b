"""Keeping patient data out of the bot: CPR numbers are found in free text and refused.

A Danish CPR number is a birth date and four digits, ``DDMMYY-SSSS``, written with a dash, a
space or nothing in between. Only numbers whose first six digits are a real date count (day 1–31
within the month's real length, month 1–12). The modulus-11 check is deliberately not used: CPR
numbers issued since 2007 need not satisfy it. Links and Slack's own markup (mentions, channels)
are not read, so a Zoom meeting number or a user id is never taken for a CPR number.

Pure: no Slack, no database. ``refuse_cpr`` raises a ``UserError`` whose text never repeats the
number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.errors import UserError
from bot.i18n import Text

NO_PATIENT_DATA = Text(
    en="Don't write CPR numbers or other patient-identifiable data in Slack.",
    da="Skriv ikke CPR-numre eller andre patientoplysninger i Slack.",
)
CPR_REFUSED = Text(
    en=":no_entry: That text seems to hold a CPR number, so I did not save it — nothing was "
    "stored. Don't write CPR numbers or other patient-identifiable data in Slack; describe "
    "a patient case anonymised (e.g. “a woman in her 60s with type 2 diabetes”).",
    da=":no_entry: Teksten ser ud til at indeholde et CPR-nummer, så jeg har ikke gemt den — "
    "intet er gemt. Skriv ikke CPR-numre eller andre patientoplysninger i Slack; beskriv en "
    "patientsag anonymiseret (fx »en kvinde i 60'erne med type 2-diabetes«).",
)
CPR_IN_MESSAGE = Text(
    en="The message itself is still in the channel: please delete it, or edit the number out.",
    da="Selve beskeden står stadig i kanalen: slet den, eller ret nummeret væk.",
)

# Six digits, then an optional dash (any of the dashes a keyboard makes) or one space, then
# four digits; never part of a longer run of digits.
_CPR = re.compile(
    r"(?<!\d)(\d{2})(\d{2})(\d{2})[-\u2010\u2011\u2012\u2013\u2014\u2212 \u00a0]?\d{4}(?!\d)",
    re.ASCII,
)
# What is not read: links (with or without Slack's <…>) and Slack markup like <@U123|name>.
_NOT_TEXT = re.compile(
    r"<[@#!][^<>]*>|<(?:https?://|mailto:)[^<>]*>|\b(?:https?://|www\.)\S+", re.IGNORECASE
)
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_birth_date(day: int, month: int, year: int) -> bool:
    """Whether ``day``/``month`` of the two-digit ``year`` is a date in the calendar.

    The century is not known from six digits; 29 February counts in every year divisible by
    four (00 included: 2000 was a leap year).
    """
    if not 1 <= month <= 12 or day < 1:
        return False
    if month == 2 and day == 29:
        return year % 4 == 0
    return day <= _MONTH_DAYS[month - 1]


def find_cpr_numbers(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of the CPR numbers in ``text``, in order."""
    readable = _NOT_TEXT.sub(lambda match: " " * len(match.group(0)), text)
    return [
        match.span()
        for match in _CPR.finditer(readable)
        if is_birth_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    ]


def has_cpr_number(text: str | None) -> bool:
    return bool(text) and bool(find_cpr_numbers(text or ""))


def refuse_cpr(*texts: str | None) -> None:
    """Raise the friendly refusal if any of ``texts`` holds a CPR number."""
    if any_cpr(texts):
        raise UserError(CPR_REFUSED)


def any_cpr(texts: Iterable[str | None]) -> bool:
    return any(has_cpr_number(text) for text in texts)
