"""Follow-up that lands before the next meeting, end to end: the question a week before the
next planned meeting (or the cluster's delay after, with none planned), moved when the plan
changes, the answers in the next meeting's reminders and start post ("Follow-up on last
time"), a digest to the coordinators, and a second question half a year on for what was in
progress."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.fakeslack.model import Message
from storage.jobs import Job
from storage.meetings import Meeting
from tests.harness import COORDINATOR, DOCTORS, Harness

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
DEC_3_16H = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 16:00 in Copenhagen
JAN_7_16H = datetime(2027, 1, 7, 15, 0, tzinfo=UTC)
AUTHOR, OTHER = DOCTORS[1], DOCTORS[2]


async def _meeting_with_take_homes(h: Harness, *, next_meeting: bool = True) -> None:
    """The December meeting runs and ends with two take-homes by AUTHOR and one by OTHER; the
    January meeting is planned (unless ``next_meeting`` is False)."""
    await h.command("meeting add 2026-12-03 16:00 Diabetes")
    if next_meeting:
        await h.command("meeting add 2027-01-07 16:00 KOL")
    h.clock.set(DEC_3_16H)
    await h.command("start")
    await h.command("takeaway HbA1c på alle over 65", user=AUTHOR)
    await h.command("takeaway Fodundersøgelse hvert år", user=AUTHOR)
    await h.command("takeaway Ny instruks til sekretæren", user=OTHER)
    h.clock.set(DEC_3_16H + timedelta(hours=2))
    await h.command("end")


def _asked(h: Harness, user: str) -> list[Message]:
    """The follow-up questions ``user`` got in their DM (not their facilitator checklists)."""
    return [
        message
        for message in h.slack.channel_messages(f"D{user}")
        if any(str(b.get("block_id", "")).startswith("followup:") for b in message.blocks)
    ]


def _answer(dm: Message, number: int) -> str:
    """The value of the ``number``-th take-home's answer buttons in a follow-up DM."""
    rows = [b for b in dm.blocks if str(b.get("block_id", "")).startswith("followup:")]
    return str(rows[number]["elements"][0]["value"])


def _sections(message: Message) -> str:
    return "\n".join(b["text"]["text"] for b in message.blocks if b.get("type") == "section")


@pytest.fixture
async def h(harness: Harness) -> Harness:
    harness.clock.set(NOW)
    await harness.setup_cluster()
    return harness


async def test_the_question_comes_a_week_before_the_next_meeting_and_the_answers_land_in_it(
    h: Harness,
) -> None:
    await _meeting_with_take_homes(h)

    h.clock.set(JAN_7_16H - timedelta(days=7, minutes=1))
    await h.run_jobs()
    assert _asked(h, AUTHOR) == []
    h.clock.set(JAN_7_16H - timedelta(days=7) + timedelta(minutes=1))
    await h.run_jobs()
    [dm] = _asked(h, AUTHOR)
    first, second = _answer(dm, 0), _answer(dm, 1)
    await h.click(dm, "takeaway_followup:done", user=AUTHOR, value=first)
    await h.click(dm, "takeaway_followup:progress", user=AUTHOR, value=second)

    h.clock.set(JAN_7_16H - timedelta(days=1))
    await h.run_jobs()
    reminder = h.last_post()
    assert "starts in 1 day" in reminder.text
    followup = _sections(reminder)
    assert "*Follow-up on last time* — the take-home messages of Diabetes" in followup
    assert "1 done · :hourglass_flowing_sand: 1 in progress" in followup
    assert "1 not answered yet" in followup
    h.clock.set(JAN_7_16H)
    await h.command("start")
    start = _sections(h.last_post())
    assert "*Follow-up on last time*" in start
    assert start.index(":speech_balloon: *Check-in:*") < start.index("*Follow-up on last time*")


