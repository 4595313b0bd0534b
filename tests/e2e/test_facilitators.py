"""Facilitator and note-taker rotation end to end: the order and its fairness over cycles, the list,
`next`, the checklist a week before, and meetings that are cancelled or moved.

The tests drive the rotation by signed commands and clicks against the fake Slack.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.fakeslack.model import BOT_USER_ID
from storage import jobs as job_store
from storage.meetings import CANCELLED, Meeting
from tests.e2e.facilitators_helpers import (
    FOUR,
    WEEK,
    A,
    B,
    C,
    D,
    E,
    _dm,
    _facilitators,
    _meetings,
    _plan_meetings,
    _start,
)
from tests.harness import CHANNEL, COORDINATOR, Harness


@pytest.fixture
def h(harness: Harness) -> Harness:
    return harness


# --- order and fairness -------------------------------------------------------------------------


async def test_each_serves_once_per_cycle_in_the_same_order_over_three_cycles(h: Harness) -> None:
    await _start(h, FOUR)

    await _plan_meetings(h, 12)

    facilitators = await _facilitators(h)
    assert facilitators == FOUR * 3


async def test_fairness_holds_as_meetings_pass_and_new_ones_are_planned(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 3)
    h.clock.advance(16 * WEEK)  # all three have happened

    await _plan_meetings(h, 5)

    assert await _facilitators(h) == [A, B, C, D, A, B, C, D]


async def test_note_taker_rotates_too_and_is_never_the_facilitator(h: Harness) -> None:
    await _start(h, FOUR)

    await _plan_meetings(h, 8)

    meetings = await _meetings(h)
    note_takers = [meeting.note_taker_id for meeting in meetings]
    assert all(m.note_taker_id != m.facilitator_id for m in meetings)
    assert sorted(note_takers[:4]) == sorted(FOUR)
    assert note_takers[4:] == note_takers[:4]


async def test_note_taker_rule_holds_with_only_two_members(h: Harness) -> None:
    await _start(h, [A, B])

    await _plan_meetings(h, 5)

    meetings = await _meetings(h)
    assert [m.facilitator_id for m in meetings] == [A, B, A, B, A]
    assert [m.note_taker_id for m in meetings] == [B, A, B, A, B]


async def test_new_member_joins_at_the_end_and_leavers_drop_out(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 2)
    h.clock.advance(10 * WEEK)  # A and B have served
    h.slack.channels[CHANNEL]["members"].append(E)
    h.slack.channels[CHANNEL]["members"].remove(C)
    await h.event({"type": "member_joined_channel", "user": E, "channel": CHANNEL})
    await h.event({"type": "member_left_channel", "user": C, "channel": CHANNEL})

    await _plan_meetings(h, 5)

    assert await _facilitators(h) == [A, B, D, A, B, E, D]


async def test_list_shows_planned_order_with_dates_and_last_turns(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 2)
    h.clock.advance(4 * WEEK)  # the first meeting (A) has happened
    await _plan_meetings(h, 1, first=timedelta(days=40))

    await h.command("facilitator list all", user=B)

    text = h.last_whisper(B)
    meetings = await _meetings(h)
    zone = ZoneInfo("Europe/Copenhagen")
    second = meetings[1].starts_at.astimezone(zone)
    assert f"{second.day} " in text
    assert str(second.year) in text
    lines = text.splitlines()
    planned = [line for line in lines if line.startswith("•")]
    assert [line.split("facilitator ")[1].split(",")[0] for line in planned] == [
        f"<@{B}>",
        f"<@{C}>",
    ]
    first = meetings[0].starts_at.astimezone(zone)
    line_a = next(line for line in lines if f"<@{A}> — last turn" in line)
    assert f"{first.day} " in line_a
    assert any(f"<@{D}> — last turn: never" in line for line in lines)
    assert h.posts()[-1].text.startswith(":wave:")  # nothing announced


# --- next ---------------------------------------------------------------------------------------


async def test_next_assigns_the_next_meeting_without_one_and_mentions_them_first(
    h: Harness,
) -> None:
    cluster = await _start(h, FOUR)
    async with h.db.session() as session:
        session.add(
            Meeting(
                cluster_id=cluster.id or 0,
                title="Diabetes <3 & more",
                starts_at=h.clock() + 3 * WEEK,
                created_by=COORDINATOR,
            )
        )

    await h.command("facilitator next")

    post = h.last_post()
    assert post.text.startswith(f":studio_microphone: <@{A}>")
    assert "Diabetes &lt;3 &amp; more" in post.text
    assert await _facilitators(h) == [A]


async def test_next_without_meetings_advances_the_rotation(h: Harness) -> None:
    await _start(h, [A, B, C])

    chosen = []
    for _ in range(4):
        h.clock.advance(timedelta(days=1))
        await h.command("facilitator next")
        chosen.append(h.last_post().text.split()[1])

    assert chosen == [f"<@{A}>", f"<@{B}>", f"<@{C}>", f"<@{A}>"]


async def test_next_is_for_coordinators_only(h: Harness) -> None:
    await _start(h, FOUR)

    await h.command("facilitator next", user=B)

    assert "Only the cluster's coordinators" in h.last_whisper(B)
    assert h.posts()[-1].text.startswith(":wave:")


# --- meetings cancelled or moved ----------------------------------------------------------------


async def test_plans_follow_when_a_meeting_is_cancelled(h: Harness) -> None:
    cluster = await _start(h, FOUR)
    ids = await _plan_meetings(h, 5)

    async with h.db.session() as session:
        meeting = await session.get(Meeting, ids[1])
        assert meeting is not None
        meeting.status = CANCELLED
        session.add(meeting)
    await h.deps.hooks.run(h.deps.hooks.meeting_changed, h.deps, cluster, meeting)
    await h.settle()

    assert await _facilitators(h) == [A, B, C, D]
    post = h.last_post().text
    assert "Meeting 2" in post
    assert f"facilitator <@{B}> (was <@{C}>)" in post


# --- the checklist a week before ----------------------------------------------------------------


async def test_facilitator_gets_a_checklist_dm_a_week_before(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 2, first=timedelta(days=20))

    h.clock.advance(timedelta(days=12))
    await h.run_jobs()
    assert h.slack.channel_messages("D" + A) == []
    h.clock.advance(timedelta(days=1, hours=1))
    await h.run_jobs()

    checklist = _dm(h, A)
    assert "agenda" in checklist.text
    assert "energiser" in checklist.text
    assert h.slack.channel_messages("D" + B) == []
    await h.click(checklist, "facilitator_checklist_confirm", user=A)
    assert "Confirmed" in h.slack.message(checklist.channel, checklist.ts).text


async def test_checklist_follows_the_plan_after_a_skip(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 3, first=timedelta(days=20))

    await h.command(f"facilitator skip <@{A}>")
    h.clock.advance(timedelta(days=14))
    await h.run_jobs()

    assert h.slack.channel_messages("D" + A) == []
    checklist = _dm(h, B)
    await h.click(checklist, "facilitator_checklist_swap", user=B)
    assert h.last_post().text.startswith(f":sos: <@{B}> would like to swap")
    async with h.db.session() as session:
        keys = [job.key for job in (await session.exec(select(job_store.Job))).all()]
    assert len(keys) == 2  # the two later meetings still wait for their checklists


async def test_checklist_moves_with_a_moved_meeting(h: Harness) -> None:
    cluster = await _start(h, FOUR)
    ids = await _plan_meetings(h, 1, first=timedelta(days=20))
    async with h.db.session() as session:
        meeting = await session.get(Meeting, ids[0])
        assert meeting is not None
        meeting.starts_at += 2 * WEEK
        session.add(meeting)
    await h.deps.hooks.run(h.deps.hooks.meeting_changed, h.deps, cluster, meeting)

    h.clock.advance(timedelta(days=14))
    await h.run_jobs()
    assert h.slack.channel_messages("D" + A) == []
    h.clock.advance(2 * WEEK)
    await h.run_jobs()

    assert "Meeting 1" in _dm(h, A).text


# --- robustness and language --------------------------------------------------------------------


async def test_simultaneous_first_uses_of_the_rotation_all_succeed(h: Harness) -> None:
    await _start(h, FOUR)
    assert h.driver is not None

    await asyncio.gather(*(h.driver.command("facilitator list", user=user) for user in FOUR))
    await h.settle()

    for user in FOUR:
        assert h.last_whisper(user).startswith("*Facilitator plan for")


async def test_announcements_are_in_danish_for_a_danish_cluster(h: Harness) -> None:
    h.slack.channels[CHANNEL]["members"] = [*FOUR, BOT_USER_ID]
    await h.setup_cluster("--language da")
    await _plan_meetings(h, 2)

    await h.command(f"facilitator skip <@{A}>")

    post = h.last_post().text
    assert f"<@{A}> springer sin næste tur over" in post
    assert "tovholder" in post
    assert "dag den " in post  # "torsdag den 3. december 2026 kl. 16.00"


async def test_checklist_goes_to_whoever_holds_the_turn_when_it_is_due(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 2, first=timedelta(days=20))
    h.slack.channels[CHANNEL]["members"].remove(A)
    await h.event({"type": "member_left_channel", "user": A, "channel": CHANNEL})

    h.clock.advance(timedelta(days=13, hours=1))
    await h.run_jobs()

    assert h.slack.channel_messages("D" + A) == []
    assert "Meeting 1" in _dm(h, B).text
    assert await _facilitators(h) == [B, C]
