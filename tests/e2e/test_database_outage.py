"""PostgreSQL going away and coming back while the bot runs (played with a TCP proxy)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy.engine import make_url

from storage.jobs import Job
from tests.databases import PostgresTemplates
from tests.harness import CHANNEL, COORDINATOR, MEMBER, Harness
from tests.proxy import TcpProxy


@pytest.fixture
async def outage(postgres_templates: PostgresTemplates) -> AsyncIterator[tuple[Harness, TcpProxy]]:
    url = make_url(await postgres_templates.fresh())
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        async with Harness(proxied) as harness:
            yield harness, proxy
    finally:
        await proxy.stop()
        await postgres_templates.drop(url.render_as_string(hide_password=False))


async def test_requests_during_an_outage_get_try_again_and_the_bot_recovers(
    outage: tuple[Harness, TcpProxy],
) -> None:
    harness, proxy = outage
    await harness.setup_cluster()

    proxy.cut()
    reply = await harness.command("coordinator list", user=MEMBER)

    assert reply.status == 200
    assert "can't reach my database" in harness.last_whisper(MEMBER)

    proxy.restore()
    reply = await harness.command("coordinator list", user=MEMBER)

    assert reply.status == 200
    assert f"<@{COORDINATOR}>" in harness.last_whisper(MEMBER)


async def test_health_check_reports_the_outage(outage: tuple[Harness, TcpProxy]) -> None:
    harness, proxy = outage
    assert harness.bot is not None
    assert harness._session is not None

    proxy.cut()
    async with harness._session.get(harness.bot.url + "/healthz") as response:
        assert response.status == 503
    proxy.restore()
    async with harness._session.get(harness.bot.url + "/healthz") as response:
        assert response.status == 200


async def test_a_job_due_during_an_outage_runs_after_it(outage: tuple[Harness, TcpProxy]) -> None:
    harness, proxy = outage

    async def post(job: Job) -> None:
        await harness.deps.client.chat_postMessage(channel=CHANNEL, text=job.payload["text"])

    harness.deps.scheduler.on("post", post)
    await harness.deps.scheduler.schedule(
        kind="post",
        key="post:1",
        due_at=harness.clock() + timedelta(minutes=5),
        payload={"text": "Husk mødet"},
    )
    harness.clock.advance(timedelta(minutes=10))

    proxy.cut()
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the driver raises while down
        await harness.deps.scheduler.run_due()
    proxy.restore()
    await harness.run_jobs()

    assert [message.text for message in harness.posts()] == ["Husk mødet"]


async def test_a_danish_cluster_is_told_of_the_outage_in_danish(
    outage: tuple[Harness, TcpProxy],
) -> None:
    harness, proxy = outage  # the bot's default language is English
    await harness.setup_cluster("--language da")
    await harness.command("koordinator liste", user=MEMBER)

    proxy.cut()
    await harness.command("koordinator liste", user=MEMBER)
    proxy.restore()

    told = harness.last_whisper(MEMBER)
    assert "Jeg kan ikke nå min database lige nu, så intet blev gemt." in told
    assert "try again" not in told