async def test_the_coordinators_get_a_short_digest_two_days_before_the_next_meeting(
    h: Harness,
) -> None:
    await _meeting_with_take_homes(h)
    h.clock.set(JAN_7_16H - timedelta(days=7) + timedelta(minutes=1))
    await h.run_jobs()
    [dm] = _asked(h, OTHER)
    await h.click(dm, "takeaway_followup:done", user=OTHER, value=_answer(dm, 0))

    h.clock.set(JAN_7_16H - timedelta(days=2, minutes=1))
    await h.run_jobs()
    assert not any(":bar_chart:" in text for text in h.dms(COORDINATOR))
    h.clock.set(JAN_7_16H - timedelta(days=2) + timedelta(minutes=1))
    await h.run_jobs()

    [digest] = [
        m for m in h.slack.channel_messages(f"D{COORDINATOR}") if ":bar_chart:" in str(m.blocks)
    ]
    text = _sections(digest)
    assert text.startswith(":bar_chart: *For the coordinators:*")
    assert "1 done" in text
    assert "2 not answered yet" in text
    assert "Ny instruks til sekretæren" in text
    assert not any(":bar_chart:" in str(m.blocks) for m in h.slack.channel_messages(f"D{AUTHOR}"))


async def test_with_no_next_meeting_the_question_waits_the_delay_and_moves_when_one_is_planned(
    h: Harness,
) -> None:
    await _meeting_with_take_homes(h, next_meeting=False)
    async with h.db.session() as session:
        [job] = (await session.exec(select(Job).where(Job.kind == "takeaway_followup"))).all()
    assert job.due_at == DEC_3_16H + timedelta(hours=2, days=28)

    h.clock.set(DEC_3_16H + timedelta(days=1))
    await h.command("meeting add 2026-12-17 16:00 Opfølgning")

    async with h.db.session() as session:
        [job] = (await session.exec(select(Job).where(Job.kind == "takeaway_followup"))).all()
    assert job.due_at == datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    h.clock.set(job.due_at + timedelta(minutes=1))
    await h.run_jobs()
    assert len(_asked(h, AUTHOR)) == 1


async def test_a_next_meeting_moved_earlier_moves_the_question_with_it(h: Harness) -> None:
    await _meeting_with_take_homes(h)
    h.clock.set(DEC_3_16H + timedelta(days=1))
    async with h.db.session() as session:
        kol = (await session.exec(select(Meeting).where(Meeting.title == "KOL"))).one()

    await h.command(f"meeting move {kol.id} 2026-12-20 16:00")

    async with h.db.session() as session:
        [job] = (await session.exec(select(Job).where(Job.kind == "takeaway_followup"))).all()
    assert job.due_at == datetime(2026, 12, 13, 15, 0, tzinfo=UTC)


async def test_half_a_year_on_only_what_was_in_progress_is_asked_about_again(h: Harness) -> None:
    await _meeting_with_take_homes(h)
    h.clock.set(JAN_7_16H - timedelta(days=7) + timedelta(minutes=1))
    await h.run_jobs()
    [dm] = _asked(h, AUTHOR)
    first, second = _answer(dm, 0), _answer(dm, 1)
    await h.click(dm, "takeaway_followup:done", user=AUTHOR, value=first)
    await h.click(dm, "takeaway_followup:progress", user=AUTHOR, value=second)

    h.clock.set(DEC_3_16H + timedelta(days=182, hours=3))
    await h.run_jobs()

    again = h.slack.channel_messages(f"D{AUTHOR}")[-1]
    assert "Half a year ago" in _sections(again)
    assert "Fodundersøgelse hvert år" in _sections(again)
    assert "HbA1c" not in _sections(again)
    assert len(_asked(h, OTHER)) == 1  # OTHER never said "in progress"
    await h.click(again, "takeaway_followup:done", user=AUTHOR, value=_answer(again, 0))
    assert "Your answer: *Done*" in str(h.slack.message(again.channel, again.ts).blocks)


async def test_a_danish_cluster_reads_opfoelgning_fra_sidst(harness: Harness) -> None:
    harness.clock.set(NOW)
    await harness.setup_cluster("--language da")
    await _meeting_with_take_homes(harness)

    harness.clock.set(JAN_7_16H - timedelta(days=1))
    await harness.run_jobs()

    followup = _sections(harness.last_post())
    assert "*Opfølgning fra sidst* — pointerne fra Diabetes" in followup
    assert "3 ikke besvaret endnu" in followup
