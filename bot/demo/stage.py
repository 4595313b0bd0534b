"""The demo's stage: the real bot, the fake Slack with a cluster, a simulated clock, and the
record of what everyone saw (printed as it happens, kept for the HTML page)."""

from __future__ import annotations

import copy
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import aiohttp

from bot.demo.events import (
    Action,
    Entry,
    Event,
    Note,
    Post,
    Recording,
    Step,
    Upload,
    Whisper,
)
from bot.fakeslack.driver import SlackDriver
from bot.fakeslack.model import BOT_USER_ID, Message
from bot.fakeslack.render import plain, render_message
from bot.fakeslack.server import FakeSlack
from bot.i18n import Text
from bot.runtime import Klyngebot
from bot.settings import Settings
from storage.jobs import next_due_at

CHANNEL = "C0DEMO"
CHANNEL_NAME = "klynge-nord"
# The cluster's time zone (the default one: the demo's set-up does not change it).
ZONE = ZoneInfo("Europe/Copenhagen")
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
IN_THREAD = Text(en="thread", da="tråd")
CLICKS = Text(en="{name} clicks [{label}]", da="{name} klikker på [{label}]")
DONE = Text(
    en="Demo finished: {posts} channel posts, {whispers} private answers, {calls} Slack API "
    "calls. Run `python -m bot run` with Slack tokens to use it for real (see README.md).",
    da="Demoen er slut: {posts} kanalbeskeder, {whispers} private svar, {calls} kald til "
    "Slacks API. Kør `python -m bot run` med Slack-nøgler for at bruge den rigtigt "
    "(se README.md).",
)


# When the demo begins: always the same moment, so that the transcript and the page come out the
# same byte for byte every time (and the README's pictures only change when the bot does). A
# Tuesday morning in late November 2026, Copenhagen time; the meeting is two weeks later and the
# follow-up four weeks after that, in January 2027.
START = datetime(2026, 11, 24, 9, 0, tzinfo=ZONE)


class DemoClock:
    """Simulated time: starts at ``START`` and jumps forward when the demo says so."""

    def __init__(self) -> None:
        self.now = START.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now


