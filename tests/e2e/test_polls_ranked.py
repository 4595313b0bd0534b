"""Ranked topic polls end to end: the ranking modal and the instant run-off."""

from __future__ import annotations

from storage.votes import PollVote
from tests.e2e.polls_helpers import (
    make_poll,
    rank,
    result_count,
    rows,
)
from tests.harness import DOCTORS, MEMBER, Harness


async def test_ranked_poll_is_decided_by_instant_runoff_with_rounds(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" "C" --ranked')
    # First choices: A 2, B 2, C 1. C goes out; its voter's next choice B wins 3 to 2.
    await rank(harness, message, DOCTORS[1], [1, 2])
    await rank(harness, message, DOCTORS[2], [1])
    await rank(harness, message, DOCTORS[3], [2, 1])
    await rank(harness, message, DOCTORS[4], [2])
    await rank(harness, message, DOCTORS[5], [3, 2])

    await harness.command("poll close")

    results = harness.last_post().text
    assert "Winner:* *B*" in results
    assert "Round 1" in results
    assert "Round 2" in results
    assert result_count(results, "B") == "3"
    assert "out in round 1" in results.split(". C:")[1].splitlines()[0]


async def test_ranking_modal_refuses_the_same_option_twice(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" --ranked')

    reply = await rank(harness, message, MEMBER, [1, 1])

    assert reply.json()["response_action"] == "errors"
    assert "rank_2" in reply.json()["errors"]
    assert await rows(harness, PollVote) == []
