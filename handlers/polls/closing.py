"""Closing a poll and what follows from it: results, the deadline nudge, the topic, minutes.

Deadlines (``poll_close:<id>``) and nudges (``poll_nudge:<id>``) are scheduler jobs.

Nudges in anonymous polls: the bot recomputes each member's keyed hash (under the poll's salt,
which exists only while the poll is open) to see whether they voted. That tells the bot only
*whether* someone voted (which it needs to stop double voting), never what they chose; the nudge
is a direct message only that member sees. (Not an ephemeral
message: Slack shows those only to someone looking at the channel at that moment, and a nudge
comes a day before the deadline, when hardly anyone is.)
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError

from bot import outbox
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import tell_privately
from bot.i18n import format_datetime
from bot.members import current_members
from bot.mrkdwn import escape
from bot.numbers import is_number
from bot.outbox import post_once, still_waiting
from bot.slack import direct_messages
from handlers.polls import blocks, results
from handlers.polls.breakdown import MIN_GROUP_BALLOTS
from handlers.polls.common import load_poll, parse_ids
from handlers.polls.message import count_poll, request_refresh
from handlers.polls.tally import format_count
from handlers.polls.texts import (
    ALREADY_CLOSED,
    BAD_POLL_ID,
    CLOSE_NOT_ALLOWED,
    MINUTES_NONE,
    MINUTES_OPEN,
    MINUTES_TIE,
    MINUTES_TITLE,
    MINUTES_WINNER,
    NO_OPEN_POLL,
    NO_UPCOMING_MEETING,
    NUDGE,
    POLL_CLOSED_NOW,
    POLL_CLOSED_RESULTS_LATER,
    POLL_GONE,
    POLL_NOT_FOUND,
    TOPIC_COORDINATORS_ONLY,
    TOPIC_SET,
)
from handlers.router import CommandContext, announce
from storage import jobs as job_store
from storage import polls as store
from storage import votes
from storage.ballots import fold_pending
from storage.breakouts import subcluster_member_ids, subclusters
from storage.clusters import Cluster, get_cluster_by_id, is_coordinator
from storage.meetings import Meeting, upcoming_meetings
from storage.polls import Poll

log = logging.getLogger(__name__)


# --- closing ------------------------------------------------------------------------------------


RESULTS_JOB = "poll_results"


def results_key(poll_id: int) -> str:
    return f"{RESULTS_JOB}:{poll_id}"


async def close_poll(deps: Deps, poll_id: int) -> bool:
    """Close the poll, exactly once however often it is asked; False if it was already closed.

    Its results go out by the ``poll_results`` job, written in the same transaction and run at
    once: if Slack can't take them now, they are retried until it does (``bot.outbox``)."""
    key = results_key(poll_id)
    async with deps.db.session() as session:
        if not await store.mark_closed(session, poll_id=poll_id, now=deps.clock()):
            return False
        await job_store.cancel(session, keys=[f"poll_close:{poll_id}", f"poll_nudge:{poll_id}"])
        await job_store.schedule(
            session, kind=RESULTS_JOB, key=key, due_at=deps.clock(), payload={"poll_id": poll_id}
        )
        poll = await session.get(Poll, poll_id, populate_existing=True)
        assert poll is not None
        # Clicks kept before the close count, even those not counted yet; then an anonymous
        # poll's salt and clicks go, in this same transaction (nothing needs a voter key after).
        await fold_pending(session, poll=poll, now=deps.clock())
        await votes.seal_ballots(session, poll=poll, now=deps.clock())
        cluster = await get_cluster_by_id(session, poll.cluster_id)
        assert cluster is not None
    deps.scheduler.wake()
    await deps.scheduler.run_now(key)
    await request_refresh(deps, poll_id)
    await deps.hooks.changed(deps, cluster)
    return True


async def post_results(deps: Deps, poll_id: int) -> None:
    """The ``poll_results`` job: post the results of a closed poll once, and keep their ``ts``.
    Raises while Slack can't take them (or the bot is out of the channel), so the scheduler
    tries again."""
    async with deps.db.session() as session:
        poll = await session.get(Poll, poll_id)
        if poll is None or poll.results_ts is not None:
            return
        cluster = await get_cluster_by_id(session, poll.cluster_id)
        if cluster is None:
            return
        counted = await count_poll(session, cluster, poll)
    text, result_blocks = results.results_message(
        counted.view, counted.result, cluster.language, groups=counted.groups
    )
    ts = await post_once(
        deps, key=results_key(poll_id), channel=poll.channel_id, text=text, blocks=result_blocks
    )
    async with deps.db.session() as session:
        stored = await session.get(Poll, poll_id)
        if stored is not None:
            stored.results_ts = ts
            session.add(stored)


