"""Socket Mode: the bot dials out to Slack over a WebSocket, and /healthz says whether that
connection is up, so a process supervisor restarts a bot that lost Slack."""

from __future__ import annotations

import asyncio

from tests.harness import Harness


async def _health(h: Harness) -> tuple[int, str]:
    assert h.bot is not None
    assert h._session is not None
    async with h._session.get(h.bot.url + "/healthz") as response:
        return response.status, (await response.json())["status"]


async def _until(h: Harness, status: int, *, within: float) -> tuple[int, str]:
    """Ask /healthz every tenth of a second until it answers ``status``."""
    async with asyncio.timeout(within):
        for _ in range(int(within * 10)):
            health = await _health(h)
            if health[0] == status:
                return health
            await asyncio.sleep(0.1)
    return await _health(h)


async def test_healthz_follows_the_websocket_to_slack(harness: Harness) -> None:
    await harness.stop_bot()
    await harness.start_bot(app_token="xapp-1-socket")

    assert await _health(harness) == (200, "ok")
    assert len(harness.slack.sockets.open) == 1

    await harness.slack.sockets.drop()  # Slack goes away and takes no new connections
    assert await _until(harness, 503, within=10) == (503, "not connected to Slack")

    harness.slack.sockets.accepting = True  # the bot reconnects by itself
    assert await _until(harness, 200, within=45) == (200, "ok")
