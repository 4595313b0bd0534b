"""A member who leaves the channel while the bot misses Slack's ``member_left_channel`` event
(or comes back while it misses ``member_joined_channel``): the next refresh of the channel's
members treats them as the event would, so the 30-day erasure promise holds."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.members import CHECK_JOB, MAX_AGE
from handlers.cluster.erasure import ERASE_JOB, GRACE
from storage.jobs import pending_keys
from storage.meetings import Meeting
from tests.e2e.erasure_helpers import NOW, OTHER, assert_all_present, held_by, populate, rows
from tests.harness import CHANNEL, DEACTIVATED, DOCTORS, MEMBER, OTHER_BOT, Harness

CHANGED = {"en": "facilitator plan changed", "da": "Tovholderplanen er ændret"}
HANDED_ON = {"en": "(handed on)", "da": "(givet videre)"}


async def erase_jobs(h: Harness) -> list[str]:
    async with h.db.session() as session:
        return await pending_keys(session, prefix=ERASE_JOB)


async def refresh_members(h: Harness) -> None:
    """Let the member cache go stale, then run a command that reads the channel again."""
    h.clock.advance(MAX_AGE + timedelta(minutes=1))
    await h.command("breakout 3")


@pytest.mark.parametrize("language", ["en", "da"])
async def test_a_member_gone_without_an_event_has_turns_handed_on_and_is_erased_after_the_grace(
    database_url: str, language: str
) -> None:
    async with Harness(database_url, language=language) as h:
        await populate(h)
        assert (await held_by(h, MEMBER))["turns"] > 0
        h.slack.channels[CHANNEL]["members"].remove(MEMBER)  # and no event comes
        posts = len(h.posts())

        await refresh_members(h)

        assert (await held_by(h, MEMBER))["Member"] == 0
        upcoming = [m for m in await rows(h, Meeting) if m.starts_at > NOW]
        assert all(MEMBER not in (m.facilitator_id, m.note_taker_id) for m in upcoming)
        assert all(m.facilitator_id and m.note_taker_id for m in upcoming)
        [post] = [m.text for m in h.posts()[posts:] if CHANGED[language] in m.text]
        assert HANDED_ON[language] in post
        assert f"<@{MEMBER}>" not in post
        assert await erase_jobs(h) == [f"{ERASE_JOB}:1:{MEMBER}"]
        assert (await held_by(h, MEMBER))["Takeaway"] == 2  # kept for the grace

        h.clock.advance(GRACE + timedelta(days=2))
        await h.run_jobs()

        assert all(count == 0 for count in (await held_by(h, MEMBER)).values())
        assert_all_present(await held_by(h, OTHER))


async def test_a_member_back_without_an_event_keeps_their_data(harness: Harness) -> None:
    h = harness
    await populate(h)
    members = h.slack.channels[CHANNEL]["members"]
    members.remove(MEMBER)
    await refresh_members(h)
    assert await erase_jobs(h) != []

    members.append(MEMBER)  # back, and again no event
    await refresh_members(h)

    assert await erase_jobs(h) == []
    assert (await held_by(h, MEMBER))["Member"] == 1
    h.clock.advance(GRACE + timedelta(days=2))
    await h.run_jobs()
    kept = await held_by(h, MEMBER)
    assert (kept["Rsvp"], kept["Takeaway"], kept["PollVote"]) == (1, 2, 1)


async def test_people_slack_cannot_check_and_accounts_found_not_to_be_people_are_not_gone(
    harness: Harness,
) -> None:
    h = harness
    h.slack.fail("users.info", status=429, times=1000, retry_after=1)
    await h.setup_cluster()  # the first refresh: everyone counts as a person, unchecked
    await refresh_members(h)  # Slack still cannot say who is a person
    assert (await held_by(h, OTHER_BOT))["Member"] == 1
    assert await erase_jobs(h) == []  # the first refresh scheduled nothing either

    h.slack.faults.clear()
    await asyncio.sleep(1.1)  # the Retry-After Slack asked for
    h.clock.advance(timedelta(minutes=2))
    await h.run_jobs()  # the check learns that two are no people
    async with h.db.session() as session:
        assert await pending_keys(session, prefix=CHECK_JOB) == []
    await refresh_members(h)

    assert (await held_by(h, OTHER_BOT))["Member"] == 0
    assert (await held_by(h, DEACTIVATED))["Member"] == 0
    assert (await held_by(h, DOCTORS[5]))["Member"] == 1
    assert await erase_jobs(h) == []  # still in the channel: nobody left
