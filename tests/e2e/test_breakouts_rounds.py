"""Breakout rounds end to end: who takes part, group sizes, refused breakouts, the notes threads,
mixing over rounds, conveners, Danish names, and a forty-person breakout.
"""

from __future__ import annotations

import itertools

import pytest

from handlers.breakouts.grouping import balanced_sizes, group_count, repeated_pairs
from tests.e2e.breakouts_helpers import (
    MENTION,
    _breakout_post,
    _post_groups,
    _rounds,
    _seated_groups,
    _start_and_check_in,
)
from tests.harness import CHANNEL, DEACTIVATED, DOCTORS, MEMBER, OTHER_BOT, Harness

# --- rounds -------------------------------------------------------------------------------------


async def test_breakout_places_every_member_once_in_balanced_groups(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("breakout 4")

    groups = _post_groups(_breakout_post(harness))
    placed = [person for group in groups for person in group]
    assert sorted(placed) == sorted(DOCTORS)
    assert [len(group) for group in groups] == [4, 4, 4]
    [(stored, seats)] = await _rounds(harness)
    assert stored.meeting_id is None
    assert stored.group_size == 4
    assert stored.message_ts == _breakout_post(harness).ts
    assert _seated_groups(seats) == groups  # the convener is named first
    assert "3 groups are posted" in harness.last_whisper()


@pytest.mark.parametrize("size", [2, 3, 5, 7, 12])
async def test_group_count_and_sizes_follow_the_rule(harness: Harness, size: int) -> None:
    await harness.setup_cluster()

    await harness.command(f"breakout {size}")

    sizes = [len(group) for group in _post_groups(_breakout_post(harness))]
    assert sizes == balanced_sizes(12, group_count(12, size))


async def test_only_checked_in_members_take_part(harness: Harness) -> None:
    await harness.setup_cluster()
    present = DOCTORS[2:9]
    meeting = await _start_and_check_in(harness, present)

    await harness.command("breakout 3")

    post = _breakout_post(harness)
    groups = _post_groups(post)
    assert sorted(p for group in groups for p in group) == sorted(present)
    assert [len(group) for group in groups] == [4, 3]
    assert "7 members who checked in" in post.text
    [(stored, _)] = await _rounds(harness)
    assert stored.meeting_id == meeting.id


async def test_with_no_check_ins_all_channel_members_take_part(harness: Harness) -> None:
    await harness.setup_cluster()
    meeting = await _start_and_check_in(harness, [])

    await harness.command("breakout 6")

    post = _breakout_post(harness)
    assert sorted(p for g in _post_groups(post) for p in g) == sorted(DOCTORS)
    assert "all 12 members of the channel" in post.text
    [(stored, _)] = await _rounds(harness)
    assert stored.meeting_id == meeting.id


async def test_bots_and_deactivated_accounts_are_never_placed(harness: Harness) -> None:
    await harness.setup_cluster()
    # Deactivated after the member list was read: Slack tells the bot with a user_change event.
    harness.slack.users[DOCTORS[4]]["deleted"] = True
    await harness.event({"type": "user_change", "user": harness.slack.users[DOCTORS[4]]})
    await harness.command("breakout 3")

    placed = {p for g in _post_groups(_breakout_post(harness)) for p in g}
    assert placed == set(DOCTORS) - {DOCTORS[4]}
    assert not placed & {OTHER_BOT, DEACTIVATED, "UKLYNGEBOT"}


async def test_a_checked_in_bot_is_not_placed(harness: Harness) -> None:
    await harness.setup_cluster()
    await _start_and_check_in(harness, [*DOCTORS[:4], OTHER_BOT])

    await harness.command("breakout 2")

    placed = {p for g in _post_groups(_breakout_post(harness)) for p in g}
    assert placed == set(DOCTORS[:4])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("breakout", "Give the group size"),
        ("breakout 1", "at least 2 people"),
        ("breakout 0", "at least 2 people"),
        ("breakout -3", "at least 2 people"),
        ("breakout 13", "Choose a size from 2 to 12"),
        ("breakout 99999999999999999999999", "Choose a size from 2 to 12"),
        ("breakout three", "not a group size"),
        ("breakout 3.5", "not a group size"),
        ("breakout ٣", "not a group size"),
        ("breakout Åse🙂", "not a group size"),
        ("breakout 3 4", "didn't expect"),
        ("breakout '; DROP TABLE breakoutround; --", "not a group size"),
        ("breakout 4 --colour red", "--colour"),
        ("breakout 4 --from-subclusters --keep-clinics-together", "don't go together"),
        ("breakout --from-subclusters", "needs sub-clusters"),
        ("breakout " + "9" * 5000, "at most 4000"),
    ],
)
async def test_bad_breakouts_are_refused_privately_and_change_nothing(
    harness: Harness, typed: str, expected: str
) -> None:
    await harness.setup_cluster()
    posts = len(harness.posts())

    reply = await harness.command(typed)

    assert reply.status == 200
    assert expected in harness.last_whisper()
    assert await _rounds(harness) == []
    assert len(harness.posts()) == posts
    assert harness.slack.files == {}


