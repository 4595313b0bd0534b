"""``/klynge facilitator ...``: who facilitates and who takes notes, fairly and a year ahead.

Every change (a meeting planned, cancelled or moved; a skip, an absence, a confirmed swap, a
new member) *replans*: the upcoming meetings' facilitators and note-takers are computed again
by ``bot.rotation.plan`` from the history (past meetings) and the rules, and written onto the
meetings. The channel is told what changed; the facilitator's checklist DM follows the plan.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import rotation
from bot.blocks import button, section
from bot.commands import mention_user_id
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import tell_privately
from bot.i18n import Text, format_date, format_datetime
from bot.members import current_members
from bot.mrkdwn import escape
from bot.when import WhenError, parse_date, reminder_time
from handlers.facilitators_texts import (
    ACCEPT,
    AWAY_DONE,
    AWAY_IN_PAST,
    AWAY_USAGE,
    CHANGE_LINE,
    CHECKLIST,
    CHECKLIST_CONFIRM_LABEL,
    CHECKLIST_CONFIRMED,
    CHECKLIST_SWAP_LABEL,
    CHECKLIST_SWAP_POSTED,
    DECLINE,
    GONE,
    LIST_AWAY_MARK,
    LIST_MEETING,
    LIST_MORE,
    LIST_NO_MEETINGS,
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
    NOBODY,
    NOBODY_TO_ROTATE,
    NOT_IN_ROTATION,
    NOT_IN_SUBCLUSTER_HINT,
    NOT_YOUR_TURN,
    PLAN_CHANGED,
    PLAN_UNCHANGED,
    REASON_AWAY,
    REASON_MEETING,
    REASON_MODE,
    REASON_SKIP,
    REASON_SWAP,
    SKIP_ALREADY,
    SKIP_NO_TURN,
    SKIP_PENDING,
    SWAP_ACCEPTED,
    SWAP_ALREADY_ANSWERED,
    SWAP_ASKED,
    SWAP_DECLINED,
    SWAP_DECLINED_NOTICE,
    SWAP_NO_TURNS,
    SWAP_NOT_ALLOWED,
    SWAP_ONLY_CONFIRMER,
    SWAP_ONLY_MEMBERS,
    SWAP_OUTDATED,
    SWAP_QUESTION,
    SWAP_QUESTION_PLACE,
    SWAP_USAGE,
    SWAP_WANTED,
    WAS,
)
from handlers.router import CommandContext, Subcommand, announce
from handlers.wiring import Wiring
from storage import facilitators as store
from storage import jobs as job_store
from storage.breakouts import Subcluster, SubclusterMember
from storage.clusters import Cluster, get_cluster_by_id
from storage.meetings import ENDED, PLANNED, RUNNING, Meeting

log = logging.getLogger(__name__)

CHECKLIST_JOB = "facilitator_checklist"
CHECKLIST_LEAD = timedelta(days=7)
SWAP_ACCEPT = "facilitator_swap_accept"
SWAP_DECLINE = "facilitator_swap_decline"
CHECKLIST_CONFIRM = "facilitator_checklist_confirm"
CHECKLIST_SWAP = "facilitator_checklist_swap"
MAX_LISTED_MEETINGS = 30

# --- texts --------------------------------------------------------------------------------------

MODE_NAMES = {
    store.MEMBERS: Text(en="rotating over members", da="går på skift mellem medlemmerne"),
    store.SUBCLUSTERS: Text(
        en="rotating over sub-clusters", da="går på skift mellem babyklyngerne"
    ),
}


# --- the plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A meeting whose facilitator or note-taker changed when replanning."""

    meeting: Meeting
    before: str | None
    after: str | None
    note_taker_before: str | None

    @property
    def facilitator_changed(self) -> bool:
        return self.before != self.after


