"""Sub-clusters end to end: creating, changing, listing and auto-splitting them, breakouts made from
them, and names with markup characters.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from storage.breakouts import (
    MemberClinic,
    SubclusterMember,
)
from tests.e2e.breakouts_helpers import (
    _breakout_post,
    _memberships,
    _post_groups,
    _set_clinics,
)
from tests.harness import DEACTIVATED, DOCTORS, MEMBER, OTHER_BOT, Harness

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
