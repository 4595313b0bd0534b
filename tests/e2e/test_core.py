"""Help, setup and coordinators, driven through signed HTTP requests against the fake Slack."""

from __future__ import annotations

from storage.clusters import coordinator_ids, get_cluster, member_ids
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, OTHER_BOT, Harness


async def test_help_is_a_short_menu_of_topics(harness: Harness) -> None:
    await harness.command("help", user=MEMBER)

    answer = harness.slack.ephemerals_for(MEMBER)[-1]
    text = "\n".join(block["text"]["text"] for block in answer.blocks)
    for topic in ("cluster", "meeting", "groups", "facilitator", "poll", "takeaway", "attendance"):
        assert f"`/klynge help {topic}`" in text
    assert "/klynge help all" in text
    assert "/klynge meeting add" not in text
    assert len(text.splitlines()) <= 10  # short enough for a phone


async def test_help_all_lists_every_subcommand_privately(harness: Harness) -> None:
    reply = await harness.command("help all", user=MEMBER)

    assert reply.status == 200
    answer = harness.slack.ephemerals_for(MEMBER)[-1]
    assert len(answer.text) < 4000  # the preview; the whole list is in the sections
    text = "\n".join(block["text"]["text"] for block in answer.blocks)
    for subcommand in harness.bot.router.subcommands:  # type: ignore[union-attr]
        assert subcommand.usage.en in text
    assert harness.posts() == []


async def test_setup_makes_caller_coordinator_and_announces_cluster(harness: Harness) -> None:
    await harness.setup_cluster()

    assert "klynge-nord" in harness.last_post().text
    assert f"<@{COORDINATOR}>" in harness.last_post().text
    await harness.command("coordinator list", user=MEMBER)
    assert f"<@{COORDINATOR}>" in harness.last_whisper(MEMBER)


async def test_setup_again_is_harmless_and_says_so(harness: Harness) -> None:
    await harness.setup_cluster()
    posts_before = len(harness.posts())

    await harness.command("setup")

    assert "already" in harness.last_whisper()
    assert len(harness.posts()) == posts_before


async def test_setup_sets_language_and_answers_in_danish(harness: Harness) -> None:
    await harness.setup_cluster("--language da")

    await harness.command("coordinator list", user=MEMBER)

    assert harness.last_whisper(MEMBER).startswith("Koordinatorer for")


