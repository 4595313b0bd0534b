"""Hostile input and Slack's failures, as a Danish cluster sees them: numbers and option values
refused in Danish, clicks from outside and forged buttons answered in Danish, and a failure on
the bot's side or in the database told in Danish — with no English in any of it."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot.fakeslack.model import Message
from storage.db import Database
from storage.votes import PollVote
from tests.e2e.danish_helpers import assert_danish, danish_cluster
from tests.e2e.test_modal_faults import poll_values
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, Harness

OUTSIDER = "U0OUTSIDE"
BOOM = "test:boom"
FORM = poll_values("Næste emne?", "KOL\nDemens")

# --- numbers and option values --------------------------------------------------------------------

NOT_ASCII_NUMBERS = {
    "afstemning luk ²": "`²` er ikke et afstemningsnummer",
    "afstemning luk ٣": "`٣` er ikke et afstemningsnummer",
    "møde vis ①": "»①« er ikke et mødenummer",
    "referat ²": "Brug `/klynge referat [mødenummer]`",
    "år ２０２６": "`/klynge år 2026`",
}


@pytest.mark.parametrize(("text", "answer"), NOT_ASCII_NUMBERS.items(), ids=NOT_ASCII_NUMBERS)
async def test_numbers_that_are_not_ascii_digits_are_refused_in_danish(
    database_url: str, text: str, answer: str
) -> None:
    async with danish_cluster(database_url) as h:
        await h.command(text)

        assert answer in h.last_whisper()
        assert_danish(h.last_whisper())


POLL = 'afstemning "Emne?" "KOL" "Demens"'
MEETING = "møde tilføj 5/1-2027 kl. 16 Titel"
BAD_FLAGS = {
    f"{POLL} --lukker": "`--lukker` skal efterfølges af en værdi",
    f"{POLL} --lukker i morgen": "kommer klokkeslættet, fx kl. 16",
    f"{POLL} --lukker 1/13-2026 kl. 10": "»1/13-2026« findes ikke i kalenderen",
    f"{POLL} --lukker 1/12-2026 25.00": "»25.00« er ikke et klokkeslæt",
    f"{POLL} --lukker ² ³": "Jeg kan ikke læse »²« som en dato",
    f"{POLL} --lukker 31.02.2027 kl. 10": "»31.02.2027« findes ikke i kalenderen",
    f"{POLL} --lukker 28/3-2027 kl. 02.30": "den nat stilles urene frem",
    f"{POLL} --flere ²": "`--flere` angiver, hvor mange muligheder",
    f"{MEETING} --påmind ²d": "»²d« som en påmindelsestid",
    f"{MEETING} --gentag ²u --antal 2": "Jeg kender ikke gentagelsen »²u«",
    f"{MEETING} --gentag 2u --antal ²": "»²« er ikke et antal møder",
    f"{MEETING} --gentag 2u --indtil 1/13-2027": "»1/13-2027« findes ikke i kalenderen",
    "opret --tidszone Europe/" + "x" * 300: "er ikke en tidszone",
    "opret --tidszone ../../etc/passwd": "`../../etc/passwd` er ikke en tidszone",
}


@pytest.mark.parametrize(("text", "answer"), BAD_FLAGS.items(), ids=range(len(BAD_FLAGS)))
async def test_every_malformed_option_value_is_answered_in_danish(
    database_url: str, text: str, answer: str
) -> None:
    async with danish_cluster(database_url) as h:
        posts = len(h.posts())

        await h.command(text)

        assert answer in h.last_whisper()
        assert_danish(h.last_whisper())
        assert "ÅÅÅÅ" not in h.last_whisper()
        assert len(h.posts()) == posts


# --- clicks ---------------------------------------------------------------------------------------


async def test_a_forged_poll_button_and_an_outsider_are_answered_in_danish(
    database_url: str,
) -> None:
    async with danish_cluster(database_url) as h:
        h.slack.add_user(OUTSIDER, "Udefra")
        await h.command(f"{POLL} --rangordnet", user=MEMBER)
        poll = h.last_post()
        forged = copy.deepcopy(poll)
        for block in forged.blocks:
            for element in [*block.get("elements", []), block.get("accessory") or {}]:
                if element.get("action_id") == "poll_rank":
                    element["value"] = "²"

        await h.click(forged, "poll_rank", user=MEMBER)
        assert h.last_whisper(MEMBER) == "Jeg kan ikke finde denne afstemning længere."

        await h.click(poll, "poll_rank", user=OUTSIDER)
        told = h.last_whisper(OUTSIDER)
        assert "kun dens medlemmer kan bruge det" in told
        assert_danish(told)
        async with h.db.session() as session:
            assert (await session.exec(select(PollVote))).all() == []


async def test_a_swap_accepted_twice_is_announced_once_in_danish(database_url: str) -> None:
    from tests.e2e.facilitators_helpers import _dm, _plan_meetings, _start

    a, c = DOCTORS[0], DOCTORS[2]
    async with Harness(database_url, language="da") as h:
        await _start(h, DOCTORS[:4])
        await _plan_meetings(h, 6)
        await h.command(f"tovholder byt <@{a}> <@{c}>", user=a)
        question = _dm(h, c)
        assert h.driver is not None

        await asyncio.gather(
            h.driver.click(question, "facilitator_swap_accept", user=c),
            h.driver.click(question, "facilitator_swap_accept", user=c),
        )
        await h.settle()

        assert "Du sagde ja: " in h.dms(c)[-1]
        assert_danish(h.dms(c)[-1])
        swapped = [m.text for m in h.posts() if "har byttet tur" in m.text]
        assert len(swapped) == 1
        assert_danish(swapped[0].split("\n")[0])  # the lines after name the test's meetings


# --- the bot's own failures -----------------------------------------------------------------------


async def test_setup_through_slacks_rate_limit_confirms_in_danish(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        h.slack.fail("chat.postMessage", status=429, retry_after=1)

        await h.setup_cluster()

        assert len(h.posts()) == 1
        assert "Du er nu klyngekoordinator for *klynge-nord*" in h.last_whisper(COORDINATOR)
        assert_danish(h.last_whisper(COORDINATOR))


async def test_a_slack_error_nobody_can_fix_is_told_in_danish(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        h.slack.fail("chat.postMessage", error="fatal_error", times=1)

        await h.command("opret")

        assert "Beklager, noget gik galt hos mig" in h.last_whisper(COORDINATOR)
        assert_danish(h.last_whisper(COORDINATOR))


async def test_a_bot_not_in_the_channel_asks_in_danish_to_be_invited(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        h.slack.channels[CHANNEL]["members"].remove("UKLYNGEBOT")

        await h.command("opret")

        told = h.last_whisper(COORDINATOR)
        assert "Tilføj mig med `/invite @klyngebot` og prøv igen." in told
        assert_danish(told)


async def test_a_listener_failing_after_ack_tells_a_danish_cluster_in_danish(
    database_url: str,
) -> None:
    async def boom(ack: Callable[[], Awaitable[None]]) -> None:
        await ack()
        raise RuntimeError("a bug")

    async with danish_cluster(database_url) as h:
        assert h.bot is not None
        h.bot.app.action(BOOM)(boom)
        message = Message(
            channel=CHANNEL,
            ts="1700000000.000001",
            text="x",
            blocks=[{"type": "actions", "elements": [{"type": "button", "action_id": BOOM}]}],
        )

        reply = await h.click(message, BOOM, user=MEMBER)

        assert reply.status == 200
        assert "Beklager, noget gik galt hos mig" in h.last_whisper(MEMBER)
        assert_danish(h.last_whisper(MEMBER))


# --- a form the database cannot take --------------------------------------------------------------


async def danish_poll_form(h: Harness) -> dict[str, Any]:
    await h.command("afstemning", user=MEMBER)
    return dict(h.slack.calls_to("views.open")[-1].args["view"])


async def test_a_danish_form_is_told_in_danish_that_the_database_is_down(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with danish_cluster(database_url) as h:
        view = await danish_poll_form(h)

        @asynccontextmanager
        async def down(_self: Database) -> AsyncIterator[Any]:
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))
            yield  # pragma: no cover

        monkeypatch.setattr(Database, "session", down)
        reply = await h.submit(view, FORM, user=MEMBER)
        monkeypatch.undo()

        error = reply.json()["errors"]["question"]
        assert "Jeg kan ikke nå min database lige nu, så intet blev gemt" in error
        assert_danish(error)


async def test_a_danish_form_the_database_is_too_slow_for_is_answered_in_danish(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with danish_cluster(database_url) as h:
        view = await danish_poll_form(h)
        real = Database.session

        @asynccontextmanager
        async def slow(self: Database) -> AsyncIterator[Any]:
            await asyncio.sleep(8)
            async with real(self) as session:
                yield session

        monkeypatch.setattr(Database, "session", slow)
        reply = await h.submit(view, FORM, user=MEMBER)
        monkeypatch.undo()

        error = reply.json()["errors"]["question"]
        assert "Jeg kunne ikke nå at gemme det" in error
        assert_danish(error)
