"""Anonymous polls stay anonymous: a random salt per poll while it is open, gone at close, so no
secret of the deployment links a ballot to a member; small sub-clusters' results are not shown.
End to end through the fake Slack, on both databases."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac

import pytest
from sqlalchemy import text

from bot.fakeslack.model import Message
from handlers.polls.ballot_box import BallotBox, Contact, recover
from storage.clusters import Cluster
from storage.meetings import RUNNING, Meeting
from storage.migrate import downgrade, upgrade
from storage.polls import Poll
from storage.votes import PollBallot, PollClick, PollVote, voter_key
from tests.e2e.polls_helpers import add_subclusters, make_poll, rank, result_count, rows, vote
from tests.e2e.test_vote_order import _stop_counting
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, Harness

VOTERS = DOCTORS[1:6]


async def polls(h: Harness) -> dict[int, Poll]:
    return {poll.id or 0: poll for poll in await rows(h, Poll)}


def keys_from_secrets(h: Harness, poll_id: int) -> set[str]:
    """Every voter key an attacker with the environment could make: each member's id, plain and
    hashed (as the bot used to) with every secret in the deployment's settings."""
    settings = h.settings()
    secrets = {
        value
        for field in dataclasses.fields(settings)
        if isinstance(value := getattr(settings, field.name), str) and value
    }
    members = h.slack.channels[CHANNEL]["members"]
    found = set(members)
    for secret in secrets:
        for member in members:
            message = f"{poll_id}:{member}".encode()
            found.add(hmac.new(secret.encode(), message, hashlib.sha256).hexdigest())
    return found


def salted_keys(poll: Poll, members: list[str]) -> set[str]:
    assert poll.ballot_salt is not None
    return {
        hmac.new(poll.ballot_salt, f"{poll.id}:{m}".encode(), hashlib.sha256).hexdigest()
        for m in members
    }


async def stored_keys(h: Harness, poll_id: int) -> set[str]:
    found = set()
    for model in (PollBallot, PollVote, PollClick):
        found |= {row.voter for row in await rows(h, model) if row.poll_id == poll_id}
    return found


# --- the salt -------------------------------------------------------------------------------------


