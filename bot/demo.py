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
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import aiohttp

from bot.fakeslack.driver import SlackDriver
from bot.fakeslack.model import BOT_USER_ID, Message
from bot.fakeslack.render import plain, render_message
from bot.fakeslack.server import FakeSlack
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
IN_THREAD = Text(en="thread", da="tråd")
CLICKS = Text(en="{name} clicks [{label}]", da="{name} klikker på [{label}]")
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

    def heading(self, text: str) -> None:
        print(f"\n=== {text} ===", file=self.out)

    def note(self, text: str) -> None:
        print(f"    ({text})", file=self.out)

    async def command(self, user: str, text: str, *, quiet: bool = False) -> None:
        assert self.driver is not None
        assert self.bot is not None
        if not quiet:
            print(f"\n{self.names[user]}: /klynge {plain(text, self.names)}", file=self.out)
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
        reply = await self.driver.click(message, action_id, user=user, value=value)
        if reply.status != 200:
            raise RuntimeError(f"the bot answered HTTP {reply.status} to a click on {action_id}")
        await self.bot.settle()
        if not quiet:
            clicks = self.t(CLICKS, name=self.names[user], label=plain(label, self.names))
            print(f"\n{clicks}", file=self.out)
        self.show(quiet=quiet)

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
            if message.thread_ts:
                where += f" {self.t(IN_THREAD)}"
            tag = f" ({self.t(UPDATED)})" if seen is not None else ""
            self._print_block(f"[{where}] klyngebot{tag}:", message.text, message.blocks)
        for file in list(self.slack.files.values())[self._seen_files :]:
            if not quiet and file.channel:
                where = "#klynge-nord" if file.channel == CHANNEL else "DM"
                print(
                    f"  [{where}] klyngebot: 📎 {file.filename} ({len(file.content)} bytes)",
                    file=self.out,
                )
        self._seen_files = len(self.slack.files)
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


def _button_label(message: Message, action_id: str) -> str | None:
    for block in message.blocks:
        for element in [*(block.get("elements") or []), block.get("accessory") or {}]:
            if element.get("action_id") == action_id:
                return str((element.get("text") or {}).get("text", ""))
    return None


def _has_action(prefix: str) -> Callable[[Message], bool]:
    def matches(message: Message) -> bool:
        return any(
            str(element.get("action_id", "")).startswith(prefix)
            for block in message.blocks
            for element in [*(block.get("elements") or []), block.get("accessory") or {}]
        )

    return matches


STEP = {
    "setup": Text(en="Setting up the cluster", da="Klyngen sættes op"),
    "plan": Text(en="Planning the next meeting", da="Næste møde planlægges"),
    "poll": Text(en="The members choose the topic", da="Medlemmerne vælger emnet"),
    "votes": Text(en="{count} members vote", da="{count} medlemmer stemmer"),
    "week": Text(en="A week before the meeting", da="En uge før mødet"),
    "day": Text(en="The day before", da="Dagen før"),
    "hour": Text(en="An hour before", da="En time før"),
    "meeting": Text(
        en="The meeting (on Zoom, with Slack open)", da="Mødet (på Zoom, med Slack åben)"
    ),
    "checkins": Text(en="{count} members check in", da="{count} medlemmer tjekker ind"),
    "rsvps": Text(en="{count} members answer the invitation", da="{count} medlemmer svarer"),
    "after": Text(
        en="Four weeks later: follow-up in the clinics",
        da="Fire uger senere: opfølgning i klinikkerne",
    ),
}
POLL = {
    "en": (
        '"Which topic shall we take up next?" "Antibiotics for respiratory infections" '
        '"Dementia in general practice" "COPD follow-up"'
    ),
    "da": (
        "“Hvilket emne tager vi op næste gang?” “Antibiotika ved luftvejsinfektioner” "
        "“Demens i almen praksis” “Opfølgning på KOL”"
    ),
}
TITLE = {"en": "Autumn meeting", "da": "Efterårsmøde"}
AGENDA = {
    "en": "16:00 check-in · 16:10 cases in small groups · 16:50 plenary · 17:20 closing round",
    "da": "16.00 check-in · 16.10 cases i små grupper · 16.50 plenum · 17.20 afrunding",
}
PREPARATION = {
    "en": "Bring one anonymised patient case where you hesitated over antibiotics "
    "(no CPR numbers or other patient-identifiable data).",
    "da": "Tag en anonymiseret patientsag med, hvor du var i tvivl om antibiotika "
    "(ingen CPR-numre eller andre patientoplysninger).",
}
TAKEAWAYS = {
    "en": [
        (CAMILLA, "Delayed prescription for otitis media: agree on it with the staff on Monday"),
        (DORTE, "Use CRP only where it changes what we do — & write that into our clinic guide"),
        ("U0EMIL", "Ask the nurses to book COPD check-ups <every 6 months>"),
    ],
    "da": [
        (CAMILLA, "Udskudt recept ved mellemørebetændelse: aftal det med personalet mandag"),
        (DORTE, "Brug kun CRP hvor det ændrer noget — & skriv det i klinikkens vejledning"),
        ("U0EMIL", "Bed sygeplejerskerne booke KOL-kontroller <hver 6. måned>"),
    ],
}


