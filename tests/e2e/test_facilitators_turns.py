"""Changing turns in the facilitator rotation end to end: skip, away and swap, refused input, and
swaps and skips given before meetings are planned or after the plan changed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from storage.facilitators import RotationAway, RotationSkip, SwapRequest
from tests.e2e.facilitators_helpers import (
    FOUR,
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
from tests.harness import COORDINATOR, Harness


@pytest.fixture
def h(harness: Harness) -> Harness:
    return harness


# --- skip ---------------------------------------------------------------------------------------


async def test_skip_passes_the_turn_on_and_keeps_their_place(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 5)

    await h.command(f"facilitator skip <@{A}|anne>")

    assert await _facilitators(h) == [B, A, C, D, B]
    post = h.last_post().text
    assert post.startswith(":fast_forward:")
    assert f"facilitator <@{B}> (was <@{A}>)" in post


async def test_skip_without_meetings_passes_over_them_at_the_next_advance(h: Harness) -> None:
    await _start(h, [A, B, C])

    await h.command(f"facilitator skip <@{A}>")
    await h.command("facilitator next")
    first = h.last_post().text
    h.clock.advance(timedelta(days=1))
    await h.command("facilitator next")

    assert first.split()[1] == f"<@{B}>"
    assert h.last_post().text.split()[1] == f"<@{A}>"


async def test_skip_refuses_bad_input_and_changes_nothing(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 2)
    before = await _facilitators(h)

    for text in (
        "facilitator skip",
        "facilitator skip anne",
        "facilitator skip '; DROP TABLE meeting; --",
        f"facilitator skip <@{E}>",
        "facilitator skip " + "ø🙂" * 2500,
    ):
        await h.command(text)
        assert "@" in h.last_whisper() or "characters" in h.last_whisper()
    await h.command(f"facilitator skip <@{C}>", user=B)

    assert "Only the cluster's coordinators" in h.last_whisper(B)
    assert await _facilitators(h) == before
    async with h.db.session() as session:
        assert (await session.exec(select(RotationSkip))).all() == []


# --- away ---------------------------------------------------------------------------------------


async def test_away_leaves_them_out_until_the_date_then_they_come_first(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 5)
    meetings = await _meetings(h)
    second_day = meetings[1].starts_at.astimezone(ZoneInfo("Europe/Copenhagen")).date()

    await h.command(f"facilitator away <@{B}> until {second_day.isoformat()}")

    assert await _facilitators(h) == [A, C, B, D, A]
    post = h.last_post().text
    assert post.startswith(":palm_tree:")
    assert f"<@{B}>" in post
    assert f"facilitator <@{C}> (was <@{B}>)" in post


async def test_away_with_a_bad_date_answers_the_form_and_changes_nothing(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 3)
    before = await _facilitators(h)
    yesterday = (h.clock().date() - timedelta(days=2)).isoformat()

    await h.command(f"facilitator away <@{B}> until 2027-13-45")
    assert "not a date in the calendar" in h.last_whisper()
    await h.command(f"facilitator away <@{B}> until sometime")
    assert "YYYY-MM-DD" in h.last_whisper()
    await h.command(f"facilitator away <@{B}>")
    assert "/klynge facilitator away @name until [date]" in h.last_whisper()
    await h.command(f"facilitator away <@{B}> until {yesterday}")
    assert "already passed" in h.last_whisper()

    assert await _facilitators(h) == before
    async with h.db.session() as session:
        assert (await session.exec(select(RotationAway))).all() == []


# --- swap ---------------------------------------------------------------------------------------


async def test_swap_takes_effect_when_the_other_person_accepts(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 6)

    await h.command(f"facilitator swap <@{A}> <@{C}>", user=A)
    assert await _facilitators(h) == [A, B, C, D, A, B]
    question = _dm(h, C)
    assert f"<@{A}>" in question.text
    assert h.last_whisper(A).startswith(f"I asked <@{C}>")

    await h.click(question, "facilitator_swap_accept", user=B)  # not B's to answer
    assert "Only" in h.last_whisper(B)
    assert await _facilitators(h) == [A, B, C, D, A, B]

    await h.click(question, "facilitator_swap_accept", user=C)

    assert await _facilitators(h) == [C, B, A, D, C, B]
    assert all(m.note_taker_id not in (None, m.facilitator_id) for m in await _meetings(h))
    post = h.last_post().text
    assert f"<@{C}> and <@{A}> swapped turns" in post
    assert "You accepted" in h.slack.message(question.channel, question.ts).text


async def test_a_declined_swap_changes_nothing(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 4)
    posts_before = len(h.posts())

    await h.command(f"facilitator swap <@{B}> <@{D}>")  # the coordinator asks
    question = _dm(h, D)
    stale = replace(question, blocks=list(question.blocks))  # as a second device still shows it
    await h.click(question, "facilitator_swap_decline", user=D)
    await h.click(stale, "facilitator_swap_accept", user=D)  # too late

    assert await _facilitators(h) == FOUR
    assert len(h.posts()) == posts_before
    assert "already been answered" in h.last_whisper(D)
    assert "declined" in _dm(h, COORDINATOR).text
    async with h.db.session() as session:
        assert [r.status for r in (await session.exec(select(SwapRequest))).all()] == ["declined"]


async def test_swap_may_be_asked_only_by_one_of_the_two_or_a_coordinator(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 4)

    await h.command(f"facilitator swap <@{A}> <@{C}>", user=B)
    assert "one of the two people or by a coordinator" in h.last_whisper(B)
    await h.command(f"facilitator swap <@{A}> <@{A}>", user=A)
    assert "two different people" in h.last_whisper(A)

    async with h.db.session() as session:
        assert (await session.exec(select(SwapRequest))).all() == []


# --- more on skips and swaps --------------------------------------------------------------------


async def test_a_skip_given_before_meetings_are_planned_applies_to_their_first_turn(
    h: Harness,
) -> None:
    await _start(h, FOUR)
    await h.command(f"facilitator skip <@{A}>")

    await _plan_meetings(h, 4)

    assert await _facilitators(h) == [B, A, C, D]


async def test_swap_with_someone_without_a_planned_turn_exchanges_their_places(
    h: Harness,
) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 2)  # A and B; D's turn is not planned yet

    await h.command(f"facilitator swap <@{A}> <@{D}>", user=A)
    question = _dm(h, D)
    assert "takes" in question.text
    await h.click(question, "facilitator_swap_accept", user=D)
    await _plan_meetings(h, 6, first=timedelta(days=200))

    assert await _facilitators(h) == [D, B, C, A, D, B, C, A]
    await h.command("facilitator list all", user=C)
    assert f"<@{A}> — last turn: never" in h.last_whisper(C)


async def test_a_swap_accepted_after_the_plan_changed_swaps_nothing(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 4)
    await h.command(f"facilitator swap <@{A}> <@{C}>", user=A)
    await h.command(f"facilitator skip <@{A}>")  # A no longer holds the first meeting
    planned = await _facilitators(h)

    question = _dm(h, C)
    await h.click(question, "facilitator_swap_accept", user=C)

    assert await _facilitators(h) == planned
    assert "plan has changed" in h.slack.message(question.channel, question.ts).text
