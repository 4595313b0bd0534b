"""Attendance end to end: the register of a meeting and of the year as CSV files in the
coordinator's direct messages (English and Danish words), each member's own attendance on the
Home tab (the year's overview: ``test_year.py``)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.fakeslack.model import Message, UploadedFile
from storage.meetings import Meeting
from tests.harness import COORDINATOR, DOCTORS, MEMBER, Harness, blocks_text

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
CAMILLA, DORTE = DOCTORS[2], DOCTORS[3]


def checkin_post(h: Harness) -> Message:
    return h.find_post(
        lambda message: any(
            element.get("action_id") == "meeting_checkin"
            for block in message.blocks
            for element in block.get("elements") or []
        )
    )


async def hold_meeting(
    h: Harness, title: str, *, days_ahead: int, present: list[str], topic: str | None = None
) -> Meeting:
    """Plan, start (checking ``present`` in) and end a meeting ``days_ahead`` from the clock."""
    day = (h.clock() + timedelta(days=days_ahead)).astimezone(COPENHAGEN).date()
    await h.command(f"meeting add {day:%Y-%m-%d} 16:00 {title}")
    async with h.db.session() as session:
        meeting = (await session.exec(select(Meeting).order_by(col(Meeting.id).desc()))).first()
        assert meeting is not None
        meeting.topic = topic
        meeting.facilitator_id = CAMILLA
        session.add(meeting)
    h.clock.set(datetime.combine(day, time(16, 0), COPENHAGEN).astimezone(UTC))
    await h.command("start")
    agenda = checkin_post(h)
    for user in present:
        await h.click(agenda, "meeting_checkin", user=user)
    h.clock.advance(timedelta(hours=2))
    await h.command("end")
    return meeting


def dm_files(h: Harness, user: str = COORDINATOR) -> list[UploadedFile]:
    return [file for file in h.slack.files.values() if file.channel == f"D{user}"]


def rows_of(uploaded: UploadedFile) -> list[list[str]]:
    assert uploaded.filename.endswith(".csv")
    return list(csv.reader(io.StringIO(uploaded.content.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("language", "command", "header", "yes", "no"),
    [
        ("en", "attendance", ["Name", "Slack ID", "Clinic", "Checked in"], "yes", "no"),
        ("da", "fremmøde", ["Navn", "Slack-id", "Klinik", "Tjekket ind"], "ja", "nej"),
    ],
)
async def test_attendance_sends_every_member_with_checked_in_yes_or_no_to_the_coordinator(
    harness: Harness, language: str, command: str, header: list[str], yes: str, no: str
) -> None:
    h = harness
    await h.setup_cluster("--language da" if language == "da" else "")
    await h.command(f"clinic <@{CAMILLA}> Lægehuset Ørsted og Co")
    await h.command("clinic =HYPERLINK(1)", user=DORTE)
    await hold_meeting(h, "Efterårsmøde", days_ahead=2, present=[MEMBER, CAMILLA, DORTE])

    await h.command(command)

    [uploaded] = dm_files(h)
    assert uploaded.content.startswith("\ufeff".encode())  # Excel then reads æ, ø, å
    rows = rows_of(uploaded)
    assert rows[0] == header
    by_id = {row[1]: row for row in rows[1:]}
    assert set(by_id) == set(DOCTORS)  # every member; no bot, no deactivated account
    assert by_id[CAMILLA] == ["Camilla Ørsted", CAMILLA, "Lægehuset Ørsted og Co", yes]
    assert by_id[DORTE][2] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    assert by_id[MEMBER][3] == yes
    assert [row[3] for row in rows[1:]].count(no) == len(DOCTORS) - 3
    assert [row[0] for row in rows[1:]] == sorted((row[0] for row in rows[1:]), key=str.casefold)
    assert "Efterårsmøde" in str(uploaded.initial_comment)
    assert uploaded.filename in h.last_whisper()
    assert dm_files(h, MEMBER) == []


async def test_attendance_by_number_names_that_meeting(harness: Harness) -> None:
    h = harness
    await h.setup_cluster()
    first = await hold_meeting(h, "Første", days_ahead=2, present=[MEMBER])
    await hold_meeting(h, "Andet", days_ahead=30, present=[CAMILLA])

    await h.command(f"attendance {first.id}")

    rows = rows_of(dm_files(h)[-1])
    checked = {row[1] for row in rows[1:] if row[3] == "yes"}
    assert checked == {MEMBER}


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("attendance 999", "no meeting number 999"),
        ("attendance soon", "is not a meeting number"),
        ("attendance 1 2", "is not a meeting number"),
    ],
)
async def test_bad_attendance_requests_are_explained_and_send_nothing(
    harness: Harness, typed: str, answer: str
) -> None:
    h = harness
    await h.setup_cluster()
    await hold_meeting(h, "Møde", days_ahead=2, present=[MEMBER])

    await h.command(typed)

    assert answer in h.last_whisper()
    assert dm_files(h) == []


async def test_attendance_of_a_meeting_not_held_or_before_any_is_explained(
    harness: Harness,
) -> None:
    h = harness
    await h.setup_cluster()
    await h.command("attendance")
    assert "No meeting has been held yet" in h.last_whisper()
    await h.command("attendance year")
    assert "No meeting was held in the last 12 months" in h.last_whisper()
    day = (h.clock() + timedelta(days=5)).astimezone(COPENHAGEN).date()
    await h.command(f"meeting add {day:%Y-%m-%d} 16:00 Senere")

    await h.command("attendance 1")

    assert "has not been held" in h.last_whisper()
    assert dm_files(h) == []


async def test_attendance_is_for_coordinators_only(harness: Harness) -> None:
    h = harness
    await h.setup_cluster()
    await hold_meeting(h, "Møde", days_ahead=2, present=[MEMBER])

    await h.command("fremmøde", user=MEMBER)
    await h.command("attendance year", user=MEMBER)

    assert all("Only the cluster's coordinators" in text for text in h.whispers(MEMBER)[-2:])
    assert not [file for file in h.slack.files.values() if file.filename.endswith(".csv")]


@pytest.mark.parametrize("command", ["attendance year", "fremmøde år"])
async def test_year_register_has_a_column_per_meeting_and_each_members_total(
    harness: Harness, command: str
) -> None:
    h = harness
    await h.setup_cluster()
    await hold_meeting(h, "Forår", days_ahead=2, present=[MEMBER, CAMILLA])
    await hold_meeting(h, "Sommer", days_ahead=60, present=[MEMBER])
    await hold_meeting(h, "Efterår", days_ahead=120, present=[MEMBER, DORTE])

    await h.command(command)

    rows = rows_of(dm_files(h)[-1])
    header = rows[0]
    assert header[:3] == ["Name", "Slack ID", "Clinic"]
    assert [title.split(" ", 1)[1] for title in header[3:6]] == ["Forår", "Sommer", "Efterår"]
    assert header[6] == "Attended (of 3)"
    by_id = {row[1]: row for row in rows[1:]}
    assert by_id[MEMBER][3:] == ["yes", "yes", "yes", "3"]
    assert by_id[CAMILLA][3:] == ["yes", "no", "no", "1"]
    assert by_id[DOCTORS[11]][3:] == ["no", "no", "no", "0"]


async def test_year_register_leaves_out_meetings_older_than_12_months(harness: Harness) -> None:
    h = harness
    await h.setup_cluster()
    await hold_meeting(h, "Gammelt", days_ahead=2, present=[MEMBER])
    h.clock.advance(timedelta(days=400))
    await hold_meeting(h, "Nyt", days_ahead=2, present=[CAMILLA])

    await h.command("attendance year")

    header = rows_of(dm_files(h)[-1])[0]
    assert [title.split(" ", 1)[1] for title in header[3:-1]] == ["Nyt"]


def home_text(h: Harness, user: str) -> str:
    return blocks_text(h.slack.home_views[user]["blocks"])


async def test_each_member_sees_their_own_attendance_on_the_home_tab(harness: Harness) -> None:
    h = harness
    await h.setup_cluster()
    await hold_meeting(h, "Første", days_ahead=2, present=[MEMBER, CAMILLA])
    await hold_meeting(h, "Andet", days_ahead=30, present=[CAMILLA])

    for user in (MEMBER, CAMILLA, DORTE):
        await h.event({"type": "app_home_opened", "user": user, "tab": "home", "channel": "D1"})

    assert "you checked in at 1 of 2 meetings" in home_text(h, MEMBER)
    assert "you checked in at 2 of 2 meetings" in home_text(h, CAMILLA)
    assert "you checked in at 0 of 2 meetings" in home_text(h, DORTE)


# --- the attendance rule ------------------------------------------------------------------------


def notes_to(h: Harness, user: str) -> list[str]:
    return [m.text for m in h.slack.channel_messages(f"D{user}") if "friendly" in m.text]


async def test_a_member_who_drops_below_the_rule_is_told_privately_once(harness: Harness) -> None:
    h = harness
    await h.setup_cluster()
    await h.command("attendance rule 2 of 3")
    assert "at least 2 of the last 3 meetings" in h.last_post().text
    await hold_meeting(h, "Et", days_ahead=2, present=[MEMBER, CAMILLA])
    await hold_meeting(h, "To", days_ahead=30, present=[MEMBER, CAMILLA])
    assert notes_to(h, MEMBER) == []  # not measured before three meetings were held

    await hold_meeting(h, "Tre", days_ahead=60, present=[CAMILLA])
    await hold_meeting(h, "Fire", days_ahead=90, present=[CAMILLA])

    [note] = notes_to(h, MEMBER)
    assert "you checked in at 1 of the last 3 meetings" in note
    assert f"<@{COORDINATOR}>" in note
    assert notes_to(h, CAMILLA) == []
    assert len(notes_to(h, DORTE)) == 1  # never came: told when the first window filled


async def test_attendance_rule_is_shown_changed_and_removed_by_coordinators(
    harness: Harness,
) -> None:
    h = harness
    await h.setup_cluster("--language da")
    await h.command("fremmøde regel")
    assert "Der er ingen fremmøderegel" in h.last_whisper()
    await h.command("fremmøde regel 3 af 4")
    await h.command("fremmøde regel")
    assert "mindst 3 af de seneste 4 møder" in h.last_whisper()
    await h.command("fremmøde regel 5 af 4")
    assert "/klynge fremmøde regel 3 af 4" in h.last_whisper()
    await h.command("fremmøde regel 1 af 2", user=MEMBER)
    assert "koordinatorer" in h.last_whisper(MEMBER)

    await h.command("fremmøde regel fra")

    assert "Fremmødereglen er fjernet" in h.last_post().text
    await h.command("fremmøde regel")
    assert "Der er ingen fremmøderegel" in h.last_whisper()
