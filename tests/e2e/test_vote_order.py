"""Votes follow the order of the clicks as Slack timed them, whatever order they arrive in, on
one replica or two; a click is kept before it is acknowledged. On both databases."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.fakeslack.model import Message
from handlers.polls.ballot_box import BallotBox
from storage.polls import PollOption
from storage.votes import PollBallot, PollClick, PollVote
from tests.e2e.polls_helpers import (
    flush,
    make_poll,
    poll_message,
    result_count,
    rows,
    shown_counts,
)
from tests.harness import CHANNEL, DOCTORS, MEMBER, Harness


async def chosen(h: Harness) -> dict[str, list[str]]:
    """Voter -> the texts of the options they have now, from the database."""
    async with h.db.session() as session:
        found = await session.exec(
            select(PollVote.voter, PollOption.text)
            .join(PollOption, PollOption.id == PollVote.option_id)  # type: ignore[arg-type]
            .order_by(PollOption.position)  # type: ignore[arg-type]
        )
        result: dict[str, list[str]] = {}
        for voter, text in found.all():
            result.setdefault(voter, []).append(text)
    return result


def at(hundredths: int) -> str:
    """A Slack action_ts: a fixed moment plus ``hundredths`` of a second."""
    return f"1800000000.{hundredths * 10_000:06d}"


async def test_rapid_changes_of_mind_in_a_burst_end_on_the_last_click_on_two_replicas(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" "C"')
    assert harness.driver is not None
    # MEMBER clicks A, B, C, then B; DOCTORS[2] clicks A twice (a vote, then withdrawn).
    changes = [
        (MEMBER, 1, at(1)),
        (MEMBER, 2, at(2)),
        (MEMBER, 3, at(3)),
        (MEMBER, 2, at(4)),
        (DOCTORS[2], 1, at(5)),
        (DOCTORS[2], 1, at(6)),
    ]
    others = [f"U0CROWD{n:02d}" for n in range(24)]
    for user in others:  # members of the cluster's channel: others' clicks are refused
        harness.slack.add_user(user, f"Crowd {user[-2:]}")
        harness.slack.channels[CHANNEL]["members"].append(user)
    async with harness.replica() as (replica, second):
        drivers = [harness.driver, second]

        async def newest_first() -> None:
            # Slack delivers each later click before the earlier ones, to either replica.
            for n, (user, position, ts) in enumerate(reversed(changes)):
                reply = await drivers[n % 2].click(
                    message, f"poll_vote:{position}", user=user, action_ts=ts
                )
                assert reply.status == 200

        crowd = [
            drivers[n % 2].click(message, f"poll_vote:{n % 3 + 1}", user=user)
            for n, user in enumerate(others)
        ]
        await asyncio.gather(newest_first(), *crowd)
        await harness.settle()
        await replica.settle()
        await flush(harness)

    votes = await chosen(harness)
    assert votes[MEMBER] == ["B"]
    assert DOCTORS[2] not in votes
    assert len(votes) == 1 + len(others)
    assert shown_counts(poll_message(harness)) == {"A": 8, "B": 9, "C": 8}
    assert {ballot.voter for ballot in await rows(harness, PollBallot)} == set(votes)


async def test_the_same_click_delivered_twice_counts_once(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B"')
    assert harness.driver is not None

    async with harness.replica() as (replica, second):
        replies = await asyncio.gather(
            harness.driver.click(message, "poll_vote:1", user=MEMBER, action_ts=at(1)),
            second.click(message, "poll_vote:1", user=MEMBER, action_ts=at(1)),
        )
        await harness.settle()
        await replica.settle()
    await harness.click(message, "poll_vote:1", user=MEMBER, action_ts=at(1))  # a third time
    await flush(harness)

    assert {reply.status for reply in replies} == {200}
    # Counted as three clicks, the vote would have been withdrawn: a click toggles.
    assert await chosen(harness) == {MEMBER: ["A"]}
    assert len(await rows(harness, PollClick)) == 1
    assert shown_counts(poll_message(harness)) == {"A": 1, "B": 0}


async def test_an_older_click_arriving_after_a_newer_one_changes_nothing(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B"')

    await harness.click(message, "poll_vote:2", user=MEMBER, action_ts=at(2))
    await harness.click(message, "poll_vote:1", user=MEMBER, action_ts=at(1))
    await flush(harness)

    assert await chosen(harness) == {MEMBER: ["B"]}
    assert shown_counts(poll_message(harness)) == {"A": 0, "B": 1}


async def test_multi_choice_limit_follows_the_order_of_the_clicks(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topics?" "A" "B" "C" --multi 2')

    for position, ts in ((3, at(3)), (2, at(2)), (1, at(1))):  # the newest arrives first
        await harness.click(message, f"poll_vote:{position}", user=MEMBER, action_ts=ts)

    assert await chosen(harness) == {MEMBER: ["A", "B"]}  # C was the third choice


async def test_anonymous_votes_are_confirmed_privately_and_keep_no_user_ids(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" --anonymous')

    await harness.click(message, "poll_vote:1", user=MEMBER, action_ts=at(1))
    await harness.click(message, "poll_vote:2", user=MEMBER, action_ts=at(2))

    assert "Your vote for “A” is counted" in harness.whispers(MEMBER)[0]
    assert "changed your vote to “B”" in harness.last_whisper(MEMBER)
    stored = [repr(row) for row in await rows(harness, PollClick)]
    assert len(stored) == 2
    assert all(MEMBER not in row for row in stored)


async def _stop_counting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clicks are kept and acknowledged but not counted, as if the process died right after."""

    async def nothing(self: BallotBox, deps: object) -> None:
        self._dirty.clear()
        self._counting = False

    monkeypatch.setattr(BallotBox, "_count", nothing)


async def test_clicks_kept_by_a_process_that_stopped_are_counted_by_the_recovery_job(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B"')
    await _stop_counting(monkeypatch)
    for user in DOCTORS[:3]:
        reply = await harness.click(message, "poll_vote:2", user=user)
        assert reply.status == 200
    assert await rows(harness, PollVote) == []
    monkeypatch.undo()

    await harness.restart()
    harness.clock.advance(timedelta(seconds=6))
    await harness.run_jobs()
    await flush(harness)

    assert len(await rows(harness, PollVote)) == 3
    assert shown_counts(poll_message(harness)) == {"A": 0, "B": 3}


async def test_closing_counts_clicks_kept_but_not_counted_yet(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await harness.setup_cluster()
    message: Message = await make_poll(harness, '"Topic?" "A" "B"')
    await _stop_counting(monkeypatch)
    await harness.click(message, "poll_vote:1", user=MEMBER)
    await harness.click(message, "poll_vote:1", user=DOCTORS[3])

    await harness.command("poll close")

    assert result_count(harness.last_post().text, "A") == "2"
    assert len(await rows(harness, PollVote)) == 2
