"""Meetings end to end: cancel and move, reminder defaults, and the reminders themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from handlers.meetings.blocks import (
    RSVP_NO_ACTION,
    RSVP_YES_ACTION,
)
from storage.clusters import Cluster
from tests.e2e.meetings_helpers import (
    DEC_3_16H,
    _all_text,
    _jobs,
    _meetings,
    _ready,
    _reminders,
    _run_reminders,
)
from tests.harness import CHANNEL, MEMBER, Harness

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
