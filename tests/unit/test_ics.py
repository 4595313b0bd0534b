"""Unit tests for handlers.meetings.ics: RFC 5545 text, escaping, folding, UTC times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.meetings.ics import (
    CalendarEvent,
    calendar,
    escape_text,
    fold,
    format_utc,
    meeting_uid,
)

START = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _event(**changes: object) -> CalendarEvent:
    values: dict[str, object] = {
        "uid": "meeting-1.c1.t1@klyngebot",
        "title": "Diabetes",
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
    }
    values.update(changes)
    return CalendarEvent(**values)  # type: ignore[arg-type]


def _unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_text_values_escape_backslash_semicolon_comma_and_newlines() -> None:
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_control_characters_are_dropped() -> None:
    assert escape_text("a\x00b\x07c\td") == "abc\td"


def test_times_are_written_in_utc_whatever_zone_they_come_in() -> None:
    local = START.astimezone(ZoneInfo("Europe/Copenhagen"))
    assert format_utc(local) == "20261203T150000Z"


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        format_utc(datetime(2026, 12, 3, 16, 0))


def test_uid_is_the_same_for_the_same_meeting_and_differs_between_meetings() -> None:
    first = meeting_uid(meeting_id=7, team_id="T1", channel_id="C1")
    assert first == meeting_uid(meeting_id=7, team_id="T1", channel_id="C1")
    assert first != meeting_uid(meeting_id=8, team_id="T1", channel_id="C1")
    assert first != meeting_uid(meeting_id=7, team_id="T1", channel_id="C2")


def test_calendar_has_crlf_lines_and_the_required_properties() -> None:
    text = calendar([_event(description="Topic: A, B", url="https://zoom.us/j/1")], now=NOW)

    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == ""  # ends with CRLF
    assert "\n" not in text.replace("\r\n", "")
    for required in (
        "VERSION:2.0",
        "PRODID:-//klyngebot//meetings//EN",
        "BEGIN:VEVENT",
        "UID:meeting-1.c1.t1@klyngebot",
        "DTSTAMP:20261122T120000Z",
        "DTSTART:20261203T150000Z",
        "DTEND:20261203T170000Z",
        "SEQUENCE:0",
        "STATUS:CONFIRMED",
        "SUMMARY:Diabetes",
        "DESCRIPTION:Topic: A\\, B",
        "URL:https://zoom.us/j/1",
        "END:VEVENT",
        "END:VCALENDAR",
    ):
        assert required in lines


def test_a_cancelled_moved_meeting_has_a_higher_sequence_and_cancelled_status() -> None:
    text = calendar([_event(sequence=2, cancelled=True)], now=NOW)

    assert "SEQUENCE:2\r\n" in text
    assert "STATUS:CANCELLED\r\n" in text


def test_several_events_share_one_calendar() -> None:
    text = calendar([_event(uid="a@k"), _event(uid="b@k")], now=NOW)

    assert text.count("BEGIN:VEVENT") == 2
    assert text.count("BEGIN:VCALENDAR") == 1


def test_long_danish_titles_are_folded_without_splitting_letters() -> None:
    title = "Ærø og Bornholm: æblekage, øl og år " * 10
    text = calendar([_event(title=title)], now=NOW)

    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    assert f"SUMMARY:{escape_text(title)}" in _unfold(text)


@given(st.text(min_size=0, max_size=400))
def test_folding_keeps_the_text_and_the_75_octet_limit(line: str) -> None:
    folded = fold(line)

    assert folded.replace("\r\n ", "") == line
    assert all(len(piece.encode("utf-8")) <= 75 for piece in folded.split("\r\n"))
