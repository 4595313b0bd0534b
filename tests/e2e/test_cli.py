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
    # The coordinator's private confirmation comes once the cluster is stored. (The welcome
    # post does not say so: it goes out inside set-up's transaction, so that a set-up that
    # cannot post stores nothing, and a poll sent the moment it appears may find no cluster.)
    await slack.wait_for(lambda: slack.calls_to("response_url"), within=30)
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
            # Kept: every acknowledged click is in the click log (counted at once, or by the
            # poll_fold job of the next process: see the kill -9 test below).
            kept = (await session.exec(select(func.count(func.distinct(PollClick.voter))))).one()
    finally:
        await db.dispose()
    assert kept == acknowledged


def _serving_env(slack: FakeSlack, tmp_path: Path, **values: str) -> dict[str, str]:
    """What ``run`` needs against the fake Slack on a fresh SQLite file, plus ``values``."""
    return _env(
        **{
            "SLACK_BOT_TOKEN": "xoxb-test-token",
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/k.db",
            "PORT": str(_free_port()),
            **values,
        }
    )


async def _refused(env: dict[str, str]) -> str:
    """Run ``run`` with ``env``, which must end it at once, non-zero; returns what it said."""
    code, out, err = await _run("run", env=env, seconds=45)

    assert code != 0
    assert "Traceback" not in out + err
    assert "Nothing was started" in err
    return err


@pytest.mark.parametrize("error", ["invalid_auth", "account_inactive", "token_revoked"])
async def test_run_with_a_bot_token_slack_refuses_ends_at_once_naming_it(
    error: str, slack: FakeSlack, tmp_path: Path
) -> None:
    slack.workspaces.accept_any = False  # only tokens Slack issued are good
    token = "xoxb-test-token"
    if error == "invalid_auth":
        token = "xoxb-mistyped"
    else:
        slack.fail("auth.test", error=error)

    err = await _refused(_serving_env(slack, tmp_path, SLACK_BOT_TOKEN=token))

    assert "SLACK_BOT_TOKEN" in err
    assert error in err
    assert [call.method for call in slack.calls] == ["auth.test"]  # and nothing else was done


async def test_run_with_an_app_token_slack_refuses_names_it(
    slack: FakeSlack, tmp_path: Path
) -> None:
    slack.fail("apps.connections.open", error="invalid_auth")

    err = await _refused(_serving_env(slack, tmp_path, SLACK_APP_TOKEN="xapp-revoked"))

    assert "SLACK_APP_TOKEN" in err
    assert "invalid_auth" in err


async def test_run_that_cannot_reach_slack_names_the_api_url(tmp_path: Path) -> None:
    nowhere = f"http://127.0.0.1:{_free_port()}/api/"
    env = _env(
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=nowhere,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/k.db",
    )

    err = await _refused(env)

    assert nowhere in err
    assert "SLACK_API_URL" in err


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
async def test_run_with_an_unreachable_database_names_database_url(
    kind: str, slack: FakeSlack, tmp_path: Path
) -> None:
    url = (
        f"postgresql+asyncpg://klynge:s3cret@127.0.0.1:{_free_port()}/klynge"
        if kind == "postgresql"
        else f"sqlite+aiosqlite:///{tmp_path}/no/such/folder/k.db"
    )

    err = await _refused(_serving_env(slack, tmp_path, DATABASE_URL=url))

    assert "DATABASE_URL" in err
    assert "s3cret" not in err  # the password is not printed
    assert not slack.calls  # the database is checked first


async def test_run_for_many_workspaces_serves_the_install_link(
    slack: FakeSlack, tmp_path: Path
) -> None:
    port = _free_port()
    env = _serving_env(
        slack,
        tmp_path,
        SLACK_BOT_TOKEN="",
        SLACK_CLIENT_ID="1111.2222",
        SLACK_CLIENT_SECRET="fake-client-secret",
        PORT=str(port),
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=ROOT, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        async with aiohttp.ClientSession() as session:
            await _wait_healthy(session, port)
            async with session.get(f"http://127.0.0.1:{port}/slack/install") as page:
                body = await page.text()
                status = page.status
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), timeout=10)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    assert status == 200
    assert "https://slack.com/oauth/v2/authorize?" in body
    assert "client_id=1111.2222" in body
    assert code == 0


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

            for _ in range(900):  # up to 90 s: a busy machine starts the next process slowly
                if await counted() == kept:
                    break
                await asyncio.sleep(0.1)
            assert await counted() == kept
    finally:
        await db.dispose()
