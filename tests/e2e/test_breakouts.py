"""Breakouts end to end: rounds, participants, mixing, clinics, sub-clusters and the Zoom file."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from sqlmodel import col, select

from bot.fakeslack.model import Message
from handlers.breakouts.grouping import balanced_sizes, group_count, repeated_pairs
from handlers.meetings.blocks import CHECKIN_ACTION
from storage.breakouts import (
    BreakoutRound,
    BreakoutSeat,
    MemberClinic,
    Subcluster,
    SubclusterMember,
)
from storage.meetings import Meeting
from tests.harness import CHANNEL, COORDINATOR, DEACTIVATED, DOCTORS, MEMBER, OTHER_BOT, Harness

GROUP_LINE = re.compile(r"^(?:Group|Gruppe) (\d+): ((?:<@[A-Z0-9]+>(?:, )?)+)")
MENTION = re.compile(r"<@([A-Z0-9]+)>")
CLINICS = ["Lægehuset Nord", "Kløverklinikken", "Sundhedshuset", "Praksis Øst"]


# --- helpers ------------------------------------------------------------------------------------


def _post_groups(message: Message) -> list[list[str]]:
    """The groups a breakout post shows, one section block per group, in order."""
    groups: list[list[str]] = []
    for block in message.blocks:
        text = str((block.get("text") or {}).get("text", ""))
        match = GROUP_LINE.match(text)
        if match:
            assert int(match.group(1)) == len(groups) + 1
            groups.append(MENTION.findall(match.group(2)))
    return groups


def _breakout_post(h: Harness) -> Message:
    return h.find_post(lambda m: bool(_post_groups(m)))


async def _rounds(h: Harness) -> list[tuple[BreakoutRound, list[BreakoutSeat]]]:
    async with h.db.session() as session:
        rounds = (await session.exec(select(BreakoutRound).order_by(col(BreakoutRound.id)))).all()
        found = []
        for stored in rounds:
            seats = (
                await session.exec(select(BreakoutSeat).where(BreakoutSeat.round_id == stored.id))
            ).all()
            found.append((stored, list(seats)))
    return found


def _seated_groups(seats: list[BreakoutSeat]) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for seat in sorted(seats, key=lambda s: (s.group_number, not s.convener, s.user_id)):
        groups.setdefault(seat.group_number, []).append(seat.user_id)
    return [groups[number] for number in sorted(groups)]


async def _memberships(h: Harness) -> dict[str, set[str]]:
    async with h.db.session() as session:
        subclusters = {s.id: s.name for s in (await session.exec(select(Subcluster))).all()}
        rows = (await session.exec(select(SubclusterMember))).all()
    found: dict[str, set[str]] = {name: set() for name in subclusters.values()}
    for row in rows:
        found[subclusters[row.subcluster_id]].add(row.user_id)
    return found


async def _start_and_check_in(h: Harness, people: list[str]) -> Meeting:
    await h.command("start --unplanned")
    agenda = h.last_post()
    for person in people:
        await h.click(agenda, CHECKIN_ACTION, user=person)
    async with h.db.session() as session:
        [meeting] = (await session.exec(select(Meeting))).all()
    return meeting


async def _set_clinics(h: Harness) -> dict[str, str]:
    """Four clinics of three doctors each, set by the coordinator."""
    clinics = {doctor: CLINICS[index % 4] for index, doctor in enumerate(DOCTORS)}
    for doctor, name in clinics.items():
        await h.command(f"clinic <@{doctor}> {name}")
    return clinics


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


# --- clinics ------------------------------------------------------------------------------------


async def test_colleagues_from_one_clinic_are_spread_over_groups(harness: Harness) -> None:
    await harness.setup_cluster()
    clinics = await _set_clinics(harness)

    await harness.command("breakout 3")

    for group in _post_groups(_breakout_post(harness)):
        assert len({clinics[person] for person in group}) == len(group)


async def test_keep_clinics_together_puts_colleagues_in_one_group(harness: Harness) -> None:
    await harness.setup_cluster()
    clinics = await _set_clinics(harness)

    await harness.command("breakout 3 --keep-clinics-together")

    for group in _post_groups(_breakout_post(harness)):
        assert len({clinics[person] for person in group}) == 1


async def test_clinic_names_match_regardless_of_case_and_spacing(harness: Harness) -> None:
    await harness.setup_cluster()
    for index, doctor in enumerate(DOCTORS[:6]):
        name = "lægehuset  NORD" if index % 2 else "Lægehuset Nord"
        await harness.command(f"clinic <@{doctor}> {name}")
    await _start_and_check_in(harness, DOCTORS[:6])

    await harness.command("breakout 2 --keep-clinics-together")

    # Six colleagues of one clinic in groups of two: every group is all colleagues anyway; the
    # point is that they count as one clinic, so the spread rule would separate none of them.
    await harness.command("breakout 3")
    groups = _post_groups(harness.last_post())
    assert [len(g) for g in groups] == [3, 3]


async def test_members_set_and_see_their_own_clinic(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("clinic Lægehuset <Nord> & Co", user=MEMBER)
    set_text = harness.last_whisper(MEMBER)
    await harness.command("clinic", user=MEMBER)

    assert "Lægehuset &lt;Nord&gt; &amp; Co" in set_text
    assert "Lægehuset &lt;Nord&gt; &amp; Co" in harness.last_whisper(MEMBER)
    async with harness.db.session() as session:
        [row] = (await session.exec(select(MemberClinic))).all()
    assert (row.user_id, row.clinic) == (MEMBER, "Lægehuset <Nord> & Co")


async def test_clinic_clear_removes_it(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command("clinic Nord", user=MEMBER)

    await harness.command("clinic --clear", user=MEMBER)
    await harness.command("clinic", user=MEMBER)

    assert "no clinic set" in harness.last_whisper(MEMBER)


async def test_members_cannot_set_someone_elses_clinic(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command(f"clinic <@{DOCTORS[5]}> Nord", user=MEMBER)

    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    async with harness.db.session() as session:
        assert (await session.exec(select(MemberClinic))).all() == []


async def test_clinic_list_groups_members_by_clinic_for_coordinators(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command(f"clinic <@{DOCTORS[3]}> Nord")
    await harness.command(f"clinic <@{DOCTORS[4]}> Syd")

    await harness.command("clinic list")
    await harness.command("clinic list", user=MEMBER)

    text = harness.last_whisper()
    assert f"*Nord*: <@{DOCTORS[3]}>" in text
    assert f"*Syd*: <@{DOCTORS[4]}>" in text
    assert f"<@{DOCTORS[0]}>" in text.split("No clinic:")[1]
    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)


async def test_an_overlong_clinic_name_is_refused(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("clinic " + "Å🙂" * 70, user=MEMBER)

    assert "at most 120" in harness.last_whisper(MEMBER)
    async with harness.db.session() as session:
        assert (await session.exec(select(MemberClinic))).all() == []


# --- sub-clusters -------------------------------------------------------------------------------


async def test_create_announces_the_sub_cluster_and_stores_its_members(harness: Harness) -> None:
    await harness.setup_cluster()
    changed: list[int] = []

    async def on_changed(deps: Any, cluster: Any, only: str | None) -> None:
        changed.append(cluster.id)

    harness.deps.hooks.cluster_changed.append(on_changed)

    await harness.command(f"subcluster create Babyklynge Nord <@{DOCTORS[1]}> <@{DOCTORS[2]}>")

    assert await _memberships(harness) == {"Babyklynge Nord": {DOCTORS[1], DOCTORS[2]}}
    post = harness.last_post().text
    assert "Babyklynge Nord" in post
    assert f"<@{DOCTORS[1]}>, <@{DOCTORS[2]}>" in post
    assert len(changed) == 1


async def test_sub_cluster_names_keep_danish_letters_emoji_and_markup_verbatim(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    name = "Ærø 🙂 <b>'; DROP TABLE subcluster; --"

    await harness.command(f'subcluster create "{name}" <@{DOCTORS[1]}>')

    assert await _memberships(harness) == {name: {DOCTORS[1]}}
    assert "Ærø 🙂 &lt;b&gt;'; DROP TABLE subcluster; --" in harness.last_post().text


async def test_create_refuses_a_name_that_exists_in_any_case(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command(f"subcluster create Nord <@{DOCTORS[1]}>")

    await harness.command(f"subcluster create NORD <@{DOCTORS[2]}>")

    assert "already a sub-cluster" in harness.last_whisper()
    assert await _memberships(harness) == {"Nord": {DOCTORS[1]}}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (f"subcluster create <@{DOCTORS[1]}>", "name first"),
        ("subcluster create", "name first"),
        (f"subcluster create Nord <@{DOCTORS[1]}> bob", "not an @-mention"),
        (f"subcluster create Nord <@{OTHER_BOT}>", "not a member of this channel"),
        (f"subcluster create Nord <@{DEACTIVATED}>", "not a member of this channel"),
        (f"subcluster create {'Å' * 81} <@{DOCTORS[1]}>", "at most 80"),
        ("subcluster add Nord", "@-mention"),
        (f"subcluster add Syd <@{DOCTORS[1]}>", "no sub-cluster *Syd*"),
    ],
)
async def test_bad_sub_cluster_commands_change_nothing(
    harness: Harness, typed: str, expected: str
) -> None:
    await harness.setup_cluster()

    await harness.command(typed)

    assert expected in harness.last_whisper()
    assert await _memberships(harness) == {}


async def test_adding_someone_from_another_sub_cluster_moves_them_and_says_so(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    await harness.command(f"subcluster create Nord <@{DOCTORS[1]}> <@{DOCTORS[2]}>")
    await harness.command(f"subcluster create Syd <@{DOCTORS[3]}>")

    await harness.command(f"subcluster add syd <@{DOCTORS[2]}>")

    assert await _memberships(harness) == {"Nord": {DOCTORS[1]}, "Syd": {DOCTORS[2], DOCTORS[3]}}
    post = harness.last_post().text
    assert f"<@{DOCTORS[2]}> moved from *Nord* to *Syd*" in post


async def test_remove_takes_a_member_out(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command(f"subcluster create Nord <@{DOCTORS[1]}> <@{DOCTORS[2]}>")

    await harness.command(f"subcluster remove Nord <@{DOCTORS[1]}>")
    await harness.command(f"subcluster remove Nord <@{DOCTORS[5]}>")

    assert await _memberships(harness) == {"Nord": {DOCTORS[2]}}
    assert f"<@{DOCTORS[1]}> left the sub-cluster *Nord*" in harness.last_post().text
    assert "not in *Nord*" in harness.last_whisper()


async def test_delete_removes_the_sub_cluster_and_its_memberships(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command(f"subcluster create Nord <@{DOCTORS[1]}> <@{DOCTORS[2]}>")

    await harness.command("subcluster delete Nord")

    assert await _memberships(harness) == {}
    async with harness.db.session() as session:
        assert (await session.exec(select(SubclusterMember))).all() == []
    assert "*Nord* was deleted" in harness.last_post().text


async def test_everyone_can_list_sub_clusters(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command(f"subcluster create Nord <@{DOCTORS[1]}> <@{DOCTORS[2]}>")

    await harness.command("subcluster list", user=MEMBER)

    text = harness.last_whisper(MEMBER)
    assert f"*Nord* (2): <@{DOCTORS[1]}>, <@{DOCTORS[2]}>" in text
    assert f"<@{DOCTORS[5]}>" in text.split("Not in a sub-cluster:")[1]


@pytest.mark.parametrize(
    "typed",
    [
        f"subcluster create Nord <@{MEMBER}>",
        f"subcluster add Nord <@{MEMBER}>",
        f"subcluster remove Nord <@{DOCTORS[2]}>",
        "subcluster auto 4",
        "subcluster delete Nord",
    ],
)
async def test_members_cannot_change_sub_clusters(harness: Harness, typed: str) -> None:
    await harness.setup_cluster()
    await harness.command(f"subcluster create Nord <@{DOCTORS[2]}>")

    await harness.command(typed, user=MEMBER)

    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    assert await _memberships(harness) == {"Nord": {DOCTORS[2]}}


async def test_auto_splits_every_member_into_named_sub_clusters(harness: Harness) -> None:
    await harness.setup_cluster()
    clinics = await _set_clinics(harness)

    await harness.command("subcluster auto 4")

    found = await _memberships(harness)
    assert sorted(found) == ["Sub-cluster 1", "Sub-cluster 2", "Sub-cluster 3"]
    assert sorted(p for members in found.values() for p in members) == sorted(DOCTORS)
    assert all(len(members) == 4 for members in found.values())
    # Four clinics of three over three groups of four: at most one pair of colleagues each.
    for members in found.values():
        assert len({clinics[p] for p in members}) >= 3
    assert "Sub-cluster 1" in harness.last_post().text


async def test_auto_does_not_replace_existing_sub_clusters_unless_asked(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command(f"subcluster create Nord <@{DOCTORS[2]}>")

    await harness.command("subcluster auto 6")
    refused = harness.last_whisper()
    await harness.command("subcluster auto 6 --replace")

    assert "--replace" in refused
    found = await _memberships(harness)
    assert sorted(found) == ["Sub-cluster 1", "Sub-cluster 2"]
    assert sorted(p for members in found.values() for p in members) == sorted(DOCTORS)


async def test_auto_refuses_a_size_larger_than_the_cluster(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("subcluster auto 40")

    assert "Choose a size from 2 to 12" in harness.last_whisper()
    assert await _memberships(harness) == {}


async def test_from_subclusters_makes_each_sub_cluster_a_group(harness: Harness) -> None:
    await harness.setup_cluster()
    nord, syd = DOCTORS[:5], DOCTORS[5:10]
    await harness.command("subcluster create Nord " + " ".join(f"<@{d}>" for d in nord))
    await harness.command("subcluster create Syd " + " ".join(f"<@{d}>" for d in syd))

    await harness.command("breakout --from-subclusters")

    post = _breakout_post(harness)
    groups = _post_groups(post)
    assert len(groups) == 2
    # The two members outside any sub-cluster join the groups, one each.
    assert sorted(len(g) for g in groups) == [6, 6]
    assert set(nord) < set(groups[0])
    assert set(syd) < set(groups[1])
    assert sorted(p for g in groups for p in g) == sorted(DOCTORS)
    assert "(Nord)" in post.text
    assert "(Syd)" in post.text


async def test_clinic_and_sub_cluster_names_with_markup_characters_are_escaped_once(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    nord, syd = DOCTORS[:6], DOCTORS[6:]
    # Slack sends these with &, < and > as entities; the bot reads them once, writes them once.
    await harness.command(f"clinic <@{DOCTORS[3]}> Lægehuset <Nord> & Co")
    await harness.command("subcluster create Øst & <Vest> " + " ".join(f"<@{d}>" for d in nord))
    created = harness.last_post().text
    await harness.command('subcluster create "Syd > Nord" ' + " ".join(f"<@{d}>" for d in syd))

    await harness.command("clinic list")
    clinics = harness.last_whisper()
    await harness.command("subcluster list")
    listed = harness.last_whisper()
    await harness.command("breakout --from-subclusters")
    post = _breakout_post(harness)

    async with harness.db.session() as session:
        [clinic] = (await session.exec(select(MemberClinic))).all()
    assert clinic.clinic == "Lægehuset <Nord> & Co"
    assert set(await _memberships(harness)) == {"Øst & <Vest>", "Syd > Nord"}
    assert f"*Lægehuset &lt;Nord&gt; &amp; Co*: <@{DOCTORS[3]}>" in clinics
    assert "*Øst &amp; &lt;Vest&gt;*" in created
    assert "Øst &amp; &lt;Vest&gt;" in listed
    assert "Syd &gt; Nord" in listed
    assert "(Øst &amp; &lt;Vest&gt;)" in post.text
    shown = " ".join([created, clinics, listed, post.text])
    assert "&amp;amp;" not in shown
    assert "&amp;lt;" not in shown


# --- Zoom ---------------------------------------------------------------------------------------


def _email(h: Harness, user: str) -> str:
    return str(h.slack.users[user]["profile"]["email"])


async def test_zoom_file_goes_to_the_coordinator_privately_in_zooms_format(
    harness: Harness,
) -> None:
    await harness.setup_cluster()

    await harness.command("breakout 4")

    groups = _post_groups(_breakout_post(harness))
    [uploaded] = harness.slack.files.values()
    assert uploaded.channel == f"D{COORDINATOR}"
    assert uploaded.filename.endswith(".csv")
    expected = ["Pre-assign Room Name,Email Address"] + [
        f"Group {number},{_email(harness, person)}"
        for number, group in enumerate(groups, start=1)
        for person in group
    ]
    assert uploaded.content.decode("utf-8") == "\r\n".join(expected) + "\r\n"
    assert [c.args.get("users") for c in harness.slack.calls_to("conversations.open")] == [
        COORDINATOR
    ]
    assert "direct messages" in harness.last_whisper()


async def test_members_without_an_email_are_named_and_left_out_of_the_file(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    # Removed after setup looked everyone up: Slack tells the bot with a user_change event.
    del harness.slack.users[DOCTORS[6]]["profile"]["email"]
    await harness.event({"type": "user_change", "user": harness.slack.users[DOCTORS[6]]})

    await harness.command("breakout 4")

    [uploaded] = harness.slack.files.values()
    rows = uploaded.content.decode().splitlines()
    assert len(rows) == 1 + 11
    assert f"<@{DOCTORS[6]}>" in str(uploaded.initial_comment)
    assert f"No email address in Slack for: <@{DOCTORS[6]}>" in harness.last_whisper()
    placed = {p for g in _post_groups(_breakout_post(harness)) for p in g}
    assert DOCTORS[6] in placed


async def test_a_failed_upload_is_explained_and_the_round_stands(harness: Harness) -> None:
    await harness.setup_cluster()
    harness.slack.fail("files.getUploadURLExternal", error="not_allowed_token_type")

    await harness.command("breakout 4")

    assert "couldn't send you Zoom's pre-assignment file" in harness.last_whisper()
    assert len(await _rounds(harness)) == 1


async def test_danish_clusters_name_groups_and_rooms_in_danish(harness: Harness) -> None:
    await harness.setup_cluster("--language da")

    await harness.command("breakout 6")

    post = _breakout_post(harness)
    assert post.blocks[1]["text"]["text"].startswith("Gruppe 1: <@")
    [uploaded] = harness.slack.files.values()
    assert uploaded.content.decode().splitlines()[1].startswith("Gruppe 1,")


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
