"""The rotation's plan: who facilitates and takes notes at the upcoming meetings.

Every change *replans*: ``replan`` computes the upcoming meetings' facilitators and note-takers
again with ``rotation.plan`` from the history (past meetings) and the rules, writes them onto
the meetings and has the facilitators' checklist jobs follow the plan.

With members taking turns, the note-taker is never the facilitator. With babyklynger taking
turns, the babyklynge in charge runs the whole meeting: its note-taker is one of its members
(in turn), and its message comes four weeks ahead, so that it has time to choose the topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.deps import Deps
from bot.members import current_members
from bot.mrkdwn import escape
from bot.when import reminder_time
from handlers.facilitators import rotation
from handlers.facilitators.texts import DELETED_SUBCLUSTER, NOBODY
from storage import facilitators as store
from storage import jobs as job_store
from storage.breakouts import Subcluster, SubclusterMember
from storage.clusters import Cluster
from storage.meetings import ENDED, PLANNED, RUNNING, Meeting

CHECKLIST_JOB = "facilitator_checklist"
CHECKLIST_LEAD = timedelta(days=7)
DUTY_LEAD = timedelta(days=28)  # a babyklynge in charge chooses the topic: it needs time


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
    # The sub-clusters in the rotation (members present) by key; every existing one's name.
    subcluster_names: dict[str, str] = field(default_factory=dict)
    subcluster_labels: dict[str, str] = field(default_factory=dict)
    subcluster_members: dict[str, list[str]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    def holder(self, meeting: Meeting) -> str | None:
        return holder_of(meeting)

    def next_turn_of(self, key: str) -> Meeting | None:
        return next((m for m in self.upcoming if self.holder(m) == key), None)

    def candidate_keys(self) -> set[str]:
        return {candidate.key for candidate in self.facilitators}

    def name(self, key: str | None, language: str, *, with_members: bool = False) -> str:
        """A member as a mention, a sub-cluster by name (and its members, if asked)."""
        if key is None:
            return NOBODY.render(language)
        if store.subcluster_id_of(key) is None:
            return f"<@{key}>"
        label = self.subcluster_labels.get(key) or self.subcluster_names.get(key)
        if label is None:  # deleted since it got the turn
            return DELETED_SUBCLUSTER.render(language)
        name = f"*{escape(label)}*"
        members = self.subcluster_members.get(key) or []
        if with_members and members:
            name += " (" + ", ".join(f"<@{user}>" for user in members) + ")"
        return name


def holder_of(meeting: Meeting) -> str | None:
    """The rotation key holding a meeting's facilitator turn (a member or a sub-cluster)."""
    if meeting.facilitator_subcluster_id is not None:
        return store.subcluster_key(meeting.facilitator_subcluster_id)
    return meeting.facilitator_id


@dataclass
class _Roster:
    facilitators: list[rotation.Candidate]
    note_takers: list[rotation.Candidate]
    group_names: dict[str, str]
    group_labels: dict[str, str]
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
        group_labels={store.subcluster_key(group.id or 0): group.name for group in groups},
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
        if (holder := holder_of(meeting)) is not None:
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
        note_slots = [
            rotation.Slot(id=slot.id, at=slot.at, excluded=away | _not_note_takers(holder, roster))
            for slot, holder, away in zip(slots, holders, away_at, strict=True)
        ]
        notes = rotation.plan(roster.note_takers, history.last_notes, note_slots)

        changes = []
        for meeting, holder, note_taker in zip(upcoming, holders, notes, strict=True):
            before = holder_of(meeting)
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
            subcluster_labels=roster.group_labels,
            subcluster_members=roster.group_members,
            changes=changes,
        )
        await _schedule_checklists(session, cluster, plan)
    deps.scheduler.wake()
    if plan.changes:
        await deps.hooks.changed(deps, cluster)  # the App Home shows duties and the plan
    return plan


def _not_note_takers(holder: str | None, roster: _Roster) -> frozenset[str]:
    """Who can't take the notes when ``holder`` is in charge: the facilitator themself; with a
    babyklynge in charge, everyone outside it (its own members take the notes)."""
    if holder is None:
        return frozenset()
    if store.subcluster_id_of(holder) is None:
        return frozenset({holder})
    group = set(roster.group_members.get(holder, []))
    return frozenset(c.key for c in roster.note_takers if c.key not in group)


def checklist_lead(holder: str) -> timedelta:
    """How long before the meeting its holder gets the checklist (a babyklynge: its duty)."""
    return CHECKLIST_LEAD if store.subcluster_id_of(holder) is None else DUTY_LEAD


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
        due = reminder_time(meeting.starts_at, checklist_lead(holder), zone)
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
