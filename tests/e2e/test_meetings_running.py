"""Meetings end to end: start and end, check-in, hooks, calendar files."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot.fakeslack.model import Message
from handlers.meetings.blocks import (
    CHECKIN_ACTION,
    CHECKIN_COUNT_BLOCK,
    START_CANCEL_ACTION,
    START_UNPLANNED_ACTION,
)
from storage.meetings import CheckIn
from tests.e2e.meetings_helpers import (
    DEC_3_16H,
    NOW,
    _all_text,
    _block_text,
    _jobs,
    _meetings,
    _ready,
)
from tests.harness import CHANNEL, COORDINATOR, MEMBER, Harness

# --- start and end ------------------------------------------------------------------------------


async def test_start_marks_the_nearest_meeting_running_and_posts_the_agenda(
    harness: Harness,
) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    [meeting] = await _meetings(harness)
    await harness.command(f"meeting set {meeting.id} agenda Welcome; cases; closing round")
    started: list[int] = []

    async def on_started(deps: Any, cluster: Any, started_meeting: Any) -> None:
        started.append(started_meeting.id)

    async def take_home(deps: Any, cluster: Any, m: Any) -> list[dict[str, Any]]:
        return [{"type": "section", "text": {"type": "mrkdwn", "text": "Take-home button"}}]

    harness.deps.hooks.meeting_started.append(on_started)
    harness.deps.hooks.agenda_blocks.append(take_home)
    harness.clock.set(DEC_3_16H - timedelta(minutes=10))

    await harness.command("start")

    [stored] = await _meetings(harness)
    assert stored.status == "running"
    assert stored.started_at == DEC_3_16H - timedelta(minutes=10)
    agenda = harness.last_post()
    assert stored.agenda_ts == agenda.ts
    assert "Welcome; cases; closing round" in _all_text(agenda)
    assert "Take-home button" in _all_text(agenda)
    assert "0 checked in" in _block_text(agenda, CHECKIN_COUNT_BLOCK)
    assert started == [meeting.id]
    assert await _jobs(harness) == {}  # the pending 1h reminder is no longer useful


def _confirmation(h: Harness, user: str = COORDINATOR) -> Message:
    """The latest private question with Confirm/Cancel buttons, as a clickable message."""
    for item in reversed(h.slack.ephemerals_for(user)):
        if any(block.get("type") == "actions" for block in item.blocks):
            return Message(channel=CHANNEL, ts="0.0", text=item.text, blocks=item.blocks)
    raise AssertionError(f"{user} was asked nothing")


async def test_start_with_no_planned_meeting_asks_before_posting_to_the_channel(
    harness: Harness,
) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Far away")
    posts = len(harness.posts())

    await harness.command("start")

    question = _confirmation(harness)
    assert "No planned meeting is due now" in question.text
    assert "Far away" in question.text  # the next planned one, so a mistake is plain to see
    assert len(harness.posts()) == posts
    [far] = await _meetings(harness)
    assert far.status == "planned"

    await harness.click(question, START_UNPLANNED_ACTION, user=COORDINATOR)

    far, ad_hoc = await _meetings(harness)
    assert far.status == "planned"
    assert ad_hoc.status == "running"
    assert "unplanned" in harness.last_whisper()
    assert any(b.get("block_id") == CHECKIN_COUNT_BLOCK for b in harness.last_post().blocks)


async def test_cancelling_the_unplanned_start_posts_and_stores_nothing(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("start")
    posts = len(harness.posts())

    await harness.click(_confirmation(harness), START_CANCEL_ACTION, user=COORDINATOR)

    assert "nothing was started" in harness.last_whisper()
    assert len(harness.posts()) == posts
    assert await _meetings(harness) == []


async def test_the_unplanned_start_is_confirmed_only_by_a_coordinator(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("start")

    await harness.click(_confirmation(harness), START_UNPLANNED_ACTION, user=MEMBER)

    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    assert await _meetings(harness) == []


async def test_start_unplanned_in_danish_asks_in_danish(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)

        await h.command("start")

        question = _confirmation(h)
        assert "Intet planlagt møde er på vej nu" in question.text
        labels = [e["text"]["text"] for b in question.blocks for e in b.get("elements") or []]
        assert labels == ["Start uplanlagt møde", "Annullér"]


async def test_start_twice_is_refused(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("start --unplanned")
    posts = len(harness.posts())

    await harness.command("start --unplanned")

    assert "already running" in harness.last_whisper()
    assert len(harness.posts()) == posts
    assert len(await _meetings(harness)) == 1


async def test_members_cannot_start_or_end(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("start", user=MEMBER)
    await harness.command("end", user=MEMBER)

    assert all("Only the cluster's coordinators" in t for t in harness.whispers(MEMBER))
    assert await _meetings(harness) == []


async def test_check_in_counts_are_exact_under_thirty_concurrent_clicks(
    harness: Harness,
) -> None:
    await _ready(harness)
    await harness.command("start --unplanned")
    agenda = harness.last_post()
    [meeting] = await _meetings(harness)
    assert harness.driver is not None
    people = harness.add_doctors(30)  # only the channel's members may click

    await asyncio.gather(
        *(harness.driver.click(agenda, CHECKIN_ACTION, user=person) for person in people),
        harness.driver.click(agenda, CHECKIN_ACTION, user=people[0]),  # a double click
    )
    await harness.settle()

    async with harness.db.session() as session:
        rows = (await session.exec(select(CheckIn).where(CheckIn.meeting_id == meeting.id))).all()
    assert len(rows) == 30
    assert "30 checked in" in _block_text(agenda, CHECKIN_COUNT_BLOCK)


async def test_check_in_delivered_twice_or_late_counts_once(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("start --unplanned")
    agenda = harness.last_post()

    await harness.click(agenda, CHECKIN_ACTION, user=MEMBER, action_ts="1800000000.2")
    await harness.click(agenda, CHECKIN_ACTION, user=MEMBER, action_ts="1800000000.2")  # again
    assert [text.startswith("You're checked in") for text in harness.whispers(MEMBER)] == [
        True,
        True,
    ]
    await harness.click(agenda, CHECKIN_ACTION, user=MEMBER, action_ts="1800000000.1")  # late

    assert "already checked in" in harness.last_whisper(MEMBER)
    async with harness.db.session() as session:
        rows = (await session.exec(select(CheckIn))).all()
    assert [(row.user_id, row.action_ts) for row in rows] == [(MEMBER, "0001800000000.200000")]
    assert "1 checked in" in _block_text(agenda, CHECKIN_COUNT_BLOCK)


async def test_end_closes_the_meeting_and_asks_the_closing_round(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-11-22 14:00 Diabetes")
    ended: list[int] = []

    async def on_ended(deps: Any, cluster: Any, meeting: Any) -> None:
        ended.append(meeting.id)

    harness.deps.hooks.meeting_ended.append(on_ended)
    await harness.command("start")
    agenda = harness.last_post()
    await harness.click(agenda, CHECKIN_ACTION, user=MEMBER)
    harness.clock.advance(timedelta(hours=2))

    await harness.command("end")

    [meeting] = await _meetings(harness)
    assert meeting.status == "ended"
    assert meeting.ended_at == NOW + timedelta(hours=2)
    closing = _all_text(harness.find_post(lambda post: "has ended" in post.text))
    assert "What did you take with you" in closing
    assert "What can you use" in closing
    assert "your own clinic" in closing
    assert "1 checked in" in closing
    assert ended == [meeting.id]


async def test_check_in_after_the_end_is_refused(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("start --unplanned")
    agenda = harness.last_post()
    await harness.command("end")

    await harness.click(agenda, CHECKIN_ACTION, user=MEMBER)

    assert "only open while the meeting runs" in harness.last_whisper(MEMBER)


async def test_end_without_a_running_meeting_says_so(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("end")

    assert "No meeting is running" in harness.last_whisper()


# --- hooks --------------------------------------------------------------------------------------


async def test_planned_and_changed_hooks_run_for_each_occurrence(harness: Harness) -> None:
    await _ready(harness)
    planned: list[int] = []
    changed: list[tuple[int, str]] = []

    async def on_planned(deps: Any, cluster: Any, meeting: Any) -> None:
        planned.append(meeting.id)

    async def on_changed(deps: Any, cluster: Any, meeting: Any) -> None:
        changed.append((meeting.id, meeting.status))

    harness.deps.hooks.meeting_planned.append(on_planned)
    harness.deps.hooks.meeting_changed.append(on_changed)

    await harness.command("meeting add 2026-12-03 16:00 Klynge --every 2w --count 3")
    first, second, _ = await _meetings(harness)
    await harness.command(f"meeting move {first.id} 2026-12-04 16:00")
    await harness.command(f"meeting cancel {second.id}")

    assert planned == [m.id for m in await _meetings(harness)]
    assert changed == [(first.id, "planned"), (second.id, "cancelled")]


async def test_a_failing_hook_does_not_undo_the_plan(harness: Harness) -> None:
    await _ready(harness)

    async def broken(deps: Any, cluster: Any, meeting: Any) -> None:
        raise RuntimeError("rotation is broken")

    harness.deps.hooks.meeting_planned.append(broken)

    await harness.command("meeting add 2026-12-03 16:00 Diabetes")

    assert len(await _meetings(harness)) == 1
    assert "Planned meeting" in harness.last_whisper()


# --- calendar files -----------------------------------------------------------------------------


async def test_add_shares_a_calendar_file_in_the_channel(harness: Harness) -> None:
    await _ready(harness)

    await harness.command(
        "meeting add 2026-12-03 16:00 Lunger, hjerte; og nyrer --zoom https://zoom.us/j/42"
    )

    [meeting] = await _meetings(harness)
    [uploaded] = harness.slack.files.values()
    assert uploaded.channel == "C0CLUSTER"
    assert uploaded.filename.endswith(".ics")
    assert "Lunger, hjerte; og nyrer" in str(uploaded.initial_comment)
    content = uploaded.content.decode()
    assert content.startswith("BEGIN:VCALENDAR\r\n")
    assert content.endswith("END:VCALENDAR\r\n")
    unfolded = content.replace("\r\n ", "")
    assert "DTSTART:20261203T150000Z\r\n" in unfolded
    assert "DTEND:20261203T170000Z\r\n" in unfolded
    assert "SUMMARY:Lunger\\, hjerte\\; og nyrer\r\n" in unfolded
    assert f"UID:meeting-{meeting.id}.c0cluster.t0klynge@klyngebot\r\n" in unfolded
    assert "URL:https://zoom.us/j/42\r\n" in unfolded
    assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))


async def test_a_series_shares_one_file_with_every_occurrence(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("meeting add 2026-12-03 16:00 Klynge --every 4w --count 4")

    [uploaded] = harness.slack.files.values()
    assert uploaded.content.decode().count("BEGIN:VEVENT") == 4


async def test_ics_on_request_goes_to_the_asker_with_a_stable_uid_and_new_sequence(
    harness: Harness,
) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    [meeting] = await _meetings(harness)
    first = next(iter(harness.slack.files.values())).content.decode()
    await harness.command(f"meeting move {meeting.id} 2026-12-10 16:00")

    await harness.command(f"meeting ics {meeting.id}", user=MEMBER)

    sent = [f for f in harness.slack.files.values() if f.channel == f"D{MEMBER}"]
    assert len(sent) == 1
    content = sent[0].content.decode().replace("\r\n ", "")
    uid = f"UID:meeting-{meeting.id}.c0cluster.t0klynge@klyngebot"
    assert uid in first
    assert uid in content
    assert "SEQUENCE:1" in content
    assert "DTSTART:20261210T150000Z" in content
    assert "direct message" in harness.last_whisper(MEMBER)


async def test_calendar_file_failure_still_announces_the_meeting(harness: Harness) -> None:
    await _ready(harness)
    harness.slack.fail("files.getUploadURLExternal", error="missing_scope")

    await harness.command("meeting add 2026-12-03 16:00 Diabetes")

    assert len(await _meetings(harness)) == 1
    assert "Diabetes" in harness.last_post().text
    assert "meeting ics" in harness.last_post().text


async def test_start_with_a_number_starts_that_meeting(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Later")
    [meeting] = await _meetings(harness)

    await harness.command(f"start {meeting.id}")

    [stored] = await _meetings(harness)
    assert stored.status == "running"
    assert "Later" in harness.last_post().text


async def test_two_coordinators_starting_at_once_start_one_meeting(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-11-22 14:00 Diabetes")
    await harness.command(f"coordinator add <@{MEMBER}>")
    assert harness.driver is not None

    await asyncio.gather(
        harness.driver.command("start", user=COORDINATOR, channel=CHANNEL),
        harness.driver.command("start", user=MEMBER, channel=CHANNEL),
    )
    await harness.settle()

    running = [m for m in await _meetings(harness) if m.status == "running"]
    assert len(running) == 1
    assert len([m for m in harness.posts() if CHECKIN_ACTION in str(m.blocks)]) == 1
    refused = harness.whispers(COORDINATOR)[-1:] + harness.whispers(MEMBER)[-1:]
    assert any("already running" in text or "just now" in text for text in refused)


async def test_start_without_the_bot_in_the_channel_leaves_the_meeting_planned(
    harness: Harness,
) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-11-22 14:00 Diabetes")
    reminders_before = set(await _jobs(harness))
    harness.slack.channels[CHANNEL]["members"].remove("UKLYNGEBOT")

    await harness.command("start")

    assert "/invite @klyngebot" in harness.last_whisper()
    [meeting] = await _meetings(harness)
    assert meeting.status == "planned"
    assert set(await _jobs(harness)) == reminders_before
