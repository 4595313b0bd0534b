"""Topic polls: ``/klynge poll ...``, voting buttons, ranking and add-option modals, closing.

Votes are counted by the database (see ``storage.polls``). The poll message is refreshed at
most once a second per poll whichever replica got the click: a click claims the refresh with a
conditional UPDATE of ``poll.last_refreshed_at``; a click that cannot claim leaves a trailing
``poll_refresh:<id>`` job due one second after the last refresh, so the final counts always
land. Deadlines (``poll_close:<id>``) and nudges (``poll_nudge:<id>``) are scheduler jobs.

Nudges in anonymous polls: the bot recomputes each member's keyed hash to see whether they
voted. That tells the bot only *whether* someone voted (which it needs to stop double voting),
never what they chose; the nudge is an ephemeral message only that member sees.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
import weakref
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError

from bot import poll_blocks as blocks
from bot.commands import FlagKind, Token
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import language_for, tell_privately
from bot.i18n import Text, format_datetime
from bot.members import current_members
from bot.mrkdwn import escape
from bot.tally import GroupedResult, Result, by_group, format_count, tally
from bot.when import WhenError, local_to_utc, parse_date, parse_time
from handlers.polls.texts import (
    ALREADY_CLOSED,
    BAD_MULTI,
    BAD_POLL_ID,
    CLOSE_NOT_ALLOWED,
    CLOSES_FORM,
    CLOSES_IN_PAST,
    DUPLICATE_OPTION,
    EMPTY_OPTION,
    MINUTES_NONE,
    MINUTES_OPEN,
    MINUTES_TIE,
    MINUTES_TITLE,
    MINUTES_WINNER,
    MOVED,
    MULTI_AND_RANKED,
    NEEDS_QUOTES,
    NO_OPEN_POLL,
    NO_QUESTION,
    NO_SUBCLUSTER,
    NO_SUBCLUSTERS,
    NO_UPCOMING_MEETING,
    NOT_A_CLUSTER_CHANNEL,
    NOT_IN_SUBCLUSTER,
    NOT_OPEN_FOR_OPTIONS,
    NUDGE,
    OPTION_ADDED,
    OPTION_EXISTS,
    OPTION_TOO_LONG,
    POLL_CLOSED_NOW,
    POLL_CREATED,
    POLL_CREATED_CLOSES,
    POLL_GONE,
    POLL_IS_CLOSED,
    POLL_NOT_FOUND,
    POLL_USAGE,
    QUESTION_TOO_LONG,
    RANK_DUPLICATE,
    RANKING_SAVED,
    SUBCLUSTER_AND_BY,
    TOO_FEW_OPTIONS,
    TOO_MANY_CHOICES,
    TOO_MANY_OPTIONS,
    TOPIC_COORDINATORS_ONLY,
    TOPIC_SET,
    UNKNOWN_SUBCLUSTER,
    VOTED,
    WITHDRAWN,
)
from handlers.router import CommandContext, Subcommand, announce
from handlers.wiring import Wiring
from storage import jobs as job_store
from storage import polls as store
from storage.breakouts import Subcluster, subcluster_member_ids, subcluster_of, subclusters
from storage.clusters import Cluster, get_cluster, get_cluster_by_id, is_coordinator
from storage.jobs import Job
from storage.meetings import Meeting, running_meeting, upcoming_meetings
from storage.polls import Outcome, Poll

log = logging.getLogger(__name__)

REFRESH_INTERVAL = timedelta(seconds=1)
# How long one refresh may take before others may claim again (the replica may have died).
REFRESH_LEASE = timedelta(seconds=10)
MIN_OPTIONS = 2
MAX_OPTIONS = 20
MAX_OPTION_LENGTH = 200
MAX_QUESTION_LENGTH = 300

# --- texts --------------------------------------------------------------------------------------


# --- what a poll is made of ---------------------------------------------------------------------


@dataclass
class PollSpec:
    """A poll as asked for, validated, before it is stored."""

    question: str
    options: list[str]
    kind: str = store.SINGLE
    max_choices: int = 1
    anonymous: bool = False
    open_options: bool = False
    closes_at: datetime | None = None
    subcluster: str | None = None
    by_subcluster: bool = False


def clean_question(text: str) -> str:
    question = " ".join(text.split())
    if not question:
        raise UserError(NO_QUESTION)
    if len(question) > MAX_QUESTION_LENGTH:
        raise UserError(QUESTION_TOO_LONG, length=len(question), limit=MAX_QUESTION_LENGTH)
    return question


def clean_option(text: str, number: int) -> str:
    option = " ".join(text.split())
    if not option:
        raise UserError(EMPTY_OPTION, number=number)
    if len(option) > MAX_OPTION_LENGTH:
        raise UserError(OPTION_TOO_LONG, number=number, length=len(option), limit=MAX_OPTION_LENGTH)
    return option


def clean_options(texts: Sequence[str]) -> list[str]:
    """2 to 20 non-empty, different options (trimmed; compared without case)."""
    if len(texts) > MAX_OPTIONS:
        raise UserError(TOO_MANY_OPTIONS, maximum=MAX_OPTIONS, count=len(texts))
    options = [clean_option(text, number) for number, text in enumerate(texts, start=1)]
    if len(options) < MIN_OPTIONS:
        raise UserError(TOO_FEW_OPTIONS, minimum=MIN_OPTIONS, count=len(options))
    seen: set[str] = set()
    for option in options:
        key = store.normalize(option)
        if key in seen:
            raise UserError(DUPLICATE_OPTION, option=escape(blocks.shorten(option, 80)))
        seen.add(key)
    return options


def parse_multi(value: str, option_count: int) -> int:
    cleaned = value.strip()
    if not cleaned.isdigit() or len(cleaned) > 3 or not 1 <= int(cleaned) <= option_count:
        raise UserError(BAD_MULTI, count=option_count, value=escape(cleaned[:20]))
    return int(cleaned)


def parse_closes(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """``YYYY-MM-DD HH:MM`` in the cluster's zone, as UTC; refuses the past."""
    local_now = now.astimezone(tz)
    parts = text.split()
    if len(parts) != 2:
        raise UserError(CLOSES_FORM, example=(local_now + timedelta(days=7)).date())
    try:
        day = parse_date(parts[0], today=local_now.date())
        closes = local_to_utc(day, parse_time(parts[1]), tz)
    except WhenError as error:
        raise UserError(error.text, **error.values) from None
    if closes <= now:
        raise UserError(CLOSES_IN_PAST, when=format_datetime(closes.astimezone(tz), "en"))
    return closes


