"""Acknowledgement latency under a burst, compared with a bare Bolt app that only acks.

    python -m bench.ack_latency             # both databases
    python -m bench.ack_latency sqlite

Both apps run in this process on aiohttp, behind the same signature check, against the same
fake Slack. 200 concurrent slash commands (`/klynge help`, which reads the database) and 200
concurrent button clicks (a vote on a poll when the polls feature is present, else an RSVP-free
link button) are sent at once; the time to the HTTP answer is what Slack's 3-second rule is about.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bench.common import fresh_database, percentile, table
from bot.app import make_client
from bot.fakeslack.driver import SlackDriver
from bot.fakeslack.server import FakeSlack, Message
from bot.runtime import Klyngebot
from bot.settings import Settings

SECRET = "bench-signing-secret"
CHANNEL = "C0BENCH"
COORDINATOR = "U0BENCH000"
BURST = 200
ROUNDS = 4


def _bare_app(settings: Settings) -> web.Application:
    """The floor: Bolt with signature checks, a command and an action listener that only ack."""
    app = AsyncApp(client=make_client(settings), signing_secret=SECRET)

    async def only_ack(ack: Callable[[], Awaitable[None]]) -> None:
        await ack()

    app.command("/klynge")(only_ack)
    app.action({"action_id": "link:bench"})(only_ack)
    app.action({"action_id": "poll:vote"})(only_ack)

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", handle)
    return web_app


async def _serve(web_app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(web_app, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


async def _burst(send: Callable[[int], Awaitable[Any]]) -> list[float]:
    async def timed(n: int) -> float:
        started = time.perf_counter()
        reply = await send(n)
        assert reply.status == 200, reply
        return time.perf_counter() - started

    return list(await asyncio.gather(*(timed(n) for n in range(BURST))))


def _link_message() -> Message:
    return Message(
        channel=CHANNEL,
        ts="1700000000.000001",
        text="link",
        blocks=[
            {
                "type": "actions",
                "block_id": "b",
                "elements": [
                    {
                        "type": "button",
                        "action_id": "link:bench",
                        "text": {"type": "plain_text", "text": "Zoom"},
                        "url": "https://zoom.us/j/1",
                    }
                ],
            }
        ],
    )


async def measure(
    url: str, slack: FakeSlack, session: aiohttp.ClientSession
) -> dict[tuple[str, str], list[float]]:
    settings = Settings(
        bot_token="xoxb-bench", signing_secret=SECRET, api_url=slack.api_url, database_url=url
    )
    bot = Klyngebot(settings, run_scheduler=False)
    await bot.start(port=0)
    bare_runner, bare_url = await _serve(_bare_app(settings))
    drivers = {
        name: SlackDriver(bot_url=target, signing_secret=SECRET, slack=slack, session=session)
        for name, target in (("klyngebot", bot.url), ("bare Bolt", bare_url))
    }
    await drivers["klyngebot"].command("setup", user=COORDINATOR, channel=CHANNEL)
    await bot.settle()
    message = _link_message()
    results: dict[tuple[str, str], list[float]] = {}
    users = [f"U0B{n:07d}" for n in range(BURST)]
    try:
        # Alternate which app goes first, so warm-up and leftovers favour neither.
        for round_number in range(ROUNDS):
            order = list(drivers.items())
            if round_number % 2:
                order.reverse()
            for name, driver in order:

                async def command(n: int, driver: SlackDriver = driver) -> Any:
                    return await driver.command("help", user=users[n], channel=CHANNEL)

                async def click(n: int, driver: SlackDriver = driver) -> Any:
                    return await driver.click(message, "link:bench", user=users[n])

                results.setdefault((name, "command"), []).extend(await _burst(command))
                await bot.settle()
                results.setdefault((name, "click"), []).extend(await _burst(click))
                await bot.settle()
    finally:
        await bare_runner.cleanup()
        await bot.stop()
    return results


def _p50_p99(values: list[float]) -> str:
    return f"{percentile(values, 0.5) * 1000:.0f} / {percentile(values, 0.99) * 1000:.0f}"


async def main(backends: list[str]) -> None:
    slack = FakeSlack()
    for n in range(BURST):
        slack.add_user(f"U0B{n:07d}", f"Doctor {n}")
    slack.add_user(COORDINATOR, "Coordinator")
    slack.add_channel(CHANNEL, "bench", [COORDINATOR, *(f"U0B{n:07d}" for n in range(BURST))])
    await slack.start()
    rows = []
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
            for backend in backends:
                async with fresh_database(backend) as url:
                    results = await measure(url, slack, session)
                for kind in ("command", "click"):
                    ours, bare = results["klyngebot", kind], results["bare Bolt", kind]
                    rows.append(
                        [
                            backend,
                            f"{BURST} concurrent {kind}s",
                            _p50_p99(ours),
                            _p50_p99(bare),
                            f"{percentile(ours, 0.99) / percentile(bare, 0.99):.2f}",
                        ]
                    )
    finally:
        await slack.stop()
    print(
        table(
            [
                "database",
                "burst",
                "klyngebot p50 / p99 (ms)",
                "bare Bolt p50 / p99 (ms)",
                "p99 ratio",
            ],
            rows,
        )
    )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:] or ["sqlite", "postgresql"]))
