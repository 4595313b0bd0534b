"""The poll message: counting a poll and showing the counts, refreshed at most once a second.

Votes are counted by the database (see ``storage.votes``). The poll message is refreshed at
most once a second per poll whichever replica got the click: a click claims the refresh with a
conditional UPDATE of ``poll.last_refreshed_at``; a click that cannot claim leaves a trailing
``poll_refresh:<id>`` job due one second after the last refresh, so the final counts always
land.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from handlers.polls import blocks
from handlers.polls.breakdown import Breakdown, breakdown
from handlers.polls.tally import GroupedResult, Result, by_group, tally
from storage import polls as store
from storage.breakouts import subclusters
from storage.clusters import Cluster, get_cluster_by_id
from storage.polls import Poll
from storage.votes import votes_of

log = logging.getLogger(__name__)

REFRESH_INTERVAL = timedelta(seconds=1)
# How long one refresh may take before others may claim again (the replica may have died).
REFRESH_LEASE = timedelta(seconds=10)


@dataclass
class Counted:
    """A poll with its options, its ballots and its result, ready to render."""

    poll: Poll
    view: blocks.PollView
    result: Result
    groups: Breakdown | None  # by sub-cluster: what may be shown of each one's own result


async def count_poll(session: Any, cluster: Cluster, poll: Poll) -> Counted:
    assert poll.id is not None
    options = await store.options_of(session, poll_id=poll.id)
    votes = await votes_of(session, poll_id=poll.id)
    option_ids = [option.id for option in options if option.id is not None]
    ranked = poll.kind == store.RANKED
    ballots: dict[str, list[int]] = {}
    ballot_group: dict[str, int | None] = {}
    by_option: dict[int, list[str]] = {option_id: [] for option_id in option_ids}
    for vote in votes:
        ballots.setdefault(vote.voter, []).append(vote.option_id)
        ballot_group[vote.voter] = vote.subcluster_id
        if not ranked or vote.rank == 1:
            by_option.setdefault(vote.option_id, []).append(vote.voter)
    result = tally(option_ids, list(ballots.values()), ranked=ranked)
    groups: Breakdown | None = None
    names: dict[int, str] = {}
    if poll.by_subcluster or poll.subcluster_id:
        names = {
            s.id: s.name
            for s in await subclusters(session, cluster_id=cluster.id or 0)
            if s.id is not None
        }
    if poll.by_subcluster:
        grouped_ballots: dict[int, list[list[int]]] = {group: [] for group in names}
        for voter, ballot in ballots.items():
            group = ballot_group.get(voter)
            if group is not None:
                grouped_ballots.setdefault(group, []).append(ballot)
        grouped: GroupedResult[int] = by_group(option_ids, grouped_ballots, ranked=ranked)
        result = grouped.overall
        groups = breakdown(
            [
                (names.get(group, "?"), group_result)
                for group, group_result in grouped.groups.items()
            ],
            anonymous=poll.anonymous,
        )
    first_counts = (
        {option_id: len(voters) for option_id, voters in by_option.items()} if ranked else None
    )
    tz = ZoneInfo(cluster.timezone)
    view = blocks.PollView(
        id=poll.id,
        question=poll.question,
        kind=poll.kind,
        max_choices=poll.max_choices,
        anonymous=poll.anonymous,
        open_options=poll.open_options,
        closed=poll.status == store.CLOSED,
        options=tuple(
            blocks.OptionView(
                id=option.id or 0,
                position=option.position,
                text=option.text,
                count=(first_counts or {}).get(option.id or 0, 0)
                if ranked
                else len(by_option.get(option.id or 0, [])),
                voters=() if poll.anonymous else tuple(by_option.get(option.id or 0, [])),
            )
            for option in options
        ),
        ballots=len(ballots),
        closes_at_local=poll.closes_at.astimezone(tz) if poll.closes_at else None,
        subcluster_name=names.get(poll.subcluster_id) if poll.subcluster_id else None,
        by_subcluster=poll.by_subcluster,
    )
    return Counted(poll=poll, view=view, result=result, groups=groups)


async def render_poll(
    session: Any, deps: Deps, cluster: Cluster, poll: Poll
) -> tuple[str, list[dict[str, Any]]]:
    counted = await count_poll(session, cluster, poll)
    return blocks.poll_message(counted.view, cluster.language)


async def refresh_message(deps: Deps, poll_id: int, *, lease_until: datetime) -> bool:
    """Show the poll's current counts in its message; False if the claim ran out first."""
    async with deps.db.session() as session:
        poll = await session.get(Poll, poll_id, populate_existing=True)
        if poll is None or poll.message_ts is None:
            return True
        cluster = await get_cluster_by_id(session, poll.cluster_id)
        if cluster is None:
            return True
        text, message_blocks = await render_poll(session, deps, cluster, poll)
    if deps.clock() >= lease_until:
        # Someone else may hold the next claim already; sending now could crowd their update.
        return False
    try:
        await deps.client.chat_update(
            channel=poll.channel_id, ts=poll.message_ts, text=text, blocks=message_blocks
        )
    except SlackApiError as error:
        log.warning("could not refresh poll %s: %s", poll_id, error.response.get("error"))
    return True


# Per process (event loop): poll id -> when its trailing refresh, known to be pending, is due.
_trailing: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, datetime]] = (
    weakref.WeakKeyDictionary()
)
# A trailing refresh due at least this far ahead has certainly not started reading the votes.
TRAILING_MARGIN = timedelta(milliseconds=250)


def _known_trailing() -> dict[int, datetime]:
    return _trailing.setdefault(asyncio.get_running_loop(), {})


async def request_refresh(deps: Deps, poll_id: int) -> None:
    """Refresh now if nobody did in the last second, else make sure a trailing refresh comes.

    When this process itself has just seen the trailing refresh scheduled for a moment still
    ahead, that refresh will read the vote just committed: nothing more to do (most clicks of a
    burst end here, sparing the database a write).
    """
    key = f"poll_refresh:{poll_id}"
    payload = {"poll_id": poll_id}
    known = _known_trailing()
    due = known.get(poll_id)
    if due is not None and deps.clock() < due - TRAILING_MARGIN:
        return
    async with deps.db.session() as session:
        lease_until, next_at = await store.claim_refresh(
            session,
            poll_id=poll_id,
            now=deps.clock(),
            interval=REFRESH_INTERVAL,
            lease=REFRESH_LEASE,
        )
        changed = next_at is not None and await store.schedule_once(
            session, kind="poll_refresh", key=key, due_at=next_at, payload=payload
        )
    if next_at is not None:
        known[poll_id] = next_at
    if lease_until is None:
        if changed:
            deps.scheduler.wake()
        return
    sent = False
    try:
        sent = await refresh_message(deps, poll_id, lease_until=lease_until)
    finally:
        async with deps.db.session() as session:
            now = deps.clock()
            await store.finish_refresh(
                session,
                poll_id=poll_id,
                lease_until=lease_until,
                now=now,
                interval=REFRESH_INTERVAL,
                job_key=key,
            )
            if not sent:
                await store.schedule_once(
                    session,
                    kind="poll_refresh",
                    key=key,
                    due_at=now + REFRESH_INTERVAL,
                    payload=payload,
                )
        deps.scheduler.wake()


async def refresh_open_polls(deps: Deps, cluster: Cluster) -> None:
    """Show every open poll of ``cluster`` as it stands now (a member's votes were erased)."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        poll_ids = await store.open_poll_ids(session, cluster_id=cluster.id)
    for poll_id in poll_ids:
        await request_refresh(deps, poll_id)
