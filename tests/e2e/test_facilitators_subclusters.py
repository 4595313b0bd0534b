"""The facilitator rotation in sub-cluster mode end to end: turns go to sub-clusters (babyklynger),
skips pass a sub-cluster's turn, and a deleted sub-cluster loses its turns.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.facilitators_helpers import (
    FOUR,
    A,
    B,
    C,
    D,
    E,
    _facilitators,
    _meetings,
    _plan_meetings,
    _start,
    _subclusters,
)
from tests.harness import Harness


@pytest.fixture
def h(harness: Harness) -> Harness:
    return harness


async def test_subcluster_mode_gives_turns_to_subclusters_and_names_their_members(
    h: Harness,
) -> None:
    cluster = await _start(h, [A, B, C, D, E])
    north, south = await _subclusters(h, cluster, {"Nord": [A, B], "Syd æøå": [C, D]})

    await h.command("facilitator mode subclusters")
    await _plan_meetings(h, 4)
    await h.command("facilitator next")

    meetings = await _meetings(h)
    assert [m.facilitator_subcluster_id for m in meetings] == [north, south, north, south]
    assert all(m.facilitator_id is None for m in meetings)
    for meeting in meetings:  # the babyklynge in charge takes its own notes
        group = [A, B] if meeting.facilitator_subcluster_id == north else [C, D]
        assert meeting.note_taker_id in group
    post = h.last_post().text
    assert post.startswith(":studio_microphone: *Nord*")
    assert f"<@{A}>" in post
    assert f"<@{B}>" in post


async def test_subcluster_mode_needs_subclusters(h: Harness) -> None:
    await _start(h, FOUR)

    await h.command("facilitator mode subclusters")
    assert "no sub-clusters" in h.last_whisper()
    await h.command("facilitator mode everyone")
    assert "`members` or `subclusters`" in h.last_whisper()

    await _plan_meetings(h, 2)
    assert await _facilitators(h) == [A, B]


async def test_in_subcluster_mode_skip_passes_the_subclusters_turn(h: Harness) -> None:
    cluster = await _start(h, FOUR)
    north, south = await _subclusters(h, cluster, {"Nord": [A, B], "Syd": [C, D]})
    await h.command("facilitator mode subclusters")
    await _plan_meetings(h, 4, first=timedelta(days=20))

    await h.command(f"facilitator skip <@{B}>")

    meetings = await _meetings(h)
    assert [m.facilitator_subcluster_id for m in meetings] == [south, north, south, north]
    assert h.last_post().text.startswith(":fast_forward: *Nord*")


async def test_in_subcluster_mode_the_babyklynge_gets_one_message_together_not_checklists(
    h: Harness,
) -> None:
    cluster = await _start(h, FOUR)
    await _subclusters(h, cluster, {"Nord": [A, B], "Syd": [C, D]})
    await h.command("facilitator mode subclusters")
    await _plan_meetings(h, 2, first=timedelta(days=20))

    h.clock.advance(timedelta(days=13, hours=1))
    await h.run_jobs()

    [message] = h.slack.channel_messages(h.slack.group_dm([A, B]))
    assert "Meeting 1" in message.text
    for user in FOUR:
        assert h.slack.channel_messages("D" + user) == []


async def test_a_deleted_subcluster_loses_its_turns_and_the_channel_is_told(h: Harness) -> None:
    await _start(h, [A, B, C, D, E])
    await h.command(f"subcluster create Nord <@{A}> <@{B}>")
    await h.command(f"subcluster create Syd <@{C}> <@{D}>")
    await h.command("facilitator mode subclusters")
    await _plan_meetings(h, 4)
    syd = {m.facilitator_subcluster_id for m in await _meetings(h)} - {None}
    assert len(syd) == 2

    await h.command("subcluster delete Syd")

    turns = {m.facilitator_subcluster_id for m in await _meetings(h)}
    assert len(turns) == 1  # every meeting now goes to Nord, none to the deleted Syd
    assert turns <= syd
    told = next(post.text for post in h.posts() if "sub-clusters changed" in post.text)
    assert "facilitator *Nord* (was a deleted sub-cluster)" in told
