"""Meetings end to end: planning, refusals, series, list, show and set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.fakeslack.rules import escape_typed
from tests.e2e.meetings_helpers import (
    DEC_3_16H,
    _jobs,
    _meetings,
    _ready,
    _reminders,
    _update_meeting,
)
from tests.harness import DOCTORS, MEMBER, Harness

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
