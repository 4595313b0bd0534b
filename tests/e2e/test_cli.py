"""``python -m bot`` as an operator runs it: errors without tokens, migrate, serve, SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from sqlmodel import func, select

from bot.fakeslack.driver import SlackDriver
from bot.fakeslack.model import Message
from bot.fakeslack.server import FakeSlack
from storage.db import Database
from storage.votes import PollClick, PollVote
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[2]


def _env(**values: str) -> dict[str, str]:
    keep = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "KLYNGE_", "DATABASE_URL", "PORT"))
    }
    return {**keep, "PYTHONPATH": str(ROOT), **values}


async def _run(*args: str, env: dict[str, str], seconds: float = 60) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), seconds)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_run_without_a_bot_token_explains_what_to_set(tmp_path: Path) -> None:
    code, out, err = await _run(
        "run", env=_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/k.db")
    )

    assert code != 0
    assert "SLACK_BOT_TOKEN" in err
    assert "python -m bot demo" in err
    assert "Traceback" not in out + err
    assert not (tmp_path / "k.db").exists()


async def test_run_with_a_bad_port_explains_the_problem() -> None:
    code, _, err = await _run(
        "run", env=_env(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s", PORT="http")
    )

    assert code != 0
    assert "PORT" in err
    assert "Traceback" not in err


async def test_migrate_brings_a_new_database_up_to_date(database_url: str) -> None:
    code, out, err = await _run("migrate", env=_env(DATABASE_URL=database_url))

    assert code == 0, err
    assert "revision" in out


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    for user in DOCTORS:
        fake.add_user(user, f"Doctor {user}")
    fake.add_channel(CHANNEL, "klynge-nord", DOCTORS)
    await fake.start()
    yield fake
    await fake.stop()


@asynccontextmanager
async def _running_bot(
    database_url: str, slack: FakeSlack
) -> AsyncIterator[tuple[asyncio.subprocess.Process, SlackDriver]]:
    """``python -m bot run`` as its own process, healthy, with a driver that talks to it."""
    port = _free_port()
    env = _env(
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        DATABASE_URL=database_url,
        PORT=str(port),
    )
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
    try:
        async with aiohttp.ClientSession() as session:
            await _wait_healthy(session, port)
            yield (
                process,
                SlackDriver(
                    bot_url=f"http://127.0.0.1:{port}",
                    signing_secret=SIGNING_SECRET,
                    slack=slack,
                    session=session,
                ),
            )
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _wait_healthy(session: aiohttp.ClientSession, port: int) -> None:
    for _ in range(1200):  # up to a minute: start-up is not what these tests measure
        try:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.05)
    pytest.fail("the bot did not come up")


async def test_sigterm_finishes_acknowledged_work_before_exiting(
    database_url: str, slack: FakeSlack
) -> None:
    async with _running_bot(database_url, slack) as (process, driver):
        slack.delays["chat.postMessage"] = 1.5  # the announcement is still on its way...
        reply = await driver.command("setup", user=COORDINATOR, channel=CHANNEL)
        assert reply.status == 200
        await slack.wait_for(lambda: slack.calls_to("chat.postMessage"), within=30)
        process.send_signal(signal.SIGTERM)  # ...when the platform stops the process
        code = await asyncio.wait_for(process.wait(), timeout=10)

    assert code == 0
    assert [message.channel for message in slack.messages] == [CHANNEL]
    assert slack.calls_to("response_url")  # the private confirmation went out too


def _add_voters(slack: FakeSlack, prefix: str, count: int) -> list[str]:
    """``count`` more members of the cluster channel."""
    voters = [f"{prefix}{n:03d}" for n in range(count)]
    for voter in voters:
        slack.add_user(voter, f"Voter {voter}")
    slack.channels[CHANNEL]["members"].extend(voters)
    return voters


async def _post_poll(slack: FakeSlack, driver: SlackDriver) -> Message:
    """Set the cluster up and post a poll with two options; the poll message."""
    await driver.command("setup", user=COORDINATOR, channel=CHANNEL)
    # The welcome post comes once the cluster is stored; a poll before that is refused.
    await slack.wait_for(lambda: slack.channel_messages(CHANNEL), within=30)
    await driver.command('poll "Topic?" "Sleep" "Diet"', user=COORDINATOR, channel=CHANNEL)
    poll: Message = await slack.wait_for(
        lambda: next((m for m in slack.messages if "poll_vote" in str(m.blocks)), None),
        within=30,  # a busy machine; what is tested is durability, not speed
    )
    return poll


async def test_sigterm_in_a_burst_of_votes_keeps_every_acknowledged_vote(
    database_url: str, slack: FakeSlack
) -> None:
    voters = _add_voters(slack, "U0VOTER", 80)
    async with _running_bot(database_url, slack) as (process, driver):
        poll = await _post_poll(slack, driver)
        slack.delays["chat.update"] = 0.5  # keep the burst's work in flight

        async def vote(voter: str) -> bool:
            try:
                reply = await driver.click(poll, "poll_vote:1", user=voter)
            except aiohttp.ClientError:
                return False  # refused once the bot stopped listening: never acknowledged
            return reply.status == 200

        burst = [asyncio.create_task(vote(voter)) for voter in voters]
        while sum(task.done() for task in burst) < 20:
            await asyncio.wait(burst, return_when=asyncio.FIRST_COMPLETED)
        process.send_signal(signal.SIGTERM)  # the platform stops the bot mid-burst
        acknowledged = sum(await asyncio.gather(*burst))
        code = await asyncio.wait_for(process.wait(), timeout=10)

    assert code == 0
    assert acknowledged >= 20
    db = Database(database_url)
    try:
        async with db.session() as session:
            stored = (await session.exec(select(func.count()).select_from(PollVote))).one()
    finally:
        await db.dispose()
    assert stored == acknowledged


async def test_kill_9_in_a_burst_of_votes_loses_no_acknowledged_vote(
    database_url: str, slack: FakeSlack
) -> None:
    voters = _add_voters(slack, "U0KILL", 120)
    async with _running_bot(database_url, slack) as (process, driver):
        poll = await _post_poll(slack, driver)

        async def vote(voter: str) -> bool:
            try:
                reply = await driver.click(poll, "poll_vote:2", user=voter)
            except aiohttp.ClientError:
                return False  # the process died before answering: never acknowledged
            return reply.status == 200

        burst = [asyncio.create_task(vote(voter)) for voter in voters]
        while sum(task.done() for task in burst) < 30:
            await asyncio.wait(burst, return_when=asyncio.FIRST_COMPLETED)
        process.kill()  # SIGKILL mid-burst: no shutdown, no draining
        answers = await asyncio.gather(*burst)
        acknowledged = {voter for voter, ok in zip(voters, answers, strict=True) if ok}
        await process.wait()

    assert len(acknowledged) >= 30
    db = Database(database_url)
    try:
        async with db.session() as session:
            kept = set((await session.exec(select(PollClick.voter))).all())
        assert acknowledged <= kept  # every acknowledged click was stored before its answer

        async with _running_bot(database_url, slack):  # the next process counts them

            async def counted() -> set[str]:
                async with db.session() as session:
                    return set((await session.exec(select(PollVote.voter))).all())

            for _ in range(300):
                if await counted() == kept:
                    break
                await asyncio.sleep(0.1)
            assert await counted() == kept
    finally:
        await db.dispose()