def spec_from_command(
    tokens: Sequence[Token], flags: dict[str, str | bool], *, now: datetime, tz: ZoneInfo
) -> PollSpec:
    """The poll described by ``/klynge poll "Q" "A" "B" --flags``."""
    texts = [token.text for token in tokens if token.quoted]
    loose = [token.text for token in tokens if not token.quoted]
    closes_text = flags.get("closes")
    if isinstance(closes_text, str) and len(closes_text.split()) == 1 and len(loose) == 1:
        closes_text = f"{closes_text} {loose.pop()}"  # --closes 2026-12-01 16:00
    if loose:
        raise UserError(NEEDS_QUOTES, words=escape(" ".join(loose)[:80]))
    if not texts:
        raise UserError(NO_QUESTION)
    spec = PollSpec(question=clean_question(texts[0]), options=clean_options(texts[1:]))
    ranked = flags.get("ranked") is True
    multi = flags.get("multi")
    if ranked and isinstance(multi, str):
        raise UserError(MULTI_AND_RANKED)
    if ranked:
        spec.kind = store.RANKED
    elif isinstance(multi, str):
        spec.max_choices = parse_multi(multi, len(spec.options))
        spec.kind = store.MULTI if spec.max_choices > 1 else store.SINGLE
    spec.anonymous = flags.get("anonymous") is True
    spec.open_options = flags.get("open") is True
    if isinstance(closes_text, str):
        spec.closes_at = parse_closes(closes_text, now=now, tz=tz)
    subcluster = flags.get("subcluster")
    spec.subcluster = subcluster if isinstance(subcluster, str) else None
    spec.by_subcluster = flags.get("by-subcluster") is True
    if spec.subcluster and spec.by_subcluster:
        raise UserError(SUBCLUSTER_AND_BY)
    return spec


def nudge_time(created: datetime, closes: datetime) -> datetime:
    """A day before the deadline, or halfway for polls shorter than two days."""
    if closes - created >= timedelta(days=2):
        return closes - timedelta(days=1)
    return created + (closes - created) / 2


