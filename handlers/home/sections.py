"""The feature sections of the App Home: open polls, take-homes awaiting follow-up, the year
(``year``), and for coordinators the rotation plan and the common actions.

Each is a ``HomeHook`` registered into ``wiring.hooks.home_blocks``; they only read. The Home
tab is republished when the polls, take-home and rotation features report a change
(``deps.hooks.changed``).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.mrkdwn import escape
from handlers.home import blocks as kit
from handlers.home.year import year_section
from handlers.wiring import Wiring
from storage import breakouts, meetings
from storage import home as store
from storage.clusters import Cluster
from storage.polls import Poll
from storage.votes import voter_key

log = logging.getLogger(__name__)

MAX_POLLS = 5
POLLS_LOOKED_AT = 20
MAX_TAKEAWAYS = 5
MAX_ROTATION = 5
PERMALINKS_KEPT = 1000

# A message's permalink never changes: ask Slack once per process, not at every Home publish.
_permalinks: OrderedDict[tuple[str, str], str] = OrderedDict()


async def permalink(deps: Deps, channel: str, ts: str) -> str | None:
    """The message's permalink (cached); None if Slack won't tell."""
    key = (channel, ts)
    if key in _permalinks:
        return _permalinks[key]
    try:
        response = await deps.client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError as error:
        log.info("no permalink for %s/%s: %s", channel, ts, error)
        return None
    link = str(response.get("permalink") or "") or None
    if link is not None:
        _permalinks[key] = link
        while len(_permalinks) > PERMALINKS_KEPT:
            _permalinks.popitem(last=False)
    return link


async def unvoted_polls(deps: Deps, cluster: Cluster, user_id: str) -> list[Poll]:
    """Open polls ``user_id`` may vote in and has not, newest first."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        polls = await store.open_polls(session, cluster_id=cluster.id, limit=POLLS_LOOKED_AT)
        # A poll closed since it was read has no salt left: it is no longer one to vote in.
        keys = {poll.id or 0: voter_key(poll, user_id) for poll in polls}
        polls = [poll for poll in polls if keys[poll.id or 0] is not None]
        if not polls:
            return []
        ballots = {poll_id: key for poll_id, key in keys.items() if key is not None}
        voted = await store.voted_in(session, ballots=ballots)
        group = None
        if any(poll.subcluster_id or poll.by_subcluster for poll in polls):
            group = await breakouts.subcluster_of(session, cluster_id=cluster.id, user_id=user_id)
    return [
        poll
        for poll in polls
        if poll.id not in voted
        and (not poll.subcluster_id or poll.subcluster_id == group)
        and (not poll.by_subcluster or group is not None)
    ][:MAX_POLLS]


async def poll_section(
    deps: Deps, cluster: Cluster, user_id: str, is_coordinator: bool
) -> list[dict[str, Any]]:
    """Hook: open polls the member has not voted in, each with a link to its message."""
    assert cluster.id is not None
    shown = [
        kit.OpenPoll(
            poll_id=poll.id or 0,
            question=poll.question,
            channel_id=poll.channel_id,
            permalink=await permalink(deps, poll.channel_id, poll.message_ts or ""),
            closes_at=poll.closes_at,
        )
        for poll in await unvoted_polls(deps, cluster, user_id)
    ]
    return kit.open_polls(shown, cluster.language, cluster.timezone, cluster_id=cluster.id)


async def takeaway_section(
    deps: Deps, cluster: Cluster, user_id: str, is_coordinator: bool
) -> list[dict[str, Any]]:
    """Hook: the member's take-homes asked about and not answered, with the answer buttons."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        waiting = await store.takeaways_awaiting_answer(
            session, cluster_id=cluster.id, author_id=user_id, limit=MAX_TAKEAWAYS
        )
    shown = [
        kit.PendingTakeaway(takeaway_id=item.id or 0, text=item.text, prompt=item.prompt)
        for item in waiting
    ]
    return kit.awaiting_followup(shown, cluster.language)


async def coordinator_section(
    deps: Deps, cluster: Cluster, user_id: str, is_coordinator: bool
) -> list[dict[str, Any]]:
    """Hook (coordinators only): the rotation plan of the next meetings and the action buttons."""
    if not is_coordinator:
        return []
    assert cluster.id is not None
    async with deps.db.session() as session:
        upcoming = await meetings.upcoming_meetings(
            session, cluster_id=cluster.id, now=deps.clock(), limit=MAX_ROTATION
        )
        groups = {
            group.id: group.name
            for group in await breakouts.subclusters(session, cluster_id=cluster.id)
        }

    def facilitator(meeting: meetings.Meeting) -> str | None:
        if meeting.facilitator_subcluster_id is not None:
            name = groups.get(meeting.facilitator_subcluster_id)
            return f"*{escape(name)}*" if name else None
        return f"<@{meeting.facilitator_id}>" if meeting.facilitator_id else None

    entries = [
        kit.RotationEntry(
            starts_at=meeting.starts_at,
            title=meeting.title,
            facilitator=facilitator(meeting),
            note_taker=f"<@{meeting.note_taker_id}>" if meeting.note_taker_id else None,
        )
        for meeting in upcoming
    ]
    return [
        *kit.rotation_plan(entries, cluster.language, cluster.timezone, cluster_id=cluster.id),
        *kit.coordinator_actions(cluster.id, cluster.language),
    ]


def register(app: AsyncApp, wiring: Wiring) -> None:
    wiring.hooks.home_blocks.extend(
        [poll_section, takeaway_section, year_section, coordinator_section]
    )
