"""``python -m bot demo``: a whole cluster meeting, played offline and printed as a transcript.

The real bot (same handlers, same database code, a temporary SQLite file) runs in this process
and talks HTTP to the built-in fake Slack; the demo plays the members and Slack's side with
signed requests, moves a simulated clock forward for reminders and follow-ups, and prints what
each person sees.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import aiohttp

from bot.fakeslack.driver import SlackDriver
from bot.fakeslack.render import render_message
from bot.fakeslack.server import BOT_USER_ID, FakeSlack, Message
from bot.i18n import Text
from bot.runtime import Klyngebot
from bot.settings import Settings
from storage.jobs import next_due_at

CHANNEL = "C0DEMO"
SIGNING_SECRET = "demo-signing-secret"
PEOPLE = {
    "U0ANNE": "Anne Holm",
    "U0BO": "Bo Jensen",
    "U0CAMILLA": "Camilla Ørsted",
    "U0DORTE": "Dorte Lund",
    "U0EMIL": "Emil Skov",
    "U0FRIDA": "Frida Nielsen",
    "U0GUSTAV": "Gustav Bæk",
    "U0HANNE": "Hanne Friis",
    "U0IB": "Ib Mortensen",
    "U0JETTE": "Jette Aagaard",
    "U0KASPER": "Kasper Due",
    "U0LISE": "Lise Møller",
}
ANNE, BO, CAMILLA, DORTE = "U0ANNE", "U0BO", "U0CAMILLA", "U0DORTE"

INTRO = Text(
    en="klyngebot demo: one quality cluster's meeting, played offline against a fake Slack.\n"
    "Everything below is the real bot answering real (signed) Slack requests.",
    da="klyngebot-demo: en kvalitetsklynges møde, spillet offline mod et falsk Slack.\n"
    "Alt nedenfor er den rigtige bot, der svarer på rigtige (signerede) Slack-forespørgsler.",
)
ONLY_YOU = Text(en="only {name} sees this", da="kun {name} ser dette")
UPDATED = Text(en="message updated", da="besked opdateret")
DONE = Text(
    en="Demo finished: {posts} channel posts, {whispers} private answers, {calls} Slack API "
    "calls. Run `python -m bot run` with Slack tokens to use it for real (see README.md).",
    da="Demoen er slut: {posts} kanalbeskeder, {whispers} private svar, {calls} kald til "
    "Slacks API. Kør `python -m bot run` med Slack-nøgler for at bruge den rigtigt "
    "(se README.md).",
)


class DemoClock:
    """Simulated time: starts now and jumps forward when the demo says so."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(second=0, microsecond=0)

    def __call__(self) -> datetime:
        return self.now