async def poll_close_command(ctx: CommandContext) -> None:
    """``/klynge poll close [<id>]``: creator or coordinator; no id: the newest open poll.

    Asked again while the results wait for Slack, it tries them again at once."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.args.words
    async with ctx.deps.db.session() as session:
        if words:
            raw = words[0].lstrip("#")
            if len(words) > 1 or not is_number(raw, digits=9):
                raise UserError(BAD_POLL_ID, value=escape(" ".join(words)[:30]))
            poll = await store.get_poll(session, cluster_id=cluster.id, poll_id=int(raw))
            if poll is None:
                raise UserError(POLL_NOT_FOUND, id=int(raw))
        else:
            poll = await store.newest_open_poll(session, cluster_id=cluster.id)
            if poll is None:
                raise UserError(NO_OPEN_POLL)
    assert poll.id is not None
    waiting = poll.status != store.OPEN and await outbox.waiting(ctx.deps, results_key(poll.id))
    if poll.status != store.OPEN and not waiting:
        raise UserError(ALREADY_CLOSED, id=poll.id)
    if poll.created_by != ctx.user_id and not ctx.is_coordinator:
        # An erased creator leaves the poll without one (storage/erasure.py).
        creator = f"<@{poll.created_by}>" if poll.created_by else "–"
        raise UserError(CLOSE_NOT_ALLOWED, creator=creator, id=poll.id)
    if waiting:
        await ctx.deps.scheduler.run_now(results_key(poll.id))
    elif not await close_poll(ctx.deps, poll.id):
        raise UserError(ALREADY_CLOSED, id=poll.id)
    later = await still_waiting(
        ctx.deps, results_key(poll.id), ctx.language, POLL_CLOSED_RESULTS_LATER, id=poll.id
    )
    await ctx.reply(later or ctx.t(POLL_CLOSED_NOW, id=poll.id))


async def on_topic(ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: Any) -> None:
    """Coordinator: make the winning option the topic of the next upcoming meeting."""
    await ack()
    deps = deps_of(context)
    ids = parse_ids(str(body["actions"][0].get("value", "")))
    loaded = await load_poll(deps, ids[0]) if ids else None
    if ids is None or loaded is None:
        await tell_privately(deps, body, POLL_GONE)
        return
    poll, cluster = loaded
    language = cluster.language
    user = str(body["user"]["id"])
    async with deps.db.session() as session:
        if not await is_coordinator(session, cluster_id=cluster.id or 0, user_id=user):
            raise UserError(TOPIC_COORDINATORS_ONLY)
        option = await session.get(store.PollOption, ids[1])
        if option is None or option.poll_id != poll.id:
            raise UserError(POLL_GONE)
        upcoming = await upcoming_meetings(
            session, cluster_id=cluster.id or 0, now=deps.clock(), limit=1
        )
        if not upcoming:
            raise UserError(NO_UPCOMING_MEETING)
        meeting = upcoming[0]
        meeting.topic = option.text[:500]
        session.add(meeting)
    when = format_datetime(meeting.starts_at.astimezone(ZoneInfo(cluster.timezone)), language)
    await announce(
        deps,
        poll.channel_id,
        TOPIC_SET.render(
            language,
            title=escape(meeting.title),
            when=when,
            topic=escape(option.text),
            id=poll.id,
        ),
    )


# --- nudging before the deadline ----------------------------------------------------------------


async def nudge_non_voters(deps: Deps, poll_id: int) -> int:
    """Remind the members who may vote and haven't, each in a direct message; returns how many
    were nudged."""
    loaded = await load_poll(deps, poll_id)
    if loaded is None:
        return 0
    poll, cluster = loaded
    if poll.status != store.OPEN or poll.closes_at is None:
        return 0
    members = await current_members(deps, cluster)
    async with deps.db.session() as session:
        voted = await votes.voters(session, poll_id=poll_id)
        if poll.subcluster_id:
            allowed = set(await subcluster_member_ids(session, subcluster_id=poll.subcluster_id))
            members = [m for m in members if m in allowed]
        elif poll.by_subcluster:
            grouped: set[str] = set()
            for s in await subclusters(session, cluster_id=cluster.id or 0):
                grouped.update(await subcluster_member_ids(session, subcluster_id=s.id or 0))
            members = [m for m in members if m in grouped]
    keys = {member: votes.voter_key(poll, member) for member in members}
    missing = [m for m, key in keys.items() if key is not None and key not in voted]
    link = ""
    if poll.message_ts:
        try:
            found = await deps.client.chat_getPermalink(
                channel=poll.channel_id, message_ts=poll.message_ts
            )
            link = str(found.get("permalink") or "")
        except SlackApiError:
            link = ""
    when = format_datetime(poll.closes_at.astimezone(ZoneInfo(cluster.timezone)), cluster.language)
    text = NUDGE.render(
        cluster.language,
        question=escape(blocks.shorten(poll.question, 200)),
        channel=f"<#{poll.channel_id}>",
        when=when,
        link=link,
    ).strip()
    unreached = await direct_messages(deps.client, missing, text)
    return len(missing) - len(unreached)


# --- decision minutes ---------------------------------------------------------------------------


async def minutes_lines(deps: Deps, cluster: Cluster, meeting: Meeting) -> list[str]:
    """Markdown lines with the results of the polls made during ``meeting``."""
    if meeting.id is None:
        return []
    lines: list[str] = []
    language = cluster.language
    async with deps.db.session() as session:
        polls = await store.polls_of_meeting(session, meeting_id=meeting.id)
        counted = [await count_poll(session, cluster, poll) for poll in polls]
    for item in counted:
        title = MINUTES_TITLE.render(language, question=item.poll.question)
        if item.poll.status == store.OPEN:
            title += " " + MINUTES_OPEN.render(language)
        lines.append(f"### {title}")
        texts = {option.id: option.text for option in item.view.options}
        for group in item.groups.lines if item.groups is not None else ():
            if group.result is None:
                shown = results.TOO_FEW_VOTES.render(language, minimum=MIN_GROUP_BALLOTS)
            else:
                shown = ", ".join(texts[w] for w in group.result.winners) or "-"
            lines.append(f"- {group.name}: {shown}")
        if item.groups is not None and item.groups.withheld:
            lines.append(results.GROUPS_WITHHELD.render(language))
        for option in item.view.options:
            count = item.result.counts.get(option.id, 0)
            lines.append(f"- {option.text}: {format_count(count)}")
        if not item.result.winners:
            lines.append(MINUTES_NONE.render(language))
        elif item.result.is_tie:
            tied = ", ".join(texts[w] for w in item.result.winners)
            lines.append(MINUTES_TIE.render(language, options=tied))
        else:
            lines.append(MINUTES_WINNER.render(language, option=texts[item.result.winners[0]]))
        lines.append("")
    return lines