async def test_each_anonymous_poll_has_its_own_salt_while_open_and_none_after_close(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    first = await make_poll(harness, '"Emne?" "A" "B" --anonymous')
    await make_poll(harness, '"Andet emne?" "A" "B" --anonymous')
    await make_poll(harness, '"Med navne?" "A" "B"')
    for user in VOTERS:
        await vote(harness, first, 1, user)
    before = await polls(harness)
    assert len(before[1].ballot_salt or b"") == 32
    assert len(before[2].ballot_salt or b"") == 32
    assert before[1].ballot_salt != before[2].ballot_salt
    assert before[3].ballot_salt is None  # a poll that shows names needs none
    assert len([c for c in await rows(harness, PollClick) if c.poll_id == 1]) == 5

    await harness.command("poll close 1")

    after = await polls(harness)
    assert after[1].status == "closed"
    assert after[1].ballot_salt is None
    assert after[2].ballot_salt == before[2].ballot_salt  # still open
    assert [c for c in await rows(harness, PollClick) if c.poll_id == 1] == []  # no click log
    ballots = [b for b in await rows(harness, PollBallot) if b.poll_id == 1]
    assert len(ballots) == 5
    assert {b.voted_at for b in ballots} == {after[1].closed_at}  # nor when each was cast
    assert result_count(harness.last_post().text, "A") == "5"


async def test_no_secret_of_the_deployment_links_a_ballot_to_a_member(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Emne?" "A" "B" "C" --anonymous')
    for n, user in enumerate(VOTERS):
        await vote(harness, message, n % 3 + 1, user)
    open_poll = (await polls(harness))[1]
    stored = await stored_keys(harness, 1)
    assert len(stored) == 5
    # While open, whoever holds the database holds the salt too (docs/privacy.md says so).
    assert salted_keys(open_poll, VOTERS) == stored

    await harness.command("poll close")

    assert (await polls(harness))[1].ballot_salt is None
    assert not (await stored_keys(harness, 1)) & keys_from_secrets(harness, 1)
    assert len(await stored_keys(harness, 1)) == 5


async def test_a_voter_keeps_one_ballot_while_the_poll_is_open(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Emne?" "A" "B" --anonymous')

    await vote(harness, message, 1, MEMBER)
    await vote(harness, message, 2, MEMBER)  # moves the vote
    await vote(harness, message, 2, DOCTORS[3])
    await vote(harness, message, 2, DOCTORS[3])  # withdraws it

    ballots = await rows(harness, PollBallot)
    assert len(ballots) == 1
    [only] = await rows(harness, PollVote)
    assert only.option_id == 2
    assert MEMBER not in only.voter


async def test_a_ranked_anonymous_ballot_is_replaced_not_added(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Emne?" "A" "B" "C" --ranked --anonymous')

    await rank(harness, message, MEMBER, [1, 2])
    await rank(harness, message, MEMBER, [3])
    await harness.command("poll close")

    assert len(await rows(harness, PollBallot)) == 1
    assert [v.option_id for v in await rows(harness, PollVote)] == [3]
    assert "1 voted" in harness.last_post().text


async def test_a_click_after_close_is_refused_and_changes_nothing(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Emne?" "A" "B" --anonymous')
    await vote(harness, message, 1, MEMBER)
    await harness.command("poll close")
    before = await stored_keys(harness, 1)

    await vote(harness, message, 2, DOCTORS[4])

    assert "closed" in harness.last_whisper(DOCTORS[4]).lower()
    assert await stored_keys(harness, 1) == before
    assert await rows(harness, PollClick) == []


async def test_clicks_not_counted_before_the_close_count_and_a_late_count_changes_nothing(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await harness.setup_cluster()
    message: Message = await make_poll(harness, '"Emne?" "A" "B" --anonymous')
    await _stop_counting(monkeypatch)  # kept and acknowledged, not counted: as if killed
    await vote(harness, message, 1, MEMBER)
    await vote(harness, message, 2, DOCTORS[3])
    open_poll = (await polls(harness))[1]
    late = {key: ("0", Contact(MEMBER, CHANNEL, "")) for key in await stored_keys(harness, 1)}
    monkeypatch.undo()

    await harness.command("poll close")
    # A count or a recovery that was on its way when the poll closed: the click log is gone,
    # and folding nothing must not take the votes away.
    await BallotBox()._count_poll(harness.deps, 1, late)
    await recover(harness.deps, 1)

    assert voter_key(open_poll, MEMBER) in late
    assert result_count(harness.last_post().text, "A") == "1"
    assert result_count(harness.last_post().text, "B") == "1"
    assert len(await rows(harness, PollVote)) == 2
    assert len(await rows(harness, PollBallot)) == 2


async def test_the_home_tab_works_after_an_anonymous_poll_closed(harness: Harness) -> None:
    await harness.setup_cluster()
    await make_poll(harness, '"Lukket emne?" "A" "B" --anonymous')
    voted = await make_poll(harness, '"Åbent emne?" "A" "B" --anonymous')
    await vote(harness, voted, 1, MEMBER)
    await harness.command("poll close 1")

    await harness.event({"type": "app_home_opened", "user": MEMBER, "tab": "home", "channel": "D1"})
    await harness.event(
        {"type": "app_home_opened", "user": DOCTORS[4], "tab": "home", "channel": "D1"}
    )

    def home(user: str) -> str:
        blocks = harness.slack.home_views[user]["blocks"]
        return "\n".join(str((b.get("text") or {}).get("text", "")) for b in blocks)

    assert "Lukket emne?" not in home(MEMBER)  # closed: no personal mark, no listing
    assert "Åbent emne?" not in home(MEMBER)  # voted
    assert "Lukket emne?" not in home(DOCTORS[4])
    assert "Åbent emne?" in home(DOCTORS[4])  # open, not voted


# --- polls from before the salt (migration 0014) --------------------------------------------------


async def test_anonymous_polls_from_before_the_upgrade_get_a_salt_and_lose_the_old_keys(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    still_open = await make_poll(harness, '"Åben?" "A" "B" --anonymous')
    closed = await make_poll(harness, '"Lukket?" "A" "B" --anonymous')
    await make_poll(harness, '"Med navne?" "A" "B"')
    for user in VOTERS[:3]:
        await vote(harness, still_open, 1, user)
        await vote(harness, closed, 2, user)
    await _as_before_the_upgrade(harness)
    legacy = {1: await stored_keys(harness, 1), 2: await stored_keys(harness, 2)}
    assert legacy[1] <= keys_from_secrets(harness, 1)  # the attack worked on these

    await upgrade(harness.db)
    await harness.restart()

    after = await polls(harness)
    assert len(after[1].ballot_salt or b"") == 32
    assert after[2].ballot_salt is None
    assert after[3].ballot_salt is None
    for poll_id in (1, 2):
        now = await stored_keys(harness, poll_id)
        assert len(now) == 3
        assert not now & keys_from_secrets(harness, poll_id)
        votes = [v for v in await rows(harness, PollVote) if v.poll_id == poll_id]
        ballots = {b.voter for b in await rows(harness, PollBallot) if b.poll_id == poll_id}
        assert {v.voter for v in votes} == ballots  # votes and ballots re-keyed alike
    assert {c.poll_id for c in await rows(harness, PollClick)} == {1}  # the closed one sealed
    # The open poll goes on: a new voter counts, and the close erases the new salt.
    await vote(harness, still_open, 2, VOTERS[4])
    await harness.command("poll close 1")
    assert "4 voted" in harness.last_post().text
    assert (await polls(harness))[1].ballot_salt is None


async def _as_before_the_upgrade(h: Harness) -> None:
    """Turn the database back into what revision 0013 left: anonymous ballots keyed with the
    signing secret, poll 2 closed the old way (its clicks kept), no salt column. Later
    migrations are undone first, by alembic."""
    await downgrade(h.db, "0014")
    signing = h.settings().signing_secret.encode()
    renamed = []
    for poll in (await polls(h)).values():
        if poll.anonymous:
            for user in VOTERS:
                old = hmac.new(signing, f"{poll.id}:{user}".encode(), hashlib.sha256).hexdigest()
                renamed.append({"old": old, "p": poll.id, "key": voter_key(poll, user)})
    async with h.db.engine.begin() as connection:
        for table in ("pollballot", "pollvote", "pollclick"):
            update = f"UPDATE {table} SET voter = :old WHERE poll_id = :p AND voter = :key"
            await connection.execute(text(update), renamed)
        await connection.execute(
            text("UPDATE poll SET status = 'closed', closed_at = created_at WHERE id = 2")
        )
        await connection.execute(text("ALTER TABLE poll DROP COLUMN ballot_salt"))
        await connection.execute(text("UPDATE alembic_version SET version_num = '0013'"))


# --- results by sub-cluster -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "too_few", "withheld", "overall"),
    [
        ("en", "*Syd*: fewer than 3 votes — not shown", "other sub-clusters' own", "Overall"),
        ("da", "*Syd*: færre end 3 stemmer — vises ikke", "øvrige babyklyngers egne", "Samlet"),
    ],
)
async def test_a_sub_cluster_with_too_few_votes_is_not_shown_nor_are_the_others(
    harness: Harness, language: str, too_few: str, withheld: str, overall: str
) -> None:
    await harness.command(f"setup --language {language}")
    await add_subclusters(
        harness,
        {"Nord": DOCTORS[:4], "Syd": [DOCTORS[4], DOCTORS[8], DOCTORS[9]], "Vest": DOCTORS[5:8]},
    )
    async with harness.db.session() as session:
        meeting = Meeting(
            cluster_id=1,
            title="Efterår",
            starts_at=harness.clock(),
            status=RUNNING,
            started_at=harness.clock(),
            created_by=COORDINATOR,
        )
        session.add(meeting)
    message = await make_poll(harness, '"Emne?" "A" "B" --anonymous --by-subcluster')
    for user in DOCTORS[:4]:
        await vote(harness, message, 1, user)
    await vote(harness, message, 2, DOCTORS[4])  # Syd: one of its three voted
    for user in DOCTORS[5:8]:
        await vote(harness, message, 2, user)

    await harness.command("poll close")

    results = harness.last_post().text
    assert too_few in results
    assert withheld in results
    assert "*Nord*" not in results
    assert "*Vest*" not in results
    assert overall in results
    deps = harness.deps
    async with harness.db.session() as session:
        cluster = await session.get(Cluster, 1)
        stored = await session.get(Meeting, meeting.id)
    minutes = await deps.hooks.lines(deps.hooks.minutes_sections, deps, cluster, stored)
    assert any(line.startswith("- Syd: ") and "3" in line for line in minutes)
    assert not any(line.startswith(("- Nord:", "- Vest:")) for line in minutes)


async def test_sub_clusters_with_enough_votes_are_all_shown_in_an_anonymous_poll(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    await add_subclusters(harness, {"Nord": DOCTORS[:3], "Syd": DOCTORS[3:6], "Vest": DOCTORS[6:9]})
    message = await make_poll(harness, '"Emne?" "A" "B" --anonymous --by-subcluster')
    for user in DOCTORS[:3]:
        await vote(harness, message, 1, user)
    for user in DOCTORS[3:6]:
        await vote(harness, message, 2, user)  # Vest does not vote at all

    await harness.command("poll close")

    results = harness.last_post().text
    assert "*Nord*: A 3 · B 0" in results
    assert "*Syd*: A 0 · B 3" in results
    assert "*Vest*: A 0 · B 0 → no votes" in results
    assert "not shown" not in results


@pytest.mark.parametrize(
    ("language", "poll", "refusal"),
    [
        (
            "en",
            'poll "Topic?" "A" "B" --anonymous --by-subcluster',
            "needs at least 3 members in each sub-cluster, so that nobody's vote can be traced; "
            "fewer in *Syd*",
        ),
        (
            "da",
            'afstemning "Emne?" "A" "B" --anonym --per-babyklynge',
            "kræver mindst 3 medlemmer i hver babyklynge, så ingens stemme kan spores; der er "
            "færre i *Syd*",
        ),
    ],
)
async def test_an_anonymous_poll_by_sub_cluster_is_refused_when_one_is_too_small(
    harness: Harness, language: str, poll: str, refusal: str
) -> None:
    await harness.command(f"setup --language {language}")
    await add_subclusters(harness, {"Nord": DOCTORS[:4], "Syd": DOCTORS[4:6]})

    await harness.command(poll)

    assert refusal in harness.last_whisper()
    assert await polls(harness) == {}
