"""Shared set-up and helpers for the tests/e2e/test_breakouts_*.py modules: starting rounds and
reading the groups back from the post and the database.
"""

from __future__ import annotations

import re

from sqlmodel import col, select

from bot.fakeslack.model import Message
from handlers.meetings.blocks import CHECKIN_ACTION
from storage.breakouts import (
    BreakoutRound,
    BreakoutSeat,
    Subcluster,
    SubclusterMember,
)
from storage.meetings import Meeting
from tests.harness import DOCTORS, Harness

GROUP_LINE = re.compile(r"^(?:Group|Gruppe) (\d+): ((?:<@[A-Z0-9]+>(?:, )?)+)")
MENTION = re.compile(r"<@([A-Z0-9]+)>")
CLINICS = ["Lægehuset Nord", "Kløverklinikken", "Sundhedshuset", "Praksis Øst"]


def _post_groups(message: Message) -> list[list[str]]:
    """The groups a breakout post shows, one section block per group, in order."""
    groups: list[list[str]] = []
    for block in message.blocks:
        text = str((block.get("text") or {}).get("text", ""))
        match = GROUP_LINE.match(text)
        if match:
            assert int(match.group(1)) == len(groups) + 1
            groups.append(MENTION.findall(match.group(2)))
    return groups


def _breakout_post(h: Harness) -> Message:
    return h.find_post(lambda m: bool(_post_groups(m)))


async def _rounds(h: Harness) -> list[tuple[BreakoutRound, list[BreakoutSeat]]]:
    async with h.db.session() as session:
        rounds = (await session.exec(select(BreakoutRound).order_by(col(BreakoutRound.id)))).all()
        found = []
        for stored in rounds:
            seats = (
                await session.exec(select(BreakoutSeat).where(BreakoutSeat.round_id == stored.id))
            ).all()
            found.append((stored, list(seats)))
    return found


def _seated_groups(seats: list[BreakoutSeat]) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for seat in sorted(seats, key=lambda s: (s.group_number, not s.convener, s.user_id)):
        groups.setdefault(seat.group_number, []).append(seat.user_id)
    return [groups[number] for number in sorted(groups)]


async def _memberships(h: Harness) -> dict[str, set[str]]:
    async with h.db.session() as session:
        subclusters = {s.id: s.name for s in (await session.exec(select(Subcluster))).all()}
        rows = (await session.exec(select(SubclusterMember))).all()
    found: dict[str, set[str]] = {name: set() for name in subclusters.values()}
    for row in rows:
        found[subclusters[row.subcluster_id]].add(row.user_id)
    return found


async def _start_and_check_in(h: Harness, people: list[str]) -> Meeting:
    await h.command("start --unplanned")
    agenda = h.last_post()
    for person in people:
        await h.click(agenda, CHECKIN_ACTION, user=person)
    async with h.db.session() as session:
        [meeting] = (await session.exec(select(Meeting))).all()
    return meeting


async def _set_clinics(h: Harness) -> dict[str, str]:
    """Four clinics of three doctors each, set by the coordinator."""
    clinics = {doctor: CLINICS[index % 4] for index, doctor in enumerate(DOCTORS)}
    for doctor, name in clinics.items():
        await h.command(f"clinic <@{doctor}> {name}")
    return clinics
