"""Unit tests for handlers.meetings.blocks: reminders, agenda and closing posts as Block Kit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.fakeslack.rules import block_errors
from handlers.meetings import blocks as ui
from handlers.meetings.shape import agenda_of, one_line, written_agenda
from storage.meetings import Meeting

CPH = ZoneInfo("Europe/Copenhagen")
START = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
HOME = "Europe/Copenhagen"


def _meeting(**changes: Any) -> Meeting:
    values: dict[str, Any] = {
        "id": 12,
        "cluster_id": 1,
        "title": "Lunger & <hjerte>",
        "starts_at": START,
        "created_by": "U1",
    }
    values.update(changes)
    return Meeting(**values)


def _texts(blocks: list[dict[str, Any]]) -> str:
    found = []
    for block in blocks:
        if "text" in block:
            found.append(block["text"]["text"])
        for element in block.get("elements") or []:
            text = element.get("text")
            found.append(text["text"] if isinstance(text, dict) else str(text or ""))
    return "\n".join(found)


def _section_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [block["text"]["text"] for block in blocks if block["type"] == "section"]


def _actions(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_reminder_names_title_when_and_how_long_until_escaped() -> None:
    blocks = ui.reminder_blocks(
        _meeting(), CPH, "en", now=START - timedelta(days=1), home=HOME, attending=3, absent=1
    )

    text = _texts(blocks)
    assert "*Lunger &amp; &lt;hjerte&gt;* starts in *1 day*" in text
    assert "Thursday 3 December 2026 at 16:00" in text
    assert "Europe/Copenhagen" not in text  # the cluster's zone is the usual one here
    assert "3 coming" in text
    assert "1 can't come" in text
    assert block_errors(blocks) == []


def test_reminder_in_danish() -> None:
    blocks = ui.reminder_blocks(
        _meeting(), CPH, "da", now=START - timedelta(days=7), home=HOME, attending=0, absent=0
    )

    text = _texts(blocks)
    assert "begynder om *7 dage*" in text
    assert "torsdag den 3. december 2026 kl. 16.00" in text
    assert "Jeg kommer" in text
    assert "Sæt i kalender" in text
    assert "`/klynge møde vis 12`" in text


def test_a_short_reminder_is_the_time_zoom_and_rsvp_only() -> None:
    meeting = _meeting(zoom_url="https://zoom.us/j/1", agenda="1. Cases", topic="HbA1c")
    full = ui.reminder_blocks(
        meeting, CPH, "da", now=START - timedelta(days=7), home=HOME, attending=0, absent=0
    )
    short = ui.reminder_blocks(
        meeting,
        CPH,
        "da",
        now=START - timedelta(hours=1),
        home=HOME,
        attending=2,
        absent=0,
        full=False,
        extra=[{"type": "divider"}],
    )

    text = _texts(short)
    assert "*Lunger &amp; &lt;hjerte&gt;* begynder om *1 time* (kl. 16.00)" in text
    assert "HbA1c" not in text
    assert "1. Cases" not in text
    assert [a["action_id"] for a in _actions(short)] == [
        "link:zoom:12",
        ui.RSVP_YES_ACTION,
        ui.RSVP_NO_ACTION,
    ]
    assert "2 kommer" in text
    assert len(short) == 4
    assert short[-1] == {"type": "divider"}  # what is new (the caller decides), after the buttons
    assert len(full) > 5  # header, when, details, buttons, count, details hint


def test_the_zone_is_shown_only_when_it_is_not_the_usual_one() -> None:
    london = ZoneInfo("Europe/London")
    usual = _texts(
        ui.reminder_blocks(
            _meeting(), london, "en", now=START, home="Europe/London", attending=0, absent=0
        )
    )
    unusual = _texts(
        ui.reminder_blocks(_meeting(), london, "en", now=START, home=HOME, attending=0, absent=0)
    )

    assert "Europe/London" not in usual
    assert "Thursday 3 December 2026 at 15:00 (Europe/London)" in unusual


def test_reminder_has_a_zoom_link_button_only_when_there_is_a_link() -> None:
    without = ui.reminder_blocks(_meeting(), CPH, "en", now=START, home=HOME, attending=0, absent=0)
    with_link = ui.reminder_blocks(
        _meeting(zoom_url="https://zoom.us/j/1"),
        CPH,
        "en",
        now=START,
        home=HOME,
        attending=0,
        absent=0,
    )

    assert not [a for a in _actions(without) if a["action_id"].startswith("link:")]
    [zoom] = [a for a in _actions(with_link) if a["action_id"].startswith("link:")]
    assert zoom["url"] == "https://zoom.us/j/1"
    assert {a["action_id"] for a in _actions(with_link)} >= {
        ui.RSVP_YES_ACTION,
        ui.RSVP_NO_ACTION,
    }


def test_reminder_shows_details_when_known() -> None:
    meeting = _meeting(
        topic="HbA1c",
        agenda="1. Cases",
        preparation="Bring a case",
        facilitator_id="U7",
        note_taker_id="U8",
    )

    text = _texts(
        ui.reminder_blocks(meeting, CPH, "en", now=START, home=HOME, attending=0, absent=0)
    )

    for expected in ("HbA1c", "1. Cases", "Bring a case", "<@U7>", "<@U8>"):
        assert expected in text


def test_huge_agenda_and_title_stay_within_slack_limits() -> None:
    meeting = _meeting(title="T" * 200, agenda="<" * 3000, preparation="&" * 3000)
    extra = [{"type": "divider"}] * 60

    blocks = ui.reminder_blocks(
        meeting, CPH, "en", now=START, home=HOME, attending=0, absent=0, extra=extra
    )

    assert block_errors(blocks) == []


def test_replace_block_swaps_only_the_count() -> None:
    blocks = ui.reminder_blocks(_meeting(), CPH, "en", now=START, home=HOME, attending=0, absent=0)

    updated = ui.replace_block(blocks, ui.RSVP_COUNTS_BLOCK, ui.rsvp_counts_block(5, 2, "en"))

    assert "5 coming" in _texts(updated)
    assert len(updated) == len(blocks)
    assert [b for b in updated if b.get("block_id") != ui.RSVP_COUNTS_BLOCK] == [
        b for b in blocks if b.get("block_id") != ui.RSVP_COUNTS_BLOCK
    ]


def test_agenda_post_has_the_check_in_button_and_count() -> None:
    meeting = _meeting(agenda="Welcome")
    agenda = agenda_of(meeting.agenda, None, "en")

    blocks = ui.agenda_blocks(meeting, CPH, "en", checked_in=4, agenda=agenda)

    assert _actions(blocks)[0]["action_id"] == ui.CHECKIN_ACTION
    assert "4 checked in" in _texts(blocks)
    assert "Welcome" in _texts(blocks)
    assert "usual shape" not in _texts(blocks)
    assert block_errors(blocks) == []


@pytest.mark.parametrize(("language", "first"), [("en", "Check-in"), ("da", "Check-in")])
def test_a_meeting_without_an_agenda_shows_the_built_in_one_beginning_with_a_check_in(
    language: str, first: str
) -> None:
    meeting = _meeting()
    agenda = agenda_of(None, None, language)

    blocks = ui.agenda_blocks(meeting, CPH, language, checked_in=0, agenda=agenda)

    shown = next(text for text in _section_texts(blocks) if "\n1. " in text)
    assert shown.split("\n1. ", 1)[1].startswith(first)
    assert first in ui.agenda_text(meeting, agenda, language)
    assert agenda.is_default


def test_a_clusters_own_default_agenda_replaces_the_built_in_one_and_is_escaped() -> None:
    agenda = agenda_of(None, "Kaffe & <snak>\nEmne", "da")

    blocks = ui.reminder_blocks(
        _meeting(), CPH, "da", now=START, home=HOME, attending=0, absent=0, agenda=agenda
    )

    assert "Kaffe &amp; &lt;snak&gt;\nEmne" in _texts(blocks)
    assert "klyngens faste form" in _texts(blocks)
    assert "Check-in" not in _texts(blocks)


def test_an_agenda_typed_on_one_line_becomes_a_numbered_list() -> None:
    assert written_agenda("Check-in; Emne ; Afrunding") == "1. Check-in\n2. Emne\n3. Afrunding"
    assert written_agenda("Line one\nLine two") == "Line one\nLine two"
    assert written_agenda("Only one item") == "Only one item"
    assert one_line("1. Check-in\n\n2. Emne") == "1. Check-in · 2. Emne"


def test_closing_round_asks_the_three_questions() -> None:
    text = _texts(ui.closing_blocks(_meeting(), "da", checked_in=9))

    assert "Hvad tager du med dig" in text
    assert "Hvad kan du bruge" in text
    assert "din egen klinik" in text
    assert "9 tjekkede ind" in text
