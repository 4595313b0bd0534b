"""Surviving Slack's failures: rate limits, server errors, repeated events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlmodel import select

from bot.fakeslack.model import Message
from storage.clusters import get_cluster, member_ids
from storage.events import SeenEvent
from tests.harness import CHANNEL, COORDINATOR, Harness


async def test_rate_limited_post_is_retried_after_retry_after_and_sent_once(
    harness: Harness,
) -> None:
    harness.slack.fail("chat.postMessage", status=429, retry_after=1)

    await harness.setup_cluster()

    assert len(harness.slack.calls_to("chat.postMessage")) == 2
    assert len(harness.posts()) == 1
    assert "klynge-nord" in harness.last_post().text
    assert "Done: you are the coordinator" in harness.last_whisper(COORDINATOR)


async def test_slack_server_errors_are_retried_and_the_action_completes(harness: Harness) -> None:
    harness.slack.fail("chat.postMessage", status=503, retry_after=None)
    harness.slack.fail("chat.postMessage", status=500, retry_after=None)

    await harness.setup_cluster()

    assert len(harness.slack.calls_to("chat.postMessage")) == 3
    assert len(harness.posts()) == 1


async def test_a_slack_error_the_user_cannot_fix_gets_a_friendly_message(
    harness: Harness,
) -> None:
    harness.slack.fail("chat.postMessage", error="fatal_error", times=1)

    reply = await harness.command("setup")

    assert reply.status == 200
    assert "something went wrong on my side" in harness.last_whisper(COORDINATOR)


async def test_bot_not_in_channel_asks_to_be_invited(harness: Harness) -> None:
    harness.slack.channels[CHANNEL]["members"].remove("UKLYNGEBOT")

    await harness.command("setup")

    assert "/invite @klyngebot" in harness.last_whisper(COORDINATOR)


async def test_an_event_retried_by_slack_is_handled_once(harness: Harness) -> None:
    await harness.setup_cluster()
    harness.slack.add_user("U0NEWDOC", "Nina Ny")
    event = {"type": "member_joined_channel", "user": "U0NEWDOC", "channel": CHANNEL}

    first = await harness.event(event, event_id="Ev0JOIN1")
    retry = await harness.event(event, event_id="Ev0JOIN1", retry=1)

    assert first.status == retry.status == 200
    lookups = [
        call for call in harness.slack.calls_to("users.info") if call.args.get("user") == "U0NEWDOC"
    ]
    assert len(lookups) == 1
    async with harness.db.session() as session:
        cluster = await get_cluster(session, team_id=harness.slack.team_id, channel_id=CHANNEL)
        assert cluster is not None
        assert "U0NEWDOC" in await member_ids(session, cluster_id=cluster.id or 0)


async def test_event_ids_are_forgotten_after_a_day(harness: Harness) -> None:
    await harness.event(
        {"type": "member_left_channel", "user": "U0X", "channel": CHANNEL}, event_id="Ev0OLD"
    )
    harness.clock.advance(timedelta(days=2))
    await harness.event(
        {"type": "member_left_channel", "user": "U0Y", "channel": CHANNEL}, event_id="Ev0NEW"
    )

    async with harness.db.session() as session:
        kept = [row.event_id for row in (await session.exec(select(SeenEvent))).all()]
    assert kept == ["Ev0NEW"]


async def test_a_listener_failing_right_after_ack_answers_200_and_tells_the_person(
    harness: Harness,
) -> None:
    async def boom(ack: Callable[[], Awaitable[None]]) -> None:
        await ack()
        raise RuntimeError("a bug")

    assert harness.bot is not None
    harness.bot.app.action("test:boom")(boom)
    message = Message(
        channel=CHANNEL,
        ts="1700000000.000001",
        text="x",
        blocks=[{"type": "actions", "elements": [{"type": "button", "action_id": "test:boom"}]}],
    )

    replies = [await harness.click(message, "test:boom", user=COORDINATOR) for _ in range(20)]

    assert {reply.status for reply in replies} == {200}
    assert harness.whispers(COORDINATOR).count(harness.last_whisper(COORDINATOR)) == 20
    assert "something went wrong on my side" in harness.last_whisper(COORDINATOR)
