"""Acknowledged means kept: outcomes (poll results, the closing post and minutes at ``end``, a
meeting's announcement, queued posts) reach the channel once Slack answers again, exactly once,
and the person is told the truth meanwhile."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.fakeslack.model import Message
from storage.jobs import Job
from storage.meetings import Meeting
from storage.polls import Poll
from tests.harness import CHANNEL, COORDINATOR, MEMBER, Harness

CPH = ZoneInfo("Europe/Copenhagen")

# The client retries a 5xx twice and a 429 three times: this many failures outlast the retries.
PAST_SERVER_RETRIES = 3
PAST_RATE_RETRIES = 4


async def jobs(h: Harness, prefix: str) -> list[Job]:
    async with h.db.session() as session:
        found = (await session.exec(select(Job))).all()
    return [job for job in found if job.key.startswith(prefix)]


async def later(h: Harness, minutes: int = 2) -> None:
    """Time passes and the scheduler runs what is due."""
    h.clock.advance(timedelta(minutes=minutes))
    await h.run_jobs()


def results_posts(h: Harness) -> list[str]:
    return [m.text for m in h.posts() if "Results" in m.text]


async def make_poll(h: Harness) -> None:
    await h.setup_cluster()
    await h.command('poll "Topic?" "Diabetes" "COPD"', user=MEMBER)


# --- poll results -------------------------------------------------------------------------------


async def test_poll_results_slack_refuses_are_posted_later_exactly_once(harness: Harness) -> None:
    await make_poll(harness)
    harness.slack.fail("chat.postMessage", status=500, times=PAST_SERVER_RETRIES, retry_after=None)

    await harness.command("poll close", user=MEMBER)

    assert results_posts(harness) == []
    told = harness.last_whisper(MEMBER)
    assert "is closed" in told
    assert "as soon as Slack takes them" in told
    assert "nothing was changed" not in told

    await later(harness)
    await later(harness)

    assert len(results_posts(harness)) == 1
    async with harness.db.session() as session:
        poll = (await session.exec(select(Poll))).one()
    assert poll.results_ts == results_ts(harness)
    assert await jobs(harness, "poll_results:") == []


def results_ts(h: Harness) -> str:
    return next(m.ts for m in h.posts() if "Results" in m.text)


async def test_closing_again_while_results_wait_tries_them_now_not_already_closed(
    harness: Harness,
) -> None:
    await make_poll(harness)
    harness.slack.fail("chat.postMessage", status=429, times=PAST_RATE_RETRIES, retry_after=1)

    await harness.command("poll close", user=MEMBER)
    assert results_posts(harness) == []

    await harness.command("poll close 1", user=MEMBER)

    assert len(results_posts(harness)) == 1
    assert "the results are in the channel" in harness.last_whisper(MEMBER)
    await harness.command("poll close 1", user=MEMBER)
    assert "already closed" in harness.last_whisper(MEMBER)
    await later(harness)
    assert len(results_posts(harness)) == 1


async def test_poll_closed_by_its_deadline_while_slack_is_down_posts_results_later(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    await harness.command(
        'poll "Topic?" "A" "B" --closes '
        + (harness.clock() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        user=MEMBER,
    )
    harness.clock.advance(timedelta(days=1, hours=2))
    harness.slack.fail("chat.postMessage", status=503, times=PAST_SERVER_RETRIES, retry_after=None)

    await harness.run_jobs()
    assert results_posts(harness) == []
    await later(harness)

    assert len(results_posts(harness)) == 1


# --- the end of a meeting -----------------------------------------------------------------------


async def running_meeting(h: Harness) -> None:
    await h.setup_cluster()
    day = (h.clock() + timedelta(days=2)).astimezone(CPH).date()
    await h.command(f"meeting add {day:%Y-%m-%d} 16:00 Dagens møde")
    h.clock.set(datetime.combine(day, time(16, 0), CPH))
    await h.command("start")
    await h.command("takeaway Dagens læring", user=MEMBER)


def closing_posts(h: Harness) -> list[Message]:
    return [m for m in h.posts() if "What did you take with you" in str(m.blocks)]


def summaries(h: Harness) -> list[Message]:
    return [m for m in h.posts() if f"<@{MEMBER}>: Dagens læring" in m.text]


def minutes(h: Harness) -> list[Message]:
    return [m for m in h.posts() if "Decision minutes — Dagens møde" in m.text]


def pdfs(h: Harness) -> list[str]:
    """PDFs shared in the channel (an upload never completed is not shared)."""
    return [
        file.filename
        for file in h.slack.files.values()
        if file.filename.endswith(".pdf") and file.channel == CHANNEL
    ]


def each_once(h: Harness) -> None:
    """The closing round, the summary, the minutes and their PDF: each in the channel once."""
    assert len(closing_posts(h)) == 1
    assert len(summaries(h)) == 1
    assert len(minutes(h)) == 1
    assert len(pdfs(h)) == 1


async def test_end_while_slack_is_down_says_so_and_everything_follows_once(
    harness: Harness,
) -> None:
    await running_meeting(harness)
    harness.slack.fail("chat.postMessage", status=500, times=PAST_SERVER_RETRIES, retry_after=None)

    await harness.command("end")

    told = harness.last_whisper(COORDINATOR)
    assert "Ended #1" in told
    assert "as soon as Slack takes them" in told
    assert closing_posts(harness) == []
    assert summaries(harness) == []
    await harness.command("end")
    assert "No meeting is running" in harness.last_whisper(COORDINATOR)

    await later(harness)
    await later(harness)

    each_once(harness)
    assert await jobs(harness, "meeting_closing:") == []
    assert await jobs(harness, "takeaway-followup:") != []


async def test_minutes_whose_pdf_upload_fails_are_retried_without_posting_twice(
    harness: Harness,
) -> None:
    await running_meeting(harness)
    harness.slack.fail(
        "files.completeUploadExternal", status=500, times=PAST_SERVER_RETRIES, retry_after=None
    )

    await harness.command("end")

    assert len(minutes(harness)) == 1
    assert pdfs(harness) == []
    assert "The closing-round questions are in the channel" in harness.last_whisper(COORDINATOR)

    await later(harness)
    await later(harness)

    each_once(harness)


# --- a meeting's announcement, and other channel posts -------------------------------------------


async def test_meeting_added_while_slack_fails_is_stored_once_and_announced_later(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    day = (harness.clock() + timedelta(days=9)).astimezone(CPH).date()
    harness.slack.fail("files.getUploadURLExternal", status=500, times=3, retry_after=None)
    harness.slack.fail("chat.postMessage", status=500, times=PAST_SERVER_RETRIES, retry_after=None)

    await harness.command(f"meeting add {day:%Y-%m-%d} 16:00 Diabetes")

    whispers = harness.whispers(COORDINATOR)
    assert any("Planned meeting #1" in text for text in whispers)
    assert "couldn't announce it" in whispers[-1]
    assert "don't add the meeting again" in whispers[-1]
    assert "nothing was" not in " ".join(whispers)
    async with harness.db.session() as session:
        assert len((await session.exec(select(Meeting))).all()) == 1
    assert await jobs(harness, "reminder:1:") != []

    await later(harness)

    assert announcements(harness) == ["meeting-1.ics"]
    await later(harness, minutes=30)
    assert announcements(harness) == ["meeting-1.ics"]


def announcements(h: Harness) -> list[str]:
    """Calendar files shared in the channel with the "new meeting" comment, and posts saying
    so without the file."""
    shared = [
        file.filename
        for file in h.slack.files.values()
        if file.channel == CHANNEL and "New meeting planned" in str(file.initial_comment)
    ]
    return shared + [m.text for m in h.posts() if "New meeting planned" in m.text]


async def test_subcluster_made_while_slack_is_unreachable_is_reported_truthfully(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    reachable = harness.deps.client.base_url
    harness.deps.client.base_url = "http://127.0.0.1:9/api/"  # nothing listens there

    await harness.command(f"subcluster create Nord <@{MEMBER}>")

    told = harness.last_whisper(COORDINATOR)
    assert "database" not in told
    assert "will follow as soon as it does" in told
    harness.deps.client.base_url = reachable
    await later(harness)
    assert len([m for m in harness.posts() if "Nord" in m.text]) == 1
    await harness.command(f"subcluster create Nord <@{MEMBER}>")
    assert "already" in harness.last_whisper(COORDINATOR)