# --- creating -----------------------------------------------------------------------------------


async def _resolve_subcluster(deps: Deps, cluster: Cluster, spec: PollSpec) -> int | None:
    if not spec.subcluster and not spec.by_subcluster:
        return None
    assert cluster.id is not None
    async with deps.db.session() as session:
        known = list(await subclusters(session, cluster_id=cluster.id))
    flag = "subcluster" if spec.subcluster else "by-subcluster"
    if not known:
        raise UserError(NO_SUBCLUSTERS, flag=flag)
    if spec.subcluster is None:
        return None
    wanted = store.normalize(spec.subcluster)
    for subcluster in known:
        if store.normalize(subcluster.name) == wanted:
            return subcluster.id
    names = ", ".join(f"“{escape(s.name)}”" for s in known)
    raise UserError(UNKNOWN_SUBCLUSTER, name=escape(spec.subcluster[:80]), names=names)


async def create_poll(
    deps: Deps, cluster: Cluster, *, channel: str, user: str, spec: PollSpec
) -> Poll:
    """Store the poll, post it in the channel, and schedule its deadline and nudge."""
    assert cluster.id is not None
    subcluster_id = await _resolve_subcluster(deps, cluster, spec)
    now = deps.clock()
    async with deps.db.session() as session:
        meeting = await running_meeting(session, cluster_id=cluster.id)
        poll = await store.create_poll(
            session,
            poll=Poll(
                cluster_id=cluster.id,
                channel_id=channel,
                question=spec.question,
                kind=spec.kind,
                max_choices=spec.max_choices,
                anonymous=spec.anonymous,
                open_options=spec.open_options,
                subcluster_id=subcluster_id,
                by_subcluster=spec.by_subcluster,
                closes_at=spec.closes_at,
                meeting_id=meeting.id if meeting else None,
                created_by=user,
                created_at=now,
                last_refreshed_at=now,
            ),
            options=spec.options,
        )
        text, message_blocks = await _render_poll(session, deps, cluster, poll)
        # Posting inside the transaction: if the bot can't post, no poll is left behind.
        posted = await announce(deps, channel, text, blocks=message_blocks)
        poll.message_ts = str(posted.get("ts"))
        session.add(poll)
    assert poll.id is not None
    if poll.closes_at is not None:
        await deps.scheduler.schedule(
            kind="poll_close",
            key=f"poll_close:{poll.id}",
            due_at=poll.closes_at,
            payload={"poll_id": poll.id},
        )
        nudge_at = nudge_time(now, poll.closes_at)
        if nudge_at > now:
            await deps.scheduler.schedule(
                kind="poll_nudge",
                key=f"poll_nudge:{poll.id}",
                due_at=nudge_at,
                payload={"poll_id": poll.id},
                expires_at=poll.closes_at,
            )
    await deps.hooks.changed(deps, cluster)
    return poll


async def poll_command(ctx: CommandContext) -> None:
    """``/klynge poll "Q" "A" "B" ...``, or the creation modal when nothing follows."""
    cluster = ctx.require_cluster()
    if not ctx.args.positional and not ctx.args.flags:
        await ctx.client.views_open(
            trigger_id=ctx.trigger_id, view=blocks.create_modal(ctx.channel_id, ctx.language)
        )
        return
    spec = spec_from_command(
        ctx.args.positional, ctx.args.flags, now=ctx.deps.clock(), tz=ctx.timezone
    )
    poll = await create_poll(ctx.deps, cluster, channel=ctx.channel_id, user=ctx.user_id, spec=spec)
    await ctx.reply(ctx.t(POLL_CREATED, id=poll.id, closes=_closes_phrase(poll, cluster)))


def _closes_phrase(poll: Poll, cluster: Cluster) -> str:
    if poll.closes_at is None:
        return ""
    local = poll.closes_at.astimezone(ZoneInfo(cluster.timezone))
    return POLL_CREATED_CLOSES.render(
        cluster.language, when=format_datetime(local, cluster.language)
    )


# --- rendering ----------------------------------------------------------------------------------


@dataclass
class Counted:
    """A poll with its options, its ballots and its result, ready to render."""

    poll: Poll
    view: blocks.PollView
    result: Result
    groups: list[tuple[str, Result]]