class Demo:
    """The bot, a fake Slack with a cluster of twelve doctors, and a transcript printer."""

    def __init__(
        self, *, language: str = "en", out: TextIO = sys.stdout, keeps_homes: bool = False
    ) -> None:
        self.language = language
        self.out = out
        # Opening Home tabs is for the HTML page; the transcript stays as it always was.
        self.keeps_homes = keeps_homes
        self.clock = DemoClock()
        self.slack = FakeSlack()
        self.slack.now = lambda: self.clock.now.timestamp()  # who is looking: simulated time too
        for user_id, name in PEOPLE.items():
            email = name.lower().replace(" ", ".").replace("ø", "oe").replace("æ", "ae")
            self.slack.add_user(user_id, name, email=f"{email}@klinik.dk")
        self.slack.add_channel(CHANNEL, CHANNEL_NAME, list(PEOPLE))
        self.names = {**PEOPLE, BOT_USER_ID: "klyngebot"}
        self.recording = Recording(
            channel=CHANNEL,
            channel_name=CHANNEL_NAME,
            language=language,
            zone=ZONE,
            names=self.names,
            messages=self.slack.messages,
        )
        self._where = CHANNEL  # where the last command or click was: response_url answers go there
        self._directory = Path(tempfile.mkdtemp(prefix="klyngebot-demo-"))
        self._session: aiohttp.ClientSession | None = None
        self.bot: Klyngebot | None = None
        self.driver: SlackDriver | None = None
        self._seen_messages: dict[tuple[str, str], int] = {}
        self._seen_ephemerals = 0
        self._seen_files = 0

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

    def heading(self, key: str, text: str) -> None:
        self.record(Step(key, text))

    def note(self, text: str) -> None:
        self.record(Note(text))

    async def command(self, user: str, text: str, *, quiet: bool = False) -> None:
        assert self.driver is not None
        assert self.bot is not None
        self._where = CHANNEL
        typed = f"/klynge {plain(text, self.names)}"
        self.record(Action(user, typed, command=True, where=CHANNEL), quiet=quiet)
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
        label = _button_label(message, action_id) or action_id  # before the click changes it
        self._where = message.channel
        reply = await self.driver.click(message, action_id, user=user, value=value)
        if reply.status != 200:
            raise RuntimeError(f"the bot answered HTTP {reply.status} to a click on {action_id}")
        await self.bot.settle()
        clicks = self.t(CLICKS, name=self.names[user], label=plain(label, self.names))
        self.record(Action(user, clicks, command=False, where=message.channel), quiet=quiet)
        self.show(quiet=quiet)

    async def open_home(self, user: str) -> None:
        """``user`` opens the bot's Home tab; kept for the HTML page (the transcript skips it)."""
        if not self.keeps_homes:
            return
        assert self.driver is not None
        assert self.bot is not None
        await self.driver.event({"type": "app_home_opened", "user": user, "tab": "home"})
        await self.bot.settle()
        view = self.slack.home_views.get(user)
        if view is None:
            raise RuntimeError(f"the bot published no Home tab for {user}")
        self.recording.homes[user] = (self.clock.now, copy.deepcopy(view))

    async def pass_time(self, until: datetime, key: str, label: str) -> None:
        """Move the clock to ``until``, running every job that comes due on the way."""
        assert self.bot is not None
        self.heading(key, label)
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
        return self.latest_message(CHANNEL, predicate)

    def latest_message(
        self, channel: str, predicate: Callable[[Message], bool] | None = None
    ) -> Message:
        for message in reversed(self.slack.channel_messages(channel)):
            if predicate is None or predicate(message):
                return message
        raise LookupError(f"no such message in {channel}")

    async def run_due_jobs(self) -> None:
        assert self.bot is not None
        await self.bot.deps.scheduler.run_due()
        await self.bot.settle()

    # --- recording and printing what people saw -----------------------------------------------

    def record(self, event: Event, *, quiet: bool = False) -> None:
        self.recording.entries.append(Entry(event, self.clock.now, quiet))
        if not quiet:
            self._print(event)

    def show(self, *, quiet: bool = False) -> None:
        """Record (and unless ``quiet`` print) what is new since the last call."""
        for message in self.slack.messages:
            key = (message.channel, message.ts)
            seen = self._seen_messages.get(key)
            if seen == message.updates:
                continue
            self._seen_messages[key] = message.updates
            self.record(Post(message, updated=seen is not None), quiet=quiet)
        for file in list(self.slack.files.values())[self._seen_files :]:
            if file.channel:
                self.record(Upload(file), quiet=quiet)
        self._seen_files = len(self.slack.files)
        for ephemeral in self.slack.ephemerals[self._seen_ephemerals :]:
            self.record(Whisper(ephemeral, ephemeral.channel or self._where), quiet=quiet)
        self._seen_ephemerals = len(self.slack.ephemerals)

    def _print(self, event: Event) -> None:
        if isinstance(event, Step):
            print(f"\n=== {event.label} ===", file=self.out)
        elif isinstance(event, Note):
            print(f"    ({event.text})", file=self.out)
        elif isinstance(event, Action) and event.command:
            print(f"\n{self.names[event.user]}: {event.text}", file=self.out)
        elif isinstance(event, Action):
            print(f"\n{event.text}", file=self.out)
        elif isinstance(event, Post):
            message = event.message
            where = "#klynge-nord" if message.channel == CHANNEL else "DM"
            if message.channel.startswith("D"):
                where = f"DM → {self.names.get(message.channel[1:], message.channel[1:])}"
            if message.thread_ts:
                where += f" {self.t(IN_THREAD)}"
            tag = f" ({self.t(UPDATED)})" if event.updated else ""
            self._print_block(f"[{where}] klyngebot{tag}:", message.text, message.blocks)
        elif isinstance(event, Upload):
            file = event.file
            where = "#klynge-nord" if file.channel == CHANNEL else "DM"
            size = len(file.content)
            print(f"  [{where}] klyngebot: 📎 {file.filename} ({size} bytes)", file=self.out)
        else:
            name = self.names.get(event.ephemeral.user or "", "?")
            self._print_block(
                f"[{self.t(ONLY_YOU, name=name)}] klyngebot:",
                event.ephemeral.text,
                event.ephemeral.blocks,
            )

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


def _button_label(message: Message, action_id: str) -> str | None:
    for block in message.blocks:
        for element in [*(block.get("elements") or []), block.get("accessory") or {}]:
            if element.get("action_id") == action_id:
                return str((element.get("text") or {}).get("text", ""))
    return None
