"""The decision minutes end to end: decisions and staff instructions written in the meeting
(commands and the closing-round modal), the minutes posted and uploaded as a PDF at ``end``,
read back from the PDF, and ``/klynge export`` making them again."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlmodel import col, select

from bot.fakeslack.model import Message, UploadedFile
from bot.i18n import format_datetime
from bot.mrkdwn import escape
from storage import takeaways as store
from storage.meetings import Meeting
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, Harness

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
NOTE_TAKER = DOCTORS[3]  # Dorte Lund
FACILITATOR = DOCTORS[2]  # Camilla Ørsted
LATE = DOCTORS[6]  # Gustav Bæk: checks in, writes nothing


def flat(text: str) -> str:
    """Whitespace as one space: a PDF breaks lines wherever the page ends."""
    return " ".join(text.split())


FOOTER = re.compile(r"(Page|Side) \d+ (of|af) \d+ · (Written|Skrevet) (by|af) klyngebot")


def pdf_text(uploaded: UploadedFile) -> str:
    """The PDF's text as one line, without the page footers (a text may run over a page)."""
    reader = PdfReader(BytesIO(uploaded.content))
    return flat(FOOTER.sub(" ", "\n".join(page.extract_text() for page in reader.pages)))


def all_text(message: Message) -> str:
    parts = [message.text]
    for block in message.blocks:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(str(element.get("text", "")) for element in block.get("elements") or [])
    return "\n".join(parts)


def with_action(h: Harness, action_id: str) -> Message:
    for message in reversed(h.posts()):
        for block in message.blocks:
            elements = [*(block.get("elements") or []), block.get("accessory") or {}]
            if any(e.get("action_id") == action_id for e in elements):
                return message
    raise AssertionError(f"no post with a {action_id} button")


def pdfs(h: Harness) -> list[UploadedFile]:
    return [file for file in h.slack.files.values() if file.filename.endswith(".pdf")]


async def start_meeting(h: Harness, title: str) -> Meeting:
    """A planned meeting two days ahead, with a facilitator and a note-taker, started."""
    day = (h.clock() + timedelta(days=2)).astimezone(COPENHAGEN).date()
    await h.command(f"meeting add {day:%Y-%m-%d} 16:00 {title}")
    async with h.db.session() as session:
        meeting = (await session.exec(select(Meeting).order_by(col(Meeting.id).desc()))).first()
        assert meeting is not None
        meeting.facilitator_id = FACILITATOR
        meeting.note_taker_id = NOTE_TAKER
        meeting.topic = "Type 2-diabetes & KOL"
        session.add(meeting)
    h.clock.set(datetime.combine(day, time(16, 0), COPENHAGEN).astimezone(UTC))
    await h.command("start")
    agenda = with_action(h, "meeting_checkin")
    for user in (MEMBER, FACILITATOR, NOTE_TAKER, LATE):
        await h.click(agenda, "meeting_checkin", user=user)
    return meeting


async def rows(h: Harness) -> list[store.Takeaway]:
    async with h.db.session() as session:
        result = await session.exec(select(store.Takeaway).order_by(col(store.Takeaway.id)))
        return list(result.all())


