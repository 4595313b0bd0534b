"""Short on a phone: short reminders close to the meeting, a calendar button, the time zone
only when it is unusual, the next few facilitator turns, polls with bars and their buttons
beside the options — through the fake Slack, in both languages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.fakeslack.model import Message
from handlers.meetings.blocks import CALENDAR_ACTION, RSVP_YES_ACTION
from tests.e2e.test_danish import DEC_3_16H, _meetings, _ready
from tests.harness import DOCTORS, MEMBER, Harness


def _reminders(h: Harness) -> list[Message]:
    return [
        m
        for m in h.posts()
        if any(b.get("block_id", "").startswith("meeting_rsvp:") for b in m.blocks)
    ]


def _all_text(message: Message) -> str:
    parts = [message.text]
    for block in message.blocks:
        if isinstance(block.get("text"), dict):
            parts.append(str(block["text"].get("text", "")))
        for element in block.get("elements") or []:
            text = element.get("text")
            parts.append(str(text.get("text") if isinstance(text, dict) else text or ""))
    return "\n".join(parts)


def _buttons(message: Message) -> list[str]:
    return [
        str(e["action_id"])
        for b in message.blocks
        for e in [*(b.get("elements") or []), b.get("accessory") or {}]
        if "action_id" in e
    ]


# --- reminders ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "da"])
async def test_the_week_reminder_is_the_full_card_the_day_and_hour_ones_are_short(
    database_url: str, language: str
) -> None:
    async with Harness(database_url, language=language) as h:
        await _ready(h)
        await h.command(
            "meeting add 2026-12-03 16:00 Diabetes --zoom https://us02web.zoom.us/j/1234"
        )
        [meeting] = await _meetings(h)
        await h.command(f"meeting set {meeting.id} agenda Cases & discussion")

        for before in (timedelta(days=7), timedelta(days=1), timedelta(hours=1)):
            h.clock.set(DEC_3_16H - before)
            await h.run_jobs()

        week, day, hour = _reminders(h)
        assert "Cases &amp; discussion" in _all_text(week)
        assert CALENDAR_ACTION in _buttons(week)
        for short in (day, hour):
            assert len(short.blocks) == 3, _all_text(short)
            assert "Cases" not in _all_text(short)
            assert _buttons(short) == [
                f"link:zoom:{meeting.id}",
                RSVP_YES_ACTION,
                "meeting_rsvp_no",
            ]
        assert ("16.00" if language == "da" else "16:00") in _all_text(hour)
        assert "Diabetes" in hour.text


async def test_a_meeting_planned_late_gets_the_full_card_first(harness: Harness) -> None:
    harness.clock.set(DEC_3_16H - timedelta(days=2))
    await harness.setup_cluster()
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    [meeting] = await _meetings(harness)
    await harness.command(f"meeting set {meeting.id} agenda Cases")

    for before in (timedelta(days=1), timedelta(hours=1)):
        harness.clock.set(DEC_3_16H - before)
        await harness.run_jobs()

    day, hour = _reminders(harness)
    assert "Cases" in _all_text(day)  # no week reminder went out: this one is the full card
    assert "Cases" not in _all_text(hour)


async def test_the_calendar_button_sends_the_file_privately(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes --remind 7d")
    harness.clock.set(DEC_3_16H - timedelta(days=7))
    await harness.run_jobs()
    [reminder] = _reminders(harness)

    await harness.click(reminder, CALENDAR_ACTION, user=MEMBER)

    sent = [f for f in harness.slack.files.values() if f.channel == f"D{MEMBER}"]
    assert len(sent) == 1
    assert "DTSTART:20261203T150000Z" in sent[0].content.decode()
    assert "direct message" in harness.last_whisper(MEMBER)


# --- the time zone only when it is unusual ------------------------------------------------------


async def test_the_usual_time_zone_is_not_repeated(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    await harness.command("meeting list", user=MEMBER)

    assert "Europe/Copenhagen" not in harness.last_whisper()
    assert "Europe/Copenhagen" not in harness.last_whisper(MEMBER)
    assert "Thursday 3 December 2026 at 16:00" in harness.last_whisper(MEMBER)


async def test_an_unusual_time_zone_is_shown_with_the_time(harness: Harness) -> None:
    await _ready(harness, "--timezone Europe/London")

    await harness.command("meeting add 2026-12-03 16:00 Diabetes")

    assert "Thursday 3 December 2026 at 16:00 (Europe/London)" in harness.last_whisper()


# --- facilitator list ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "command"), [("en", "facilitator list"), ("da", "tovholder liste")]
)
async def test_facilitator_list_shows_the_next_turns_and_all_on_request(
    database_url: str, language: str, command: str
) -> None:
    async with Harness(database_url, language=language) as h:
        await _ready(h)
        await h.command("meeting add 2026-12-03 16:00 Klynge --every 4w --count 7")

        await h.command(command, user=MEMBER)
        short = h.last_whisper(MEMBER)
        await h.command(f"{command} {'alle' if language == 'da' else 'all'}", user=MEMBER)
        everything = h.last_whisper(MEMBER)

        assert short.count("• ") == 4
        hint = (
            "/klynge tovholder liste alle" if language == "da" else "/klynge facilitator list all"
        )
        assert hint in short
        assert everything.count("• ") == 7
        assert all(f"<@{doctor}>" in everything for doctor in DOCTORS)  # the whole turn order
        assert len(short) < len(everything) / 2


# --- polls --------------------------------------------------------------------------------------


def _option_sections(message: Message) -> list[dict[str, Any]]:
    return [b for b in message.blocks if ":o" in str(b.get("block_id", ""))]


@pytest.mark.parametrize(("language", "percent"), [("en", "67%"), ("da", "67 %")])
async def test_a_poll_shows_a_bar_and_share_per_option_with_its_button_beside_it(
    database_url: str, language: str, percent: str
) -> None:
    async with Harness(database_url, language=language) as h:
        await _ready(h)
        await h.command('poll "Next topic?" "COPD" "Dementia" "Sleep"', user=MEMBER)
        poll = h.last_post()

        options = _option_sections(poll)
        assert [o["accessory"]["text"]["text"] for o in options] == [
            "1. COPD",
            "2. Dementia",
            "3. Sleep",
        ]
        for voter in DOCTORS[2:4]:
            await h.click(poll, "poll_vote:1", user=voter)
        await h.click(poll, "poll_vote:2", user=DOCTORS[4])

        h.clock.advance(timedelta(seconds=2))  # the coalesced refresh of the message
        await h.run_jobs()
        updated = next(m for m in h.posts() if m.ts == poll.ts)
        first = _option_sections(updated)[0]["text"]["text"]
        assert first.startswith("*1. COPD*  `2 ")
        assert f"`▓▓▓▓▓▓▓░░░` {percent}" in first
        await h.command("poll close", user=MEMBER)
        results = h.last_post()
        assert percent in results.text
        assert "*2*" in results.text  # the count is still a number of its own
