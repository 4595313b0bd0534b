"""What ``meeting set`` can change, in English and Danish words, and reading each value. Pure.

``meeting set 12 title|zoom|topic|agenda|prep|length|remind <value>`` (Danish: ``møde sæt 12
titel|zoom|emne|dagsorden|forberedelse|varighed|påmindelser``). ``-`` clears a field where an
empty one makes sense (the Zoom link, topic, agenda, preparation note; reminders go back to the
cluster's defaults); a meeting always keeps a title and a length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.errors import UserError
from bot.i18n import Text
from bot.privacy import refuse_cpr
from bot.when import parse_duration
from handlers.meetings.common import parse_zoom_url
from handlers.meetings.planning import MAX_TITLE
from handlers.meetings.reminders import parse_reminders
from handlers.meetings.texts import NEEDS_A_VALUE, SET_TOO_LONG, TITLE_TOO_LONG

CLEAR = "-"


@dataclass(frozen=True)
class Field:
    """One thing ``meeting set`` changes: the ``Meeting`` attribute and how it is shown."""

    attribute: str
    name: Text
    clearable: bool = True
    limit: int | None = None
    # Part of the meeting's calendar entry: a change bumps the .ics SEQUENCE.
    in_calendar: bool = True
    # Worth telling the channel: what members put in their calendars.
    announced: bool = False


TITLE = Field(
    "title", Text(en="title", da="titel"), clearable=False, limit=MAX_TITLE, announced=True
)
ZOOM = Field("zoom_url", Text(en="Zoom link", da="Zoom-link"), announced=True)
TOPIC = Field("topic", Text(en="topic", da="emne"), limit=500)
AGENDA = Field("agenda", Text(en="agenda", da="dagsorden"), limit=2900)
PREPARATION = Field("preparation", Text(en="preparation note", da="forberedelse"), limit=2900)
LENGTH = Field(
    "duration_minutes", Text(en="length", da="varighed"), clearable=False, announced=True
)
REMINDERS = Field("reminders", Text(en="reminders", da="påmindelser"), in_calendar=False)

FIELD_WORDS: dict[str, Field] = {
    "title": TITLE,
    "titel": TITLE,
    "zoom": ZOOM,
    "topic": TOPIC,
    "emne": TOPIC,
    "agenda": AGENDA,
    "dagsorden": AGENDA,
    "prep": PREPARATION,
    "preparation": PREPARATION,
    "forberedelse": PREPARATION,
    "length": LENGTH,
    "duration": LENGTH,
    "varighed": LENGTH,
    "længde": LENGTH,
    "remind": REMINDERS,
    "reminders": REMINDERS,
    "påmindelser": REMINDERS,
    "påmindelse": REMINDERS,
}

_SERIES_FLAG = re.compile(r"(?:^|\s)(?:--|—|–)seri(?:e|es)(?=\s|$)", re.IGNORECASE)
_QUOTE_PAIRS = {'"': '"”“', "“": '”“"', "”": '”“"', "„": '“”"', "«": "»", "'": "'’", "‘": "’'"}


def split_series_flag(text: str) -> tuple[str, bool]:
    """``text`` without a ``--series`` (``--serie``) option, and whether it was there."""
    cleaned, found = _SERIES_FLAG.subn(" ", text)
    return cleaned.strip(), found > 0


def unquote(text: str) -> str:
    """A value typed in quotes, without them ("…", “…”, „…“, «…», '…')."""
    if len(text) >= 2 and text[0] in _QUOTE_PAIRS and text[-1] in _QUOTE_PAIRS[text[0]]:
        return text[1:-1].strip()
    return text


def parse_length(text: str) -> int:
    """A meeting's length in minutes, read by ``bot.when.parse_duration`` (``90``, ``2t``,
    ``1h30``, ``1,5 timer``, ``1:30``; 15 minutes to 12 hours)."""
    return parse_duration(text) // timedelta(minutes=1)


def parse_value(field: Field, text: str) -> str | int | None:
    """The value ``text`` gives ``field`` (None clears it); a ``UserError`` says what is wrong."""
    if text == CLEAR:
        if not field.clearable:
            raise UserError(NEEDS_A_VALUE, field=field.name.bind())
        return None
    if field is ZOOM:
        return parse_zoom_url(text)
    if field is LENGTH:
        return parse_length(text)
    if field is REMINDERS:
        return parse_reminders(text.replace(" ", ""))
    if field is TITLE:
        text = " ".join(text.split())
    if field.limit is not None and len(text) > field.limit:
        if field is TITLE:
            raise UserError(TITLE_TOO_LONG, length=len(text), limit=field.limit)
        raise UserError(SET_TOO_LONG, field=field.name.bind(), length=len(text), limit=field.limit)
    refuse_cpr(text)
    return text