# --- at end -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            {
                "title": "Decision minutes — Klyngemøde <marts>",
                "decision": "decision",
                "instruction": "instruction",
                "facilitator": "Facilitator: Camilla Ørsted",
                "note_taker": "Note-taker: Dorte Lund",
                "attendance": "Attendance: 4 checked in",
                "decisions": "Decisions and agreements",
                "instructions": "Instructions for the clinic staff",
                "group": "What I take with me:",
            },
        ),
        (
            "da",
            {
                "title": "Beslutningsreferat — Klyngemøde <marts>",
                "decision": "beslutning",
                "instruction": "instruks",
                "facilitator": "Tovholder: Camilla Ørsted",
                "note_taker": "Referent: Dorte Lund",
                "attendance": "Fremmøde: 4 tjekket ind",
                "decisions": "Beslutninger og aftaler",
                "instructions": "Instrukser til personalet",
                "group": "Det tager jeg med mig:",
            },
        ),
    ],
)
async def test_end_posts_the_decision_minutes_and_uploads_them_as_a_pdf(
    harness: Harness, language: str, words: dict[str, str]
) -> None:
    h = harness
    await h.setup_cluster("--language da" if language == "da" else "")
    await start_meeting(h, "Klyngemøde <marts>")
    decision = "Vi bruger fælles recall-liste fra 1/1 & måler HbA1c < 53 hver 3. måned"
    await h.command(f"{words['decision']} {decision}", user=NOTE_TAKER)
    await h.command(f"{words['instruction']} Sekretæren booker spirometri til rygere", user=MEMBER)
    await h.command("takeaway Struktur på årskontroller 😀", user=FACILITATOR)
    await h.click(with_action(h, "takeaway_open"), "takeaway_open", user=MEMBER)
    view = h.slack.calls_to("views.open")[-1].args["view"]
    await h.submit(
        view,
        {
            "take": {"text": {"value": "Ældre patienter får længere tid"}},
            "decision": {"text": {"value": "Næste møde handler om demens"}},
            "instruction": {"text": {"value": "Sygeplejersken ringer til KOL-patienter"}},
        },
        user=MEMBER,
    )
    files_before = len(h.slack.files)

    await h.command("end")

    minutes = h.find_post(lambda message: words["title"].split(" — ")[0] in message.text)
    shown = all_text(minutes)
    assert escape(words["title"]) in shown
    assert escape(decision) in shown
    assert f"<@{NOTE_TAKER}>" in shown
    assert "Næste møde handler om demens" in shown
    assert f"<@{MEMBER}>: Sekretæren booker spirometri til rygere" in shown
    assert f"<@{MEMBER}>: Sygeplejersken ringer til KOL-patienter" in shown
    assert all(f"<@{user}>" in shown for user in (MEMBER, FACILITATOR, NOTE_TAKER, LATE))
    assert words["decisions"] in shown
    assert words["instructions"] in shown
    assert h.slack.refused == []

    [uploaded] = pdfs(h)
    assert len(h.slack.files) == files_before + 1
    assert uploaded.channel == CHANNEL
    assert uploaded.content.startswith(b"%PDF")
    text = pdf_text(uploaded)
    assert words["title"] in text
    started = h.clock().astimezone(COPENHAGEN)  # 16:00 in the cluster's zone
    assert format_datetime(started, language) in text
    assert words["facilitator"] in text
    assert words["note_taker"] in text
    assert words["attendance"] in text
    for name in ("Bo Jensen", "Camilla Ørsted", "Dorte Lund", "Gustav Bæk"):
        assert name in text
    assert flat(decision) in text
    assert "Næste møde handler om demens (Bo Jensen)" in text
    assert "Bo Jensen: Sekretæren booker spirometri til rygere" in text
    assert f"Bo Jensen: {words['group']} Ældre patienter får længere tid" in text
    assert "Camilla Ørsted: Struktur på årskontroller" in text
    assert text.index(words["decisions"]) < text.index(words["instructions"])


async def test_minutes_show_poll_results_and_the_previous_meetings_follow_up(
    harness: Harness,
) -> None:
    h = harness
    await h.setup_cluster()
    await start_meeting(h, "Første møde")
    await h.command("takeaway Spirometri til alle rygere", user=MEMBER)
    await h.command("end")
    h.clock.advance(timedelta(days=29))
    await h.run_jobs()  # the follow-up DM
    [dm] = h.slack.channel_messages(f"D{MEMBER}")
    await h.click(dm, "takeaway_followup:done", user=MEMBER)
    await start_meeting(h, "Andet møde")
    await h.command('poll "Næste emne?" "KOL og astma" "Demens"')
    poll = with_action(h, "poll_vote:1")
    await h.click(poll, "poll_vote:1", user=MEMBER)
    await h.command("poll close")

    await h.command("end")

    minutes = all_text(h.find_post(lambda message: "Decision minutes — Andet" in message.text))
    assert "Follow-up on Første møde" in minutes
    assert "1 done" in minutes
    assert "Næste emne?" in minutes
    assert "KOL og astma: 1" in minutes
    text = pdf_text(pdfs(h)[-1])
    assert "Follow-up on Første møde" in text
    assert "1 done, 0 in progress" in text
    assert "KOL og astma: 1" in text