class Demo:
    """The bot, a fake Slack with a cluster of twelve doctors, and a transcript printer."""

    def __init__(self, *, language: str = "en", out: TextIO = sys.stdout) -> None:
        self.language = language
        self.out = out
        self.clock = DemoClock()
        self.slack = FakeSlack()
        for user_id, name in PEOPLE.items():
            email = name.lower().replace(" ", ".").replace("ø", "oe").replace("æ", "ae")
            self.slack.add_user(user_id, name, email=f"{email}@klinik.dk")
        self.slack.add_channel(CHANNEL, "klynge-nord", list(PEOPLE))
        self.names = {**PEOPLE, BOT_USER_ID: "klyngebot"}
        self._directory = Path(tempfile.mkdtemp(prefix="klyngebot-demo-"))
        self._session: aiohttp.ClientSession | None = None
        self.bot: Klyngebot | None = None
        self.driver: SlackDriver | None = None
        self._seen_messages: dict[tuple[str, str], int] = {}
        self._seen_ephemerals = 0

    async def __aenter__(self) -> Demo:
        await self.slack.start()
        settings = Settings(
            bot_token="xoxb-demo",
            signing_secret=SIGNING_SECRET,
            api_url=self.slack.api_url,
            database_url=f"sqlite+aiosqlite:///{self._directory / 'demo.db'}",
            language="da" if self.language == "da" else "en",
        )
        self.bot = Klyngebot(settings, clock=self.clock, run_scheduler=False)
        await self.bot.start(port=0)
        self._session = aiohttp.ClientSession()
        self.driver = SlackDriver(
            bot_url=self.bot.url,
            signing_secret=SIGNING_SECRET,
            slack=self.slack,
            session=self._session,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.bot is not None:
            await self.bot.stop()
        if self._session is not None:
            await self._session.close()
        await self.slack.stop()
        shutil.rmtree(self._directory, ignore_errors=True)

    # --- acting -------------------------------------------------------------------------------

    def t(self, text: Text, **values: object) -> str:
        return text.render(self.language, **values)

    def heading(self, text: str) -> None:
        print(f"\n=== {text} ===", file=self.out)

    def note(self, text: str) -> None:
        print(f"    ({text})", file=self.out)

    async def command(self, user: str, text: str, *, quiet: bool = False) -> None:
        assert self.driver is not None
        assert self.bot is not None
        if not quiet:
            print(f"\n{self.names[user]}: /klynge {text}", file=self.out)
        reply = await self.driver.command(text, user=user, channel=CHANNEL)
        if reply.status != 200:
            raise RuntimeError(f"the bot answered HTTP {reply.status} to /klynge {text}")
        await self.bot.settle()
        self.show(quiet=quiet)

    async def click(
        self,
        user: str,
        message: Message,
        action_id: str,
        *,
        value: str | None = None,
        quiet: bool = False,
    ) -> None:
        assert self.driver is not None
        assert self.bot is not None
        reply = await self.driver.click(message, action_id, user=user, value=value)
        if reply.status != 200:
            raise RuntimeError(f"the bot answered HTTP {reply.status} to a click on {action_id}")
        await self.bot.settle()
        if not quiet:
            label = value or action_id
            print(f"\n{self.names[user]} clicks [{label}]", file=self.out)
            self.show()

    async def pass_time(self, until: datetime, label: str) -> None:
        """Move the clock to ``until``, running every job that comes due on the way."""
        assert self.bot is not None
        self.heading(label)
        scheduler = self.bot.deps.scheduler
        while True:
            async with self.bot.deps.db.session() as session:
                upcoming = await next_due_at(session, now=self.clock.now)
            if upcoming is None or upcoming > until:
                break
            self.clock.now = max(self.clock.now, upcoming)
            await scheduler.run_due()
            await self.bot.settle()
            self.show()
        self.clock.now = until

    def latest_post(self, predicate: Callable[[Message], bool] | None = None) -> Message:
        for message in reversed(self.slack.channel_messages(CHANNEL)):
            if predicate is None or predicate(message):
                return message
        raise LookupError("no such message")

    # --- printing what people saw ---------------------------------------------------------------

    def show(self, *, quiet: bool = False) -> None:
        for message in self.slack.messages:
            key = (message.channel, message.ts)
            seen = self._seen_messages.get(key)
            if seen == message.updates:
                continue
            self._seen_messages[key] = message.updates
            if quiet:
                continue
            where = "#klynge-nord" if message.channel == CHANNEL else "DM"
            if message.channel.startswith("D"):
                where = f"DM → {self.names.get(message.channel[1:], message.channel[1:])}"
            tag = f" ({self.t(UPDATED)})" if seen is not None else ""
            self._print_block(f"[{where}] klyngebot{tag}:", message.text, message.blocks)
        for ephemeral in self.slack.ephemerals[self._seen_ephemerals :]:
            if not quiet:
                name = self.names.get(ephemeral.user or "", "?")
                self._print_block(
                    f"[{self.t(ONLY_YOU, name=name)}] klyngebot:", ephemeral.text, ephemeral.blocks
                )
        self._seen_ephemerals = len(self.slack.ephemerals)

    def _print_block(self, title: str, text: str, blocks: list[dict[str, Any]]) -> None:
        print(f"  {title}", file=self.out)
        for line in render_message(text, blocks, self.names):
            print(f"  │ {line}", file=self.out)

    def summary(self) -> None:
        posts = len(self.slack.channel_messages(CHANNEL))
        print(
            "\n"
            + self.t(
                DONE,
                posts=posts,
                whispers=len(self.slack.ephemerals),
                calls=len(self.slack.calls),
            ),
            file=self.out,
        )


async def play(demo: Demo) -> None:
    """The meeting, step by step."""
    print(demo.t(INTRO), file=demo.out)
    demo.heading("Setup" if demo.language == "en" else "Opsætning")
    setup = "setup --language da" if demo.language == "da" else "setup"
    await demo.command(ANNE, setup)
    await demo.command(ANNE, f"coordinator add <@{BO}>")
    await demo.command(CAMILLA, "coordinator list")
    await demo.command(CAMILLA, "help")


async def run_demo(*, language: str = "en", out: TextIO = sys.stdout) -> int:
    async with Demo(language=language, out=out) as demo:
        await play(demo)
        demo.summary()
    return 0
