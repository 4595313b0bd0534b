"""iCalendar (RFC 5545) files for "Add to calendar": pure text building, no I/O.

Times are written in UTC (``…Z``), so no VTIMEZONE is needed and every calendar shows the
meeting at the right local time. Each meeting keeps one UID for its whole life; moving or
cancelling it bumps SEQUENCE so a calendar that imports the file again updates the entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

PRODID = "-//klyngebot//meetings//EN"
_LINE_LIMIT = 75  # octets per content line, before folding (RFC 5545 §3.1)


@dataclass(frozen=True)
class CalendarEvent:
    """One meeting as a calendar entry."""

    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    url: str | None = None
    sequence: int = 0
    cancelled: bool = False


def meeting_uid(*, meeting_id: int, team_id: str, channel_id: str) -> str:
    """A globally unique UID that stays the same for the meeting (moves included)."""
    return f"meeting-{meeting_id}.{channel_id}.{team_id}@klyngebot".lower()


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\n", "\\n")
    # Other control characters are not allowed in content lines.
    return "".join(char for char in value if char == "\t" or (ord(char) >= 32 and char != "\x7f"))


def format_utc(moment: datetime) -> str:
    """``20261203T150000Z``."""
    if moment.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Cut a content line into 75-octet pieces joined by CRLF + space, never inside a character."""
    pieces: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        # Continuation lines start with a space, which counts towards their 75 octets.
        limit = _LINE_LIMIT if not pieces else _LINE_LIMIT - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _event_lines(event: CalendarEvent, stamp: str) -> Iterable[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:{escape_text(event.uid)}"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART:{format_utc(event.starts_at)}"
    yield f"DTEND:{format_utc(event.ends_at)}"
    yield f"SEQUENCE:{max(0, event.sequence)}"
    yield f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}"
    yield f"SUMMARY:{escape_text(event.title)}"
    if event.description:
        yield f"DESCRIPTION:{escape_text(event.description)}"
    if event.url:
        yield f"LOCATION:{escape_text(event.url)}"
        yield f"URL:{event.url}"
    yield "END:VEVENT"


def calendar(events: Sequence[CalendarEvent], *, now: datetime) -> str:
    """A complete ``.ics`` file with ``events`` (CRLF line endings, folded lines)."""
    stamp = format_utc(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    for event in events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
