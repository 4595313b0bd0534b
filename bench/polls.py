"""A burst of poll votes against the bot as its own process(es), beside a bare Bolt app.

    python -m bench.polls                       # 2,000 voters; both databases; 1 and 2 replicas
    python -m bench.polls --voters 500 --databases sqlite --replicas 2

For each database and number of replicas: a fresh database; ``python -m bot run`` once per
replica (HTTP, scheduler, real clock: as in production) and a bare Bolt app that only acks
(``bench.ack_latency``), each in its own process; the fake Slack (with all of Slack's rules)
and the load generator share this process. Each round posts a poll with four options. Every
voter clicks once, all at the same moment; every tenth voter also changes their mind: a second
click on another option with a later ``action_ts``. Those two arrive the other way round: the
newer click first and, once it is answered, the older one (to the other replica when there are
two), so the last click to arrive is not the last one made. The bare app gets the
same clicks in the same way; which app goes first alternates between rounds, after a smaller
warm-up round that is not counted.

Reported per run (all rounds together): click acknowledgement p50 / p99 for both apps and the
ratio of the p99s; CPU time per click of each app's processes (the bot's until every vote was
shown); the longest time from the last click to the poll message showing every vote; the most
``chat.update`` calls one poll message got and the smallest gap between two; votes lost or
doubled in the database (per voter: exactly their last choice) and in the message counts.

Options: ``--voters``, ``--databases sqlite,postgresql``, ``--replicas 1,2``, ``--rounds 3``,
``--concurrency`` (open HTTP connections at a time, default 200; more only measures the
kernel's listen backlog: connections beyond it wait for SYN retransmits, seconds, in front of
either app).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import itertools
import os
import re
import signal
import time
from asyncio.subprocess import Process
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp
from sqlmodel import select

from bench.ack_latency import SECRET, start_app
from bench.common import free_port, fresh_database, percentile, quiet, start_process, table
from bot.fakeslack.driver import SlackDriver
from bot.fakeslack.model import Message
from bot.fakeslack.server import FakeSlack
from storage.db import Database
from storage.polls import PollOption
from storage.votes import PollVote

CHANNEL = "C0BENCH"
COORDINATOR = "U0BENCH0001"
OPTIONS = ("Diabetes", "COPD", "Dementia", "Heart failure")
CHANGE_EVERY = 10  # every tenth voter changes their mind
WARM_UP = 200  # voters in the round before the measured ones
_COUNT = re.compile(r"^\*(\d+)\. (.*)\*  `(\d+) ")


@dataclass
class Run:
    """One database and number of replicas: what its rounds add up to."""

    database: str
    replicas: int
    ours: list[float] = field(default_factory=list)  # click acknowledgement times (s)
    bare: list[float] = field(default_factory=list)
    cpu_ours: float = 0.0  # CPU seconds of all replicas, until every vote was shown
    cpu_bare: float = 0.0
    clicks: int = 0
    failed: int = 0
    shown_after: list[float | None] = field(default_factory=list)  # per round; None: never
    updates: list[int] = field(default_factory=list)  # chat.update calls per poll message
    gaps: list[float] = field(default_factory=list)  # between two of them
    lost_db: int = 0
    doubled_db: int = 0
    lost_shown: int = 0
    doubled_shown: int = 0

    @property
    def exact(self) -> bool:
        wrong = self.lost_db + self.doubled_db + self.lost_shown + self.doubled_shown
        return None not in self.shown_after and not (wrong or self.failed)

    def row(self) -> list[object]:
        def ms(values: list[float]) -> str:
            return f"{percentile(values, 0.5) * 1000:.0f} / {percentile(values, 0.99) * 1000:.0f}"

        ratio = percentile(self.ours, 0.99) / percentile(self.bare, 0.99)
        times = [s for s in self.shown_after if s is not None]
        shown = f"{max(times):.2f}" if times and len(times) == len(self.shown_after) else "never"
        gap = f"{min(self.gaps):.2f}" if self.gaps else "-"
        return [
            self.database,
            self.replicas,
            ms(self.ours),
            ms(self.bare),
            f"{ratio:.2f}",
            f"{self.cpu_ours * 1000 / self.clicks:.2f} / {self.cpu_bare * 1000 / self.clicks:.2f}",
            shown,
            f"{max(self.updates)} ({gap})",
            f"{self.lost_db} / {self.doubled_db}",
            f"{self.lost_shown} / {self.doubled_shown}",
            self.failed,
        ]


HEADER = [
    "database",
    "replicas",
    "klyngebot ack p50 / p99 (ms)",
    "bare Bolt ack p50 / p99 (ms)",
    "p99 ratio",
    "CPU ms per click (klyngebot / bare)",
    "last click → all shown (s)",
    "chat.update per poll (min gap s)",
    "lost / doubled in db",
    "lost / doubled shown",
    "failed clicks",
]


@dataclass(frozen=True)
class Click:
    user: str
    position: int  # 1-based option position
    action_ts: str | None  # None: now
    target: int  # which replica gets it


def plan(voters: Sequence[str], replicas: int) -> tuple[list[list[Click]], dict[str, int]]:
    """Each voter's clicks in the order they are sent, and the option each must end with."""
    base = time.time()
    sequences: list[list[Click]] = []
    final: dict[str, int] = {}
    for n, user in enumerate(voters):
        first = n % len(OPTIONS) + 1
        if n % CHANGE_EVERY:
            sequences.append([Click(user, first, None, n % replicas)])
            final[user] = first
            continue
        second = first % len(OPTIONS) + 1
        made = [f"{base + 0.001 * n:.6f}", f"{base + 0.001 * n + 0.5:.6f}"]
        # The later click is delivered first, then the earlier one (to the other replica).
        sequences.append(
            [
                Click(user, second, made[1], (n + 1) % replicas),
                Click(user, first, made[0], n % replicas),
            ]
        )
        final[user] = second
    return sequences, final


