"""The end-to-end harness: the real bot over HTTP, a fake Slack Web API, signed requests.

Each test gets a cluster channel with twelve doctors (plus a bot and a deactivated account that
must never count as members), a clock it can move, and helpers that send a command or a click
and wait until the bot has finished everything it acknowledged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any

import aiohttp

from bot.fakeslack.driver import Reply, SlackDriver
from bot.fakeslack.model import Message
from bot.fakeslack.rules import SlackRules
from bot.fakeslack.server import FakeSlack
from bot.runtime import Klyngebot
from bot.settings import Settings
from storage.db import Database

SETTLE_SECONDS = 60.0
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
CHANNEL = "C0CLUSTER"
OTHER_CHANNEL = "C0OTHER"
COORDINATOR = "U0DOC01"
DOCTORS = [f"U0DOC{number:02d}" for number in range(1, 13)]
MEMBER = DOCTORS[1]
OTHER_BOT = "U0OTHERBOT"
DEACTIVATED = "U0GONE"
DOCTOR_NAMES = [
    "Anne Holm",
    "Bo Jensen",
    "Camilla Ørsted",
    "Dorte Lund",
    "Emil Skov",
    "Frida Nielsen",
    "Gustav Bæk",
    "Hanne Friis",
    "Ib Mortensen",
    "Jette Aagaard",
    "Kasper Due",
    "Lise Møller",
]


class MutableClock:
    """A clock tests can move forward; starts at the real time."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta

    def set(self, moment: datetime) -> None:
        self.now = moment


