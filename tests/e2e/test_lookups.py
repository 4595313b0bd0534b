"""Looking people up in Slack under its rate limits: users.info is Tier 4 (about 100 a minute).

Whether someone is a person is stored and re-checked monthly; names and e-mail addresses are
kept in memory for an hour. A lookup Slack turns away never fails a command: the command goes
on with what is known and the coordinator is told what is missing.
"""

from __future__ import annotations

import asyncio
import re
import time
from datetime import timedelta

from bot.directory import AT_ONCE
from bot.members import CHECK_JOB
from storage.clusters import get_cluster, member_ids
from storage.jobs import pending_keys
from tests.harness import CHANNEL, COORDINATOR, DEACTIVATED, DOCTORS, OTHER_BOT, Harness

GROUP_LINE = re.compile(r"^(?:Group|Gruppe) \d+: (.*)$")
MENTION = re.compile(r"<@([A-Z0-9]+)>")
BOT = "UKLYNGEBOT"


def _placed(h: Harness) -> list[set[str]]:
    """Everyone in each breakout post, oldest post first."""
    rounds = []
    for post in h.posts():
        lines = [str((block.get("text") or {}).get("text", "")) for block in post.blocks]
        found = {
            m for line in lines if (g := GROUP_LINE.match(line)) for m in MENTION.findall(g[1])
        }
        if found:
            rounds.append(found)
    return rounds


async def _members(h: Harness) -> list[str]:
    async with h.db.session() as session:
        cluster = await get_cluster(session, team_id=h.slack.team_id, channel_id=CHANNEL)
        assert cluster is not None
        return await member_ids(session, cluster_id=cluster.id or 0)


def _lookups(h: Harness) -> int:
    return len(h.slack.calls_to("users.info"))


def _turned_away(h: Harness) -> list[str]:
    """Member lookups Slack answered with 429 (posting at Slack's pace is another matter)."""
    return [call.method for call in h.slack.rate_limited if call.method != "chat.postMessage"]


async def test_forty_members_set_up_and_split_twice_in_a_minute_stay_within_slacks_limit(
    harness: Harness,
) -> None:
    everyone = {*DOCTORS, *harness.add_doctors(28)}
    started = time.monotonic()

    await harness.setup_cluster()
    await harness.command("breakout 6")
    await harness.command("breakout 6")

    assert time.monotonic() - started < 60
    assert _placed(harness) == [everyone, everyone]
    assert _turned_away(harness) == []
    assert _lookups(harness) < len(everyone) * 2
    [first, second] = harness.slack.files.values()
    assert len(first.content.decode().splitlines()) == len(second.content.decode().splitlines())
    assert len(first.content.decode().splitlines()) == 1 + len(everyone)


async def test_a_breakout_while_slack_refuses_lookups_posts_its_groups_and_says_what_is_missing(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    await harness.restart()  # a new process: nobody's e-mail address is in memory
    harness.slack.fail("users.info", status=429, times=1000, retry_after=30)
    before = _lookups(harness)
    started = time.monotonic()

    await harness.command("breakout 4")

    assert time.monotonic() - started < 10  # nobody sleeps out Retry-After
    assert _placed(harness) == [set(DOCTORS)]  # who is a person is known from the database
    assert _lookups(harness) - before <= AT_ONCE  # the first 429 holds every other lookup
    whisper = harness.last_whisper(COORDINATOR)
    assert "e-mail addresses of 12 of the 12 participants" in whisper
    assert "something went wrong" not in whisper
    [uploaded] = harness.slack.files.values()
    assert uploaded.content.decode().splitlines() == ["Pre-assign Room Name,Email Address"]
    assert "the Zoom file leaves them out" in str(uploaded.initial_comment)


async def test_people_slack_could_never_check_take_part_and_are_checked_later(
    harness: Harness,
) -> None:
    harness.slack.fail("users.info", status=429, times=1000, retry_after=1)
    await harness.setup_cluster()

    await harness.command("breakout 4")

    channel = {*DOCTORS, OTHER_BOT, DEACTIVATED, BOT}
    assert _placed(harness) == [channel]  # better an app with a seat than a doctor without
    whisper = harness.last_whisper(COORDINATOR)
    assert f"whether {len(channel)} of the {len(channel)} participants are people" in whisper
    async with harness.db.session() as session:
        assert await pending_keys(session, prefix=CHECK_JOB) == [CHECK_JOB]

    harness.slack.faults.clear()
    await asyncio.sleep(1.1)  # the Retry-After Slack asked for
    harness.clock.advance(timedelta(minutes=2))
    await harness.run_jobs()

    assert await _members(harness) == sorted(DOCTORS)


async def test_each_person_is_looked_up_once_and_rechecked_after_a_month(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    await harness.command(f"subcluster create Nord <@{DOCTORS[1]}>")
    await harness.command("breakout 4")
    checked = {call.args["user"] for call in harness.slack.calls_to("users.info")}
    assert checked == {*DOCTORS, OTHER_BOT, DEACTIVATED, BOT}
    assert _lookups(harness) == len(checked)

    harness.clock.advance(timedelta(days=31))
    await harness.restart()  # a month on, nothing is in memory any more
    harness.slack.users[DOCTORS[3]]["deleted"] = True  # and nobody sent a user_change event
    await harness.command("subcluster list")  # reads the channel's members again
    assert await _members(harness) == sorted(DOCTORS)  # month-old verdicts do for now
    harness.clock.advance(timedelta(minutes=2))
    await harness.run_jobs()

    assert await _members(harness) == sorted(set(DOCTORS) - {DOCTORS[3]})
    assert _lookups(harness) == len(checked) + len(DOCTORS)
    assert _turned_away(harness) == []


async def test_a_deactivation_seen_while_reading_e_mail_addresses_counts_at_once(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    await harness.restart()  # e-mail addresses are read again for the Zoom file
    harness.slack.users[DOCTORS[3]]["deleted"] = True

    await harness.command("breakout 4")

    assert _placed(harness) == [set(DOCTORS) - {DOCTORS[3]}]
    assert DOCTORS[3] not in await _members(harness)


async def test_a_coordinator_can_be_added_while_slack_refuses_lookups(harness: Harness) -> None:
    await harness.setup_cluster()
    harness.slack.add_user("U0NEWDOC", "Nina Ny")
    harness.slack.fail("users.info", status=429, times=1000, retry_after=30)

    await harness.command("coordinator add <@U0NEWDOC>")

    assert "<@U0NEWDOC>" in harness.last_post().text
    assert "something went wrong" not in " ".join(harness.whispers(COORDINATOR))


async def test_someone_joining_while_slack_refuses_lookups_counts_as_a_member(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    harness.slack.add_user("U0NEWDOC", "Nina Ny")
    harness.slack.fail("users.info", status=429, times=1000, retry_after=30)

    await harness.event({"type": "member_joined_channel", "user": "U0NEWDOC", "channel": CHANNEL})

    assert "U0NEWDOC" in await _members(harness)
