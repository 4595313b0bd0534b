"""Erasing one member's data in a cluster: ``my data delete`` (``mine data slet``), ``member
forget`` (``medlem glem``) and leaving the channel; read back from the database, both languages.
Also: ``my data`` lists the votes in polls that show names."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from handlers.cluster.erasure import ERASE_ACTION, ERASE_CANCEL_ACTION, GRACE
from storage.meetings import Meeting
from storage.votes import PollBallot
from tests.e2e.erasure_helpers import (
    NOW,
    OTHER,
    REMINDED,
    THURSDAYS,
    assert_all_present,
    held_by,
    leave,
    populate,
    private_question,
    rows,
)
from tests.harness import CHANNEL, COORDINATOR, MEMBER, Harness


async def test_my_data_delete_asks_then_erases_the_member_and_nobody_else(
    harness: Harness,
) -> None:
    h = harness
    await populate(h)
    assert_all_present(await held_by(h, MEMBER))
    other_before = await held_by(h, OTHER)
    secret_ballots = len(await rows(h, PollBallot)) - 2  # the named poll's two

    await h.command("my data delete", user=MEMBER)
    question = private_question(h, MEMBER)
    assert "Erase all your data" in question.text
    assert (await held_by(h, MEMBER))["Rsvp"] == 1  # nothing erased before the click

    await h.click(question, ERASE_ACTION, user=MEMBER)

    after = await held_by(h, MEMBER)
    assert all(count == 0 for count in after.values()), after
    assert await held_by(h, OTHER) == other_before
    assert len(await rows(h, PollBallot)) - 1 == secret_ballots  # anonymous ones stay
    answer = h.last_whisper(MEMBER)
    assert "Your data in" in answer
    assert "is erased" in answer
    assert "1 RSVP, 1 check-in, 2 texts (take-home messages, decisions and instructions)" in answer
    assert "votes in 1 poll," in answer
    upcoming = [m for m in await rows(h, Meeting) if m.starts_at > NOW]
    assert all(m.facilitator_id and m.note_taker_id for m in upcoming)  # turns handed on


async def test_an_open_poll_shows_its_count_without_the_erased_votes(harness: Harness) -> None:
    h = harness
    await populate(h)

    def named_poll() -> str:
        return str(h.find_post(lambda m: "Næste emne?" in str(m.blocks)).blocks)

    h.clock.set(REMINDED + timedelta(seconds=5))  # refreshes held back a second are due now
    await h.run_jobs()
    assert f"<@{MEMBER}>" in named_poll()

    await h.command("my data delete", user=MEMBER)
    await h.click(private_question(h, MEMBER), ERASE_ACTION, user=MEMBER)
    h.clock.set(REMINDED + timedelta(seconds=10))
    await h.run_jobs()

    assert f"<@{MEMBER}>" not in named_poll()
    assert f"<@{OTHER}>" in named_poll()


async def test_cancel_erases_nothing(harness: Harness) -> None:
    h = harness
    await populate(h)
    before = await held_by(h, MEMBER)

    await h.command("my data delete", user=MEMBER)
    await h.click(private_question(h, MEMBER), ERASE_CANCEL_ACTION, user=MEMBER)

    assert await held_by(h, MEMBER) == before
    assert "Nothing was erased" in h.last_whisper(MEMBER)


async def test_member_forget_is_for_coordinators_and_erases_on_confirm(harness: Harness) -> None:
    h = harness
    await populate(h)
    before = await held_by(h, MEMBER)

    await h.command(f"member forget <@{MEMBER}>", user=OTHER)
    assert "coordinator" in h.last_whisper(OTHER)
    await h.command("member forget Bo")
    assert "@" in h.last_whisper()
    assert await held_by(h, MEMBER) == before

    await h.command(f"member forget <@{MEMBER}>")
    question = private_question(h, COORDINATOR)
    await h.click(question, ERASE_ACTION, user=OTHER)  # not the member, not a coordinator
    assert await held_by(h, MEMBER) == before
    assert "Only" in h.last_whisper(OTHER)

    await h.click(question, ERASE_ACTION, user=COORDINATOR)

    assert all(count == 0 for count in (await held_by(h, MEMBER)).values())
    assert f"The data of <@{MEMBER}>" in h.last_whisper(COORDINATOR)
    assert_all_present(await held_by(h, OTHER))


async def test_mine_data_slet_and_medlem_glem_in_danish(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        await populate(h)
        other_before = await held_by(h, OTHER)

        await h.command("mine data slet", user=MEMBER)
        question = private_question(h, MEMBER)
        assert "Slet alle dine data" in question.text
        await h.click(question, ERASE_ACTION, user=MEMBER)

        assert all(count == 0 for count in (await held_by(h, MEMBER)).values())
        answer = h.last_whisper(MEMBER)
        assert "Dine data i" in answer
        assert "er slettet" in answer
        assert "1 tilmelding eller afbud, 1 check-in, 2 tekster (pointer" in answer

        await h.command(f"medlem glem <@{OTHER}>")
        assert "Gør det kun, når" in private_question(h, COORDINATOR).text
        await h.click(private_question(h, COORDINATOR), ERASE_ACTION, user=COORDINATOR)
        assert all(count == 0 for count in (await held_by(h, OTHER)).values())
        assert other_before["Rsvp"] == 1
        assert f"Data om <@{OTHER}>" in h.last_whisper(COORDINATOR)


# --- leaving the channel ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "da"])
async def test_leaving_hands_on_turns_at_once_and_erases_after_the_grace(
    database_url: str, language: str
) -> None:
    async with Harness(database_url, language=language) as h:
        await populate(h)
        assert (await held_by(h, MEMBER))["turns"] > 0
        posts = len(h.posts())

        await leave(h, MEMBER)

        upcoming = [m for m in await rows(h, Meeting) if m.starts_at > NOW]
        assert all(MEMBER not in (m.facilitator_id, m.note_taker_id) for m in upcoming)
        assert all(m.facilitator_id for m in upcoming)
        changed = {"en": "facilitator plan changed", "da": "Tovholderplanen er ændret"}[language]
        [post] = [m.text for m in h.posts()[posts:] if changed in m.text]
        assert {"en": "(handed on)", "da": "(givet videre)"}[language] in post
        assert f"<@{MEMBER}>" not in post  # "without naming the member"
        kept = await held_by(h, MEMBER)
        assert kept["Rsvp"] == 1
        assert kept["Takeaway"] == 2

        h.clock.advance(GRACE - timedelta(hours=1))
        await h.run_jobs()
        assert (await held_by(h, MEMBER))["Takeaway"] == 2
        h.clock.advance(timedelta(hours=2))
        await h.run_jobs()

        assert all(count == 0 for count in (await held_by(h, MEMBER)).values())
        assert_all_present(await held_by(h, OTHER))


async def test_coming_back_within_the_grace_keeps_the_data(harness: Harness) -> None:
    h = harness
    await populate(h)
    await leave(h, MEMBER)
    h.slack.channels[CHANNEL]["members"].append(MEMBER)
    await h.event({"type": "member_joined_channel", "user": MEMBER, "channel": CHANNEL})

    h.clock.advance(GRACE + timedelta(days=1))
    await h.run_jobs()

    kept = await held_by(h, MEMBER)
    assert kept["Rsvp"] == 1
    assert kept["Takeaway"] == 2
    assert kept["PollVote"] == 1


# --- my data: votes in polls that show names ---------------------------------------------------


async def test_my_data_lists_named_votes_and_says_anonymous_ones_are_not_linkable(
    harness: Harness,
) -> None:
    h = harness
    await populate(h)

    await h.command("my data", user=MEMBER)

    [summary] = [m for m in h.slack.channel_messages(f"D{MEMBER}") if "stores about you" in m.text]
    text = summary.text + str(summary.blocks)
    assert "your votes in polls that show names: 1" in text
    assert "Næste emne?: KOL" in text
    assert "Hemmeligt?" not in text
    [export] = [f for f in h.slack.files.values() if f.channel == f"D{MEMBER}"]
    data = json.loads(export.content.decode())
    [vote] = data["clusters"][0]["votes_in_polls_that_show_names"]
    assert (vote["poll_question"], vote["choice"]) == ("Næste emne?", "KOL")
    assert vote["voted_at"]
    assert "cannot be linked" in data["anonymous_votes"]
    assert "Hemmeligt" not in export.content.decode()


# --- meeting move onto another meeting's start -------------------------------------------------


@pytest.mark.parametrize(
    ("language", "command", "refusal"),
    [
        ("en", "meeting move 2 2026-12-03 16:00", "There is already a meeting"),
        ("da", "møde flyt 2 3/12-2026 16.00", "Der er allerede et møde"),
    ],
)
async def test_moving_onto_another_meetings_start_is_refused(
    database_url: str, language: str, command: str, refusal: str
) -> None:
    async with Harness(database_url, language=language) as h:
        h.clock.set(NOW)
        await h.setup_cluster()
        for day in THURSDAYS[:2]:
            await h.command(f"meeting add {day} 16:00 Klyngemøde")
        before = [(m.id, m.starts_at) for m in await rows(h, Meeting)]

        await h.command(command)

        assert refusal in h.last_whisper()
        assert [(m.id, m.starts_at) for m in await rows(h, Meeting)] == before

        await h.command("meeting move 2 2026-12-03 17:00")  # another time is fine
        assert sorted(m.starts_at.hour for m in await rows(h, Meeting)) == [15, 16]