class Harness:
    """``async with Harness(database_url) as h:`` — the bot, the fake Slack and a driver."""

    def __init__(
        self, database_url: str, *, language: str = "en", slack_rules: SlackRules | None = None
    ) -> None:
        """``slack_rules``: a kinder Slack than the real one, for a test that says why."""
        self.database_url = database_url
        self.slack = FakeSlack(rules=slack_rules)
        self.clock = MutableClock()
        # People's activity (who sees an ephemeral) follows the test's clock.
        self.slack.now = lambda: self.clock().timestamp()
        self.language = language
        self.bot: Klyngebot | None = None
        self._session: aiohttp.ClientSession | None = None
        self.driver: SlackDriver | None = None
        for user_id, name in zip(DOCTORS, DOCTOR_NAMES, strict=True):
            email = name.lower().replace(" ", ".").replace("ø", "oe").replace("æ", "ae")
            self.slack.add_user(user_id, name, email=f"{email}@klinik.dk")
        self.slack.add_user(OTHER_BOT, "Polly", is_bot=True)
        self.slack.add_user(DEACTIVATED, "Former Doctor", deleted=True)
        self.slack.add_channel(CHANNEL, "klynge-nord", [*DOCTORS, OTHER_BOT, DEACTIVATED])
        self.slack.add_channel(OTHER_CHANNEL, "klynge-syd", DOCTORS[:4])

    def settings(self) -> Settings:
        return Settings(
            bot_token="xoxb-test-token",
            signing_secret=SIGNING_SECRET,
            api_url=self.slack.api_url,
            database_url=self.database_url,
            language=self.language,  # type: ignore[arg-type]
        )

    async def __aenter__(self) -> Harness:
        await self.slack.start()
        self._session = aiohttp.ClientSession()
        await self.start_bot()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop_bot()
        if self._session is not None:
            await self._session.close()
        await self.slack.stop()

    async def start_bot(self, **settings_changes: Any) -> Klyngebot:
        settings = replace(self.settings(), **settings_changes)
        self.bot = Klyngebot(settings, clock=self.clock, run_scheduler=False)
        await self.bot.start(port=0)
        assert self._session is not None
        self.driver = SlackDriver(
            bot_url=self.bot.url,
            signing_secret=SIGNING_SECRET,
            slack=self.slack,
            session=self._session,
        )
        return self.bot

    async def stop_bot(self) -> None:
        if self.bot is not None:
            await self.bot.stop()
            self.bot = None

    @asynccontextmanager
    async def replica(self) -> AsyncIterator[tuple[Klyngebot, SlackDriver]]:
        """A second bot process on the same database, Slack and clock, as with several
        replicas, and a driver that sends requests to it, as a load balancer would."""
        other = Klyngebot(self.settings(), clock=self.clock, run_scheduler=False)
        await other.start(port=0)
        assert self._session is not None
        driver = SlackDriver(
            bot_url=other.url,
            signing_secret=SIGNING_SECRET,
            slack=self.slack,
            session=self._session,
        )
        try:
            yield other, driver
        finally:
            await other.stop()

    async def restart(self) -> Klyngebot:
        """Stop the bot and start a new process-equivalent on the same database."""
        await self.stop_bot()
        return await self.start_bot()

    @property
    def deps(self) -> Any:
        assert self.bot is not None
        return self.bot.deps

    @property
    def db(self) -> Database:
        assert self.bot is not None
        return self.bot.deps.db

    # --- driving the bot ------------------------------------------------------------------------

    async def settle(self) -> None:
        assert self.bot is not None
        # Slack paces posts (about one a second per channel), so a big post may take a while.
        await self.bot.settle(SETTLE_SECONDS)

    async def command(
        self, text: str, *, user: str = COORDINATOR, channel: str = CHANNEL, **options: Any
    ) -> Reply:
        """Send ``/klynge text`` and wait until the bot has done everything it acknowledged."""
        assert self.driver is not None
        reply = await self.driver.command(text, user=user, channel=channel, **options)
        await self.settle()
        return reply

    async def click(self, message: Message, action_id: str, *, user: str, **options: Any) -> Reply:
        assert self.driver is not None
        reply = await self.driver.click(message, action_id, user=user, **options)
        await self.settle()
        return reply

    async def click_in_view(
        self, view: dict[str, Any], action_id: str, *, user: str, value: str | None = None
    ) -> Reply:
        """``user`` clicks a button in a modal or the Home tab; waits for the bot."""
        assert self.driver is not None
        reply = await self.driver.click_in_view(view, action_id, user=user, value=value)
        await self.settle()
        return reply

    async def submit(
        self, view: dict[str, Any], values: dict[str, Any], *, user: str, **options: Any
    ) -> Reply:
        assert self.driver is not None
        reply = await self.driver.submit(view, values, user=user, **options)
        await self.settle()
        return reply

    async def shortcut(
        self, callback_id: str, message: Message, *, user: str, **options: Any
    ) -> Reply:
        """``user`` runs the message shortcut ``callback_id`` on ``message``; waits for the bot."""
        assert self.driver is not None
        reply = await self.driver.shortcut(callback_id, message, user=user, **options)
        await self.settle()
        return reply

    async def event(self, event: dict[str, Any], **options: Any) -> Reply:
        assert self.driver is not None
        reply = await self.driver.event(event, **options)
        await self.settle()
        return reply

    async def run_jobs(self) -> int:
        """Run every scheduled job that is due at the harness clock's time."""
        ran = await self.deps.scheduler.run_due()
        await self.settle()
        return int(ran)

    def add_doctors(self, count: int) -> list[str]:
        """``count`` more doctors (with e-mail addresses) in the cluster channel; their ids."""
        added = [f"U0EXTRA{number:02d}" for number in range(count)]
        for user in added:
            self.slack.add_user(user, f"Doctor {user}", email=f"{user.lower()}@klinik.dk")
        self.slack.channels[CHANNEL]["members"].extend(added)
        return added

    async def setup_cluster(self, extra: str = "") -> None:
        reply = await self.command(f"setup {extra}".strip())
        assert reply.status == 200

    # --- reading what the bot did ---------------------------------------------------------------

    def posts(self, channel: str = CHANNEL) -> list[Message]:
        """Top-level channel messages the bot posted, oldest first."""
        return [m for m in self.slack.channel_messages(channel) if m.thread_ts is None]

    def last_post(self, channel: str = CHANNEL) -> Message:
        posts = self.posts(channel)
        assert posts, "the bot posted nothing in the channel"
        return posts[-1]

    def whispers(self, user: str = COORDINATOR) -> list[str]:
        """Texts of the ephemeral messages ``user`` got, oldest first."""
        return [item.text for item in self.slack.ephemerals_for(user)]

    def dms(self, user: str) -> list[str]:
        """Texts of the bot's direct messages to ``user``, oldest first."""
        return [message.text for message in self.slack.channel_messages(f"D{user}")]

    def last_whisper(self, user: str = COORDINATOR) -> str:
        texts = self.whispers(user)
        assert texts, f"{user} got no private answer"
        return texts[-1]

    def find_post(self, predicate: Callable[[Message], bool], channel: str = CHANNEL) -> Message:
        for message in reversed(self.posts(channel)):
            if predicate(message):
                return message
        raise AssertionError("no such post in the channel")


def blocks_text(blocks: list[dict[str, Any]]) -> str:
    """The texts of a message's or view's blocks (sections and their elements), one a line."""
    parts = []
    for block in blocks:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(str(e.get("text", "")) for e in block.get("elements") or [])
    return "\n".join(parts)
