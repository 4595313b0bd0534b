"""Meetings end to end: RSVP on the reminder, its counts under concurrent clicks and replicas, and
RSVP to a cancelled meeting.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlmodel import select

from bot.fakeslack.model import Message
from handlers.meetings.blocks import (
    RSVP_COUNTS_BLOCK,
    RSVP_NO_ACTION,
    RSVP_YES_ACTION,
)
from storage.meetings import Meeting, Rsvp
from tests.e2e.meetings_helpers import (
    DEC_3_16H,
    _block_text,
    _meetings,
    _ready,
    _reminders,
)
from tests.harness import DOCTORS, MEMBER, Harness

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