async def test_one_checked_in_person_is_too_few(harness: Harness) -> None:
    await harness.setup_cluster()
    await _start_and_check_in(harness, [MEMBER])

    await harness.command("breakout 2")

    assert "at least 2 participants" in harness.last_whisper()
    assert await _rounds(harness) == []


async def test_a_breakout_in_a_channel_the_bot_left_stores_nothing(harness: Harness) -> None:
    await harness.setup_cluster()
    harness.slack.channels[CHANNEL]["members"].remove("UKLYNGEBOT")

    await harness.command("breakout 3")

    assert "/invite @klyngebot" in harness.last_whisper()
    assert await _rounds(harness) == []
    assert harness.slack.files == {}


async def test_members_cannot_run_a_breakout(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("breakout 3", user=MEMBER)

    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    assert await _rounds(harness) == []


async def test_each_group_gets_a_thread_reply_for_its_notes(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("breakout 4")

    post = _breakout_post(harness)
    groups = _post_groups(post)
    replies = [m for m in harness.slack.channel_messages(CHANNEL) if m.thread_ts == post.ts]
    assert len(replies) == len(groups)
    for number, (reply, group) in enumerate(zip(replies, groups, strict=True), start=1):
        assert f"Group {number}" in reply.text
        assert MENTION.findall(reply.text)[: len(group)] == group
        assert f"<@{group[0]}> convenes" in reply.text


async def test_later_rounds_avoid_pairs_that_already_met(harness: Harness) -> None:
    await harness.setup_cluster()
    history: list[list[list[str]]] = []

    for _ in range(4):
        await harness.command("breakout 3")
        groups = _post_groups(harness.last_post())
        assert repeated_pairs(groups, history) == 0
        history.append(groups)

    stored = [_seated_groups(seats) for _, seats in await _rounds(harness)]
    assert stored == history


async def test_the_convener_is_whoever_in_the_group_has_convened_least(harness: Harness) -> None:
    await harness.setup_cluster()

    for _ in range(4):
        await harness.command("breakout 3")

    convened: dict[str, int] = {}
    for _, seats in await _rounds(harness):
        for group in _seated_groups(seats):
            convener, *others = group
            assert all(convened.get(convener, 0) <= convened.get(o, 0) for o in others)
        for seat in seats:
            convened[seat.user_id] = convened.get(seat.user_id, 0) + seat.convener
    assert max(convened.values()) - min(convened.values()) <= 1


# --- scale --------------------------------------------------------------------------------------


async def test_a_breakout_for_forty_people_places_everyone_twice_without_repeats(
    harness: Harness,
) -> None:
    # How quick it is lives in the benchmark (docs/performance.md), not in a timed test.
    extra = harness.add_doctors(28)
    await harness.setup_cluster()
    everyone = [*DOCTORS, *extra]

    await harness.command("breakout 6")
    await harness.command("breakout 6")

    rounds = [_seated_groups(seats) for _, seats in await _rounds(harness)]
    assert [sorted(len(g) for g in r) for r in rounds] == [[5, 5, 6, 6, 6, 6, 6]] * 2
    assert all(sorted(itertools.chain(*r)) == sorted(everyone) for r in rounds)
    assert repeated_pairs(rounds[1], rounds[:1]) == 0