async def count_poll(session: Any, cluster: Cluster, poll: Poll) -> Counted:
    assert poll.id is not None
    options = await store.options_of(session, poll_id=poll.id)
    votes = await store.votes_of(session, poll_id=poll.id)
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
    groups: list[tuple[str, Result]] = []
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
        groups = [
            (names.get(group, "?"), group_result) for group, group_result in grouped.groups.items()
        ]
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


async def _render_poll(
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
        text, message_blocks = await _render_poll(session, deps, cluster, poll)
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


# --- voting -------------------------------------------------------------------------------------


Listener = Callable[..., Awaitable[None]]


def _privately_on_user_error(listener: Listener) -> Listener:
    """Answer a ``UserError`` raised in a button listener privately, in the cluster's language."""

    @functools.wraps(listener)
    async def wrapped(**kwargs: Any) -> None:
        try:
            await listener(**kwargs)
        except UserError as error:
            deps = deps_of(kwargs["context"])
            language = await language_for(deps, kwargs["body"])
            await tell_privately(deps, kwargs["body"], error.render(language))

    return wrapped


def _ids(value: str) -> tuple[int, int] | None:
    first, _, second = value.partition(":")
    if not (first.isdigit() and second.isdigit()):
        return None
    return int(first), int(second)


async def _whisper(
    deps: Deps, body: dict[str, Any], language: str, text: Text, **values: object
) -> None:
    await tell_privately(deps, body, text.render(language, **values))


async def _load(deps: Deps, poll_id: int) -> tuple[Poll, Cluster] | None:
    async with deps.db.session() as session:
        poll = await session.get(Poll, poll_id, populate_existing=True)
        if poll is None:
            return None
        cluster = await get_cluster_by_id(session, poll.cluster_id)
    return (poll, cluster) if cluster is not None else None


async def _scope_in(
    session: Any, poll: Poll, cluster: Cluster, user: str
) -> tuple[int | None, Text | None, dict[str, object]]:
    """The voter's sub-cluster, or the refusal when the poll is not theirs to vote in."""
    if not poll.subcluster_id and not poll.by_subcluster:
        return None, None, {}
    group = await subcluster_of(session, cluster_id=cluster.id or 0, user_id=user)
    if poll.subcluster_id and group != poll.subcluster_id:
        scoped = await session.get(Subcluster, poll.subcluster_id)
        return None, NOT_IN_SUBCLUSTER, {"name": escape(scoped.name if scoped else "?")}
    if poll.by_subcluster and group is None:
        return None, NO_SUBCLUSTER, {}
    return group, None, {}


async def _voter_scope(
    deps: Deps, poll: Poll, cluster: Cluster, user: str
) -> tuple[int | None, Text | None, dict[str, object]]:
    async with deps.db.session() as session:
        return await _scope_in(session, poll, cluster, user)


# Votes handled at once per process. More would only queue for a database connection, where a
# long wait is an error (pool timeout, SQLite busy timeout); here a burst simply waits its turn.
VOTES_AT_ONCE = 8
_vote_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _vote_slot() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    slot = _vote_slots.get(loop)
    if slot is None:
        slot = _vote_slots[loop] = asyncio.Semaphore(VOTES_AT_ONCE)
    return slot


@dataclass
class Answer:
    """What to tell the voter privately."""

    text: Text
    values: dict[str, object]
    language: str
    counted: bool = False


async def _cast_vote(deps: Deps, poll_id: int, option_id: int, user: str) -> Answer:
    """Check and count one click in one transaction (the poll held open while it runs)."""
    language: str = deps.settings.language
    async with deps.db.session() as session:
        is_open = await store.lock_open(session, poll_id=poll_id)
        found = await store.poll_with_option(session, poll_id=poll_id, option_id=option_id)
        if found is None:
            return Answer(POLL_GONE, {}, language)
        poll, cluster, option = found
        language = cluster.language
        if poll.kind == store.RANKED:  # ranked polls have no option buttons
            return Answer(POLL_GONE, {}, language)
        if not is_open:
            return Answer(POLL_IS_CLOSED, {}, language)
        group, refusal, values = await _scope_in(session, poll, cluster, user)
        if refusal is not None:
            return Answer(refusal, values, language)
        outcome = await store.toggle_vote(
            session,
            poll_id=poll_id,
            voter=store.voter_key(poll, user, secret=deps.settings.ballot_secret),
            option_id=option_id,
            max_choices=poll.max_choices,
            subcluster_id=group,
            now=deps.clock(),
        )
    if outcome is Outcome.TOO_MANY:
        return Answer(TOO_MANY_CHOICES, {"n": poll.max_choices}, language)
    text = {Outcome.VOTED: VOTED, Outcome.MOVED: MOVED, Outcome.WITHDRAWN: WITHDRAWN}[outcome]
    shown = escape(blocks.shorten(option.text, 120))
    return Answer(text, {"option": shown}, language, counted=True)


async def _home_changed(deps: Deps, poll_id: int) -> None:
    """Tell the App Home the poll changed (a voter's open polls are shown there)."""
    if (loaded := await _load(deps, poll_id)) is not None:
        await deps.hooks.changed(deps, loaded[1])


async def on_vote(ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: Any) -> None:
    """A click on an option button: count it, answer privately, refresh the message (coalesced)."""
    await ack()
    deps = deps_of(context)
    ids = _ids(str(body["actions"][0].get("value", "")))
    if ids is None:
        await tell_privately(deps, body, POLL_GONE)
        return
    async with _vote_slot():
        answer = await _cast_vote(deps, ids[0], ids[1], str(body["user"]["id"]))
        if answer.counted:
            await request_refresh(deps, ids[0])
    if answer.counted:
        await _home_changed(deps, ids[0])
    await _whisper(deps, body, answer.language, answer.text, **answer.values)


async def on_rank_button(
    ack: Callable[[], Awaitable[None]], body: dict[str, Any], client: Any, context: Any
) -> None:
    """Open the ranking modal, pre-filled with the voter's ranking so far."""
    await ack()
    deps = deps_of(context)
    value = str(body["actions"][0].get("value", ""))
    loaded = await _load(deps, int(value)) if value.isdigit() else None
    if loaded is None:
        await tell_privately(deps, body, POLL_GONE)
        return
    poll, cluster = loaded
    if poll.status != store.OPEN:
        await _whisper(deps, body, cluster.language, POLL_IS_CLOSED)
        return
    user = str(body["user"]["id"])
    _, refusal, values = await _voter_scope(deps, poll, cluster, user)
    if refusal is not None:
        await _whisper(deps, body, cluster.language, refusal, **values)
        return
    voter = store.voter_key(poll, user, secret=deps.settings.ballot_secret)
    async with deps.db.session() as session:
        options = await store.options_of(session, poll_id=poll.id or 0)
        ranking = await store.choices_of(session, poll_id=poll.id or 0, voter=voter)
    view = blocks.rank_modal(
        poll.id or 0,
        poll.question,
        [blocks.OptionView(id=o.id or 0, position=o.position, text=o.text) for o in options],
        ranking,
        cluster.language,
    )
    await client.views_open(trigger_id=body["trigger_id"], view=view)


def _state(body: dict[str, Any]) -> dict[str, Any]:
    return dict(((body.get("view") or {}).get("state") or {}).get("values") or {})


async def on_rank_submit(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    """Store a ranking from the modal; duplicate places are shown as field errors."""
    deps = deps_of(context)
    metadata = str(body["view"].get("private_metadata", ""))
    loaded = await _load(deps, int(metadata)) if metadata.isdigit() else None
    if loaded is None:
        await ack()
        return
    poll, cluster = loaded
    language = cluster.language
    state = _state(body)
    ranking: list[int] = []
    errors: dict[str, str] = {}
    for block_id in sorted(
        (key for key in state if key.startswith("rank_")), key=lambda key: int(key[5:])
    ):
        selected = (state[block_id].get("option") or {}).get("selected_option") or {}
        value = str(selected.get("value", ""))
        if not value.isdigit():
            continue
        if int(value) in ranking:
            errors[block_id] = RANK_DUPLICATE.render(language)
        ranking.append(int(value))
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    await ack()
    user = str(body["user"]["id"])
    if poll.status != store.OPEN:
        await _post_ephemeral(deps, poll.channel_id, user, POLL_IS_CLOSED.render(language))
        return
    group, refusal, values = await _voter_scope(deps, poll, cluster, user)
    if refusal is not None:
        await _post_ephemeral(deps, poll.channel_id, user, refusal.render(language, **values))
        return
    voter = store.voter_key(poll, user, secret=deps.settings.ballot_secret)
    async with deps.db.session() as session:
        if not await store.lock_open(session, poll_id=poll.id or 0):
            await _post_ephemeral(deps, poll.channel_id, user, POLL_IS_CLOSED.render(language))
            return
        options = {o.id: o for o in await store.options_of(session, poll_id=poll.id or 0)}
        ranking = [option_id for option_id in ranking if option_id in options]
        await store.replace_ranking(
            session,
            poll_id=poll.id or 0,
            voter=voter,
            ranking=ranking,
            subcluster_id=group,
            now=deps.clock(),
        )
    await request_refresh(deps, poll.id or 0)
    await deps.hooks.changed(deps, cluster)
    shown = " > ".join(escape(blocks.shorten(options[o].text, 60)) for o in ranking)
    await _post_ephemeral(
        deps,
        poll.channel_id,
        user,
        RANKING_SAVED.render(
            language, question=escape(blocks.shorten(poll.question, 120)), ranking=shown
        ),
    )


async def _post_ephemeral(deps: Deps, channel: str, user: str, text: str) -> None:
    try:
        await deps.client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as error:
        log.warning("could not tell %s privately: %s", user, error.response.get("error"))


# --- adding options -----------------------------------------------------------------------------


async def on_add_option_button(
    ack: Callable[[], Awaitable[None]], body: dict[str, Any], client: Any, context: Any
) -> None:
    await ack()
    deps = deps_of(context)
    value = str(body["actions"][0].get("value", ""))
    loaded = await _load(deps, int(value)) if value.isdigit() else None
    if loaded is None:
        await tell_privately(deps, body, POLL_GONE)
        return
    poll, cluster = loaded
    if poll.status != store.OPEN or not poll.open_options:
        text = POLL_IS_CLOSED if poll.status != store.OPEN else NOT_OPEN_FOR_OPTIONS
        await _whisper(deps, body, cluster.language, text)
        return
    await client.views_open(
        trigger_id=body["trigger_id"],
        view=blocks.add_option_modal(poll.id or 0, poll.question, cluster.language),
    )


async def on_add_option_submit(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    deps = deps_of(context)
    metadata = str(body["view"].get("private_metadata", ""))
    loaded = await _load(deps, int(metadata)) if metadata.isdigit() else None
    if loaded is None:
        await ack()
        return
    poll, cluster = loaded
    language = cluster.language
    user = str(body["user"]["id"])
    raw = str(((_state(body).get("option") or {}).get("value") or {}).get("value") or "")
    try:
        if poll.status != store.OPEN:
            raise UserError(POLL_IS_CLOSED)
        if not poll.open_options:
            raise UserError(NOT_OPEN_FOR_OPTIONS)
        text = clean_option(raw, 1)
        async with deps.db.session() as session:
            count = len(await store.options_of(session, poll_id=poll.id or 0))
            if count >= MAX_OPTIONS:
                raise UserError(TOO_MANY_OPTIONS, maximum=MAX_OPTIONS, count=count + 1)
            try:
                async with session.begin_nested():
                    await store.add_option(session, poll_id=poll.id or 0, text=text, added_by=user)
            except IntegrityError:
                raise UserError(OPTION_EXISTS) from None
    except UserError as error:
        await ack(response_action="errors", errors={"option": error.render(language)})
        return
    await ack()
    await request_refresh(deps, poll.id or 0)
    await _post_ephemeral(
        deps,
        poll.channel_id,
        user,
        OPTION_ADDED.render(language, user=f"<@{user}>", option=escape(text), id=poll.id),
    )


# --- creating by modal --------------------------------------------------------------------------


def _field(state: dict[str, Any], block_id: str) -> dict[str, Any]:
    return dict((state.get(block_id) or {}).get("value") or {})


async def on_create_submit(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    """The creation modal: the same rules as the command, shown as field errors."""
    deps = deps_of(context)
    state = _state(body)
    try:
        metadata = json.loads(str(body["view"].get("private_metadata") or "{}"))
    except json.JSONDecodeError:
        metadata = {}
    channel = str(metadata.get("channel", ""))
    team = str((body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id"))
    user = str(body["user"]["id"])
    async with deps.db.session() as session:
        cluster = await get_cluster(session, team_id=team, channel_id=channel)
    language = cluster.language if cluster else deps.settings.language
    if cluster is None:
        error = NOT_A_CLUSTER_CHANNEL.render(language)
        await ack(response_action="errors", errors={"question": error})
        return
    tz = ZoneInfo(cluster.timezone)
    block = "question"
    try:
        question = clean_question(str(_field(state, "question").get("value") or ""))
        block = "options"
        lines = str(_field(state, "options").get("value") or "").splitlines()
        spec = PollSpec(question=question, options=clean_options([x for x in lines if x.strip()]))
        kind = str((_field(state, "kind").get("selected_option") or {}).get("value") or "single")
        block = "max_choices"
        if kind == store.RANKED:
            spec.kind = store.RANKED
        elif kind == store.MULTI:
            raw_max = str(_field(state, "max_choices").get("value") or "").strip()
            spec.max_choices = (
                parse_multi(raw_max, len(spec.options)) if raw_max else len(spec.options)
            )
            spec.kind = store.MULTI if spec.max_choices > 1 else store.SINGLE
        chosen = {
            str(option.get("value"))
            for option in _field(state, "settings").get("selected_options") or []
        }
        spec.anonymous = "anonymous" in chosen
        spec.open_options = "open" in chosen
        block = "closes"
        closes = str(_field(state, "closes").get("value") or "").strip()
        if closes:
            spec.closes_at = parse_closes(closes, now=deps.clock(), tz=tz)
    except UserError as error:
        await ack(response_action="errors", errors={block: error.render(language)})
        return
    await ack()
    try:
        poll = await create_poll(deps, cluster, channel=channel, user=user, spec=spec)
    except UserError as error:
        await _post_ephemeral(deps, channel, user, error.render(language))
        return
    await _post_ephemeral(
        deps,
        channel,
        user,
        POLL_CREATED.render(language, id=poll.id, closes=_closes_phrase(poll, cluster)),
    )


# --- closing ------------------------------------------------------------------------------------


async def close_poll(deps: Deps, poll_id: int) -> bool:
    """Close the poll and post its results, exactly once however often it is asked."""
    async with deps.db.session() as session:
        if not await store.mark_closed(session, poll_id=poll_id, now=deps.clock()):
            return False
        await job_store.cancel(session, keys=[f"poll_close:{poll_id}", f"poll_nudge:{poll_id}"])
        poll = await session.get(Poll, poll_id, populate_existing=True)
        assert poll is not None
        cluster = await get_cluster_by_id(session, poll.cluster_id)
        assert cluster is not None
        counted = await count_poll(session, cluster, poll)
    text, result_blocks = blocks.results_message(
        counted.view, counted.result, cluster.language, groups=counted.groups
    )
    try:
        posted = await announce(deps, poll.channel_id, text, blocks=result_blocks)
    except UserError:
        log.warning("could not post the results of poll %s: bot not in channel", poll_id)
        posted = {}
    if posted.get("ts"):
        async with deps.db.session() as session:
            stored = await session.get(Poll, poll_id)
            if stored is not None:
                stored.results_ts = str(posted["ts"])
                session.add(stored)
    await request_refresh(deps, poll_id)
    await deps.hooks.changed(deps, cluster)
    return True


async def poll_close_command(ctx: CommandContext) -> None:
    """``/klynge poll close [<id>]``: creator or coordinator; no id: the newest open poll."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.args.words
    async with ctx.deps.db.session() as session:
        if words:
            raw = words[0].lstrip("#")
            if len(words) > 1 or not raw.isdigit() or len(raw) > 9:
                raise UserError(BAD_POLL_ID, value=escape(" ".join(words)[:30]))
            poll = await store.get_poll(session, cluster_id=cluster.id, poll_id=int(raw))
            if poll is None:
                raise UserError(POLL_NOT_FOUND, id=int(raw))
        else:
            poll = await store.newest_open_poll(session, cluster_id=cluster.id)
            if poll is None:
                raise UserError(NO_OPEN_POLL)
    assert poll.id is not None
    if poll.status != store.OPEN:
        raise UserError(ALREADY_CLOSED, id=poll.id)
    if poll.created_by != ctx.user_id and not ctx.is_coordinator:
        raise UserError(CLOSE_NOT_ALLOWED, creator=f"<@{poll.created_by}>", id=poll.id)
    if not await close_poll(ctx.deps, poll.id):
        raise UserError(ALREADY_CLOSED, id=poll.id)
    await ctx.reply(ctx.t(POLL_CLOSED_NOW, id=poll.id))


async def on_topic(ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: Any) -> None:
    """Coordinator: make the winning option the topic of the next upcoming meeting."""
    await ack()
    deps = deps_of(context)
    ids = _ids(str(body["actions"][0].get("value", "")))
    loaded = await _load(deps, ids[0]) if ids else None
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


# --- jobs ---------------------------------------------------------------------------------------


def _poll_id(job: Job) -> int:
    return int(job.payload["poll_id"])


def register_jobs(deps: Deps) -> None:
    async def close_job(job: Job) -> None:
        await close_poll(deps, _poll_id(job))

    async def refresh_job(job: Job) -> None:
        await request_refresh(deps, _poll_id(job))

    async def nudge_job(job: Job) -> None:
        await nudge_non_voters(deps, _poll_id(job))

    deps.scheduler.on("poll_close", close_job)
    deps.scheduler.on("poll_refresh", refresh_job)
    deps.scheduler.on("poll_nudge", nudge_job)


async def nudge_non_voters(deps: Deps, poll_id: int) -> int:
    """Privately remind the members who may vote and haven't; returns how many were nudged."""
    loaded = await _load(deps, poll_id)
    if loaded is None:
        return 0
    poll, cluster = loaded
    if poll.status != store.OPEN or poll.closes_at is None:
        return 0
    members = await current_members(deps, cluster)
    async with deps.db.session() as session:
        voted = await store.voters(session, poll_id=poll_id)
        if poll.subcluster_id:
            allowed = set(await subcluster_member_ids(session, subcluster_id=poll.subcluster_id))
            members = [m for m in members if m in allowed]
        elif poll.by_subcluster:
            grouped: set[str] = set()
            for s in await subclusters(session, cluster_id=cluster.id or 0):
                grouped.update(await subcluster_member_ids(session, subcluster_id=s.id or 0))
            members = [m for m in members if m in grouped]
    secret = deps.settings.ballot_secret
    missing = [m for m in members if store.voter_key(poll, m, secret=secret) not in voted]
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
        when=when,
        link=link,
    ).strip()
    for member in missing:
        await _post_ephemeral(deps, poll.channel_id, member, text)
    return len(missing)


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
        for name, group_result in item.groups:
            winners = ", ".join(texts[w] for w in group_result.winners) or "-"
            lines.append(f"- {name}: {winners}")
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


# --- wiring -------------------------------------------------------------------------------------


def register(app: AsyncApp, wiring: Wiring) -> None:
    app.action(re.compile(rf"^{blocks.VOTE_ACTION}:"))(_privately_on_user_error(on_vote))
    app.action(blocks.RANK_ACTION)(_privately_on_user_error(on_rank_button))
    app.action(blocks.ADD_OPTION_ACTION)(_privately_on_user_error(on_add_option_button))
    app.action(re.compile(rf"^{blocks.TOPIC_ACTION}:"))(_privately_on_user_error(on_topic))
    app.view(blocks.CREATE_CALLBACK)(on_create_submit)
    app.view(blocks.RANK_CALLBACK)(on_rank_submit)
    app.view(blocks.ADD_OPTION_CALLBACK)(on_add_option_submit)
    wiring.hooks.minutes_sections.append(minutes_lines)
    poll_flags = {
        "multi": FlagKind.VALUE,
        "anonymous": FlagKind.SWITCH,
        "closes": FlagKind.VALUE,
        "ranked": FlagKind.SWITCH,
        "open": FlagKind.SWITCH,
        "subcluster": FlagKind.VALUE,
        "by-subcluster": FlagKind.SWITCH,
    }
    wiring.commands.add(
        Subcommand(
            words=("poll",),
            run=poll_command,
            usage=POLL_USAGE,
            summary=Text(
                en="a poll anyone can make (no arguments: a form)",
                da="en afstemning, alle kan oprette (uden argumenter: en formular)",
            ),
            flags=poll_flags,
            aliases=(("afstemning",),),
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("poll", "close"),
            run=poll_close_command,
            usage=Text(en="/klynge poll close [<id>]", da="/klynge poll close [<nr>]"),
            summary=Text(
                en="close a poll and post its results (creator or coordinator)",
                da="luk en afstemning og vis resultatet (opretteren eller en koordinator)",
            ),
        )
    )
