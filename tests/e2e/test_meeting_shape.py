"""The fixed shape of every meeting, end to end: the cluster's default agenda (beginning with a
check-in) in the reminders and the start post, the check-in question at the start and the
energiser for the facilitator, none repeated within a year, and the cluster's own questions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from bot.fakeslack.model import Message
from handlers.rituals.library import CHECKIN_QUESTIONS, ENERGISERS
from storage import shape
from storage.clusters import Cluster, get_cluster
from storage.meetings import Meeting
from tests.harness import CHANNEL, COORDINATOR, MEMBER, Harness

# Sunday 22 November 2026, 13:00 in Copenhagen.
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
# Thursday 3 December 2026 at 16:00 in Copenhagen (UTC+1).
DEC_3_16H = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


async def _ready(h: Harness, language: str = "en") -> Cluster:
    h.clock.set(NOW)
    await h.setup_cluster("--language da" if language == "da" else "")
    async with h.db.session() as session:
        cluster = await get_cluster(session, team_id=h.slack.team_id, channel_id=CHANNEL)
    assert cluster is not None
    return cluster


def _sections(message: Message) -> list[str]:
    return [b["text"]["text"] for b in message.blocks if b.get("type") == "section"]


def _agenda_section(message: Message) -> str:
    found = [text for text in _sections(message) if text.startswith(("*Agenda", "*Dagsorden"))]
    assert len(found) == 1, _sections(message)
    return found[0]


async def _meetings(h: Harness) -> list[Meeting]:
    async with h.db.session() as session:
        return list((await session.exec(select(Meeting).order_by(col(Meeting.id)))).all())


# --- the default agenda ---------------------------------------------------------------------------


async def test_start_post_without_an_agenda_shows_the_default_one_beginning_with_a_check_in(
    harness: Harness,
) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    harness.clock.set(DEC_3_16H - timedelta(minutes=5))

    await harness.command("start")

    post = harness.last_post()
    agenda = _agenda_section(post)
    assert agenda.startswith("*Agenda* _(the cluster's usual shape)_:\n1. Check-in\n")
    assert "2. Follow-up on last time" in agenda
    assert "Closing round" in agenda
    assert "_No agenda has been set._" not in str(post.blocks)
    assert "Agenda: 1. Check-in · 2. Follow-up on last time" in post.text
    question = next(text for text in _sections(post) if text.startswith(":speech_balloon:"))
    assert any(q.en in question for q in CHECKIN_QUESTIONS.values())


async def test_a_danish_cluster_gets_the_danish_default_agenda_and_check_in(
    harness: Harness,
) -> None:
    await _ready(harness, "da")
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    harness.clock.set(DEC_3_16H - timedelta(minutes=5))

    await harness.command("start")

    post = harness.last_post()
    agenda = _agenda_section(post)
    assert agenda.startswith("*Dagsorden* _(klyngens faste form)_:\n1. Check-in\n")
    assert "2. Opfølgning på sidste møde" in agenda
    assert "Afrunding" in agenda
    question = next(text for text in _sections(post) if text.startswith(":speech_balloon:"))
    assert any(q.da in question for q in CHECKIN_QUESTIONS.values())


async def test_the_clusters_own_default_agenda_is_in_the_seven_day_reminder_and_can_be_undone(
    harness: Harness,
) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")

    await harness.command("agenda default Kaffe & <snak>; Dagens sag; Afrunding")
    assert "1. Kaffe &amp; &lt;snak&gt;\n2. Dagens sag\n3. Afrunding" in harness.last_whisper()
    harness.clock.set(DEC_3_16H - timedelta(days=7) + timedelta(minutes=1))
    await harness.run_jobs()

    reminder = harness.last_post()
    assert "starts in 6 days 23 hours" in reminder.text
    assert "1. Kaffe &amp; &lt;snak&gt;\n2. Dagens sag" in _agenda_section(reminder)
    await harness.command("agenda default -")
    assert "built-in one again" in harness.last_whisper()
    await harness.command("agenda default")
    assert "1. Check-in" in harness.last_whisper()
    assert "(the built-in one)" in harness.last_whisper()


async def test_a_meeting_with_its_own_agenda_shows_that_one(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    [meeting] = await _meetings(harness)
    await harness.command(f"meeting set {meeting.id} agenda Velkomst; cases")
    harness.clock.set(DEC_3_16H - timedelta(minutes=5))

    await harness.command("start")

    agenda = _agenda_section(harness.last_post())
    assert agenda == "*Agenda:*\nVelkomst; cases"


async def test_only_coordinators_change_the_default_agenda_and_long_ones_are_refused(
    harness: Harness,
) -> None:
    cluster = await _ready(harness)

    await harness.command("agenda default Something else", user=MEMBER)
    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    await harness.command("agenda default " + "x" * 2901)
    assert "at most 2900" in harness.last_whisper()

    async with harness.db.session() as session:
        assert await shape.default_agenda(session, cluster_id=cluster.id or 0) is None


async def test_the_danish_words_set_the_default_agenda(harness: Harness) -> None:
    cluster = await _ready(harness, "da")

    await harness.command("dagsorden standard Check-in\nEmne\nAfrunding")

    async with harness.db.session() as session:
        stored = await shape.default_agenda(session, cluster_id=cluster.id or 0)
    assert stored == "Check-in\nEmne\nAfrunding"
    assert "Møder uden deres egen dagsorden følger nu denne" in harness.last_whisper()


# --- check-in questions and energisers -----------------------------------------------------------


async def _planned(h: Harness, cluster: Cluster, count: int) -> list[Meeting]:
    """``count`` meetings a month apart from a week from now (inserted as set-up)."""
    meetings = []
    async with h.db.session() as session:
        for number in range(count):
            meeting = Meeting(
                cluster_id=cluster.id or 0,
                title=f"Meeting {number + 1}",
                starts_at=h.clock() + timedelta(days=7 + 30 * number),
                created_by=COORDINATOR,
            )
            session.add(meeting)
            meetings.append(meeting)
    return meetings


async def _checkin_at(h: Harness, cluster: Cluster, meeting: Meeting) -> str:
    """The check-in section the start post of ``meeting`` gets, at its start."""
    h.clock.set(meeting.starts_at)
    blocks = await h.deps.hooks.blocks(h.deps.hooks.start_sections, h.deps, cluster, meeting)
    return str(blocks[0]["text"]["text"])


async def test_no_check_in_question_repeats_within_a_year_and_a_meeting_keeps_its_own(
    harness: Harness,
) -> None:
    cluster = await _ready(harness)
    meetings = await _planned(harness, cluster, len(CHECKIN_QUESTIONS) + 1)

    shown = [await _checkin_at(harness, cluster, meeting) for meeting in meetings]

    within_a_year = shown[: len(CHECKIN_QUESTIONS)]
    assert len(set(within_a_year)) == len(within_a_year)
    assert shown[-1] == shown[0]  # a year on, the one used longest ago comes back
    assert await _checkin_at(harness, cluster, meetings[-1]) == shown[-1]


async def test_the_clusters_own_question_comes_next_and_can_be_removed(harness: Harness) -> None:
    cluster = await _ready(harness)
    first, second, third = await _planned(harness, cluster, 3)
    await _checkin_at(harness, cluster, first)

    await harness.command("checkin add What are you proud of & why?", user=MEMBER)
    assert "Check-in question #1 added" in harness.last_whisper(MEMBER)

    assert "What are you proud of &amp; why?" in await _checkin_at(harness, cluster, second)
    await harness.command("checkin remove 1", user=DOCTOR_C)
    assert "Only whoever added question #1" in harness.last_whisper(DOCTOR_C)
    await harness.command("checkin list", user=DOCTOR_C)
    assert f"1. What are you proud of &amp; why? — added by <@{MEMBER}>" in harness.last_whisper(
        DOCTOR_C
    )
    await harness.command("checkin remove 1")
    assert "proud of" not in await _checkin_at(harness, cluster, third)


async def test_the_facilitator_checklist_suggests_an_energiser_that_does_not_repeat(
    harness: Harness,
) -> None:
    await _ready(harness)
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    await harness.command("meeting add 2027-01-07 16:00 KOL")

    harness.clock.set(DEC_3_16H - timedelta(days=6))
    await harness.run_jobs()
    harness.clock.set(datetime(2027, 1, 1, 12, 0, tzinfo=UTC))
    await harness.run_jobs()

    energisers = [
        text
        for message in harness.slack.messages
        if message.channel.startswith("D")
        for text in _sections(message)
        if ":zap:" in text
    ]
    assert len(energisers) == 2
    assert energisers[0] != energisers[1]
    assert all(any(e.en in text for e in ENERGISERS.values()) for text in energisers)


DOCTOR_C = "U0DOC03"


@pytest.mark.parametrize("words", ["checkin add", "checkin remove", "checkin remove x"])
async def test_check_in_commands_without_what_they_need_explain_the_form(
    harness: Harness, words: str
) -> None:
    await _ready(harness)

    await harness.command(words, user=MEMBER)

    assert "/klynge checkin" in harness.last_whisper(MEMBER)


async def test_a_cpr_number_in_an_agenda_or_a_check_in_question_is_refused_and_not_stored(
    harness: Harness,
) -> None:
    cluster = await _ready(harness)

    await harness.command("agenda default Check-in; Sagen om 010190-1234; Afrunding")
    assert "CPR number" in harness.last_whisper()
    await harness.command("checkin add Hvordan går det med 0101901234?", user=MEMBER)
    assert "CPR number" in harness.last_whisper(MEMBER)

    async with harness.db.session() as session:
        assert await shape.default_agenda(session, cluster_id=cluster.id or 0) is None
        assert list(await shape.own_questions(session, cluster_id=cluster.id or 0)) == []


async def test_a_members_own_check_in_questions_are_in_their_copy_of_their_data(
    harness: Harness,
) -> None:
    await _ready(harness)
    await harness.command("checkin add What are you proud of?", user=MEMBER)
    await harness.command("checkin add Someone else's question", user=DOCTOR_C)

    await harness.command("my data", user=MEMBER)

    [summary] = [m for m in harness.slack.channel_messages(f"D{MEMBER}") if "stores" in m.text]
    assert "check-in questions you added: 1" in summary.text + str(summary.blocks)
    [export] = [f for f in harness.slack.files.values() if f.channel == f"D{MEMBER}"]
    [cluster] = json.loads(export.content.decode())["clusters"]
    assert [q["text"] for q in cluster["check_in_questions_added"]] == ["What are you proud of?"]