async def test_a_long_meeting_is_posted_within_slacks_limits_and_the_pdf_holds_everything(
    harness: Harness,
) -> None:
    h = harness
    await h.setup_cluster()
    await start_meeting(h, "Langt møde")
    texts = [
        f"Beslutning {number}: " + "Vi aftaler på personalemødet hvem der gør hvad & hvornår. " * 20
        for number in range(12)
    ]
    for text in texts:
        await h.command(f"decision {text}", user=NOTE_TAKER)

    await h.command("end")

    assert h.slack.refused == []
    shown = "\n".join(all_text(message) for message in h.posts())
    assert all(escape(text).strip() in shown for text in texts)
    document = pdf_text(pdfs(h)[-1])
    assert all(flat(text) in document for text in texts)


# --- decisions and instructions -----------------------------------------------------------------


async def test_decision_and_instruction_are_stored_with_their_kind_and_confirmed(
    harness: Harness,
) -> None:
    h = harness
    await h.setup_cluster()
    meeting = await start_meeting(h, "Møde")

    await h.command("decision Vi mødes hos Anne næste gang", user=NOTE_TAKER)
    await h.command("instruks Husk at bestille skabeloner", user=MEMBER)

    decision, instruction = await rows(h)
    assert (decision.kind, decision.text, decision.meeting_id) == (
        store.KIND_DECISION,
        "Vi mødes hos Anne næste gang",
        meeting.id,
    )
    assert (instruction.kind, instruction.author_id) == (store.KIND_INSTRUCTION, MEMBER)
    assert "Saved as a decision of *Møde*" in h.last_whisper(NOTE_TAKER)
    assert "instruction for the clinic staff" in h.last_whisper(MEMBER)
    await h.command("takeaway list", user=NOTE_TAKER)
    listed = str(h.slack.ephemerals_for(NOTE_TAKER)[-1].blocks)
    assert "Møde · decision_: Vi mødes hos Anne næste gang" in listed


async def test_decision_without_a_meeting_is_refused_and_nothing_is_stored(
    harness: Harness,
) -> None:
    h = harness
    await h.setup_cluster()

    await h.command("decision Vi holder sommerferie", user=MEMBER)
    await h.command("beslutning", user=MEMBER)

    assert await rows(h) == []
    first, second = h.whispers(MEMBER)[-2:]
    assert "no meeting is running" in first
    assert "/klynge decision [text]" in second


async def test_only_take_homes_and_instructions_are_followed_up(harness: Harness) -> None:
    h = harness
    await h.setup_cluster()
    await start_meeting(h, "Møde")
    await h.command("decision Fælles skabelon", user=MEMBER)
    await h.command("instruction Bestil skabelonen", user=MEMBER)
    await h.command("end")

    h.clock.advance(timedelta(days=29))
    await h.run_jobs()

    [dm] = h.slack.channel_messages(f"D{MEMBER}")
    shown = all_text(dm)
    assert "Bestil skabelonen" in shown
    assert "Fælles skabelon" not in shown


# --- export -------------------------------------------------------------------------------------


async def test_export_makes_the_pdf_again_with_what_was_added_after_the_end(
    harness: Harness,
) -> None:
    h = harness
    await h.setup_cluster()
    await start_meeting(h, "Møde")
    await h.command("end")
    await h.command("decision Skrevet efter mødet", user=NOTE_TAKER)

    await h.command("export")

    first, second = pdfs(h)
    assert "Skrevet efter mødet" not in pdf_text(first)
    assert "Skrevet efter mødet (Dorte Lund)" in pdf_text(second)
    assert second.channel == CHANNEL
    assert second.filename in h.last_whisper(COORDINATOR)


async def test_export_of_loose_take_homes_uploads_them_as_a_pdf(harness: Harness) -> None:
    h = harness
    await h.setup_cluster()
    await h.command("takeaway Løst råd om æøå", user=MEMBER)

    await h.command("export")

    [uploaded] = pdfs(h)
    text = pdf_text(uploaded)
    assert "Take-home messages written outside a meeting" in text
    assert "Bo Jensen: Løst råd om æøå" in text
