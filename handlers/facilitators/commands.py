"""The ``/klynge facilitator`` sub-commands: next, list, skip, away and mode (swap: swaps.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.blocks import lines_message
from bot.commands import mention_user_id
from bot.errors import UserError
from bot.i18n import Text, format_date
from bot.mrkdwn import escape
from bot.when import WhenError, parse_date
from bot.when_words import date_as_typed, date_in_words
from handlers.facilitators import rotation
from handlers.facilitators.changes import announce_changes
from handlers.facilitators.messages import meeting_time
from handlers.facilitators.plan import Plan, holder_of, replan
from handlers.facilitators.texts import (
    AWAY_DONE,
    AWAY_IN_PAST,
    AWAY_USAGE,
    LIST_AWAY_MARK,
    LIST_MEETING,
    LIST_MORE,
    LIST_NO_MEETINGS,
    LIST_QUEUE_HIDDEN,
    LIST_QUEUE_LINE,
    LIST_QUEUE_TITLE,
    LIST_TITLE,
    MODE_NO_SUBCLUSTERS,
    MODE_SAME,
    MODE_SET,
    MODE_USAGE,
    NEEDS_MENTION,
    NEVER,
    NEXT_FOR_MEETING,
    NEXT_NOT_PLANNED,
    NEXT_WITHOUT_MEETING,
    NO_SUBCLUSTERS_HINT,
    NOBODY_TO_ROTATE,
    NOT_IN_ROTATION,
    NOT_IN_SUBCLUSTER_HINT,
    REASON_AWAY,
    REASON_MODE,
    REASON_SKIP,
    SKIP_ALREADY,
    SKIP_NO_TURN,
    SKIP_PENDING,
)
from handlers.router import CommandContext
from storage import facilitators as store
from storage.clusters import Cluster
from storage.meetings import PLANNED, Meeting

MAX_LISTED_MEETINGS = 30
SHORT_LIST = 4  # the next few turns; `facilitator list all` shows every one

MODE_NAMES = {
    store.MEMBERS: Text(en="rotating over members", da="går på skift mellem medlemmerne"),
    store.SUBCLUSTERS: Text(
        en="rotating over sub-clusters", da="går på skift mellem babyklyngerne"
    ),
}


def cluster_of(ctx: CommandContext) -> Cluster:
    """The cluster of the channel the command came from (one is required)."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    return cluster


def _require_people(ctx: CommandContext, plan: Plan) -> None:
    if not plan.facilitators:
        hint = NO_SUBCLUSTERS_HINT if plan.mode == store.SUBCLUSTERS else ""
        raise UserError(NOBODY_TO_ROTATE, mode_hint=hint)


async def facilitator_next(ctx: CommandContext) -> None:
    """Fill the next meeting's turn (or advance the rotation by hand) and announce it."""
    cluster = cluster_of(ctx)
    assert cluster.id is not None
    async with ctx.deps.db.session() as session:
        meetings = await store.meetings_from(session, cluster_id=cluster.id)
    now = ctx.deps.clock()
    unfilled = [
        m.id for m in meetings if m.status == PLANNED and m.starts_at > now and holder_of(m) is None
    ]
    plan = await replan(ctx.deps, cluster)
    _require_people(ctx, plan)
    if plan.upcoming:
        meeting = next((m for m in plan.upcoming if m.id in unfilled), plan.upcoming[0])
        await ctx.announce(
            ctx.t(
                NEXT_FOR_MEETING,
                who=plan.name(plan.holder(meeting), ctx.language, with_members=True),
                title=escape(meeting.title),
                when=meeting_time(meeting, cluster),
                note_taker=plan.name(meeting.note_taker_id, ctx.language),
            )
        )
        return
    chosen = await _advance_by_hand(ctx, cluster, plan)
    await ctx.announce(
        ctx.t(NEXT_WITHOUT_MEETING, who=plan.name(chosen, ctx.language, with_members=True))
    )