async def play(demo: Demo) -> None:
    """The meeting, step by step: set-up, plan, poll, reminders, meeting, follow-up."""
    lang = demo.language
    people = list(PEOPLE)
    print(demo.t(INTRO), file=demo.out)

    demo.heading(demo.t(STEP["setup"]))
    await demo.command(ANNE, "setup --language da" if lang == "da" else "setup")
    await demo.command(ANNE, f"coordinator add <@{BO}>")

    demo.heading(demo.t(STEP["plan"]))
    zone = ZoneInfo("Europe/Copenhagen")
    day = (demo.clock.now + timedelta(days=10)).astimezone(zone).date()
    await demo.command(
        ANNE, f"meeting add {day:%Y-%m-%d} 16:00 {TITLE[lang]} --zoom https://zoom.us/j/5551234567"
    )
    await demo.command(ANNE, f"meeting set 1 agenda {AGENDA[lang]}")
    await demo.command(ANNE, f"meeting set 1 prep {PREPARATION[lang]}")
    await demo.command(ANNE, "facilitator list")

    demo.heading(demo.t(STEP["poll"]))
    await demo.command(BO, f"poll {POLL[lang]}")
    poll = demo.latest_post(_has_action("poll_vote"))
    choices = [1, 1, 2, 1, 3, 1, 2, 1, 1, 3, 2, 1]
    demo.note(demo.t(STEP["votes"], count=len(choices)))
    for user, choice in zip(people, choices, strict=True):
        await demo.click(user, poll, f"poll_vote:{choice}", quiet=True)
    demo.clock.now += timedelta(seconds=2)
    await demo.run_due_jobs()  # the poll message is refreshed at most once a second
    demo.show()
    await demo.command(BO, "poll close")
    results = demo.latest_post(_has_action("poll_topic"))
    await demo.click(ANNE, results, "poll_topic:0")

    starts = datetime.combine(day, time(16, 0), zone)
    await demo.pass_time(starts - timedelta(days=6, hours=23), demo.t(STEP["week"]))
    reminder = demo.latest_post(_has_action("meeting_rsvp_yes"))
    demo.note(demo.t(STEP["rsvps"], count=9))
    for user in people[:8]:
        await demo.click(user, reminder, "meeting_rsvp_yes", quiet=True)
    await demo.click(people[8], reminder, "meeting_rsvp_no", quiet=True)
    demo.show()
    await demo.pass_time(starts - timedelta(hours=23), demo.t(STEP["day"]))
    await demo.pass_time(starts - timedelta(minutes=50), demo.t(STEP["hour"]))

    demo.heading(demo.t(STEP["meeting"]))
    demo.clock.now = starts.astimezone(UTC)
    await demo.command(ANNE, "start")
    agenda = demo.latest_post(_has_action("meeting_checkin"))
    demo.note(demo.t(STEP["checkins"], count=10))
    for user in people[:10]:
        await demo.click(user, agenda, "meeting_checkin", quiet=True)
    demo.show()
    await demo.command(ANNE, "breakout 3")
    demo.clock.now += timedelta(minutes=40)
    await demo.command(ANNE, "breakout 4")
    for user, text in TAKEAWAYS[lang]:
        await demo.command(user, f"takeaway {text}")
    demo.clock.now += timedelta(minutes=40)
    await demo.command(ANNE, "end")

    await demo.pass_time(demo.clock.now + timedelta(weeks=4, hours=1), demo.t(STEP["after"]))
    followup = demo.latest_message(f"D{CAMILLA}", _has_action("takeaway_followup:"))
    await demo.click(CAMILLA, followup, "takeaway_followup:done")


async def run_demo(*, language: str = "en", out: TextIO = sys.stdout) -> int:
    async with Demo(language=language, out=out) as demo:
        await play(demo)
        demo.summary()
    return 0