@dataclass
class Plan:
    """The rotation as it stands: who is in it, the queue, and the upcoming meetings' holders."""

    mode: str
    facilitators: list[rotation.Candidate]
    members: list[str]
    # When each one last waited from (turns, and places taken over in swaps): orders the queue.
    last_turns: dict[str, datetime]
    # Each one's last real turn (what `list` shows).
    served: dict[str, datetime]
    upcoming: list[Meeting]
    aways: dict[str, date]
    subcluster_names: dict[str, str] = field(default_factory=dict)
    subcluster_members: dict[str, list[str]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    def holder(self, meeting: Meeting) -> str | None:
        return _holder_of(meeting)

    def next_turn_of(self, key: str) -> Meeting | None:
        return next((m for m in self.upcoming if self.holder(m) == key), None)

    def candidate_keys(self) -> set[str]:
        return {candidate.key for candidate in self.facilitators}

    def name(self, key: str | None, language: str, *, with_members: bool = False) -> str:
        """A member as a mention, a sub-cluster by name (and its members, if asked)."""
        if key is None:
            return NOBODY.render(language)
        if key in self.subcluster_names:
            name = f"*{escape(self.subcluster_names[key])}*"
            members = self.subcluster_members.get(key) or []
            if with_members and members:
                name += " (" + ", ".join(f"<@{user}>" for user in members) + ")"
            return name
        return f"<@{key}>"


def _holder_of(meeting: Meeting) -> str | None:
    """The rotation key holding a meeting's facilitator turn (a member or a sub-cluster)."""
    if meeting.facilitator_subcluster_id is not None:
        return store.subcluster_key(meeting.facilitator_subcluster_id)
    return meeting.facilitator_id


@dataclass
class _Roster:
    facilitators: list[rotation.Candidate]
    note_takers: list[rotation.Candidate]
    group_names: dict[str, str]
    group_members: dict[str, list[str]]


async def _roster(
    session: AsyncSession, *, cluster_id: int, members: list[str], mode: str, now: datetime
) -> _Roster:
    """Who is in the rotation now: the members present, and sub-clusters with members present."""
    groups = (
        await session.exec(
            select(Subcluster)
            .where(Subcluster.cluster_id == cluster_id)
            .order_by(col(Subcluster.id))
        )
    ).all()
    memberships = (
        await session.exec(
            select(SubclusterMember)
            .where(SubclusterMember.cluster_id == cluster_id)
            .order_by(col(SubclusterMember.user_id))
        )
    ).all()
    present = set(members)
    group_members: dict[str, list[str]] = {}
    for membership in memberships:
        if membership.user_id in present:
            key = store.subcluster_key(membership.subcluster_id)
            group_members.setdefault(key, []).append(membership.user_id)
    group_names = {
        store.subcluster_key(group.id or 0): group.name
        for group in groups
        if group_members.get(store.subcluster_key(group.id or 0))
    }
    rows = await store.sync_members(
        session, cluster_id=cluster_id, keys=[*members, *group_names], now=now
    )
    candidates = {row.key: rotation.Candidate(row.key, row.joined_at, row.id or 0) for row in rows}
    facilitator_keys = list(group_names) if mode == store.SUBCLUSTERS else members
    return _Roster(
        facilitators=[candidates[key] for key in facilitator_keys],
        note_takers=[candidates[key] for key in members],
        group_names=group_names,
        group_members=group_members,
    )


@dataclass
class _History:
    last_turns: dict[str, datetime] = field(default_factory=dict)
    served: dict[str, datetime] = field(default_factory=dict)
    last_notes: dict[str, datetime] = field(default_factory=dict)


def _history(past: Sequence[Meeting], manual: Sequence[store.RotationTurn]) -> _History:
    """Each one's last turn as facilitator and as note-taker, from past meetings and by hand."""
    history = _History()

    def note(target: dict[str, datetime], key: str, at: datetime) -> None:
        target[key] = max(target.get(key, at), at)

    for meeting in past:
        if (holder := _holder_of(meeting)) is not None:
            note(history.last_turns, holder, meeting.starts_at)
            note(history.served, holder, meeting.starts_at)
        if meeting.note_taker_id:
            note(history.last_notes, meeting.note_taker_id, meeting.starts_at)
    for turn in manual:
        if turn.role == store.NOTE_TAKER:
            note(history.last_notes, turn.key, turn.at)
            continue
        note(history.last_turns, turn.key, turn.at)
        if not turn.moved:
            note(history.served, turn.key, turn.at)
    return history


async def replan(deps: Deps, cluster: Cluster) -> Plan:
    """Recompute the upcoming meetings' facilitators and note-takers; return the new plan.

    Runs in one transaction under the cluster's rotation lock, checklist jobs included.
    """
    assert cluster.id is not None
    members = sorted(await current_members(deps, cluster))  # may ask Slack: before the lock
    now = deps.clock()
    zone = ZoneInfo(cluster.timezone)
    async with deps.db.session() as session:
        mode = await store.lock_rotation(
            session, cluster_id=cluster.id, postgres=deps.db.is_postgres
        )
        roster = await _roster(session, cluster_id=cluster.id, members=members, mode=mode, now=now)
        meetings = await store.meetings_from(session, cluster_id=cluster.id)
        upcoming = [m for m in meetings if m.status == PLANNED and m.starts_at > now]
        past = [m for m in meetings if m.status in (RUNNING, ENDED) or m.starts_at <= now]
        history = _history(past, await store.manual_turns(session, cluster_id=cluster.id))
        all_skips = await store.skips(session, cluster_id=cluster.id)
        aways = await store.aways(session, cluster_id=cluster.id)
        pinned = await store.pins(session, meeting_ids=[m.id for m in upcoming if m.id])

        skipped: dict[int, set[str]] = {}
        for skip in all_skips:
            if skip.meeting_id is not None:
                skipped.setdefault(skip.meeting_id, set()).add(skip.key)
        away_at = [rotation.away_keys(aways, m.starts_at.astimezone(zone).date()) for m in upcoming]
        slots = [
            rotation.Slot(
                id=meeting.id or 0,
                at=meeting.starts_at,
                excluded=frozenset(skipped.get(meeting.id or 0, set())) | away,
                pinned=pinned.get(meeting.id or 0),
            )
            for meeting, away in zip(upcoming, away_at, strict=True)
        ]
        holders = rotation.plan(roster.facilitators, history.last_turns, slots)
        # A skip asked for while no meeting was planned applies to the skipper's first turn.
        unbound = [skip for skip in all_skips if skip.meeting_id is None]
        for skip in unbound:
            index = next((i for i, key in enumerate(holders) if key == skip.key), None)
            if index is not None:
                skip.meeting_id = slots[index].id
                session.add(skip)
                slots[index] = replace(slots[index], excluded=slots[index].excluded | {skip.key})
        if any(skip.meeting_id is not None for skip in unbound):
            holders = rotation.plan(roster.facilitators, history.last_turns, slots)
        # The note-taker is never the facilitator, nor one of the facilitating sub-cluster.
        note_slots = [
            rotation.Slot(
                id=slot.id,
                at=slot.at,
                excluded=away
                | frozenset(roster.group_members.get(holder or "", []))
                | ({holder} if holder else set()),
            )
            for slot, holder, away in zip(slots, holders, away_at, strict=True)
        ]
        notes = rotation.plan(roster.note_takers, history.last_notes, note_slots)

        changes = []
        for meeting, holder, note_taker in zip(upcoming, holders, notes, strict=True):
            before = _holder_of(meeting)
            if (before, meeting.note_taker_id) == (holder, note_taker):
                continue
            changes.append(Change(meeting, before, holder, meeting.note_taker_id))
            group_id = store.subcluster_id_of(holder) if holder else None
            meeting.facilitator_id = holder if group_id is None else None
            meeting.facilitator_subcluster_id = group_id
            meeting.note_taker_id = note_taker
            session.add(meeting)
        await session.flush()
        plan = Plan(
            mode=mode,
            facilitators=roster.facilitators,
            members=members,
            last_turns=history.last_turns,
            served=history.served,
            upcoming=upcoming,
            aways=aways,
            subcluster_names=roster.group_names,
            subcluster_members=roster.group_members,
            changes=changes,
        )
        await _schedule_checklists(session, cluster, plan)
    deps.scheduler.wake()
    if plan.changes:
        await deps.hooks.changed(deps, cluster)  # the App Home shows duties and the plan
    return plan


def _checklist_key(cluster_id: int, meeting_id: int) -> str:
    return f"{CHECKLIST_JOB}:{cluster_id}:{meeting_id}"


async def _schedule_checklists(session: AsyncSession, cluster: Cluster, plan: Plan) -> None:
    """Have each upcoming facilitator's checklist DM follow the plan (and nothing else)."""
    assert cluster.id is not None
    zone = ZoneInfo(cluster.timezone)
    prefix = f"{CHECKLIST_JOB}:{cluster.id}:"
    changed = {change.meeting.id for change in plan.changes if change.facilitator_changed}
    pending = {
        job.key: job
        for job in (
            await session.exec(
                select(job_store.Job).where(
                    col(job_store.Job.key).startswith(prefix, autoescape=True)
                )
            )
        ).all()
    }
    wanted = set()
    for meeting in plan.upcoming:
        holder = plan.holder(meeting)
        if holder is None or meeting.id is None:
            continue
        key = _checklist_key(cluster.id, meeting.id)
        wanted.add(key)
        due = reminder_time(meeting.starts_at, CHECKLIST_LEAD, zone)
        existing = pending.get(key)
        moved = existing is not None and existing.due_at != due
        if meeting.id in changed or moved:
            await job_store.schedule(
                session,
                kind=CHECKLIST_JOB,
                key=key,
                due_at=due,
                expires_at=meeting.starts_at,
                payload={"meeting_id": meeting.id, "holder": holder},
            )
    await job_store.cancel(session, keys=[key for key in pending if key not in wanted])


def _when(meeting: Meeting, cluster: Cluster) -> str:
    local = meeting.starts_at.astimezone(ZoneInfo(cluster.timezone))
    return format_datetime(local, cluster.language)


def _change_lines(plan: Plan, cluster: Cluster) -> list[str]:
    language = cluster.language
    return [
        CHANGE_LINE.render(
            language,
            when=_when(change.meeting, cluster),
            title=escape(change.meeting.title),
            who=plan.name(change.after, language),
            was=WAS.render(language, who=plan.name(change.before, language))
            if change.facilitator_changed
            else "",
            note_taker=plan.name(change.meeting.note_taker_id, language),
            note_taker_was=WAS.render(language, who=plan.name(change.note_taker_before, language))
            if change.note_taker_before != change.meeting.note_taker_id
            else "",
        )
        for change in plan.changes
    ]


async def _announce_changes(
    deps: Deps, cluster: Cluster, plan: Plan, reason: str, *, lead: str | None = None
) -> None:
    """Tell the channel what the replanning changed (``lead`` goes first, if given)."""
    lines = [lead] if lead else []
    if plan.changes:
        lines.append(PLAN_CHANGED.render(cluster.language, reason=reason))
        lines.extend(_change_lines(plan, cluster))
    elif lead:
        lines.append(PLAN_UNCHANGED.render(cluster.language))
    if lines:
        await announce(deps, cluster.channel_id, "\n".join(lines))


# --- hooks the meetings feature calls -----------------------------------------------------------


# A failure here must not spoil the meeting command that called the hook: it is logged, and the
# next replanning (any facilitator command, the next meeting added) catches up.


async def on_meeting_planned(deps: Deps, cluster: Cluster, meeting: Meeting) -> None:
    """Give a newly planned meeting (and any later ones) its facilitator and note-taker."""
    try:
        await replan(deps, cluster)
    except Exception:
        log.exception("could not plan the facilitator of meeting %s", meeting.id)


async def on_meeting_changed(deps: Deps, cluster: Cluster, meeting: Meeting) -> None:
    """After a meeting was cancelled or moved, replan and tell the channel what changed."""
    try:
        plan = await replan(deps, cluster)
        if plan.changes:
            reason = REASON_MEETING.render(cluster.language, title=escape(meeting.title))
            await _announce_changes(deps, cluster, plan, reason)
    except Exception:
        log.exception("could not replan facilitators after meeting %s changed", meeting.id)


# --- sub-commands -------------------------------------------------------------------------------


def _cluster(ctx: CommandContext) -> Cluster:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    return cluster


def _require_people(ctx: CommandContext, plan: Plan) -> None:
    if not plan.facilitators:
        hint = NO_SUBCLUSTERS_HINT if plan.mode == store.SUBCLUSTERS else ""
        raise UserError(NOBODY_TO_ROTATE, mode_hint=hint)


async def facilitator_next(ctx: CommandContext) -> None:
    """Fill the next meeting's turn (or advance the rotation by hand) and announce it."""
    cluster = _cluster(ctx)
    assert cluster.id is not None
    async with ctx.deps.db.session() as session:
        meetings = await store.meetings_from(session, cluster_id=cluster.id)
    now = ctx.deps.clock()
    unfilled = [
        m.id
        for m in meetings
        if m.status == PLANNED and m.starts_at > now and _holder_of(m) is None
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
                when=_when(meeting, cluster),
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
    """Privately: the upcoming meetings with their facilitators, and the rotation order."""
    cluster = _cluster(ctx)
    plan = await replan(ctx.deps, cluster)
    language = ctx.language
    lines = [ctx.t(LIST_TITLE, name=escape(cluster.name), mode=ctx.t(MODE_NAMES[plan.mode]))]
    for meeting in plan.upcoming[:MAX_LISTED_MEETINGS]:
        lines.append(
            ctx.t(
                LIST_MEETING,
                when=_when(meeting, cluster),
                title=escape(meeting.title),
                who=plan.name(plan.holder(meeting), language),
                note_taker=plan.name(meeting.note_taker_id, language),
            )
        )
    if len(plan.upcoming) > MAX_LISTED_MEETINGS:
        lines.append(ctx.t(LIST_MORE, count=len(plan.upcoming) - MAX_LISTED_MEETINGS))
    if not plan.upcoming:
        lines.append(ctx.t(LIST_NO_MEETINGS))
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
            away = ctx.t(LIST_AWAY_MARK, until=until.isoformat())
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
    await ctx.reply("\n".join(lines))


async def _target(ctx: CommandContext, plan: Plan, word: str | None) -> tuple[str, str]:
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
    cluster = _cluster(ctx)
    assert cluster.id is not None
    if len(ctx.args.words) != 1:
        raise UserError(NEEDS_MENTION, usage=ctx.t(ctx.subcommand.usage))
    plan = await replan(ctx.deps, cluster)
    key, _ = await _target(ctx, plan, ctx.args.words[0])
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
    await _announce_changes(ctx.deps, cluster, plan, ctx.t(REASON_SKIP, who=who), lead=lead)


async def facilitator_away(ctx: CommandContext) -> None:
    """Leave a member out of the rotation up to and including a date."""
    cluster = _cluster(ctx)
    assert cluster.id is not None
    zone = ZoneInfo(cluster.timezone)
    today = ctx.deps.clock().astimezone(zone).date()
    words = ctx.args.words
    example = (today + timedelta(days=21)).isoformat()
    if len(words) == 3 and words[1].lower() in {"until", "indtil", "til"}:
        words = [words[0], words[2]]
    if len(words) != 2 or mention_user_id(words[0]) is None:
        raise UserError(AWAY_USAGE, example=example)
    try:
        until = parse_date(words[1], today=today)
    except WhenError as error:
        raise UserError(Text(en=error.render("en"), da=error.render("da"))) from None
    if until < today:
        raise UserError(AWAY_IN_PAST, until=until.isoformat())
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
    await _announce_changes(ctx.deps, cluster, plan, reason, lead=lead)


async def facilitator_swap(ctx: CommandContext) -> None:
    """Ask the other person to confirm swapping two people's turns."""
    cluster = _cluster(ctx)
    assert cluster.id is not None
    users = [mention_user_id(word) for word in ctx.args.words]
    if len(users) != 2 or None in users or users[0] == users[1]:
        raise UserError(SWAP_USAGE)
    first, second = str(users[0]), str(users[1])
    if not (ctx.is_coordinator or ctx.user_id in (first, second)):
        raise UserError(SWAP_NOT_ALLOWED)
    plan = await replan(ctx.deps, cluster)
    if plan.mode != store.MEMBERS:
        raise UserError(SWAP_ONLY_MEMBERS)
    for user in (first, second):
        await _target(ctx, plan, f"<@{user}>")
    from_key, to_key = first, second
    if plan.next_turn_of(from_key) is None:
        from_key, to_key = second, first
    from_meeting = plan.next_turn_of(from_key)
    if from_meeting is None or from_meeting.id is None:
        raise UserError(SWAP_NO_TURNS, a=f"<@{first}>", b=f"<@{second}>")
    to_meeting = plan.next_turn_of(to_key)
    confirmer = second if ctx.user_id != second else first
    async with ctx.deps.db.session() as session:
        request = await store.add_swap_request(
            session,
            store.SwapRequest(
                cluster_id=cluster.id,
                from_key=from_key,
                to_key=to_key,
                from_meeting_id=from_meeting.id,
                to_meeting_id=to_meeting.id if to_meeting else None,
                requested_by=ctx.user_id,
                confirmer=confirmer,
            ),
        )
    question = ctx.t(
        SWAP_QUESTION if to_meeting else SWAP_QUESTION_PLACE,
        requester=f"<@{ctx.user_id}>",
        a=f"<@{from_key}>",
        when_a=_when(from_meeting, cluster),
        b=f"<@{to_key}>",
        when_b=_when(to_meeting, cluster) if to_meeting else "",
    )
    await _direct_message(
        ctx.deps,
        confirmer,
        question,
        swap_question_blocks(question, request.id or 0, cluster.language),
    )
    await ctx.reply(ctx.t(SWAP_ASKED, confirmer=f"<@{confirmer}>"))


def swap_question_blocks(question: str, request_id: int, language: str) -> list[dict[str, Any]]:
    """The DM asking to confirm a swap: the question and Accept / Decline buttons."""
    return [
        section(question),
        {
            "type": "actions",
            "block_id": f"facilitator_swap:{request_id}",
            "elements": [
                button(ACCEPT.render(language), SWAP_ACCEPT, str(request_id), style="primary"),
                button(DECLINE.render(language), SWAP_DECLINE, str(request_id)),
            ],
        },
    ]


def checklist_blocks(text: str, meeting_id: int, language: str) -> list[dict[str, Any]]:
    """The facilitator's checklist DM: the checklist and Confirm / Ask for a swap buttons."""
    return [
        section(text),
        {
            "type": "actions",
            "block_id": f"facilitator_checklist:{meeting_id}",
            "elements": [
                button(
                    CHECKLIST_CONFIRM_LABEL.render(language),
                    CHECKLIST_CONFIRM,
                    str(meeting_id),
                    style="primary",
                ),
                button(CHECKLIST_SWAP_LABEL.render(language), CHECKLIST_SWAP, str(meeting_id)),
            ],
        },
    ]


async def _direct_message(
    deps: Deps, user: str, text: str, blocks: list[dict[str, Any]] | None = None
) -> None:
    opened = await deps.client.conversations_open(users=user)
    channel = str((opened.get("channel") or {}).get("id"))
    await deps.client.chat_postMessage(channel=channel, text=text, blocks=blocks)


async def facilitator_mode(ctx: CommandContext) -> None:
    """Rotate over members or over sub-clusters."""
    cluster = _cluster(ctx)
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
    await _announce_changes(ctx.deps, cluster, plan, ctx.t(REASON_MODE), lead=lead)


# --- buttons ------------------------------------------------------------------------------------

Ack = Callable[[], Awaitable[None]]


def _action_value(body: dict[str, Any]) -> int | None:
    value = str(((body.get("actions") or [{}])[0]).get("value") or "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _message_ref(body: dict[str, Any]) -> tuple[str | None, str | None]:
    container = body.get("container") or {}
    return container.get("channel_id"), container.get("message_ts")


async def _update_message(deps: Deps, body: dict[str, Any], text: str) -> None:
    channel, ts = _message_ref(body)
    if channel and ts:
        try:
            await deps.client.chat_update(
                channel=channel,
                ts=ts,
                text=text,
                blocks=[section(text)],
            )
        except SlackApiError as error:
            log.warning("could not update the message: %s", error)


async def on_swap_answer(ack: Ack, body: dict[str, Any], context: Any) -> None:
    await ack()
    deps = deps_of(context)
    user = str((body.get("user") or {}).get("id"))
    accepted = ((body.get("actions") or [{}])[0]).get("action_id") == SWAP_ACCEPT
    request_id = _action_value(body)
    async with deps.db.session() as session:
        request = (
            await store.get_swap_request(session, request_id=request_id)
            if request_id is not None
            else None
        )
        cluster = await get_cluster_by_id(session, request.cluster_id) if request else None
    if request is None or request.id is None or cluster is None:
        await tell_privately(deps, body, GONE)
        return
    if user != request.confirmer:
        text = SWAP_ONLY_CONFIRMER.render(cluster.language, confirmer=f"<@{request.confirmer}>")
        await tell_privately(deps, body, text)
        return
    if accepted:
        await _accept_swap(deps, body, cluster, request)
    else:
        await _decline_swap(deps, body, cluster, request)


async def _decline_swap(
    deps: Deps, body: dict[str, Any], cluster: Cluster, request: store.SwapRequest
) -> None:
    assert request.id is not None
    async with deps.db.session() as session:
        answered = await store.answer_swap_request(
            session, request_id=request.id, status=store.DECLINED
        )
    if not answered:
        await tell_privately(deps, body, SWAP_ALREADY_ANSWERED.render(cluster.language))
        return
    await _update_message(deps, body, SWAP_DECLINED.render(cluster.language))
    notice = SWAP_DECLINED_NOTICE.render(cluster.language, confirmer=f"<@{request.confirmer}>")
    await _direct_message(deps, request.requested_by, notice)


async def _accept_swap(
    deps: Deps, body: dict[str, Any], cluster: Cluster, request: store.SwapRequest
) -> None:
    """Pin each one to the other's turn (or hand over the place in the queue), then replan."""
    assert request.id is not None
    language = cluster.language
    plan = await replan(deps, cluster)
    still = {m.id: plan.holder(m) for m in plan.upcoming}
    valid = (
        still.get(request.from_meeting_id) == request.from_key
        and request.to_key in plan.candidate_keys()
        and (request.to_meeting_id is None or still.get(request.to_meeting_id) == request.to_key)
    )
    async with deps.db.session() as session:
        answered = await store.answer_swap_request(
            session, request_id=request.id, status=store.ACCEPTED if valid else store.DECLINED
        )
        if answered and valid:
            await store.pin(session, meeting_id=request.from_meeting_id, key=request.to_key)
            if request.to_meeting_id is not None:
                await store.pin(session, meeting_id=request.to_meeting_id, key=request.from_key)
            else:  # the other one's turn is not planned yet: take over their place in the queue
                await store.add_manual_turn(
                    session,
                    cluster_id=cluster.id or 0,
                    role=store.FACILITATOR,
                    key=request.from_key,
                    at=_waiting_since(plan, request.to_key),
                    moved=True,
                )
    if not answered:
        await tell_privately(deps, body, SWAP_ALREADY_ANSWERED.render(language))
        return
    if not valid:
        await _update_message(deps, body, SWAP_OUTDATED.render(language))
        return
    plan = await replan(deps, cluster)
    a, b = f"<@{request.to_key}>", f"<@{request.from_key}>"
    await _update_message(deps, body, SWAP_ACCEPTED.render(language, a=a, b=b))
    await _announce_changes(deps, cluster, plan, REASON_SWAP.render(language, a=a, b=b))


def _waiting_since(plan: Plan, key: str) -> datetime:
    candidate = next(c for c in plan.facilitators if c.key == key)
    return rotation.waited_since(candidate, plan.last_turns)


async def _checklist_meeting(
    deps: Deps, body: dict[str, Any]
) -> tuple[Cluster, Meeting, Plan] | None:
    """The meeting of a checklist button, if the clicker still holds its turn."""
    meeting_id = _action_value(body)
    user = str((body.get("user") or {}).get("id"))
    async with deps.db.session() as session:
        meeting = await session.get(Meeting, meeting_id) if meeting_id is not None else None
        cluster = await get_cluster_by_id(session, meeting.cluster_id) if meeting else None
    if meeting is None or cluster is None:
        await tell_privately(deps, body, GONE)
        return None
    plan = await replan(deps, cluster)
    current = next((m for m in plan.upcoming if m.id == meeting.id), None)
    holder = plan.holder(current) if current else None
    if holder is None or user not in [holder, *plan.subcluster_members.get(holder, [])]:
        await tell_privately(deps, body, NOT_YOUR_TURN.render(cluster.language))
        return None
    assert current is not None
    return cluster, current, plan


async def on_checklist_confirm(ack: Ack, body: dict[str, Any], context: Any) -> None:
    await ack()
    deps = deps_of(context)
    found = await _checklist_meeting(deps, body)
    if found is None:
        return
    cluster, meeting, _ = found
    text = CHECKLIST_CONFIRMED.render(
        cluster.language, title=escape(meeting.title), when=_when(meeting, cluster)
    )
    await _update_message(deps, body, text)


async def on_checklist_swap(ack: Ack, body: dict[str, Any], context: Any) -> None:
    await ack()
    deps = deps_of(context)
    found = await _checklist_meeting(deps, body)
    if found is None:
        return
    cluster, meeting, _ = found
    user = str((body.get("user") or {}).get("id"))
    title = escape(meeting.title)
    await announce(
        deps,
        cluster.channel_id,
        SWAP_WANTED.render(
            cluster.language, who=f"<@{user}>", title=title, when=_when(meeting, cluster)
        ),
    )
    await _update_message(deps, body, CHECKLIST_SWAP_POSTED.render(cluster.language, title=title))


# --- the checklist job --------------------------------------------------------------------------


async def send_checklist(deps: Deps, job: job_store.Job) -> None:
    """A week before a meeting: DM its facilitator (or the sub-cluster's members) a checklist."""
    meeting_id = int(job.payload.get("meeting_id") or 0)
    async with deps.db.session() as session:
        meeting = await session.get(Meeting, meeting_id)
        cluster = await get_cluster_by_id(session, meeting.cluster_id) if meeting else None
    if meeting is None or cluster is None or meeting.status != PLANNED:
        return
    # Replan first: someone may have left the channel since; then the new holder's job runs.
    plan = await replan(deps, cluster)
    current = next((m for m in plan.upcoming if m.id == meeting_id), None)
    holder = plan.holder(current) if current else None
    if holder is None or holder != job.payload.get("holder"):
        return
    recipients = [holder]
    if (group_id := store.subcluster_id_of(holder)) is not None:
        async with deps.db.session() as session:
            members = (
                await session.exec(
                    select(SubclusterMember.user_id)
                    .where(SubclusterMember.subcluster_id == group_id)
                    .order_by(col(SubclusterMember.user_id))
                )
            ).all()
        recipients = list(members)
    text = CHECKLIST.render(
        cluster.language, title=escape(meeting.title), when=_when(meeting, cluster)
    )
    for user in recipients:
        await _direct_message(
            deps, user, text, checklist_blocks(text, meeting_id, cluster.language)
        )


# --- wiring -------------------------------------------------------------------------------------


def register(app: AsyncApp, wiring: Wiring) -> None:
    wiring.hooks.meeting_planned.append(on_meeting_planned)
    wiring.hooks.meeting_changed.append(on_meeting_changed)
    app.action(SWAP_ACCEPT)(on_swap_answer)
    app.action(SWAP_DECLINE)(on_swap_answer)
    app.action(CHECKLIST_CONFIRM)(on_checklist_confirm)
    app.action(CHECKLIST_SWAP)(on_checklist_swap)
    commands: Sequence[Subcommand] = (
        Subcommand(
            words=("facilitator", "next"),
            run=facilitator_next,
            usage=Text(en="/klynge facilitator next", da="/klynge facilitator next"),
            summary=Text(
                en="give the next meeting its facilitator and announce it",
                da="giv næste møde en ordstyrer og meld det ud",
            ),
            coordinator_only=True,
        ),
        Subcommand(
            words=("facilitator", "list"),
            run=facilitator_list,
            usage=Text(en="/klynge facilitator list", da="/klynge facilitator list"),
            summary=Text(
                en="who facilitates and takes notes at the coming meetings",
                da="hvem er ordstyrer og referent på de kommende møder",
            ),
            aliases=(("facilitator",), ("facilitators",)),
        ),
        Subcommand(
            words=("facilitator", "skip"),
            run=facilitator_skip,
            usage=Text(en="/klynge facilitator skip @name", da="/klynge facilitator skip @navn"),
            summary=Text(
                en="pass someone's next turn on; they keep their place",
                da="spring nogens næste tur over; de beholder deres plads",
            ),
            coordinator_only=True,
        ),
        Subcommand(
            words=("facilitator", "away"),
            run=facilitator_away,
            usage=Text(
                en="/klynge facilitator away @name until YYYY-MM-DD",
                da="/klynge facilitator away @navn until ÅÅÅÅ-MM-DD",
            ),
            summary=Text(
                en="leave someone out of the rotation until a date",
                da="lad nogen være ude af rotationen til en dato",
            ),
            coordinator_only=True,
        ),
        Subcommand(
            words=("facilitator", "swap"),
            run=facilitator_swap,
            usage=Text(
                en="/klynge facilitator swap @name @name", da="/klynge facilitator swap @navn @navn"
            ),
            summary=Text(
                en="swap two people's turns (the other one confirms)",
                da="byt to personers ture (den anden bekræfter)",
            ),
        ),
        Subcommand(
            words=("facilitator", "mode"),
            run=facilitator_mode,
            usage=Text(
                en="/klynge facilitator mode members|subclusters",
                da="/klynge facilitator mode members|subclusters",
            ),
            summary=Text(
                en="rotate over members or over sub-clusters",
                da="skift mellem medlemmer eller mellem babyklynger",
            ),
            coordinator_only=True,
        ),
    )
    for command in commands:
        wiring.commands.add(command)


def register_jobs(deps: Deps) -> None:
    async def handler(job: job_store.Job) -> None:
        await send_checklist(deps, job)

    deps.scheduler.on(CHECKLIST_JOB, handler)