async def _advance_by_hand(ctx: CommandContext, cluster: Cluster, plan: Plan) -> str:
    """Record a turn without a meeting for whoever is next; use up the skips passed over."""
    assert cluster.id is not None
    now = ctx.deps.clock()
    today = now.astimezone(ZoneInfo(cluster.timezone)).date()
    async with ctx.deps.db.session() as session:
        await store.lock_rotation(session, cluster_id=cluster.id, postgres=ctx.deps.db.is_postgres)
        # Read again under the lock: another coordinator may have advanced a moment ago.
        last_turns = dict(plan.last_turns)
        for turn in await store.manual_turns(session, cluster_id=cluster.id):
            if turn.role == store.FACILITATOR:
                last_turns[turn.key] = max(last_turns.get(turn.key, turn.at), turn.at)
        pending = {
            skip.key
            for skip in await store.skips(session, cluster_id=cluster.id)
            if skip.meeting_id is None
        }
        order = rotation.queue(plan.facilitators, last_turns)
        away = rotation.away_keys(plan.aways, today)
        slot = rotation.Slot(id=0, at=now, excluded=frozenset(pending) | away)
        chosen = rotation.plan(plan.facilitators, last_turns, [slot])[0]
        if chosen is None:
            raise UserError(NOBODY_TO_ROTATE, mode_hint="")
        used = [key for key in rotation.passed_over(order, chosen) if key in pending]
        await store.drop_pending_skips(session, cluster_id=cluster.id, keys=used)
        await store.add_manual_turn(
            session, cluster_id=cluster.id, role=store.FACILITATOR, key=chosen, at=now
        )
    return chosen


async def facilitator_list(ctx: CommandContext) -> None:
    """Privately: the next few meetings with their facilitators (short, for a phone)."""
    await _facilitator_list(ctx, everything=False)


async def facilitator_list_all(ctx: CommandContext) -> None:
    """Privately: every upcoming meeting with its facilitators, and the rotation order."""
    await _facilitator_list(ctx, everything=True)


async def _facilitator_list(ctx: CommandContext, *, everything: bool) -> None:
    cluster = cluster_of(ctx)
    plan = await replan(ctx.deps, cluster)
    language = ctx.language
    shown = MAX_LISTED_MEETINGS if everything else SHORT_LIST
    lines = [ctx.t(LIST_TITLE, name=escape(cluster.name), mode=ctx.t(MODE_NAMES[plan.mode]))]
    for meeting in plan.upcoming[:shown]:
        lines.append(
            ctx.t(
                LIST_MEETING,
                when=meeting_time(meeting, cluster),
                title=escape(meeting.title),
                who=plan.name(plan.holder(meeting), language),
                note_taker=plan.name(meeting.note_taker_id, language),
            )
        )
    if len(plan.upcoming) > shown:
        lines.append(ctx.t(LIST_MORE, count=len(plan.upcoming) - shown))
    if not plan.upcoming:
        lines.append(ctx.t(LIST_NO_MEETINGS))
    if not everything:  # short on a phone: the turn order of everyone only when asked
        lines.append(ctx.t(LIST_QUEUE_HIDDEN, count=len(plan.facilitators)))
        text, blocks = lines_message(lines)
        await ctx.reply(text, blocks=blocks)
        return
    lines.append(ctx.t(LIST_QUEUE_TITLE))
    zone = ZoneInfo(cluster.timezone)
    # Those with a planned turn in its order, then the rest as the queue stands after the plan.
    next_turn: dict[str, Meeting] = {}
    after_plan = dict(plan.last_turns)
    for meeting in plan.upcoming:
        if (holder := plan.holder(meeting)) is not None:
            next_turn.setdefault(holder, meeting)
            after_plan[holder] = meeting.starts_at
    rest = [key for key in rotation.queue(plan.facilitators, after_plan) if key not in next_turn]
    for number, key in enumerate([*next_turn, *rest], start=1):
        last = plan.served.get(key)
        planned = next_turn.get(key)
        until = plan.aways.get(key)
        away = ""
        if until is not None and until >= ctx.deps.clock().astimezone(zone).date():
            away = ctx.t(LIST_AWAY_MARK, until=date_in_words(until))
        lines.append(
            ctx.t(
                LIST_QUEUE_LINE,
                number=number,
                who=plan.name(key, language),
                last=format_date(last.astimezone(zone), language) if last else ctx.t(NEVER),
                next=format_date(planned.starts_at.astimezone(zone), language)
                if planned
                else ctx.t(NEXT_NOT_PLANNED),
                away=away,
            )
        )
    # Forty members and ten meetings pass the 4,000 characters a message's text should keep to.
    text, blocks = lines_message(lines)
    await ctx.reply(text, blocks=blocks)


async def rotation_target(ctx: CommandContext, plan: Plan, word: str | None) -> tuple[str, str]:
    """(rotation key, the person's user id) for an @-mention; in sub-cluster mode, their group."""
    user = mention_user_id(word or "")
    if user is None:
        raise UserError(NEEDS_MENTION, usage=ctx.t(ctx.subcommand.usage))
    key = user
    if plan.mode == store.SUBCLUSTERS:
        key = next((k for k, users in plan.subcluster_members.items() if user in users), "")
    if key not in plan.candidate_keys():
        hint = NOT_IN_SUBCLUSTER_HINT if plan.mode == store.SUBCLUSTERS else ""
        raise UserError(NOT_IN_ROTATION, who=f"<@{user}>", subcluster_hint=hint)
    return key, user


