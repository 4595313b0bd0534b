"""Forged requests never reach a handler; bad input gets a friendly answer and changes nothing."""

from __future__ import annotations

import logging
import time

import pytest

from storage.clusters import coordinator_ids, get_cluster, member_ids
from tests.harness import CHANNEL, COORDINATOR, MEMBER, Harness

BAD_TEXTS = {
    "unknown words": "fnord blargh",
    "five thousand characters": "x" * 5000,
    "danish and emoji": "mødested æøå ÆØÅ 🎉👩‍⚕️",
    "sql": "'; DROP TABLE cluster; --",
    "negative number": "-17",
    "absurd number": "99999999999999999999999999",
    "markup": "<!channel> <script>&",
    "lonely quote": '"unclosed',
}


async def _state(harness: Harness) -> tuple[list[str], list[str]]:
    async with harness.db.session() as session:
        cluster = await get_cluster(session, team_id=harness.slack.team_id, channel_id=CHANNEL)
        assert cluster is not None
        return (
            await coordinator_ids(session, cluster_id=cluster.id or 0),
            await member_ids(session, cluster_id=cluster.id or 0),
        )


@pytest.mark.parametrize("text", BAD_TEXTS.values(), ids=BAD_TEXTS.keys())
@pytest.mark.parametrize("prefix", ["", "coordinator add ", "coordinator remove ", "setup "])
async def test_bad_input_gets_a_friendly_private_answer_and_changes_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture, prefix: str, text: str
) -> None:
    await harness.setup_cluster()
    before = await _state(harness)
    posts_before = len(harness.posts())
    whispers_before = len(harness.whispers())

    with caplog.at_level(logging.WARNING):
        reply = await harness.command(prefix + text)

    assert reply.status == 200
    assert len(harness.whispers()) == whispers_before + 1
    answer = harness.last_whisper()
    assert "Traceback" not in answer
    assert "/klynge" in answer  # every refusal shows the right form or points to help
    assert len(harness.posts()) == posts_before
    assert await _state(harness) == before
    assert not [record for record in caplog.records if record.exc_info]


async def test_user_text_echoed_in_an_error_is_escaped(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("<!channel> hello")

    assert "<!channel>" not in harness.last_whisper()
    assert "&lt;!channel&gt;" in harness.last_whisper()


async def _no_effect(harness: Harness) -> None:
    await harness.settle()
    assert harness.slack.calls == []
    assert harness.slack.ephemerals == []


async def test_unsigned_request_is_rejected_with_401(harness: Harness) -> None:
    assert harness.driver is not None
    reply = await harness.driver.command("setup", user=COORDINATOR, sign=False)

    assert reply.status == 401
    await _no_effect(harness)


async def test_request_with_wrong_signature_is_rejected_with_401(harness: Harness) -> None:
    assert harness.driver is not None
    reply = await harness.driver.command(
        "setup", user=COORDINATOR, headers={"X-Slack-Signature": "v0=" + "0" * 64}
    )

    assert reply.status == 401
    await _no_effect(harness)


async def test_replayed_request_older_than_five_minutes_is_rejected(harness: Harness) -> None:
    assert harness.driver is not None
    reply = await harness.driver.command(
        "setup", user=COORDINATOR, timestamp=int(time.time()) - 6 * 60
    )

    assert reply.status == 401
    await _no_effect(harness)


async def test_tampered_body_is_rejected(harness: Harness) -> None:
    assert harness.driver is not None
    body = "command=%2Fklynge&text=setup&user_id=U0DOC02&channel_id=C0CLUSTER&team_id=T0KLYNGE"
    ts = str(int(time.time()))
    signature = harness.driver.signer.generate_signature(timestamp=ts, body=body)
    reply = await harness.driver.post(
        body.replace("U0DOC02", COORDINATOR),
        content_type="application/x-www-form-urlencoded",
        timestamp=int(ts),
        sign=False,
        headers={"X-Slack-Signature": str(signature)},
    )

    assert reply.status == 401
    await _no_effect(harness)


async def test_healthz_reports_ok_when_the_database_answers(harness: Harness) -> None:
    assert harness.bot is not None
    assert harness._session is not None
    async with harness._session.get(harness.bot.url + "/healthz") as response:
        assert response.status == 200
        assert (await response.json())["status"] == "ok"


async def test_member_is_refused_coordinator_commands_with_the_names_to_ask(
    harness: Harness,
) -> None:
    await harness.setup_cluster()

    await harness.command("coordinator remove <@U0DOC01>", user=MEMBER)

    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    assert (await _state(harness))[0] == [COORDINATOR]


async def test_socket_mode_serves_no_unsigned_http_endpoint(harness: Harness) -> None:
    await harness.stop_bot()
    bot = await harness.start_bot(app_token="xapp-socket-mode")
    assert harness._session is not None

    async with harness._session.post(bot.url + "/slack/events", data=b"command=/klynge") as reply:
        assert reply.status in {404, 405}
    async with harness._session.get(bot.url + "/healthz") as health:
        assert health.status == 200
