"""Help, setup and coordinators, driven through signed HTTP requests against the fake Slack."""

from __future__ import annotations

from tests.harness import COORDINATOR, MEMBER, Harness


async def test_help_lists_every_subcommand_privately(harness: Harness) -> None:
    reply = await harness.command("help", user=MEMBER)

    assert reply.status == 200
    text = harness.last_whisper(MEMBER)
    for subcommand in harness.bot.router.subcommands:  # type: ignore[union-attr]
        assert subcommand.usage.en in text
    assert harness.posts() == []


async def test_setup_makes_caller_coordinator_and_announces_cluster(harness: Harness) -> None:
    await harness.setup_cluster()

    assert "klynge-nord" in harness.last_post().text
    assert f"<@{COORDINATOR}>" in harness.last_post().text
    await harness.command("coordinator list", user=MEMBER)
    assert f"<@{COORDINATOR}>" in harness.last_whisper(MEMBER)
