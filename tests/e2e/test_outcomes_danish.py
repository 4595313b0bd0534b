"""Acknowledged means kept, told in Danish: while Slack refuses, a Danish cluster is told the truth
in Danish, and the results, the closing round, the take-homes, the minutes and a meeting's
announcement reach the channel in Danish once Slack answers again, exactly once."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.fakeslack.model import Message
from tests.e2e.danish_helpers import assert_danish, danish_cluster
from tests.e2e.test_outcomes import CPH, PAST_RATE_RETRIES, PAST_SERVER_RETRIES, later, pdfs
from tests.harness import CHANNEL, COORDINATOR, MEMBER, Harness


def results(h: Harness) -> list[str]:
    return [m.text for m in h.posts() if "*Resultat: Næste emne?*" in m.text]


async def poll(h: Harness) -> None:
    await h.command('afstemning "Næste emne?" "Diabetes" "KOL"', user=MEMBER)


# --- poll results -------------------------------------------------------------------------------


async def test_a_poll_closed_while_slack_refuses_is_told_in_danish_and_posted_once(
    database_url: str,
) -> None:
    async with danish_cluster(database_url) as h:
        await poll(h)
        h.slack.fail("chat.postMessage", status=500, times=PAST_SERVER_RETRIES, retry_after=None)

        await h.command("afstemning luk", user=MEMBER)

        told = h.last_whisper(MEMBER)
        assert "Afstemning nr. 1 er lukket." in told
        assert "så snart Slack tager imod det (du behøver ikke lukke den igen)" in told
        assert_danish(told)
        assert results(h) == []
        await later(h)
        await later(h)
        assert len(results(h)) == 1
        assert_danish(results(h)[0].replace("Diabetes", ""))


async def test_closing_again_while_results_wait_posts_them_and_says_so_in_danish(
    database_url: str,
) -> None:
    async with danish_cluster(database_url) as h:
        await poll(h)
        h.slack.fail("chat.postMessage", status=429, times=PAST_RATE_RETRIES, retry_after=1)
        await h.command("afstemning luk", user=MEMBER)

        await h.command("afstemning luk 1", user=MEMBER)
        assert h.last_whisper(MEMBER) == "Afstemning nr. 1 er lukket; resultatet står i kanalen."
        await h.command("afstemning luk 1", user=MEMBER)
        assert h.last_whisper(MEMBER) == "Afstemning nr. 1 er allerede lukket."
        assert len(results(h)) == 1


# --- the end of a meeting -----------------------------------------------------------------------


async def running_meeting(h: Harness) -> None:
    day = (h.clock() + timedelta(days=2)).astimezone(CPH).date()
    await h.command(f"møde tilføj {day:%d/%m-%Y} kl. 16 Dagens møde")
    h.clock.set(datetime.combine(day, time(16, 0), CPH))
    await h.command("start")
    await h.command("pointe Dagens læring", user=MEMBER)


def posted(h: Harness, words: str) -> list[Message]:
    return [m for m in h.posts() if words in m.text + str(m.blocks)]


def each_once_in_danish(h: Harness) -> None:
    """The closing round, the take-homes, the decision minutes and their PDF, once each."""
    assert len(posted(h, "*Dagens møde* er slut. Afrunding: hvad tager du med dig")) == 1
    assert len(posted(h, "*Pointer — Dagens møde (")) == 1
    assert len(posted(h, "Beslutningsreferat — Dagens møde")) == 1
    assert len(pdfs(h)) == 1


async def test_end_while_slack_is_down_is_told_in_danish_and_everything_follows_once(
    database_url: str,
) -> None:
    async with danish_cluster(database_url) as h:
        await running_meeting(h)
        h.slack.fail("chat.postMessage", status=500, times=PAST_SERVER_RETRIES, retry_after=None)

        await h.command("slut")

        told = h.last_whisper(COORDINATOR)
        assert "Møde nr. 1 *Dagens møde* er afsluttet (" in told
        assert "spørgsmålene til afrundingen" in told
        assert "(og referatet og beslutningsreferatet)" in told
        assert "så snart Slack tager imod dem. Du behøver ikke afslutte mødet igen." in told
        assert_danish(told)
        await h.command("slut")
        assert h.last_whisper(COORDINATOR).startswith("Intet møde er i gang")
        await later(h)
        await later(h)
        each_once_in_danish(h)


async def test_minutes_whose_pdf_fails_are_retried_and_the_end_is_confirmed_in_danish(
    database_url: str,
) -> None:
    async with danish_cluster(database_url) as h:
        await running_meeting(h)
        h.slack.fail(
            "files.completeUploadExternal", status=500, times=PAST_SERVER_RETRIES, retry_after=None
        )

        await h.command("slut")

        told = h.last_whisper(COORDINATOR)
        assert "Møde nr. 1 *Dagens møde* er afsluttet" in told
        assert "Spørgsmålene til afrundingen er i kanalen." in told
        assert_danish(told)
        assert pdfs(h) == []
        await later(h)
        await later(h)
        each_once_in_danish(h)


# --- a meeting's announcement, and other channel posts -------------------------------------------


async def test_a_meeting_added_while_slack_fails_is_announced_later_in_danish(
    database_url: str,
) -> None:
    async with danish_cluster(database_url) as h:
        day = (h.clock() + timedelta(days=9)).astimezone(CPH).date()
        h.slack.fail("files.getUploadURLExternal", status=500, times=3, retry_after=None)
        h.slack.fail("chat.postMessage", status=500, times=PAST_SERVER_RETRIES, retry_after=None)

        await h.command(f"møde tilføj {day:%d/%m-%Y} kl. 16 Diabetes")

        planned, later_told = h.whispers(COORDINATOR)[-2:]
        assert planned.startswith(":white_check_mark: Møde nr. 1 *Diabetes* er planlagt: ")
        assert "jeg kunne ikke annoncere det i kanalen endnu" in later_told
        assert "Tilføj ikke mødet igen." in later_told
        for text in (planned, later_told):
            assert_danish(text)
        await later(h)
        [announcement] = [
            str(file.initial_comment)
            for file in h.slack.files.values()
            if file.channel == CHANNEL and file.filename == "meeting-1.ics"
        ]
        assert announcement.startswith(":calendar: Nyt møde planlagt: *Diabetes* — ")
        assert_danish(announcement)


async def test_a_subcluster_made_while_slack_is_unreachable_is_told_in_danish(
    database_url: str,
) -> None:
    async with danish_cluster(database_url) as h:
        reachable = h.deps.client.base_url
        h.deps.client.base_url = "http://127.0.0.1:9/api/"  # nothing listens there

        await h.command(f"babyklynge opret Nord <@{MEMBER}>")

        told = h.last_whisper(COORDINATOR)
        assert told.startswith(":hourglass: Det er gjort, men Slack tager ikke imod beskeder")
        assert_danish(told)
        h.deps.client.base_url = reachable
        await later(h)
        assert len([m for m in h.posts() if "Nord" in m.text]) == 1
        await h.command(f"babyklynge opret Nord <@{MEMBER}>")
        assert "Der findes allerede en babyklynge *Nord*" in h.last_whisper(COORDINATOR)
        assert_danish(h.last_whisper(COORDINATOR))
