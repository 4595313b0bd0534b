"""Start-up time and idle memory of ``python -m bot run``.

    python -m bench.startup

Starts the real process against a fake Slack and a fresh SQLite database, measures the time
until ``/healthz`` answers 200 (including the schema migration) and the resident memory after
it has been idle for two seconds. Median of five runs.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.common import median
from bot.fakeslack.server import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_run(slack: FakeSlack) -> tuple[float, float]:
    port = _free_port()
    with tempfile.TemporaryDirectory() as directory:
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": "bench",
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{directory}/bench.db",
            "PORT": str(port),
        }
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        async with aiohttp.ClientSession() as session:
            while True:
                try:
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                        if response.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.01)
        ready = time.perf_counter() - started
        await asyncio.sleep(2)
        rss = _rss_mib(process.pid)
        process.send_signal(signal.SIGTERM)
        await process.wait()
    return ready, rss


async def main() -> None:
    slack = FakeSlack()
    await slack.start()
    try:
        results = [await one_run(slack) for _ in range(RUNS)]
    finally:
        await slack.stop()
    ready = median([r[0] for r in results])
    rss = median([r[1] for r in results])
    print(f"start-up to /healthz 200 (with migration): {ready * 1000:.0f} ms (median of {RUNS})")
    print(f"idle resident memory: {rss:.0f} MiB (median of {RUNS})")


if __name__ == "__main__":
    asyncio.run(main())
