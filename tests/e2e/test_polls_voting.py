"""Voting in topic polls end to end: single and multi choice, anonymous, added options,
sub-cluster polls, and many simultaneous clicks.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

from sqlmodel import select

from storage.jobs import Job
from storage.polls import Poll, PollOption
from storage.votes import PollBallot, PollVote
from tests.e2e.polls_helpers import (
    add_subclusters,
    buttons,
    flush,
    make_poll,
    poll_message,
    result_count,
    rows,
    section_text,
    shown_counts,
    vote,
)
from tests.harness import DOCTORS, MEMBER, Harness

# --- voting ---------------------------------------------------------------------------------------


async def test_single_choice_counts_moves_and_withdraws_votes(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "Diabetes" "COPD"')

    await vote(harness, message, 1, MEMBER)
    await vote(harness, message, 1, DOCTORS[2])
    await flush(harness)
    assert shown_counts(poll_message(harness)) == {"Diabetes": 2, "COPD": 0}
    assert f"<@{MEMBER}>" in section_text(poll_message(harness), "Diabetes")

    await vote(harness, message, 2, MEMBER)
    await vote(harness, message, 1, DOCTORS[2])
    await flush(harness)

    final = poll_message(harness)
    assert shown_counts(final) == {"Diabetes": 0, "COPD": 1}
    assert f"<@{MEMBER}>" in section_text(final, "COPD")
    assert f"<@{DOCTORS[2]}>" not in str(final.blocks)
    assert len(await rows(harness, PollVote)) == 1
    # A poll that shows names confirms a vote in the message itself, not privately.
    assert harness.whispers(MEMBER) == harness.whispers(DOCTORS[2]) == []


async def test_multi_choice_allows_n_choices_and_refuses_one_more(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topics?" "A" "B" "C" --multi 2')

    await vote(harness, message, 1, MEMBER)
    await vote(harness, message, 2, MEMBER)
    await vote(harness, message, 3, MEMBER)

    assert "at most 2" in harness.last_whisper(MEMBER)
    await flush(harness)
    assert shown_counts(poll_message(harness)) == {"A": 1, "B": 1, "C": 0}


async def test_anonymous_poll_stores_no_user_ids_and_shows_no_names(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" --anonymous')

    for user in DOCTORS[:4]:
        await vote(harness, message, 1, user)
    await flush(harness)

    stored = [repr(row) for row in await rows(harness, PollVote) + await rows(harness, PollBallot)]
    assert stored
    for user in DOCTORS:
        assert all(user not in row for row in stored)
    final = poll_message(harness)
    assert shown_counts(final)["A"] == 4
    assert "<@" not in str(final.blocks)


async def test_vote_on_closed_poll_is_refused_privately(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B"')
    await harness.command("poll close")

    await vote(harness, message, 1, MEMBER)

    assert "closed" in harness.last_whisper(MEMBER)
    assert await rows(harness, PollVote) == []


# --- open polls -----------------------------------------------------------------------------------


async def test_members_may_add_an_option_to_an_open_poll(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" --open')

    await harness.click(message, "poll_add_option", user=MEMBER)
    view = harness.slack.calls_to("views.open")[-1].args["view"]
    duplicate = await harness.submit(
        view, {"option": {"value": {"type": "plain_text_input", "value": " a "}}}, user=MEMBER
    )
    assert duplicate.json()["response_action"] == "errors"
    await harness.submit(
        view,
        {"option": {"value": {"type": "plain_text_input", "value": "Søvn <script>"}}},
        user=MEMBER,
    )
    await flush(harness)

    updated = poll_message(harness)
    assert "Søvn &lt;script&gt;" in shown_counts(updated)
    assert len(buttons(updated)) == 4  # three options and "Add an option"


# --- sub-clusters ---------------------------------------------------------------------------------


async def test_subcluster_poll_refuses_outsiders_privately(harness: Harness) -> None:
    await harness.setup_cluster()
    await add_subclusters(harness, {"Nord": DOCTORS[:4], "Syd": DOCTORS[4:8]})
    message = await make_poll(harness, '"Topic?" "A" "B" --subcluster nord')

    await vote(harness, message, 1, DOCTORS[5])
    assert "Only the sub-cluster *Nord*" in harness.last_whisper(DOCTORS[5])
    await vote(harness, message, 1, DOCTORS[1])

    votes = await rows(harness, PollVote)
    assert [v.voter for v in votes] == [DOCTORS[1]]


async def test_unknown_subcluster_is_refused_with_the_known_names(harness: Harness) -> None:
    await harness.setup_cluster()
    await add_subclusters(harness, {"Nord": DOCTORS[:4]})

    await harness.command('poll "Q?" "A" "B" --subcluster Øst', user=MEMBER)

    assert "Nord" in harness.last_whisper(MEMBER)
    assert await rows(harness, Poll) == []


async def test_by_subcluster_counts_each_subcluster_as_one_vote(harness: Harness) -> None:
    await harness.setup_cluster()
    await add_subclusters(harness, {"Nord": DOCTORS[:4], "Syd": DOCTORS[4:6], "Vest": DOCTORS[6:8]})
    message = await make_poll(harness, '"Topic?" "A" "B" --by-subcluster')
    for user in DOCTORS[:4]:  # Nord: 4 votes for A
        await vote(harness, message, 1, user)
    for user in DOCTORS[4:8]:  # Syd and Vest: 2 votes each for B
        await vote(harness, message, 2, user)
    await vote(harness, message, 1, DOCTORS[10])  # in no sub-cluster
    assert "not in a sub-cluster" in harness.last_whisper(DOCTORS[10])

    await harness.command("poll close")

    results = harness.last_post().text
    assert "*Nord*" in results
    assert "*Syd*" in results
    assert "*Vest*" in results
    overall = results.split("Overall")[1]
    assert result_count(overall, "A") == "1"
    assert result_count(overall, "B") == "2"
    assert "Winner:* *B*" in results


# --- under load -----------------------------------------------------------------------------------


async def test_45_simultaneous_clicks_on_two_replicas_are_counted_exactly_and_coalesced(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" "C"')
    harness.slack.clock = lambda: harness.clock().timestamp()
    harness.clock.advance(timedelta(seconds=5))
    async with harness.replica() as (replica, second):
        assert harness.driver is not None
        voters = harness.add_doctors(45)  # only the channel's members may click
        expected = {"A": 0, "B": 0, "C": 0}
        clicks = []
        for n, user in enumerate(voters):
            position = n % 3 + 1
            expected["ABC"[position - 1]] += 1
            driver = harness.driver if n % 2 else second
            clicks.append(driver.click(message, f"poll_vote:{position}", user=user))
        replies = await asyncio.gather(*clicks)
        await harness.settle()
        await replica.settle()
        assert {reply.status for reply in replies} == {200}

        harness.clock.advance(timedelta(seconds=1))
        while await harness.run_jobs():
            harness.clock.advance(timedelta(seconds=1))

    async with harness.db.session() as session:
        counted = {
            option.text: len(
                (await session.exec(select(PollVote).where(PollVote.option_id == option.id))).all()
            )
            for option in (await session.exec(select(PollOption))).all()
        }
    assert counted == expected
    assert shown_counts(poll_message(harness)) == expected
    updates = [c.at for c in harness.slack.calls_to("chat.update") if c.args["ts"] == message.ts]
    assert updates
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(updates))
    jobs = await rows(harness, Job)
    assert not [job for job in jobs if job.key.startswith("poll_refresh")]


async def test_one_voter_clicking_fast_keeps_a_single_vote(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" "C"')
    assert harness.driver is not None

    await asyncio.gather(
        *(harness.driver.click(message, f"poll_vote:{n % 3 + 1}", user=MEMBER) for n in range(10))
    )
    await harness.settle()

    votes = await rows(harness, PollVote)
    assert len(votes) <= 1
    ballots = await rows(harness, PollBallot)
    assert len(ballots) == len(votes)


async def test_multi_choice_limit_holds_when_one_voter_clicks_everything_at_once(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topics?" "A" "B" "C" "D" --multi 2')
    assert harness.driver is not None

    await asyncio.gather(
        *(harness.driver.click(message, f"poll_vote:{n}", user=MEMBER) for n in (1, 2, 3, 4))
    )
    await harness.settle()

    assert len(await rows(harness, PollVote)) == 2
