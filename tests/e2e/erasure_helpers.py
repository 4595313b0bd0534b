"""Shared set-up and helpers for the tests/e2e/test_erasure*.py modules: a cluster where two
members hold data of every kind, and what each person still holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import SQLModel, select

from bot.fakeslack.model import Message
from handlers.cluster.erasure import ERASE_ACTION
from handlers.meetings.blocks import CHECKIN_ACTION, RSVP_YES_ACTION
from storage.breakouts import MemberClinic, SubclusterMember
from storage.clusters import Member
from storage.facilitators import RotationMember
from storage.meetings import CheckIn, Meeting, Rsvp
from storage.polls import Poll
from storage.takeaways import Takeaway
from storage.votes import PollBallot, PollClick, PollVote
from tests.harness import CHANNEL, DOCTORS, MEMBER, Harness

OTHER = DOCTORS[2]
# Sunday 22 November 2026, 13:00 in Copenhagen; the planned meetings are Thursdays after it.
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
REMINDED = NOW + timedelta(days=4, hours=4)  # past the 7-day reminder of 3 December
THURSDAYS = ("2026-12-03", "2026-12-10", "2026-12-17", "2026-12-24", "2026-12-31", "2027-01-07")

PERSONAL_TABLES: list[tuple[type[SQLModel], str]] = [
    (Rsvp, "user_id"),
    (CheckIn, "user_id"),
    (Takeaway, "author_id"),
    (SubclusterMember, "user_id"),
    (MemberClinic, "user_id"),
    (Member, "user_id"),
    (RotationMember, "key"),
]


async def rows(h: Harness, table: type[SQLModel]) -> list[Any]:
    async with h.db.session() as session:
        return list((await session.exec(select(table))).all())


async def held_by(h: Harness, user: str) -> dict[str, int]:
    """How many rows of each personal table hold ``user``, and their meeting turns."""
    found = {
        table.__name__: sum(1 for row in await rows(h, table) if getattr(row, column) == user)
        for table, column in PERSONAL_TABLES
    }
    named = {poll.id for poll in await rows(h, Poll) if not poll.anonymous}
    for table in (PollVote, PollBallot, PollClick):
        found[table.__name__] = sum(
            1 for row in await rows(h, table) if row.voter == user and row.poll_id in named
        )
    meetings = await rows(h, Meeting)
    found["turns"] = sum(1 for m in meetings if user in (m.facilitator_id, m.note_taker_id))
    return found


def private_question(h: Harness, user: str) -> Message:
    for item in reversed(h.slack.ephemerals_for(user)):
        if ERASE_ACTION in str(item.blocks):
            return Message(channel=CHANNEL, ts="0.0", text=item.text, blocks=item.blocks)
    raise AssertionError(f"{user} was asked nothing")


def post_with(h: Harness, action: str) -> Message:
    return h.find_post(lambda m: action in str(m.blocks))


async def populate(h: Harness) -> None:
    """A held meeting, planned ones, RSVPs, check-ins, texts, polls, sub-cluster and clinics,
    for MEMBER and for OTHER alike."""
    h.clock.set(NOW)
    await h.setup_cluster()
    for user, clinic in ((MEMBER, "Lægehuset Nord"), (OTHER, "Lægehuset Syd")):
        await h.command(f"clinic {clinic}", user=user)
    await h.command(f"subcluster create Nord <@{MEMBER}> <@{OTHER}>")
    await h.command("start --unplanned")
    agenda = post_with(h, CHECKIN_ACTION)
    for user in (MEMBER, OTHER):
        await h.click(agenda, CHECKIN_ACTION, user=user)
        await h.command(f"takeaway Pointe fra {user}", user=user)
    await h.command("decision Vi mødes hos Bo", user=MEMBER)
    await h.command("end")
    for day in THURSDAYS:
        await h.command(f"meeting add {day} 16:00 Klyngemøde")
    h.clock.set(REMINDED)
    await h.run_jobs()  # the first meeting's reminder, with its RSVP buttons
    for user in (MEMBER, OTHER):
        await h.click(post_with(h, RSVP_YES_ACTION), RSVP_YES_ACTION, user=user)
    await h.command('poll "Næste emne?" "KOL" "Diabetes"')
    named = h.last_post()
    await h.command('poll "Hemmeligt?" "Ja" "Nej" --anonymous')
    secret = h.last_post()
    for user in (MEMBER, OTHER):
        await h.click(named, "poll_vote:1", user=user)
        await h.click(secret, "poll_vote:2", user=user)


def assert_all_present(found: dict[str, int]) -> None:
    missing = [name for name, count in found.items() if count == 0]
    assert missing == [], f"the set-up left out {missing}"


async def leave(h: Harness, user: str) -> None:
    h.slack.channels[CHANNEL]["members"].remove(user)
    await h.event({"type": "member_left_channel", "user": user, "channel": CHANNEL})
