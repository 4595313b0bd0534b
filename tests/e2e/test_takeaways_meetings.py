"""Take-home messages end to end: meeting and group, closing round, end of meeting, follow-up."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.fakeslack.model import Message
from storage import takeaways as store
from storage.jobs import Job
from storage.meetings import ENDED, PLANNED, Meeting
from tests.e2e.takeaways_helpers import (
    OTHER,
    THIRD,
    add_meeting,
    add_round,
    cluster_of,
    h_fixture,  # noqa: F401  (provides the `h` fixture)
    opened_view,
    section_texts,
    takeaways,
)
from tests.harness import CHANNEL, COORDINATOR, MEMBER, Harness

# --- where a take-home belongs -------------------------------------------------------------------


async def test_take_home_belongs_to_running_meeting_with_authors_breakout_group(
    h: Harness,
) -> None:
    meeting = await add_meeting(h)
    await add_round(h, meeting, [[COORDINATOR, OTHER], [MEMBER, THIRD]])

    await h.command("takeaway I gruppen", user=MEMBER)

    [saved] = await takeaways(h)
    assert saved.meeting_id == meeting.id
    assert saved.group_number == 2
    assert "Diabetes i almen praksis" in h.last_whisper(MEMBER)


async def test_group_comes_from_the_latest_round(h: Harness) -> None:
    meeting = await add_meeting(h)
    await add_round(h, meeting, [[MEMBER], [OTHER]])
    h.clock.advance(timedelta(minutes=20))
    await add_round(h, meeting, [[OTHER], [THIRD], [MEMBER]])

    await h.command("takeaway Runde to", user=MEMBER)

    assert (await takeaways(h))[0].group_number == 3


async def test_take_home_belongs_to_meeting_that_ended_within_12_hours(h: Harness) -> None:
    meeting = await add_meeting(h, started=timedelta(hours=13), ended=timedelta(hours=11))

    await h.command("takeaway Lige efter mødet", user=MEMBER)

    assert (await takeaways(h))[0].meeting_id == meeting.id


async def test_take_home_is_loose_when_the_last_meeting_ended_over_12_hours_ago(
    h: Harness,
) -> None:
    await add_meeting(h, started=timedelta(hours=15), ended=timedelta(hours=13))

    await h.command("takeaway For sent", user=MEMBER)

    assert (await takeaways(h))[0].meeting_id is None


# --- agenda button and closing-round modal ------------------------------------------------------


async def agenda_message(h: Harness, meeting: Meeting) -> Message:
    cluster = await cluster_of(h)
    blocks = await h.deps.hooks.blocks(h.deps.hooks.agenda_blocks, h.deps, cluster, meeting)
    answer = await h.deps.client.chat_postMessage(channel=CHANNEL, text="Agenda", blocks=blocks)
    return h.slack.message(CHANNEL, answer["ts"])


async def test_agenda_button_opens_closing_round_modal_and_saves_each_answer(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.click(await agenda_message(h, meeting), "takeaway_open", user=MEMBER)
    view = opened_view(h)
    assert [block.get("block_id") for block in view["blocks"][1:]] == [
        "take",
        "use",
        "work",
        "decision",
        "instruction",
    ]

    await h.submit(
        view,
        {
            "take": {"text": {"value": "Struktur på årskontroller"}},
            "use": {"text": {"value": ""}},
            "work": {"text": {"value": "Indføre recall-liste i klinikken"}},
        },
        user=MEMBER,
    )

    saved = await takeaways(h)
    assert [(t.prompt, t.text) for t in saved] == [
        ("take", "Struktur på årskontroller"),
        ("work", "Indføre recall-liste i klinikken"),
    ]
    assert all(t.meeting_id == meeting.id and t.author_id == MEMBER for t in saved)
    assert "Saved 2 take-home" in h.last_whisper(MEMBER)


async def test_closing_round_modal_with_no_answers_asks_for_one(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.click(await agenda_message(h, meeting), "takeaway_open", user=MEMBER)

    reply = await h.submit(opened_view(h), {"take": {"text": {"value": " "}}}, user=MEMBER)

    assert reply.json()["response_action"] == "errors"
    assert await takeaways(h) == []


# --- end of meeting, follow-up, reminder ----------------------------------------------------------


async def end_meeting(h: Harness, meeting: Meeting) -> None:
    """What ``/klynge end`` does: mark the meeting ended, then call the meeting_ended hook."""
    async with h.db.session() as session:
        stored = await session.get(Meeting, meeting.id)
        assert stored is not None
        stored.status = ENDED
        stored.ended_at = h.clock()
        session.add(stored)
    cluster = await cluster_of(h)
    await h.deps.hooks.run(h.deps.hooks.meeting_ended, h.deps, cluster, stored)
    await h.settle()


async def test_meeting_end_posts_closing_round_button_and_summary(h: Harness) -> None:
    day = (h.clock() + timedelta(days=2)).astimezone(ZoneInfo("Europe/Copenhagen")).date()
    await h.command(f"meeting add {day:%Y-%m-%d} 16:00 Dagens møde")
    h.clock.set(datetime.combine(day, time(16, 0), ZoneInfo("Europe/Copenhagen")))
    await h.command("start")
    await h.command("takeaway Dagens læring", user=MEMBER)

    await h.command("end")

    closing, summary, minutes = h.posts()[-3:]
    assert f"<@{MEMBER}>: Dagens læring" in summary.text
    assert "Decision minutes — Dagens møde" in minutes.text
    assert "What did you take with you" in str(closing.blocks)
    await h.click(closing, "takeaway_open", user=OTHER)
    assert [b.get("block_id") for b in opened_view(h)["blocks"][1:4]] == ["take", "use", "work"]


async def test_follow_up_round_trip_into_the_next_meetings_reminder(h: Harness) -> None:
    meeting = await add_meeting(h, title="Forløbsprogram for KOL")
    await h.command("takeaway Spirometri til alle rygere", user=MEMBER)
    await h.command("takeaway Inhalationsteknik ved hver kontrol", user=MEMBER)
    await h.command("takeaway Revidere medicinlisten", user=OTHER)
    await end_meeting(h, meeting)

    h.clock.advance(timedelta(days=27))
    await h.run_jobs()
    assert not [m for m in h.slack.messages if m.channel.startswith("D")]
    h.clock.advance(timedelta(days=1, minutes=1))
    await h.run_jobs()

    dm = h.slack.channel_messages(f"D{MEMBER}")
    assert len(dm) == 1
    assert "Did you implement" in dm[0].text
    assert "Spirometri til alle rygere" in "\n".join(section_texts(dm))
    [first, second] = [
        block for block in dm[0].blocks if str(block.get("block_id", "")).startswith("followup:")
    ]
    await h.click(dm[0], "takeaway_followup:done", user=MEMBER, value=first["elements"][0]["value"])
    await h.click(
        dm[0], "takeaway_followup:progress", user=MEMBER, value=second["elements"][1]["value"]
    )
    [other_dm] = h.slack.channel_messages(f"D{OTHER}")
    await h.click(other_dm, "takeaway_followup:irrelevant", user=OTHER)

    assert "Your answer: *Done*" in str(h.slack.channel_messages(f"D{MEMBER}")[0].blocks)
    next_meeting = await add_meeting(
        h, status=PLANNED, title="Næste møde", started=-timedelta(days=7)
    )
    cluster = await cluster_of(h)
    blocks = await h.deps.hooks.blocks(h.deps.hooks.reminder_blocks, h.deps, cluster, next_meeting)
    text = "\n".join(block["text"]["text"] for block in blocks)
    assert "Forløbsprogram for KOL" in text
    assert "1 done" in text
    assert "1 in progress" in text
    assert "1 not relevant" in text
    assert "0 not answered yet" in text


async def test_follow_up_is_sent_once_even_if_the_job_runs_again(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.command("takeaway Kun én DM", user=MEMBER)
    await end_meeting(h, meeting)
    h.clock.advance(timedelta(days=29))
    await h.run_jobs()

    assert meeting.id is not None
    await h.deps.scheduler.schedule(
        kind="takeaway_followup",
        key="again",
        due_at=h.clock(),
        payload={"meeting_id": meeting.id},
    )
    await h.run_jobs()

    assert len(h.slack.channel_messages(f"D{MEMBER}")) == 1


async def test_a_failed_follow_up_dm_is_retried_without_asking_anyone_twice(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.command("takeaway Første forfatter", user=MEMBER)
    await h.command("takeaway Anden forfatter", user=OTHER)
    await end_meeting(h, meeting)
    h.clock.advance(timedelta(days=29))
    h.slack.fail("chat.postMessage", error="internal_error", channel=MEMBER)  # asked first

    await h.run_jobs()
    assert h.slack.channel_messages(f"D{MEMBER}") == []
    assert len(h.slack.channel_messages(f"D{OTHER}")) == 1
    h.clock.advance(timedelta(minutes=5))
    await h.run_jobs()

    assert len(h.slack.channel_messages(f"D{MEMBER}")) == 1
    assert len(h.slack.channel_messages(f"D{OTHER}")) == 1


async def test_an_author_who_left_slack_does_not_block_the_follow_up(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.command("takeaway Forladt", user=MEMBER)
    await h.command("takeaway Stadig her", user=OTHER)
    await end_meeting(h, meeting)
    h.clock.advance(timedelta(days=29))
    h.slack.fail("chat.postMessage", error="channel_not_found", channel=MEMBER)

    await h.run_jobs()

    assert len(h.slack.channel_messages(f"D{OTHER}")) == 1
    async with h.db.session() as session:  # the question is not retried
        assert (await session.exec(select(Job).where(Job.kind == "takeaway_followup"))).all() == []


async def test_only_the_author_answers_the_follow_up(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.command("takeaway Mit svar", user=MEMBER)
    await end_meeting(h, meeting)
    h.clock.advance(timedelta(days=29))
    await h.run_jobs()
    [dm] = h.slack.channel_messages(f"D{MEMBER}")

    await h.click(dm, "takeaway_followup:done", user=OTHER)

    assert (await takeaways(h))[0].followup_answer is None
    assert "only its author" in h.last_whisper(OTHER)


async def test_follow_up_delay_is_a_cluster_setting(h: Harness) -> None:
    await h.command("takeaway followup 2w")
    meeting = await add_meeting(h)
    await h.command("takeaway Hurtig opfølgning", user=MEMBER)
    await end_meeting(h, meeting)

    async with h.db.session() as session:
        job = (await session.exec(select(Job).where(Job.kind == "takeaway_followup"))).one()
    assert job.due_at - (h.clock()) == timedelta(days=14)
    assert "14 days" in h.posts()[1].text


async def test_changing_the_delay_moves_follow_ups_not_sent_yet(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.command("takeaway Flyttes", user=MEMBER)
    await end_meeting(h, meeting)

    await h.command("takeaway followup 1w")
    h.clock.advance(timedelta(days=7, minutes=1))
    await h.run_jobs()

    assert len(h.slack.channel_messages(f"D{MEMBER}")) == 1


@pytest.mark.parametrize("words", ["", "0w", "-3d", "99999999w", "soon", "4 måneder"])
async def test_bad_follow_up_delays_are_refused_and_nothing_changes(h: Harness, words: str) -> None:
    await h.command(f"takeaway followup {words}")

    assert "/klynge takeaway followup 4w" in h.last_whisper()
    cluster = await cluster_of(h)
    async with h.db.session() as session:
        settings = await store.get_settings(session, cluster_id=cluster.id or 0)
    assert settings.followup_days == 28


async def test_reminder_without_a_previous_meeting_adds_nothing(h: Harness) -> None:
    planned = await add_meeting(h, status=PLANNED, started=-timedelta(days=3))
    cluster = await cluster_of(h)

    blocks = await h.deps.hooks.blocks(h.deps.hooks.reminder_blocks, h.deps, cluster, planned)

    assert blocks == []
