"""A burst of poll votes against the real bot over HTTP and the fake Slack.

Run ``python -m bench.polls``.

For each database (SQLite in a temporary file, PostgreSQL in a temporary database) it starts
the bot exactly as production does (HTTP, scheduler running, real clock), creates a poll with
four options, sends ``--voters`` signed clicks at once, and reports: whether every vote was
counted exactly (database and final message), how many ``chat.update`` calls the poll message
got and the smallest gap between two of them, the click acknowledgement times, and the time
until the poll message showed the final counts.

Options: ``--voters 2000``, ``--databases sqlite,postgresql``, ``--concurrency 200`` (open HTTP
connections; Slack itself sends from many). ``KLYNGE_BENCH_POSTGRES`` is the admin URL
(default ``postgresql://postgres@127.0.0.1:5432/postgres``).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import asyncpg
from sqlalchemy import func
from sqlmodel import select

from bot.fakeslack.driver import SlackDriver
from bot.fakeslack.model import Message
from bot.fakeslack.server import FakeSlack
from bot.runtime import Klyngebot
from bot.settings import Settings
from storage.polls import PollOption, PollVote

SIGNING_SECRET = "bench-signing-secret-0123456789ab"
CHANNEL = "C0BENCH"
COORDINATOR = "U0BENCH0001"
POSTGRES_ADMIN = os.environ.get(
    "KLYNGE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
OPTIONS = ("Diabetes", "COPD", "Dementia", "Heart failure")
_COUNT = re.compile(r"^\*(\d+)\. (.*)\*  `(\d+) ")


@dataclass
class Figures:
    database: str
    voters: int
    exact_in_database: bool
    exact_in_message: bool
    chat_updates: int
    min_update_gap: float | None
    ack_p50_ms: float
    ack_p99_ms: float
    ack_max_ms: float
    burst_seconds: float
    settle_seconds: float
    errors: int

    def lines(self) -> list[str]:
        gap = f"{self.min_update_gap:.3f} s" if self.min_update_gap is not None else "-"
        return [
            f"{self.database}: {self.voters} voters",
            f"  every vote counted: database {self.exact_in_database}, "
            f"final message {self.exact_in_message}; refused/failed clicks {self.errors}",
            f"  chat.update calls on the poll message: {self.chat_updates} "
            f"(smallest gap between two: {gap})",
            f"  click acknowledgement: p50 {self.ack_p50_ms:.0f} ms, p99 {self.ack_p99_ms:.0f} ms, "
            f"max {self.ack_max_ms:.0f} ms",
            f"  all clicks sent and acknowledged in {self.burst_seconds:.2f} s; "
            f"final counts shown {self.settle_seconds:.2f} s after the first click",
        ]


def shown_counts(message: Message) -> dict[str, int]:
    found = {}
    for block in message.blocks:
        if block.get("type") == "section":
            match = _COUNT.match(block["text"]["text"])
            if match:
                found[match[2]] = int(match[3])
    return found


async def _postgres_database() -> tuple[str, str]:
    name = f"klynge_bench_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(POSTGRES_ADMIN, timeout=10)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return name, f"{base}/{name}"


async def _drop_postgres(name: str) -> None:
    connection = await asyncpg.connect(POSTGRES_ADMIN, timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def run_burst(database: str, url: str, *, voters: int, concurrency: int) -> Figures:
    slack = FakeSlack()
    users = [f"U0V{n:07d}" for n in range(voters)]
    slack.add_user(COORDINATOR, "Bench Coordinator")
    slack.add_channel(CHANNEL, "klynge-bench", [COORDINATOR])
    await slack.start()
    settings = Settings(
        bot_token="xoxb-bench",
        signing_secret=SIGNING_SECRET,
        api_url=slack.api_url,
        database_url=url,
    )
    bot = Klyngebot(settings)
    await bot.start(port=0)
    connector = aiohttp.TCPConnector(limit=concurrency)
    session = aiohttp.ClientSession(connector=connector)
    try:
        driver = SlackDriver(
            bot_url=bot.url, signing_secret=SIGNING_SECRET, slack=slack, session=session
        )
        await driver.command("setup", user=COORDINATOR, channel=CHANNEL)
        await bot.settle()
        quoted = " ".join(f'"{option}"' for option in OPTIONS)
        await driver.command(f'poll "Next topic?" {quoted}', user=COORDINATOR, channel=CHANNEL)
        await bot.settle()
        message = next(
            m
            for m in slack.messages
            if m.channel == CHANNEL and m.blocks and "poll:" in str(m.blocks)
        )
        expected = dict.fromkeys(OPTIONS, 0)
        for n in range(voters):
            expected[OPTIONS[n % len(OPTIONS)]] += 1
        # Wait out the creation's refresh window, so the burst starts with a free claim.
        await asyncio.sleep(1.1)
        loop = asyncio.get_running_loop()

        async def click(n: int, user: str) -> tuple[float, int]:
            started = loop.time()
            reply = await driver.click(message, f"poll_vote:{n % len(OPTIONS) + 1}", user=user)
            return loop.time() - started, reply.status

        began = loop.time()
        results = await asyncio.gather(*(click(n, user) for n, user in enumerate(users)))
        burst = loop.time() - began
        await bot.settle(seconds=120)
        # The trailing refresh runs at most a second after the last one; wait until it lands.
        await slack.wait_for(lambda: shown_counts(message) == expected, within=30)
        settled = loop.time() - began
        async with bot.deps.db.session() as db_session:
            rows = await db_session.exec(
                select(PollOption.text, func.count())
                .join(PollVote, PollVote.option_id == PollOption.id)  # type: ignore[arg-type]
                .group_by(PollOption.text)
            )
            counted = dict(rows.all())
        updates = sorted(
            call.at for call in slack.calls_to("chat.update") if call.args.get("ts") == message.ts
        )
        gaps = [later - earlier for earlier, later in itertools.pairwise(updates)]
        acks = sorted(seconds * 1000 for seconds, _ in results)
        return Figures(
            database=database,
            voters=voters,
            exact_in_database=counted == expected,
            exact_in_message=shown_counts(message) == expected,
            chat_updates=len(updates),
            min_update_gap=min(gaps) if gaps else None,
            ack_p50_ms=statistics.median(acks),
            ack_p99_ms=acks[int(len(acks) * 0.99) - 1],
            ack_max_ms=acks[-1],
            burst_seconds=burst,
            settle_seconds=settled,
            errors=sum(1 for _, status in results if status != 200)
            + sum(1 for e in slack.ephemerals if "went wrong" in e.text or "database" in e.text),
        )
    finally:
        await session.close()
        await bot.stop()
        await slack.stop()


async def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.polls", description=__doc__)
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--concurrency", type=int, default=200)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    all_exact = True
    for database in [name.strip() for name in args.databases.split(",") if name.strip()]:
        if database == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="klynge-bench-"))
            figures = await run_burst(
                "SQLite",
                f"sqlite+aiosqlite:///{folder / 'bench.db'}",
                voters=args.voters,
                concurrency=args.concurrency,
            )
        elif database == "postgresql":
            name, url = await _postgres_database()
            try:
                figures = await run_burst(
                    "PostgreSQL", url, voters=args.voters, concurrency=args.concurrency
                )
            finally:
                await _drop_postgres(name)
        else:
            print(f"unknown database {database!r}", file=sys.stderr)
            return 2
        print("\n".join(figures.lines()), flush=True)
        all_exact = all_exact and figures.exact_in_database and figures.exact_in_message
    return 0 if all_exact else 1


if __name__ == "__main__":
    started = time.monotonic()
    code = asyncio.run(main())
    print(f"(benchmark ran {time.monotonic() - started:.1f} s)")
    raise SystemExit(code)
