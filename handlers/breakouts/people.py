"""Who takes part in a breakout: the people present, and their e-mail addresses for Zoom.

Whether someone is a person comes from the member cache (``bot/members.py``); e-mail addresses
come from the directory's memory or Slack (``bot/directory.py``) and are never stored. When Slack
can't answer just now, the round goes ahead with what is known and ``People`` says what is
missing, so the coordinator can be told.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.deps import Deps
from bot.directory import COMMAND_WAIT
from bot.members import Roster, current_members, note_not_people, people_among
from handlers.breakouts.zoom import usable_email
from storage.clusters import Cluster
from storage.meetings import checked_in_ids, running_meeting


@dataclass
class People:
    """Who takes part in a round, where they came from, and their email (never stored)."""

    ids: list[str]
    checked_in: bool
    meeting_id: int | None
    emails: dict[str, str | None] = field(default_factory=dict)
    # Slack couldn't say just now whether these are people; they take part as members.
    unchecked: list[str] = field(default_factory=list)
    # Slack couldn't give these people's e-mail addresses just now.
    unread: list[str] = field(default_factory=list)


async def participants(deps: Deps, cluster: Cluster) -> People:
    """The checked-in people of the running meeting, else every member of the channel."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        meeting = await running_meeting(session, cluster_id=cluster.id)
        meeting_id = meeting.id if meeting else None
        checked = await checked_in_ids(session, meeting_id=meeting_id) if meeting_id else []
    roster = Roster(ids=[], unchecked=[])
    if checked:
        roster = await people_among(deps, checked)
    checked_in = bool(roster.ids)
    if not checked_in:
        roster = await people_among(deps, await current_members(deps, cluster))
    profiles = await deps.directory.look_up(roster.ids, wait=COMMAND_WAIT)
    # An answer newer than the stored verdict (a deactivation Slack sent no event about) counts.
    gone = await note_not_people(deps, profiles.values())
    ids = [user for user in roster.ids if user not in gone]
    return People(
        ids,
        checked_in,
        meeting_id,
        emails={user: usable_email(profiles[user].email) for user in ids if user in profiles},
        unchecked=roster.unchecked,
        unread=[user for user in ids if user not in profiles],
    )
