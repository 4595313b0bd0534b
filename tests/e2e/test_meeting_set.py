"""``meeting set``: everything a coordinator planned can be changed — title, Zoom link, topic,
agenda, preparation note, length and reminders, for one meeting or the rest of its series —
with reminders and calendar files following, RSVPs kept, and the channel told what matters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from storage.jobs import Job
from storage.meetings import Meeting, Rsvp
from tests.harness import COORDINATOR, MEMBER, Harness

# Sunday 22 November 2026, 13:00 in Copenhagen; the meeting is Thursday 3 December at 16:00.
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
DEC_3_16H = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


async def _planned(h: Harness, extra: str = "") -> Meeting:
    h.clock.set(NOW)
    await h.setup_cluster()
    await h.command(f"meeting add 2026-12-03 16:00 Diabetes {extra}".strip())
    return (await _meetings(h))[0]


async def _meetings(h: Harness) -> list[Meeting]:
    async with h.db.session() as session:
        return list((await session.exec(select(Meeting).order_by(col(Meeting.id)))).all())


async def _reminder_keys(h: Harness) -> set[str]:
    async with h.db.session() as session:
        jobs = (await session.exec(select(Job).where(Job.kind == "reminder"))).all()
    return {job.key for job in jobs}


async def test_title_changes_the_meeting_and_the_channel_and_the_calendar_are_told(
    harness: Harness,
) -> None:
    meeting = await _planned(harness)
    await harness.command(f"meeting set {meeting.id} title Type 2-diabetes & nyrer")

    [stored] = await _meetings(harness)
    assert stored.title == "Type 2-diabetes & nyrer"
    assert stored.revision == meeting.revision + 1  # the calendar entry's SEQUENCE moves on
    assert "title set to:\nType 2-diabetes &amp; nyrer" in harness.last_whisper()
    post = harness.last_post().text
    assert "now called *Type 2-diabetes &amp; nyrer*" in post
    assert "was *Diabetes*" in post
    assert f"<@{COORDINATOR}>" in post
    assert f"/klynge meeting ics {meeting.id}" in post

    await harness.command(f"meeting ics {meeting.id}", user=MEMBER)
    sent = [f for f in harness.slack.files.values() if f.channel == f"D{MEMBER}"]
    content = sent[0].content.decode().replace("\r\n ", "")
    assert "SUMMARY:Type 2-diabetes & nyrer" in content
    assert "SEQUENCE:1" in content


async def test_zoom_link_is_set_announced_and_cleared(harness: Harness) -> None:
    meeting = await _planned(harness)

    await harness.command(f"meeting set {meeting.id} zoom https://us02web.zoom.us/j/987")
    assert (await _meetings(harness))[0].zoom_url == "https://us02web.zoom.us/j/987"
    assert "https://us02web.zoom.us/j/987" in harness.last_post().text

    await harness.command(f"meeting set {meeting.id} zoom -")
    assert (await _meetings(harness))[0].zoom_url is None
    assert "no longer has a Zoom link" in harness.last_post().text


@pytest.mark.parametrize(
    ("typed", "minutes", "until"),
    [("90", 90, "17:30"), ("1h30", 90, "17:30"), ("2,5t", 150, "18:30"), ("45 min", 45, "16:45")],
)
async def test_length_is_read_as_doctors_write_it(
    harness: Harness, typed: str, minutes: int, until: str
) -> None:
    meeting = await _planned(harness)

    await harness.command(f"meeting set {meeting.id} length {typed}")

    assert (await _meetings(harness))[0].duration_minutes == minutes
    assert f"until {until}" in harness.last_post().text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("length 5", "from 15 minutes to 12 hours"),
        ("length lang", "from 15 minutes to 12 hours"),
        ("length -", "always has a length"),
        ("title -", "always has a title"),
        ("zoom http://zoom.us/j/1", "https://"),
        ("remind sometimes", "7d,1d,1h"),
        ("colour red", "/klynge meeting set [number]"),
        ("title", "/klynge meeting set [number]"),
    ],
)
async def test_bad_values_change_nothing_and_say_why(
    harness: Harness, typed: str, expected: str
) -> None:
    meeting = await _planned(harness)
    posts = len(harness.posts())

    await harness.command(f"meeting set {meeting.id} {typed}")

    assert expected in harness.last_whisper()
    [stored] = await _meetings(harness)
    assert (stored.title, stored.duration_minutes, stored.zoom_url, stored.reminders) == (
        "Diabetes",
        120,
        None,
        None,
    )
    assert stored.revision == meeting.revision
    assert len(harness.posts()) == posts


async def test_reminders_are_planned_again_and_dash_returns_to_the_defaults(
    harness: Harness,
) -> None:
    meeting = await _planned(harness)
    prefix = f"reminder:{meeting.id}:"

    await harness.command(f"meeting set {meeting.id} remind 2d,2h")
    assert await _reminder_keys(harness) == {f"{prefix}2d", f"{prefix}2h"}
    assert "2 days and 2 hours before" in harness.last_whisper()

    await harness.command(f"meeting set {meeting.id} remind none")
    assert await _reminder_keys(harness) == set()

    await harness.command(f"meeting set {meeting.id} remind -")
    assert await _reminder_keys(harness) == {f"{prefix}7d", f"{prefix}1d", f"{prefix}1h"}
    assert (await _meetings(harness))[0].reminders is None


async def test_a_change_keeps_the_answers_members_gave(harness: Harness) -> None:
    meeting = await _planned(harness)
    async with harness.db.session() as session:
        session.add(Rsvp(meeting_id=meeting.id or 0, user_id=MEMBER, attending=True))

    await harness.command(f"meeting set {meeting.id} title Nyt navn")
    await harness.command(f"meeting set {meeting.id} length 90")

    async with harness.db.session() as session:
        [rsvp] = (await session.exec(select(Rsvp))).all()
    assert (rsvp.user_id, rsvp.attending) == (MEMBER, True)


async def test_the_same_value_again_changes_nothing_and_says_so(harness: Harness) -> None:
    meeting = await _planned(harness)
    await harness.command(f"meeting set {meeting.id} topic HbA1c")
    posts = len(harness.posts())

    await harness.command(f"meeting set {meeting.id} topic HbA1c")

    assert "already that; nothing changed" in harness.last_whisper()
    assert len(harness.posts()) == posts


async def test_a_cancelled_meeting_cannot_be_changed(harness: Harness) -> None:
    meeting = await _planned(harness)
    await harness.command(f"meeting cancel {meeting.id}")

    await harness.command(f"meeting set {meeting.id} title Alligevel")

    assert "cancelled, so it can't be changed" in harness.last_whisper()
    assert (await _meetings(harness))[0].title == "Diabetes"


async def test_only_coordinators_change_meetings(harness: Harness) -> None:
    meeting = await _planned(harness)

    await harness.command(f"meeting set {meeting.id} title Mit møde", user=MEMBER)

    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    assert (await _meetings(harness))[0].title == "Diabetes"


# --- a series -------------------------------------------------------------------------------------


async def test_series_option_changes_this_and_the_later_meetings_of_the_series(
    harness: Harness,
) -> None:
    await _planned(harness, "--every 4w --count 4")
    _, second, _, _ = await _meetings(harness)

    await harness.command(f"meeting set {second.id} zoom https://zoom.us/j/555 --series")

    stored = await _meetings(harness)
    assert [m.zoom_url for m in stored] == [None, *["https://zoom.us/j/555"] * 3]
    assert [m.revision for m in stored] == [0, 1, 1, 1]
    assert "3 meetings of the series" in harness.last_whisper()
    assert "the 2 later meetings of the series" in harness.last_post().text


async def test_without_the_series_option_only_that_meeting_changes(harness: Harness) -> None:
    await _planned(harness, "--every 4w --count 3")
    first, _, _ = await _meetings(harness)

    await harness.command(f"meeting set {first.id} agenda 1. Check-in\n2. Cases")

    assert [m.agenda for m in await _meetings(harness)] == ["1. Check-in\n2. Cases", None, None]


async def test_series_option_on_a_single_meeting_changes_nothing(harness: Harness) -> None:
    meeting = await _planned(harness)

    await harness.command(f"meeting set {meeting.id} topic KOL --series")

    assert "not part of a series" in harness.last_whisper()
    assert (await _meetings(harness))[0].topic is None


# --- in Danish ------------------------------------------------------------------------------------


async def test_danish_words_change_a_meeting_in_a_danish_cluster(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        await _planned(h, "--every 4w --count 2")
        first, second = await _meetings(h)

        await h.command(f"møde sæt {first.id} titel Hjertesvigt")
        assert "titel er sat til:\nHjertesvigt" in h.last_whisper()
        assert "hedder nu *Hjertesvigt*" in h.last_post().text

        await h.command(f"møde sæt {first.id} varighed 1t30")
        assert "varer nu 90 minutter, til kl. 17.30" in h.last_post().text

        await h.command(f"møde sæt {first.id} påmindelser 1d")
        assert await _reminder_keys(h) == {
            f"reminder:{first.id}:1d",
            *(f"reminder:{second.id}:{offset}" for offset in ("7d", "1d", "1h")),
        }

        await h.command(f"møde sæt {first.id} forberedelse Læs vejledningen --serie")
        assert [m.preparation for m in await _meetings(h)] == ["Læs vejledningen"] * 2

        await h.command(f"møde sæt {first.id} varighed 5")
        assert "fra 15 minutter til 12 timer" in h.last_whisper()


async def test_a_changed_reminder_time_is_the_one_that_goes_out(harness: Harness) -> None:
    meeting = await _planned(harness)
    await harness.command(f"meeting set {meeting.id} remind 2h")
    await harness.command(f"meeting set {meeting.id} title Diabetes og nyrer")
    harness.clock.set(DEC_3_16H - timedelta(hours=2))

    await harness.run_jobs()

    reminders = [p for p in harness.posts() if "Reminder" in p.text]
    assert len(reminders) == 1
    assert "Diabetes og nyrer" in reminders[0].text