def cpu_seconds(processes: Sequence[Process]) -> float:
    """User and system CPU time the processes used so far (Linux ``/proc``)."""
    total = 0
    for process in processes:
        with open(f"/proc/{process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def shown_counts(message: Message) -> dict[str, int]:
    found = {}
    for block in message.blocks:
        if block.get("type") == "section":
            match = _COUNT.match(block["text"]["text"])
            if match:
                found[match[2]] = int(match[3])
    return found


async def burst(
    drivers: Sequence[SlackDriver], message: Message, sequences: list[list[Click]]
) -> tuple[list[float], int, float]:
    """Send every voter's clicks at once (each voter's in order); ack times, failures, and the
    loop time of the last click sent."""
    loop = asyncio.get_running_loop()
    times: list[float] = []
    failed = 0
    last = 0.0

    async def voter(clicks: list[Click]) -> None:
        nonlocal failed, last
        for click in clicks:
            started = loop.time()
            last = max(last, started)
            try:
                reply = await drivers[click.target % len(drivers)].click(
                    message,
                    f"poll_vote:{click.position}",
                    user=click.user,
                    action_ts=click.action_ts,
                )
                ok = reply.status == 200
            except aiohttp.ClientError:
                ok = False
            times.append(loop.time() - started)
            failed += not ok

    await asyncio.gather(*(voter(clicks) for clicks in sequences))
    return times, failed, last


async def stored_votes(url: str, poll_id: int) -> set[tuple[str, str]]:
    """(voter, option text) of every vote in the poll, from the database."""
    db = Database(url)
    try:
        async with db.session() as session:
            found = await session.exec(
                select(PollVote.voter, PollOption.text)
                .join(PollOption, PollOption.id == PollVote.option_id)  # type: ignore[arg-type]
                .where(PollVote.poll_id == poll_id)
            )
            return set(found.all())
    finally:
        await db.dispose()


async def start_apps(url: str, api_url: str, replicas: int) -> tuple[list[Process], list[int]]:
    """The bare Bolt app, then ``python -m bot run`` per replica; their processes and ports."""
    ports = [free_port() for _ in range(replicas + 1)]
    processes = [await start_app("bare", ports[0], api_url, url)]
    for port in ports[1:]:  # one after the other: each migrates the schema at start
        env = {
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": api_url,
            "DATABASE_URL": url,
            "PORT": str(port),
        }
        processes.append(await start_process(["bot", "run"], port, env=env))
    return processes, ports


async def one_round(
    slack: FakeSlack,
    url: str,
    drivers: list[SlackDriver],
    processes: list[Process],
    users: list[str],
    run: Run,
    *,
    bare_first: bool,
) -> None:
    """A new poll; the same burst of clicks to the bare app and to the bot's replicas."""
    bare, bots = drivers[0], drivers[1:]
    before = {m.ts for m in slack.messages}
    quoted = " ".join(f'"{option}"' for option in OPTIONS)
    await bots[0].command(f'poll "Next topic?" {quoted}', user=COORDINATOR, channel=CHANNEL)
    message = await slack.wait_for(
        lambda: next(
            (m for m in slack.messages if m.ts not in before and "poll_vote" in str(m.blocks)),
            None,
        ),
        within=30,
    )
    poll_id = next(
        int(str(element["value"]).split(":")[0])
        for block in message.blocks
        for element in block.get("elements") or []
        if str(element.get("action_id", "")).startswith("poll_vote")
    )
    await quiet(slack, 1.5)
    clicked = copy.deepcopy(message)  # both apps get the clicks on the message as it was
    sequences, final = plan(users, len(bots))
    expected = dict.fromkeys(OPTIONS, 0)
    for position in final.values():
        expected[OPTIONS[position - 1]] += 1
    loop = asyncio.get_running_loop()
    for app in ("bare", "bot") if bare_first else ("bot", "bare"):
        watched = processes[:1] if app == "bare" else processes[1:]
        cpu = cpu_seconds(watched)
        times, failed, last_click = await burst(
            [bare] if app == "bare" else bots, clicked, sequences
        )
        if app == "bare":
            run.bare += times
            run.cpu_bare += cpu_seconds(watched) - cpu
        else:
            try:
                await slack.wait_for(lambda: shown_counts(message) == expected, within=120)
                run.shown_after.append(loop.time() - last_click)
            except TimeoutError:
                run.shown_after.append(None)
            run.ours += times
            run.cpu_ours += cpu_seconds(watched) - cpu
            run.failed += failed
        await quiet(slack, 1.5)
    run.clicks += sum(len(clicks) for clicks in sequences)
    updates = sorted(
        call.at for call in slack.calls_to("chat.update") if call.args.get("ts") == message.ts
    )
    run.updates.append(len(updates))
    run.gaps += [later - earlier for earlier, later in itertools.pairwise(updates)]
    wanted = {(user, OPTIONS[position - 1]) for user, position in final.items()}
    have = await stored_votes(url, poll_id)
    run.lost_db += len(wanted - have)
    run.doubled_db += len(have - wanted)
    shown = shown_counts(message)
    run.lost_shown += sum(max(0, expected[o] - shown.get(o, 0)) for o in OPTIONS)
    run.doubled_shown += sum(max(0, shown.get(o, 0) - expected[o]) for o in OPTIONS)


async def run_one(
    database: str, url: str, *, voters: int, replicas: int, concurrency: int, rounds: int
) -> Run:
    users = [f"U0V{n:07d}" for n in range(voters)]
    slack = FakeSlack()
    slack.add_user(COORDINATOR, "Bench Coordinator")
    slack.add_channel(CHANNEL, "klynge-bench", [COORDINATOR, *users])
    await slack.start()
    processes: list[Process] = []
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency))
    try:
        processes, ports = await start_apps(url, slack.api_url, replicas)
        drivers = [
            SlackDriver(
                bot_url=f"http://127.0.0.1:{port}",
                signing_secret=SECRET,
                slack=slack,
                session=session,
            )
            for port in ports
        ]
        await drivers[1].command("setup", user=COORDINATOR, channel=CHANNEL)
        await slack.wait_for(lambda: slack.channel_messages(CHANNEL), within=30)
        # A warm-up round, not counted: a deployed app has run these code paths before.
        warm = Run(database, replicas)
        await one_round(slack, url, drivers, processes, users[:WARM_UP], warm, bare_first=True)
        run = Run(database, replicas)
        for number in range(rounds):  # which app goes first alternates
            await one_round(slack, url, drivers, processes, users, run, bare_first=number % 2 == 0)
        return run
    finally:
        await session.close()
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            await process.wait()
        await slack.stop()


async def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.polls", description=__doc__)
    parser.add_argument("--voters", type=int, default=2000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--replicas", default="1,2")
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    runs: list[Run] = []
    for database in [name.strip() for name in args.databases.split(",") if name.strip()]:
        for replicas in [int(n) for n in args.replicas.split(",") if n.strip()]:
            async with fresh_database(database) as url:
                run = await run_one(
                    database,
                    url,
                    voters=args.voters,
                    replicas=replicas,
                    concurrency=args.concurrency,
                    rounds=args.rounds,
                )
            runs.append(run)
            print(
                f"{database}, {replicas} replica(s), {run.clicks} clicks: {run.row()}", flush=True
            )
    print()
    print(table(HEADER, [run.row() for run in runs]))
    return 0 if all(run.exact for run in runs) else 1


if __name__ == "__main__":
    started = time.monotonic()
    code = asyncio.run(main())
    print(f"(benchmark ran {time.monotonic() - started:.1f} s)")
    raise SystemExit(code)
