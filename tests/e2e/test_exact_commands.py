"""Every command does exactly what it says, or changes nothing and says why: people typed
without @, words after a complete command, the same meeting twice, meetings on days clinics are
closed, an unplanned start from the Home tab, and setup before the bot is in the channel."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from handlers.meetings.blocks import START_UNPLANNED_ACTION
from storage.breakouts import Subcluster, SubclusterMember
from storage.clusters import Cluster, Coordinator
from storage.meetings import Meeting
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, Harness

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # Sunday 22 November 2026


@pytest.fixture
def h(harness: Harness) -> Harness:
    return harness


async def _ready(h: Harness) -> None:
    h.clock.set(NOW)
    await h.setup_cluster()


async def _memberships(h: Harness) -> dict[str, set[str]]:
    async with h.db.session() as session:
        names = {s.id: s.name for s in (await session.exec(select(Subcluster))).all()}
        rows = (await session.exec(select(SubclusterMember))).all()
    found: dict[str, set[str]] = {name: set() for name in names.values()}
    for row in rows:
        found[names[row.subcluster_id]].add(row.user_id)
    return found


async def _meetings(h: Harness) -> list[Meeting]:
    async with h.db.session() as session:
        return list((await session.exec(select(Meeting).order_by(col(Meeting.id)))).all())


# --- sub-clusters: names and people ---------------------------------------------------------------


async def test_people_typed_without_at_are_refused_with_the_right_form(h: Harness) -> None:
    await _ready(h)

    await h.command("subcluster create Nord Anne Bo")

    text = h.last_whisper()
    assert "`/klynge subcluster create Nord @Anne @Bo`" in text
    assert '"Nord Anne Bo"' in text  # …or the quotes a name of several words needs
    assert await _memberships(h) == {}


async def test_a_quoted_name_of_several_words_needs_no_people(h: Harness) -> None:
    await _ready(h)

    await h.command('subcluster create "Nord Vest"')

    assert await _memberships(h) == {"Nord Vest": set()}


@pytest.mark.parametrize(
    "people",
    [
        f"<@{DOCTORS[1]}>, <@{DOCTORS[2]}>",
        f"<@{DOCTORS[1]}> , <@{DOCTORS[2]}>,",
        f"<@{DOCTORS[1]}> og <@{DOCTORS[2]}>",
        f"<@{DOCTORS[1]}|anne>, <@{DOCTORS[2]}|bo>",
    ],
)
async def test_mentions_separated_by_commas_or_og_work(h: Harness, people: str) -> None:
    await _ready(h)

    await h.command(f"subcluster create Nord {people}")

    assert await _memberships(h) == {"Nord": {DOCTORS[1], DOCTORS[2]}}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("subcluster create Nord @Anne", "choose the person from the list"),
        (f'subcluster create "Nord <@{DOCTORS[1]}>"', "can't hold an @-mention"),
        (f"subcluster create Nord <@{DOCTORS[1]}>, bo", "not an @-mention"),
    ],
)
async def test_a_name_never_swallows_a_person(h: Harness, typed: str, expected: str) -> None:
    await _ready(h)

    await h.command(typed)

    assert expected in h.last_whisper()
    assert await _memberships(h) == {}


# --- words after a complete command ---------------------------------------------------------------


async def test_words_after_a_complete_command_are_refused_with_what_was_meant(h: Harness) -> None:
    await _ready(h)

    await h.command("subclusters auto 6")

    text = h.last_whisper()
    assert "takes no more words" in text
    assert "Did you mean `/klynge subcluster auto 6`?" in text
    assert "Usage: `/klynge subcluster list`" in text
    assert await _memberships(h) == {}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (f"coordinators add <@{MEMBER}>", "coordinator add"),
        ("meetings add 2026-12-03 16:00 Diabetes", "meeting add"),
        ("facilitators skip", "facilitator skip"),
        ("babyklynger nord", None),
    ],
)
async def test_an_alias_followed_by_more_words_does_nothing(
    h: Harness, typed: str, meant: str | None
) -> None:
    await _ready(h)

    await h.command(typed)

    text = h.last_whisper()
    assert "takes no more words" in text
    if meant:
        assert f"Did you mean `/klynge {meant}" in text
    async with h.db.session() as session:
        assert [c.user_id for c in (await session.exec(select(Coordinator))).all()] == [COORDINATOR]
    assert await _meetings(h) == []


async def test_the_refusal_is_danish_in_a_danish_cluster(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)

        await h.command("subclusters auto 6")

        text = h.last_whisper()
        assert "tager ikke flere ord" in text
        assert "Mente du `/klynge babyklynge auto 6`?" in text  # in the cluster's words


# --- the same meeting twice, and days clinics are closed ------------------------------------------


async def test_the_same_meeting_added_twice_is_refused(h: Harness) -> None:
    await _ready(h)
    await h.command("meeting add 2026-12-03 16:00 Diabetes")
    posts = len(h.posts())

    await h.command("meeting add 2026-12-03 16:00 Diabetes")

    text = h.last_whisper()
    assert "There is already a meeting at Thursday 3 December 2026 at 16:00" in text
    assert "#1 *Diabetes*" in text
    assert "Nothing was planned" in text
    assert len(await _meetings(h)) == 1
    assert len(h.posts()) == posts


async def test_a_series_that_meets_a_planned_meeting_is_refused_whole(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)
        await h.command("meeting add 2026-12-17 16:00 Jul")

        await h.command("møde sæt 1 titel Julemøde")
        await h.command("meeting add 2026-12-03 16:00 Klynge --every 1w --count 4")

        text = h.last_whisper()
        assert "Der er allerede et møde torsdag den 17. december 2026 kl. 16.00" in text
        assert "nr. 1 *Julemøde*" in text
        assert [m.title for m in await _meetings(h)] == ["Julemøde"]


async def test_a_cancelled_meeting_does_not_block_its_time(h: Harness) -> None:
    await _ready(h)
    await h.command("meeting add 2026-12-03 16:00 Diabetes")
    await h.command("meeting cancel 1")

    await h.command("meeting add 2026-12-03 16:00 Diabetes")

    assert [m.status for m in await _meetings(h)] == ["cancelled", "planned"]


async def test_a_series_on_holidays_and_weekends_is_planned_with_a_warning(h: Harness) -> None:
    await _ready(h)

    await h.command("meeting add 2026-12-03 16:00 Klynge --every 1w --count 4")

    assert len(await _meetings(h)) == 4
    text = h.last_whisper()
    assert "1 meeting falls on a weekend or a public holiday" in text
    assert "#4 Thursday 24 December 2026 at 16:00 — Christmas Eve" in text
    assert "10 December" not in text.split("Note:")[1]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("2027-03-25 16:00", "skærtorsdag"),
        ("2027-03-26 16:00", "langfredag"),
        ("2027-03-29 16:00", "2. påskedag"),
        ("2027-05-06 16:00", "Kristi himmelfartsdag"),
        ("2027-05-17 16:00", "2. pinsedag"),
        ("2026-12-26 10:00", "2. juledag"),
        ("2026-12-31 10:00", "nytårsaftensdag"),
        ("2027-01-01 10:00", "nytårsdag"),
        ("2026-11-28 10:00", "en lørdag"),
    ],
)
async def test_danish_holidays_are_named_in_danish(
    database_url: str, typed: str, reason: str
) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)

        await h.command(f"meeting add {typed} Klynge")

        assert f"— {reason}" in h.last_whisper()
        assert len(await _meetings(h)) == 1


async def test_store_bededag_is_a_working_day_since_2024(h: Harness) -> None:
    await _ready(h)

    await h.command("meeting add 2027-04-23 16:00 Klynge")  # what would have been store bededag

    assert "public holiday" not in h.last_whisper()


async def test_moving_a_meeting_onto_a_holiday_warns(h: Harness) -> None:
    await _ready(h)
    await h.command("meeting add 2026-12-03 16:00 Klynge")

    await h.command("meeting move 1 2026-12-25 10:00")

    assert "Christmas Day" in h.last_whisper()


# --- the Home tab's Start meeting button ----------------------------------------------------------


async def test_home_start_with_nothing_due_asks_in_a_direct_message_first(h: Harness) -> None:
    await _ready(h)
    await h.event({"type": "app_home_opened", "user": COORDINATOR, "tab": "home", "channel": "D1"})
    posts = len(h.posts())

    await h.click_in_view(h.slack.home_views[COORDINATOR], "home_start_meeting", user=COORDINATOR)

    assert len(h.posts()) == posts
    assert await _meetings(h) == []
    [question] = [
        m
        for m in h.slack.channel_messages(f"D{COORDINATOR}")
        if START_UNPLANNED_ACTION in str(m.blocks)
    ]
    assert "No planned meeting is due now" in question.text

    await h.click(question, START_UNPLANNED_ACTION, user=COORDINATOR)

    [meeting] = await _meetings(h)
    assert meeting.status == "running"
    assert "has started" in str(h.last_post().blocks)


# --- setup before the bot is in the channel -------------------------------------------------------


async def test_setup_before_the_invite_stores_nothing_and_the_retry_welcomes(h: Harness) -> None:
    h.slack.channels[CHANNEL]["members"].remove("UKLYNGEBOT")

    await h.command("setup")

    assert "/invite @klyngebot" in h.last_whisper()
    async with h.db.session() as session:
        assert (await session.exec(select(Cluster))).all() == []
    assert h.posts() == []

    h.slack.channels[CHANNEL]["members"].append("UKLYNGEBOT")  # /invite @klyngebot
    await h.command("setup")

    assert "is now the quality cluster" in h.last_post().text
    assert "you are the coordinator" in h.last_whisper()
