"""Acknowledgement latency under a burst, compared with a bare Bolt app that only acks.

    python -m bench.ack_latency             # both databases
    python -m bench.ack_latency sqlite

Each app runs in its own process on aiohttp (as in a deployment), behind the same signature
check, against the same fake Slack, which shares this process with the load generator.
200 concurrent slash commands (`/klynge help`, which reads the database) and 200 concurrent
button clicks (votes on a topic poll: each a database transaction and, at most once a second, a
message refresh) are sent at once; the time to the HTTP answer is what Slack's 3-second rule is
about.
"""

from __future__ import annotations

import asyncio
import re
import signal
import sys
import time
from asyncio.subprocess import Process
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bench.common import free_port, fresh_database, percentile, quiet, start_process, table
from bot.app import make_client
from bot.fakeslack.driver import SlackDriver
from bot.fakeslack.server import FakeSlack
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
    app.action(re.compile("^poll_vote:"))(only_ack)

    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    web_app = web.Application()
    web_app.router.add_post("/slack/events", handle)
    web_app.router.add_get("/healthz", healthz)
    return web_app


async def _burst(send: Callable[[int], Awaitable[Any]]) -> list[float]:
    async def timed(n: int) -> float:
        started = time.perf_counter()
        reply = await send(n)
        assert reply.status == 200, reply
        return time.perf_counter() - started

    return list(await asyncio.gather(*(timed(n) for n in range(BURST))))


async def start_app(kind: str, port: int, api_url: str, database_url: str) -> Process:
    """One app (``bot`` or ``bare``) in its own process, like a real deployment."""
    return await start_process(
        ["bench.ack_latency", "serve", kind, str(port), api_url, database_url], port
    )


async def measure(
    url: str, slack: FakeSlack, session: aiohttp.ClientSession
) -> dict[tuple[str, str], list[float]]:
    ports = {"klyngebot": free_port(), "bare Bolt": free_port()}
    processes = [
        await start_app("bot", ports["klyngebot"], slack.api_url, url),
        await start_app("bare", ports["bare Bolt"], slack.api_url, url),
    ]
    drivers = {
        name: SlackDriver(
            bot_url=f"http://127.0.0.1:{port}", signing_secret=SECRET, slack=slack, session=session
        )
        for name, port in ports.items()
    }
    await drivers["klyngebot"].command("setup", user=COORDINATOR, channel=CHANNEL)
    await drivers["klyngebot"].command(
        'poll "Next topic?" "Sleep" "Diet" "Exercise"', user=COORDINATOR, channel=CHANNEL
    )
    message = await slack.wait_for(
        lambda: next((m for m in slack.messages if "poll_vote" in str(m.blocks)), None)
    )
    await quiet(slack)
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

                async def click(
                    n: int, driver: SlackDriver = driver, shift: int = round_number
                ) -> Any:
                    choice = f"poll_vote:{1 + (n + shift) % 3}"  # votes move each round
                    return await driver.click(message, choice, user=users[n])

                results.setdefault((name, "command"), []).extend(await _burst(command))
                await quiet(slack)
                results.setdefault((name, "click"), []).extend(await _burst(click))
                await quiet(slack)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            await process.wait()
    return results


async def serve(kind: str, port: int, api_url: str, database_url: str) -> None:
    """The child process: serve ``kind`` (bot or bare) until SIGTERM."""
    settings = Settings(
        bot_token="xoxb-bench", signing_secret=SECRET, api_url=api_url, database_url=database_url
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    if kind == "bot":
        bot = Klyngebot(settings)
        await bot.start(port=port, migrate=False)
        await stop.wait()
        await bot.stop()
        return
    runner = web.AppRunner(_bare_app(settings), handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await stop.wait()
    await runner.cleanup()


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
    if sys.argv[1:2] == ["serve"]:
        kind, port, api_url, database_url = sys.argv[2:6]
        asyncio.run(serve(kind, int(port), api_url, database_url))
    else:
        asyncio.run(main(sys.argv[1:] or ["sqlite", "postgresql"]))
