"""Meetings end to end: planning, refusals, series, reminders, RSVP, start/end, calendar files."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from bot.fakeslack.model import Message
from bot.fakeslack.rules import escape_typed
from handlers.meetings.blocks import (
    CHECKIN_ACTION,
    CHECKIN_COUNT_BLOCK,
    RSVP_COUNTS_BLOCK,
    RSVP_NO_ACTION,
    RSVP_YES_ACTION,
    START_CANCEL_ACTION,
    START_UNPLANNED_ACTION,
)
from storage.clusters import Cluster
from storage.jobs import Job
from storage.meetings import CheckIn, Meeting, Rsvp
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, Harness

# Sunday 22 November 2026, 13:00 in Copenhagen.
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
# Thursday 3 December 2026 at 16:00 in Copenhagen (UTC+1).
DEC_3_16H = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


async def _ready(h: Harness, at: datetime = NOW) -> None:
    h.clock.set(at)
    await h.setup_cluster()


async def _meetings(h: Harness) -> list[Meeting]:
    async with h.db.session() as session:
        return list((await session.exec(select(Meeting).order_by(col(Meeting.id)))).all())


async def _run_reminders(h: Harness) -> int:
    """Run the due jobs (of every feature); how many reminders that posted."""
    before = len(_reminders(h))
    await h.run_jobs()
    return len(_reminders(h)) - before


async def _jobs(h: Harness) -> dict[str, Job]:
    async with h.db.session() as session:
        jobs = (await session.exec(select(Job).where(Job.kind == "reminder"))).all()
    return {job.key: job for job in jobs}


async def _update_meeting(h: Harness, meeting_id: int, **values: Any) -> None:
    async with h.db.session() as session:
        meeting = await session.get(Meeting, meeting_id)
        assert meeting is not None
        for name, value in values.items():
            setattr(meeting, name, value)
        session.add(meeting)


def _reminders(h: Harness) -> list[Message]:
    return [
        m
        for m in h.posts()
        if any(b.get("block_id", "").startswith("meeting_rsvp:") for b in m.blocks)
    ]


def _block_text(message: Message, block_id: str) -> str:
    for block in message.blocks:
        if block.get("block_id") == block_id:
            return str(block["elements"][0]["text"])
    raise AssertionError(f"no block {block_id}")


def _all_text(message: Message) -> str:
    parts = [message.text]
    for block in message.blocks:
        if "text" in block:
            parts.append(str(block["text"].get("text", "")))
        for element in block.get("elements") or []:
            parts.append(str(element.get("text", "")))
            parts.append(str(element.get("url", "")))
    return "\n".join(parts)


# --- planning -----------------------------------------------------------------------------------


async def test_add_confirms_weekday_date_and_time_privately(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("meeting add 2026-12-03 16:00 Antibiotics in general practice")

    text = harness.last_whisper()
    assert "Thursday 3 December 2026 at 16:00" in text
    assert "Europe/Copenhagen" not in text  # the usual zone here (tests/e2e/test_phone.py)
    [meeting] = await _meetings(harness)
    assert meeting.title == "Antibiotics in general practice"
    assert meeting.starts_at == DEC_3_16H
    assert f"#{meeting.id}" in text


@pytest.mark.parametrize("typed", ["03-12-2026 16.00", "3/12 16:00", "3.12.2026 16:00"])
async def test_add_accepts_danish_day_first_dates(harness: Harness, typed: str) -> None:
    await _ready(harness)

    await harness.command(f"meeting add {typed} Klyngemøde")

    [meeting] = await _meetings(harness)
    assert meeting.starts_at == DEC_3_16H


async def test_add_schedules_one_reminder_job_per_offset_expiring_at_the_start(
    harness: Harness,
) -> None:
    await _ready(harness)

    await harness.command("meeting add 2026-12-03 16:00 Diabetes")

    [meeting] = await _meetings(harness)
    jobs = await _jobs(harness)
    assert set(jobs) == {f"reminder:{meeting.id}:{offset}" for offset in ("7d", "1d", "1h")}
    assert jobs[f"reminder:{meeting.id}:1h"].due_at == DEC_3_16H - timedelta(hours=1)
    assert jobs[f"reminder:{meeting.id}:7d"].due_at == DEC_3_16H - timedelta(days=7)
    assert all(job.expires_at == DEC_3_16H for job in jobs.values())


async def test_reminders_already_past_are_not_scheduled(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("meeting add 2026-11-24 16:00 Soon")

    [meeting] = await _meetings(harness)
    assert set(await _jobs(harness)) == {f"reminder:{meeting.id}:1d", f"reminder:{meeting.id}:1h"}
    assert "7 days before has already passed" in harness.last_whisper()


async def test_per_meeting_remind_overrides_the_defaults(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("meeting add 2026-12-03 16:00 Diabetes --remind 2d,30m")

    [meeting] = await _meetings(harness)
    assert set(await _jobs(harness)) == {f"reminder:{meeting.id}:2d", f"reminder:{meeting.id}:30m"}
    assert meeting.reminders == "2d,30m"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("meeting add 2026-02-30 16:00 Title", "not a date in the calendar"),
        ("meeting add 2026-12-03 25:99 Title", "not a time of day"),
        ("meeting add 2026-11-01 16:00 Title", "has already passed"),
        ("meeting add 2026-12-03 16:00 Title --zoom http://zoom.us/j/123", "https://"),
        ("meeting add 2026-12-03 16:00 Title --zoom javascript:alert(1)", "https://"),
        ("meeting add 2026-12-03 16:00 Title --colour red", "--colour"),
        ("meeting add 2026-12-03 16:00", "title"),
        ("meeting add", "title"),
        ("meeting add tomorow 16:00 Title", "as a date"),
        ("meeting add 3. decembr 16:00 Title", "“decembr” is not a month"),
        ("meeting add 3/12 Title", "“Title” is not a time"),
        ("meeting add 3/12 16-15 Title", "ends before it begins"),
        ("meeting add 3/12 16:00 Title --duration 5", "hours or minutes"),
        ("meeting add 3/12 16-18 Title --duration 90m", "two different lengths"),
        ("meeting add 2026-12-03 16:00 Title --remind -1d", "negative"),
        ("meeting add 2026-12-03 16:00 Title --remind 99999999999999d", "at most 365d"),
        ("meeting add 2026-12-03 16:00 Title --every 4w", "needs an end"),
        ("meeting add 2026-12-03 16:00 Title --count 3", "--every"),
        ("meeting add 2026-12-03 16:00 Title --every sometimes --count 3", "repeat pattern"),
        ("meeting add 2026-12-03 16:00 " + "Å🙂" * 150, "at most 200"),
        ("meeting add 2026-12-03 16:00 Title " + "x" * 5000, "at most 4000"),
    ],
)
async def test_add_refuses_bad_input_privately_and_stores_nothing(
    harness: Harness, typed: str, expected: str
) -> None:
    await _ready(harness)
    posts_before = len(harness.posts())

    reply = await harness.command(typed)

    assert reply.status == 200
    assert expected in harness.last_whisper()
    assert await _meetings(harness) == []
    assert await _jobs(harness) == {}
    assert len(harness.posts()) == posts_before
    assert harness.slack.files == {}


async def test_add_refusals_show_the_right_form(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("meeting add 2026-02-30 16:00 Title")

    assert "/klynge meeting add [date] [time] [title…]" in harness.last_whisper()


async def test_members_cannot_add_meetings(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("meeting add 2026-12-03 16:00 Title", user=MEMBER)

    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    assert await _meetings(harness) == []


async def test_sql_looking_and_markup_titles_are_stored_verbatim_and_escaped(
    harness: Harness,
) -> None:
    await _ready(harness)
    title = "Robert'); DROP TABLE meeting;-- <b> & Ærø"

    await harness.command(f"meeting add 2026-12-03 16:00 {title}")

    [meeting] = await _meetings(harness)
    assert meeting.title == title
    assert "Robert'); DROP TABLE meeting;-- &lt;b&gt; &amp; Ærø" in harness.last_whisper()


async def test_slack_escaped_ampersand_in_title_is_read_back_once(harness: Harness) -> None:
    await _ready(harness)
    assert escape_typed("Lunger & hjerte") == "Lunger &amp; hjerte"  # as Slack sends it

    await harness.command("meeting add 2026-12-03 16:00 Lunger & hjerte")

    [meeting] = await _meetings(harness)
    assert meeting.title == "Lunger & hjerte"
    assert "*Lunger &amp; hjerte*" in harness.last_whisper()


async def test_zoom_link_as_slack_sends_it_is_stored_without_brackets(harness: Harness) -> None:
    await _ready(harness)
    typed = "meeting add 2026-12-03 16:00 Title --zoom https://us02web.zoom.us/j/123?pwd=a&b=c"
    # Slack wraps the link and escapes its &: "--zoom <https://…?pwd=a&amp;b=c>".
    assert "--zoom <https://us02web.zoom.us/j/123?pwd=a&amp;b=c>" in escape_typed(typed)

    await harness.command(typed)

    [meeting] = await _meetings(harness)
    assert meeting.zoom_url == "https://us02web.zoom.us/j/123?pwd=a&b=c"
    assert "Planned meeting" in harness.last_whisper()


# --- series -------------------------------------------------------------------------------------


async def test_every_four_weeks_creates_a_series_of_separate_meetings(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("meeting add 2026-12-03 16:00 Klynge --every 4w --count 3")

    meetings = await _meetings(harness)
    assert [m.starts_at for m in meetings] == [
        DEC_3_16H,
        DEC_3_16H + timedelta(weeks=4),
        DEC_3_16H + timedelta(weeks=8),
    ]
    assert {m.series_id for m in meetings} == {meetings[0].id}
    jobs = await _jobs(harness)
    for meeting in meetings:
        assert f"reminder:{meeting.id}:1h" in jobs
    text = harness.last_whisper()
    assert "Planned 3 meetings" in text
    assert "Thursday 31 December 2026 at 16:00" in text


async def test_series_until_keeps_local_time_across_dst(harness: Harness) -> None:
    await _ready(harness)

    await harness.command(
        "meeting add 2027-03-04 16:00 Klynge --every first-thursday --until 2027-04-30"
    )

    meetings = await _meetings(harness)
    assert [m.starts_at for m in meetings] == [
        datetime(2027, 3, 4, 15, 0, tzinfo=UTC),  # CET
        datetime(2027, 4, 1, 14, 0, tzinfo=UTC),  # CEST: still 16:00 local
    ]


async def test_one_occurrence_of_a_series_can_be_cancelled_or_moved_alone(
    harness: Harness,
) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Klynge --every 4w --count 3")
    first, second, third = await _meetings(harness)

    await harness.command(f"meeting cancel {second.id}")
    await harness.command(f"meeting move {third.id} 2027-02-01 17:00")

    first, second, third = await _meetings(harness)
    assert (first.status, second.status, third.status) == ("planned", "cancelled", "planned")
    assert first.starts_at == DEC_3_16H
    assert third.starts_at == datetime(2027, 2, 1, 16, 0, tzinfo=UTC)
    jobs = await _jobs(harness)
    assert not any(key.startswith(f"reminder:{second.id}:") for key in jobs)
    assert jobs[f"reminder:{third.id}:1h"].due_at == datetime(2027, 2, 1, 15, 0, tzinfo=UTC)
    assert jobs[f"reminder:{first.id}:1h"].due_at == DEC_3_16H - timedelta(hours=1)


# --- list, show, set ----------------------------------------------------------------------------


async def test_list_shows_upcoming_meetings_with_numbers_facilitator_and_topic(
    harness: Harness,
) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-10 16:00 Second")
    await harness.command("meeting add 2026-12-03 16:00 First")
    second, first = await _meetings(harness)
    await _update_meeting(harness, first.id or 0, facilitator_id=DOCTORS[4])
    await harness.command(f"meeting set {first.id} topic Urinvejsinfektioner")

    await harness.command("meeting list", user=MEMBER)

    text = harness.last_whisper(MEMBER)
    assert text.index("First") < text.index("Second")
    assert f"#{first.id}" in text
    assert f"#{second.id}" in text
    assert f"<@{DOCTORS[4]}>" in text
    assert "Urinvejsinfektioner" in text


async def test_list_leaves_out_cancelled_and_past_meetings(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-11-23 16:00 Tomorrow")
    await harness.command("meeting add 2026-12-03 16:00 Cancelled")
    [_, cancelled] = await _meetings(harness)
    await harness.command(f"meeting cancel {cancelled.id}")
    harness.clock.set(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))

    await harness.command("meeting list")

    assert "No meetings are planned" in harness.last_whisper()


async def test_set_topic_agenda_and_preparation_show_up_in_show(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    [meeting] = await _meetings(harness)

    await harness.command(f"meeting set {meeting.id} topic HbA1c <targets>")
    await harness.command(f"meeting set {meeting.id} agenda 1. Welcome\n2. Cases\n3. Closing")
    await harness.command(f"meeting set {meeting.id} prep Bring two cases")
    await harness.command(f"meeting show {meeting.id}", user=MEMBER)

    [stored] = await _meetings(harness)
    assert stored.topic == "HbA1c <targets>"
    assert stored.agenda == "1. Welcome\n2. Cases\n3. Closing"
    assert stored.preparation == "Bring two cases"
    text = harness.last_whisper(MEMBER)
    assert "HbA1c &lt;targets&gt;" in text
    assert "1. Welcome\n2. Cases" in text
    assert "Bring two cases" in text
    assert "Thursday 3 December 2026 at 16:00" in text


async def test_set_with_a_dash_clears_the_field(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    [meeting] = await _meetings(harness)
    await harness.command(f"meeting set {meeting.id} topic Something")

    await harness.command(f"meeting set {meeting.id} topic -")

    [stored] = await _meetings(harness)
    assert stored.topic is None


@pytest.mark.parametrize(
    "typed",
    ["meeting set 1 colour red", "meeting set 1 topic", "meeting set x topic Hi", "meeting set"],
)
async def test_set_refuses_malformed_requests(harness: Harness, typed: str) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")

    await harness.command(typed)

    assert "/klynge meeting set" in harness.last_whisper() or "not a meeting number" in (
        harness.last_whisper()
    )
    [stored] = await _meetings(harness)
    assert stored.topic is None


@pytest.mark.parametrize("word", ["999", "-1", "99999999999999999999", "abc", "'; DROP"])
async def test_show_of_unknown_or_malformed_ids_answers_friendly(
    harness: Harness, word: str
) -> None:
    await _ready(harness)

    reply = await harness.command(f"meeting show {word}")

    assert reply.status == 200
    assert "meeting list" in harness.last_whisper()


async def test_meetings_of_another_cluster_are_invisible(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Nord")
    [meeting] = await _meetings(harness)
    await harness.command("setup", channel="C0OTHER")

    await harness.command(f"meeting cancel {meeting.id}", channel="C0OTHER")

    assert f"no meeting #{meeting.id}" in harness.last_whisper()
    [stored] = await _meetings(harness)
    assert stored.status == "planned"


# --- cancel and move ----------------------------------------------------------------------------


async def test_cancel_removes_reminder_jobs_and_tells_the_channel(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    [meeting] = await _meetings(harness)

    await harness.command(f"meeting cancel {meeting.id}")

    assert await _jobs(harness) == {}
    post = harness.last_post()
    assert "Diabetes" in post.text
    assert "cancelled" in post.text
    assert "Thursday 3 December 2026 at 16:00" in post.text
    harness.clock.set(DEC_3_16H - timedelta(minutes=59))
    assert await _run_reminders(harness) == 0
    assert _reminders(harness) == []


async def test_members_cannot_cancel(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    [meeting] = await _meetings(harness)

    await harness.command(f"meeting cancel {meeting.id}", user=MEMBER)

    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    assert len(await _jobs(harness)) == 3


async def test_cancelling_twice_says_it_is_already_cancelled(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    [meeting] = await _meetings(harness)
    await harness.command(f"meeting cancel {meeting.id}")
    posts = len(harness.posts())

    await harness.command(f"meeting cancel {meeting.id}")

    assert "is cancelled, so it can't be cancelled" in harness.last_whisper()
    assert len(harness.posts()) == posts


async def test_move_reschedules_reminders_and_tells_the_channel(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    [meeting] = await _meetings(harness)

    await harness.command(f"meeting move {meeting.id} 2026-12-10 17:30")

    [stored] = await _meetings(harness)
    new_start = datetime(2026, 12, 10, 16, 30, tzinfo=UTC)
    assert stored.starts_at == new_start
    assert stored.revision == 1
    jobs = await _jobs(harness)
    assert jobs[f"reminder:{meeting.id}:1h"].due_at == new_start - timedelta(hours=1)
    assert all(job.expires_at == new_start for job in jobs.values())
    assert "Thursday 10 December 2026 at 17:30" in harness.last_post().text


async def test_move_to_the_past_is_refused_and_changes_nothing(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    before = await _jobs(harness)

    await harness.command("meeting move 1 2026-11-01 16:00")

    assert "has already passed" in harness.last_whisper()
    [stored] = await _meetings(harness)
    assert stored.starts_at == DEC_3_16H
    assert {k: j.due_at for k, j in (await _jobs(harness)).items()} == {
        k: j.due_at for k, j in before.items()
    }


# --- reminder defaults --------------------------------------------------------------------------


async def test_cluster_defaults_apply_to_new_and_following_meetings(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Follows defaults")
    await harness.command("meeting add 2026-12-10 16:00 Own --remind 3h")
    follows, own = await _meetings(harness)

    await harness.command("remind defaults 2d,15m")
    await harness.command("meeting add 2026-12-17 16:00 New")

    new = (await _meetings(harness))[-1]
    keys = set(await _jobs(harness))
    assert keys == {
        f"reminder:{follows.id}:2d",
        f"reminder:{follows.id}:15m",
        f"reminder:{own.id}:3h",
        f"reminder:{new.id}:2d",
        f"reminder:{new.id}:15m",
    }


async def test_defaults_none_means_no_reminders(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("remind defaults none")

    await harness.command("meeting add 2026-12-03 16:00 Quiet")

    assert await _jobs(harness) == {}
    async with harness.db.session() as session:
        [cluster] = (await session.exec(select(Cluster))).all()
    assert cluster.reminder_defaults == ""


async def test_bad_defaults_are_refused_and_change_nothing(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("remind defaults 7x")

    assert "unit" in harness.last_whisper()
    async with harness.db.session() as session:
        [cluster] = (await session.exec(select(Cluster))).all()
    assert cluster.reminder_defaults is None


# --- reminders ----------------------------------------------------------------------------------


async def test_reminder_is_posted_with_everything_needed(harness: Harness) -> None:
    await _ready(harness)
    await harness.command(
        "meeting add 2026-12-03 16:00 Diabetes --remind 1d --zoom https://us02web.zoom.us/j/1234"
    )
    [meeting] = await _meetings(harness)
    await harness.command(f"meeting set {meeting.id} topic HbA1c targets")
    await harness.command(f"meeting set {meeting.id} agenda Cases & discussion")
    await harness.command(f"meeting set {meeting.id} prep Bring one case")
    harness.clock.set(DEC_3_16H - timedelta(days=1))

    assert await _run_reminders(harness) == 1
    [meeting] = await _meetings(harness)  # the rotation planned its facilitator and note-taker

    [reminder] = _reminders(harness)
    text = _all_text(reminder)
    assert "Diabetes" in reminder.text
    assert "Thursday 3 December 2026 at 16:00" in text
    assert "1 day" in text
    assert "HbA1c targets" in text
    assert "Cases &amp; discussion" in text
    assert "Bring one case" in text
    assert meeting.facilitator_id is not None
    assert f"<@{meeting.facilitator_id}>" in text
    assert f"<@{meeting.note_taker_id}>" in text
    buttons = [e for b in reminder.blocks for e in b.get("elements") or [] if "action_id" in e]
    zoom = [b for b in buttons if b["action_id"].startswith("link:")]
    assert zoom[0]["url"] == "https://us02web.zoom.us/j/1234"
    assert {RSVP_YES_ACTION, RSVP_NO_ACTION} <= {b["action_id"] for b in buttons}


async def test_reminder_is_delivered_after_a_restart(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    await harness.stop_bot()
    harness.clock.set(DEC_3_16H - timedelta(minutes=30))  # the 1h reminder came due while down

    await harness.start_bot()
    ran = await _run_reminders(harness)

    assert ran == 3  # the 7d and 1d ones too: the meeting hasn't started, so they are still useful
    reminders = _reminders(harness)
    assert len(reminders) == 3
    assert all("Diabetes" in r.text for r in reminders)
    assert await _jobs(harness) == {}


async def test_reminder_is_skipped_when_the_meeting_has_already_started(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    await harness.stop_bot()
    harness.clock.set(DEC_3_16H + timedelta(minutes=5))

    await harness.start_bot()
    with caplog.at_level("INFO"):
        await harness.run_jobs()

    assert _reminders(harness) == []
    assert await _jobs(harness) == {}
    assert "skipped" in caplog.text


async def test_reminder_is_sent_once_even_if_jobs_run_again(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes --remind 1h")
    harness.clock.set(DEC_3_16H - timedelta(hours=1))

    await harness.run_jobs()
    await harness.run_jobs()

    assert len(_reminders(harness)) == 1


async def test_reminder_is_not_sent_before_it_is_due(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes --remind 1h")
    harness.clock.set(DEC_3_16H - timedelta(hours=1, seconds=1))

    assert await _run_reminders(harness) == 0
    assert _reminders(harness) == []


@pytest.mark.parametrize(
    ("day", "start_utc", "reminder_utc", "until"),
    [
        # Spring forward on 28 March 2027: 16:00 CEST; the day before 16:00 CET is 23 h earlier.
        (
            "2027-03-28",
            datetime(2027, 3, 28, 14, 0, tzinfo=UTC),
            datetime(2027, 3, 27, 15, 0, tzinfo=UTC),
            "starts in *23 hours*",
        ),
        # Fall back on 31 October 2027: 16:00 CET; the day before 16:00 CEST is 25 h earlier.
        (
            "2027-10-31",
            datetime(2027, 10, 31, 15, 0, tzinfo=UTC),
            datetime(2027, 10, 30, 14, 0, tzinfo=UTC),
            "starts in *1 day 1 hour*",
        ),
    ],
)
async def test_one_day_reminder_keeps_local_time_across_dst(
    harness: Harness, day: str, start_utc: datetime, reminder_utc: datetime, until: str
) -> None:
    await _ready(harness)
    await harness.command(f"meeting add {day} 16:00 Sommertid --remind 1d")
    [meeting] = await _meetings(harness)
    assert meeting.starts_at == start_utc

    harness.clock.set(reminder_utc - timedelta(seconds=1))
    assert await _run_reminders(harness) == 0
    harness.clock.set(reminder_utc)
    assert await _run_reminders(harness) == 1

    [reminder] = _reminders(harness)
    assert "2027 at 16:00." in _all_text(reminder)  # local time, both sides of the change
    assert until in _all_text(reminder)


async def test_reminder_includes_blocks_from_other_features(harness: Harness) -> None:
    await _ready(harness)
    seen: list[int] = []

    async def follow_up(deps: Any, cluster: Any, meeting: Any) -> list[dict[str, Any]]:
        seen.append(meeting.id)
        text = {"type": "mrkdwn", "text": "Follow up: take-homes"}
        return [{"type": "section", "text": text}]

    harness.deps.hooks.reminder_blocks.append(follow_up)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes --remind 1h")
    harness.clock.set(DEC_3_16H - timedelta(hours=1))

    await harness.run_jobs()

    [reminder] = _reminders(harness)
    assert "Follow up: take-homes" in _all_text(reminder)
    assert seen == [(await _meetings(harness))[0].id]


async def test_failed_slack_post_is_retried_and_posted_once(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes --remind 1h")
    harness.clock.set(DEC_3_16H - timedelta(hours=1))
    harness.slack.fail("chat.postMessage", error="internal_error", channel=CHANNEL)

    await harness.run_jobs()
    assert _reminders(harness) == []
    harness.clock.advance(timedelta(seconds=20))
    await harness.run_jobs()

    assert len(_reminders(harness)) == 1


# --- RSVP ---------------------------------------------------------------------------------------


async def _reminder_post(h: Harness) -> tuple[Meeting, Message]:
    await _ready(h)
    await h.command("meeting add 2026-12-03 16:00 Diabetes --remind 1d")
    [meeting] = await _meetings(h)
    h.clock.set(DEC_3_16H - timedelta(days=1))
    await h.run_jobs()
    [reminder] = _reminders(h)
    return meeting, reminder


async def test_rsvp_counts_update_on_the_reminder(harness: Harness) -> None:
    _, reminder = await _reminder_post(harness)

    await harness.click(reminder, RSVP_YES_ACTION, user=DOCTORS[2])
    await harness.click(reminder, RSVP_NO_ACTION, user=DOCTORS[3])
    await harness.click(reminder, RSVP_YES_ACTION, user=DOCTORS[3])  # changed their mind

    assert "2 coming" in _block_text(reminder, RSVP_COUNTS_BLOCK)
    assert "0 can't come" in _block_text(reminder, RSVP_COUNTS_BLOCK)
    assert "coming to *Diabetes*" in harness.last_whisper(DOCTORS[3])


async def test_rsvp_counts_are_exact_under_thirty_concurrent_clicks(harness: Harness) -> None:
    meeting, reminder = await _reminder_post(harness)
    assert harness.driver is not None
    people = harness.add_doctors(30)  # only the channel's members may click

    replies = await asyncio.gather(
        *(
            harness.driver.click(
                reminder, RSVP_YES_ACTION if n % 3 else RSVP_NO_ACTION, user=person
            )
            for n, person in enumerate(people)
        )
    )
    await harness.settle()

    assert all(reply.status == 200 for reply in replies)
    async with harness.db.session() as session:
        rows = (await session.exec(select(Rsvp).where(Rsvp.meeting_id == meeting.id))).all()
    assert len(rows) == 30
    assert "20 coming" in _block_text(reminder, RSVP_COUNTS_BLOCK)
    assert "10 can't come" in _block_text(reminder, RSVP_COUNTS_BLOCK)


async def _rsvps(h: Harness) -> dict[str, bool]:
    async with h.db.session() as session:
        return {row.user_id: row.attending for row in (await session.exec(select(Rsvp))).all()}


async def test_rsvp_keeps_the_last_click_in_any_order_of_arrival_and_on_any_replica(
    harness: Harness,
) -> None:
    _, reminder = await _reminder_post(harness)
    async with harness.replica() as (replica, second):
        # Doctor 3 clicks "coming", then "can't come"; Slack delivers the later click first,
        # to the other replica, and the earlier one after it.
        await second.click(reminder, RSVP_NO_ACTION, user=DOCTORS[3], action_ts="1800000000.2")
        await replica.settle()
        await harness.click(reminder, RSVP_YES_ACTION, user=DOCTORS[3], action_ts="1800000000.1")
        # ...and the later click once more (delivered twice).
        await second.click(reminder, RSVP_NO_ACTION, user=DOCTORS[3], action_ts="1800000000.2")
        await replica.settle()
        # Doctor 4's clicks arrive in the order they were made.
        await harness.click(reminder, RSVP_NO_ACTION, user=DOCTORS[4], action_ts="1800000000.3")
        await harness.click(reminder, RSVP_YES_ACTION, user=DOCTORS[4], action_ts="1800000000.4")

    assert await _rsvps(harness) == {DOCTORS[3]: False, DOCTORS[4]: True}
    # The late, older click is answered with the answer that stands.
    assert all("can't come to *Diabetes*" in text for text in harness.whispers(DOCTORS[3]))
    assert "coming to *Diabetes*" in harness.last_whisper(DOCTORS[4])


async def test_rsvp_clicked_at_the_same_moment_twice_counts_once(harness: Harness) -> None:
    _, reminder = await _reminder_post(harness)
    assert harness.driver is not None

    replies = await asyncio.gather(
        *(
            harness.driver.click(
                reminder, RSVP_YES_ACTION, user=DOCTORS[5], action_ts="1800000000.5"
            )
            for _ in range(5)
        )
    )
    await harness.settle()

    assert {reply.status for reply in replies} == {200}
    assert await _rsvps(harness) == {DOCTORS[5]: True}
    assert "1 coming" in _block_text(reminder, RSVP_COUNTS_BLOCK)


async def test_rsvp_to_a_cancelled_meeting_is_refused(harness: Harness) -> None:
    meeting, reminder = await _reminder_post(harness)
    await harness.command(f"meeting cancel {meeting.id}")

    await harness.click(reminder, RSVP_YES_ACTION, user=MEMBER)

    assert "cancelled" in harness.last_whisper(MEMBER)
    async with harness.db.session() as session:
        assert (await session.exec(select(Rsvp))).all() == []


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


async def test_help_lists_the_meeting_commands(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("help meeting", user=MEMBER)

    text = harness.last_whisper(MEMBER)
    for words in ("meeting add", "meeting list", "meeting cancel", "remind defaults", "start"):
        assert f"/klynge {words}" in text


async def test_danish_cluster_gets_danish_confirmation_and_reminder(
    database_url: str,
) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)
        await h.command("meeting add 3/12 16.00 Klyngemøde --remind 1h")

        assert "torsdag den 3. december 2026 kl. 16.00" in h.last_whisper()
        h.clock.set(DEC_3_16H - timedelta(hours=1))
        await h.run_jobs()

        [reminder] = _reminders(h)
        assert "Påmindelse" in reminder.text
        assert "begynder om 1 time" in reminder.text


async def test_start_with_a_number_starts_that_meeting(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Later")
    [meeting] = await _meetings(harness)

    await harness.command(f"start {meeting.id}")

    [stored] = await _meetings(harness)
    assert stored.status == "running"
    assert "Later" in harness.last_post().text


async def test_set_refuses_an_over_long_agenda_and_keeps_the_old_one(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    [meeting] = await _meetings(harness)
    await harness.command(f"meeting set {meeting.id} agenda Short agenda")

    await harness.command(f"meeting set {meeting.id} agenda {'æ' * 3500}")

    assert "at most 2900" in harness.last_whisper()
    [stored] = await _meetings(harness)
    assert stored.agenda == "Short agenda"


async def test_members_cannot_set_details(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    [meeting] = await _meetings(harness)

    await harness.command(f"meeting set {meeting.id} topic Mine", user=MEMBER)

    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    [stored] = await _meetings(harness)
    assert stored.topic is None


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