async def test_non_coordinator_cannot_change_language_of_existing_cluster(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("setup --language da", user=MEMBER)

    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    await harness.command("coordinator list", user=MEMBER)
    assert harness.last_whisper(MEMBER).startswith("Coordinators of")


async def test_command_in_channel_not_set_up_points_to_setup(harness: Harness) -> None:
    await harness.command("coordinator list", user=MEMBER)

    assert "/klynge setup" in harness.last_whisper(MEMBER)


async def test_coordinator_add_announces_and_grants_rights(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command(f"coordinator add <@{MEMBER}|bo>")

    assert f"<@{MEMBER}>" in harness.last_post().text
    await harness.command(f"coordinator add <@{DOCTORS[2]}>", user=MEMBER)
    await harness.command("coordinator list")
    assert f"<@{DOCTORS[2]}>" in harness.last_whisper()


async def test_non_coordinator_coordinator_add_is_refused_and_changes_nothing(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    posts_before = len(harness.posts())

    await harness.command(f"coordinator add <@{MEMBER}>", user=MEMBER)

    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    assert f"<@{COORDINATOR}>" in harness.last_whisper(MEMBER)
    assert len(harness.posts()) == posts_before
    async with harness.db.session() as session:
        cluster = await get_cluster(session, team_id=harness.slack.team_id, channel_id=CHANNEL)
        assert cluster is not None
        assert await coordinator_ids(session, cluster_id=cluster.id or 0) == [COORDINATOR]


async def test_a_bot_cannot_become_coordinator(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command(f"coordinator add <@{OTHER_BOT}>")

    assert "bot or a deactivated account" in harness.last_whisper()


async def test_last_coordinator_cannot_be_removed(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command(f"coordinator remove <@{COORDINATOR}>")

    assert "last coordinator" in harness.last_whisper()
    await harness.command("coordinator list")
    assert f"<@{COORDINATOR}>" in harness.last_whisper()


async def test_coordinator_remove_takes_away_rights(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command(f"coordinator add <@{MEMBER}>")

    await harness.command(f"coordinator remove <@{MEMBER}>")

    assert "no longer a coordinator" in harness.last_post().text
    await harness.command(f"coordinator add <@{DOCTORS[3]}>", user=MEMBER)
    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)


async def test_coordinator_added_before_restart_is_still_there_after(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command(f"coordinator add <@{MEMBER}>")

    await harness.restart()

    await harness.command("coordinator list", user=DOCTORS[5])
    assert f"<@{MEMBER}>" in harness.last_whisper(DOCTORS[5])


async def test_unknown_subcommand_suggests_the_closest_and_help(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("coordinater list", user=MEMBER)

    answer = harness.last_whisper(MEMBER)
    assert "Did you mean `/klynge coordinator list`" in answer
    assert "/klynge help" in answer


async def test_empty_command_shows_help(harness: Harness) -> None:
    await harness.command("", user=MEMBER)

    assert "/klynge help meeting" in harness.last_whisper(MEMBER)


async def test_setup_refuses_unknown_option_and_creates_nothing(harness: Harness) -> None:
    await harness.command("setup --colour blue")

    assert "--colour" in harness.last_whisper()
    assert "--language" in harness.last_whisper()
    assert harness.posts() == []
    await harness.command("coordinator list")
    assert "/klynge setup" in harness.last_whisper()


async def test_setup_refuses_unknown_time_zone(harness: Harness) -> None:
    await harness.command("setup --timezone Mars/Olympus")

    assert "not a time zone" in harness.last_whisper()
    assert harness.posts() == []


async def test_members_are_humans_only(harness: Harness) -> None:
    await harness.setup_cluster()

    async with harness.db.session() as session:
        cluster = await get_cluster(session, team_id=harness.slack.team_id, channel_id=CHANNEL)
        assert cluster is not None
        members = await member_ids(session, cluster_id=cluster.id or 0)

    assert members == sorted(DOCTORS)


async def test_member_cache_follows_join_and_leave_events(harness: Harness) -> None:
    await harness.setup_cluster()
    harness.slack.add_user("U0NEWDOC", "Nina Ny")

    await harness.event({"type": "member_joined_channel", "user": "U0NEWDOC", "channel": CHANNEL})
    await harness.event({"type": "member_left_channel", "user": DOCTORS[0], "channel": CHANNEL})
    await harness.event({"type": "member_joined_channel", "user": OTHER_BOT, "channel": CHANNEL})

    async with harness.db.session() as session:
        cluster = await get_cluster(session, team_id=harness.slack.team_id, channel_id=CHANNEL)
        assert cluster is not None
        members = await member_ids(session, cluster_id=cluster.id or 0)
    assert "U0NEWDOC" in members
    assert DOCTORS[0] not in members
    assert OTHER_BOT not in members


async def test_member_list_follows_pagination(harness: Harness) -> None:
    many = [f"U0MANY{number:04d}" for number in range(450)]
    for user in many:
        harness.slack.add_user(user, f"Doctor {user}")
    harness.slack.channels[CHANNEL]["members"].extend(many)

    await harness.setup_cluster()

    async with harness.db.session() as session:
        cluster = await get_cluster(session, team_id=harness.slack.team_id, channel_id=CHANNEL)
        assert cluster is not None
        members = await member_ids(session, cluster_id=cluster.id or 0)
    assert len(members) == len(DOCTORS) + len(many)
    assert len(harness.slack.calls_to("conversations.members")) >= 3


async def test_unknown_option_shows_the_whole_right_form(harness: Harness) -> None:
    await harness.command("setup --colour blue")

    answer = harness.last_whisper()
    assert "`--colour`" in answer
    assert "Usage: `/klynge setup [--language da] [--timezone Europe/Copenhagen]`" in answer
