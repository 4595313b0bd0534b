"""Closing topic polls end to end: results and ties, who may close, the winner button, deadlines
and the nudge before them, and the results in the minutes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.clusters import Cluster
from storage.meetings import RUNNING, Meeting
from storage.polls import Poll
from tests.e2e.polls_helpers import (
    buttons,
    flush,
    make_poll,
    poll_message,
    result_count,
    rows,
    vote,
)
from tests.harness import COORDINATOR, DOCTORS, MEMBER, Harness

# --- closing and results --------------------------------------------------------------------------


async def test_close_posts_each_option_with_its_count_and_the_winner(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "Diabetes 2" "COPD"', user=MEMBER)
    for user in DOCTORS[:3]:
        await vote(harness, message, 1, user)
    await vote(harness, message, 2, DOCTORS[5])

    await harness.command("poll close", user=MEMBER)

    results = harness.last_post().text
    assert result_count(results, "Diabetes 2") == "3"
    assert result_count(results, "COPD") == "1"
    assert "Winner" in results
    await flush(harness)
    assert buttons(poll_message(harness)) == []


async def test_tie_is_shown_as_a_tie(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" "C"')
    await vote(harness, message, 1, DOCTORS[1])
    await vote(harness, message, 2, DOCTORS[2])

    await harness.command("poll close 1")

    results = harness.last_post().text
    assert "Tie" in results
    assert "*A*" in results
    assert "*B*" in results


async def test_only_creator_or_coordinator_may_close(harness: Harness) -> None:
    await harness.setup_cluster()
    await make_poll(harness, '"Topic?" "A" "B"', user=MEMBER)

    await harness.command("poll close", user=DOCTORS[3])
    assert "Only the poll's creator" in harness.last_whisper(DOCTORS[3])
    assert (await rows(harness, Poll))[0].status == "open"

    await harness.command("poll close 1")
    assert (await rows(harness, Poll))[0].status == "closed"


async def test_close_of_unknown_or_bad_id_is_refused(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("poll close 42")
    assert "no poll #42" in harness.last_whisper()
    await harness.command("poll close 1; DROP TABLE poll")
    assert "not a poll number" in harness.last_whisper()
    await harness.command("poll close")
    assert "no open poll" in harness.last_whisper()


async def test_winner_button_sets_topic_of_next_meeting_for_coordinators_only(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    async with harness.db.session() as session:
        session.add(
            Meeting(
                cluster_id=1,
                title="Spring meeting",
                starts_at=harness.clock() + timedelta(days=10),
                created_by=COORDINATOR,
            )
        )
    message = await make_poll(harness, '"Topic?" "Diabetes" "COPD"')
    await vote(harness, message, 2, MEMBER)
    await harness.command("poll close")
    results = harness.last_post()

    await harness.click(results, "poll_topic:0", user=MEMBER)
    assert "Only a coordinator" in harness.last_whisper(MEMBER)
    assert (await rows(harness, Meeting))[0].topic is None

    await harness.click(results, "poll_topic:0", user=COORDINATOR)
    assert (await rows(harness, Meeting))[0].topic == "COPD"
    assert "Spring meeting" in harness.last_post().text


# --- deadlines and nudges -------------------------------------------------------------------------


async def test_deadline_closes_the_poll_once_and_posts_results(harness: Harness) -> None:
    harness.clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" --closes 2026-11-05 12:00')
    await vote(harness, message, 2, MEMBER)

    harness.clock.set(datetime(2026, 11, 5, 10, 59, tzinfo=UTC))
    await harness.run_jobs()
    assert (await rows(harness, Poll))[0].status == "open"
    harness.clock.set(datetime(2026, 11, 5, 11, 0, tzinfo=UTC))  # 12:00 in Copenhagen
    await harness.run_jobs()
    await harness.command("poll close 1")
    await harness.run_jobs()

    result_posts = [m for m in harness.posts() if "Results" in m.text]
    assert len(result_posts) == 1
    assert result_count(result_posts[0].text, "B") == "1"
    assert "already closed" in harness.last_whisper()


async def test_members_who_have_not_voted_get_a_direct_message_nudge_a_day_before(
    harness: Harness,
) -> None:
    harness.clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" --closes 2026-11-05 12:00 --anonymous')
    await vote(harness, message, 1, MEMBER)
    assert not any(harness.dms(user) for user in DOCTORS)

    harness.clock.set(datetime(2026, 11, 4, 11, 0, tzinfo=UTC))
    await harness.run_jobs()

    nudged = [user for user in DOCTORS if harness.dms(user)]
    assert set(nudged) == set(DOCTORS) - {MEMBER}
    assert all(len(harness.dms(user)) == 1 for user in nudged)
    assert "haven't voted" in harness.dms(DOCTORS[4])[0]
    assert "<#C0CLUSTER>" in harness.dms(DOCTORS[4])[0]  # which channel the poll is in


@pytest.mark.parametrize(
    ("language", "nudge"),
    [("en", "You haven't voted yet"), ("da", "Du har ikke stemt endnu")],
)
async def test_the_nudge_reaches_a_member_who_has_not_been_in_the_channel_since(
    harness: Harness, language: str, nudge: str
) -> None:
    harness.clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    await harness.command(f"setup --language {language}")
    await make_poll(harness, '"Topic?" "A" "B" --closes 2026-11-05 12:00')

    # A day before the deadline; nobody has looked at the channel for two days.
    harness.clock.set(datetime(2026, 11, 4, 11, 0, tzinfo=UTC))
    await harness.run_jobs()

    [dm] = harness.dms(MEMBER)
    assert nudge in dm
    assert "Topic?" in dm
    assert harness.slack.ephemerals_for(MEMBER, unseen=True) == []  # nothing sent unseen
    assert harness.slack.rate_limited == []


async def test_short_poll_nudges_halfway(harness: Harness) -> None:
    harness.clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    await harness.setup_cluster()
    await make_poll(harness, '"Topic?" "A" "B" --closes 2026-11-02 14:00')  # 13:00 UTC

    harness.clock.set(datetime(2026, 11, 2, 10, 59, tzinfo=UTC))
    await harness.run_jobs()
    assert harness.dms(MEMBER) == []
    harness.clock.set(datetime(2026, 11, 2, 11, 0, tzinfo=UTC))
    await harness.run_jobs()
    assert "haven't voted" in harness.dms(MEMBER)[-1]


# --- minutes hook ---------------------------------------------------------------------------------


async def test_minutes_hook_lists_results_of_polls_made_during_the_meeting(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    async with harness.db.session() as session:
        meeting = Meeting(
            cluster_id=1,
            title="Autumn",
            starts_at=harness.clock(),
            status=RUNNING,
            started_at=harness.clock(),
            created_by=COORDINATOR,
        )
        session.add(meeting)
    message = await make_poll(harness, '"Topic?" "Diabetes" "COPD"')
    await vote(harness, message, 1, MEMBER)
    await harness.command("poll close")

    deps = harness.deps
    async with harness.db.session() as session:
        cluster = await session.get(Cluster, 1)
        stored_meeting = await session.get(Meeting, meeting.id)
    lines = await deps.hooks.lines(deps.hooks.minutes_sections, deps, cluster, stored_meeting)

    assert any("Topic?" in line for line in lines)
    assert "- Diabetes: 1" in lines
    assert any("Chosen: Diabetes" in line for line in lines)