async def facilitator_skip(ctx: CommandContext) -> None:
    """This turn passes to the next in line; the skipped one keeps their place for the next."""
    cluster = cluster_of(ctx)
    assert cluster.id is not None
    if len(ctx.args.words) != 1:
        raise UserError(NEEDS_MENTION, usage=ctx.t(ctx.subcommand.usage))
    plan = await replan(ctx.deps, cluster)
    key, _ = await rotation_target(ctx, plan, ctx.args.words[0])
    who = plan.name(key, ctx.language)
    meeting = plan.next_turn_of(key)
    if meeting is None and plan.upcoming:
        raise UserError(SKIP_NO_TURN, who=who)
    async with ctx.deps.db.session() as session:
        added = await store.add_skip(
            session,
            cluster_id=cluster.id,
            key=key,
            meeting_id=meeting.id if meeting else None,
            created_by=ctx.user_id,
        )
    if not added:
        raise UserError(SKIP_ALREADY, who=who)
    plan = await replan(ctx.deps, cluster)
    lead = ctx.t(SKIP_PENDING, who=who, by=f"<@{ctx.user_id}>")
    await announce_changes(ctx.deps, cluster, plan, ctx.t(REASON_SKIP, who=who), lead=lead)


async def facilitator_away(ctx: CommandContext) -> None:
    """Leave a member out of the rotation up to and including a date."""
    cluster = cluster_of(ctx)
    assert cluster.id is not None
    zone = ZoneInfo(cluster.timezone)
    today = ctx.deps.clock().astimezone(zone).date()
    words = ctx.args.words
    example = date_as_typed(today + timedelta(days=21))
    if len(words) >= 3 and words[1].lower() in {"until", "indtil", "til"}:
        words = [words[0], *words[2:]]
    if len(words) < 2 or mention_user_id(words[0]) is None:
        raise UserError(AWAY_USAGE, example=example)
    try:
        until = parse_date(" ".join(words[1:]), today=today)
    except WhenError as error:
        raise UserError(Text(en=error.render("en"), da=error.render("da"))) from None
    if until < today:
        raise UserError(AWAY_IN_PAST, until=date_in_words(until))
    plan = await replan(ctx.deps, cluster)
    user = mention_user_id(words[0]) or ""
    if user not in plan.members:
        raise UserError(NOT_IN_ROTATION, who=f"<@{user}>", subcluster_hint="")
    async with ctx.deps.db.session() as session:
        await store.set_away(session, cluster_id=cluster.id, user_id=user, until=until)
    plan = await replan(ctx.deps, cluster)
    who = f"<@{user}>"
    shown = format_date(datetime.combine(until, datetime.min.time()), ctx.language)
    lead = ctx.t(AWAY_DONE, who=who, until=shown, by=f"<@{ctx.user_id}>")
    reason = ctx.t(REASON_AWAY, who=who, until=shown)
    await announce_changes(ctx.deps, cluster, plan, reason, lead=lead)


async def facilitator_mode(ctx: CommandContext) -> None:
    """Rotate over members or over sub-clusters."""
    cluster = cluster_of(ctx)
    assert cluster.id is not None
    words = [word.lower() for word in ctx.args.words]
    aliases = {
        "members": store.MEMBERS,
        "medlemmer": store.MEMBERS,
        "subclusters": store.SUBCLUSTERS,
        "babyklynger": store.SUBCLUSTERS,
    }
    if len(words) != 1 or words[0] not in aliases:
        raise UserError(MODE_USAGE)
    mode = aliases[words[0]]
    if mode == store.SUBCLUSTERS:
        plan = await replan(ctx.deps, cluster)
        if not plan.subcluster_names:
            raise UserError(MODE_NO_SUBCLUSTERS)
    async with ctx.deps.db.session() as session:
        changed = await store.set_mode(session, cluster_id=cluster.id, mode=mode)
    if not changed:
        raise UserError(MODE_SAME, mode=ctx.t(MODE_NAMES[mode]))
    plan = await replan(ctx.deps, cluster)
    lead = ctx.t(MODE_SET, mode=ctx.t(MODE_NAMES[mode]), by=f"<@{ctx.user_id}>")
    await announce_changes(ctx.deps, cluster, plan, ctx.t(REASON_MODE), lead=lead)
