"""Telling the channel what a replanning changed; the hooks the meetings feature calls."""

from __future__ import annotations

import logging

from bot.deps import Deps
from bot.mrkdwn import escape
from handlers.facilitators.messages import meeting_time
from handlers.facilitators.plan import Change, Plan, holder_of, replan
from handlers.facilitators.texts import (
    CHANGE_LINE,
    HANDED_ON,
    PLAN_CHANGED,
    PLAN_UNCHANGED,
    REASON_MEETING,
    REASON_RELEASED,
    REASON_SUBCLUSTERS,
    RELEASED_UNTAKEN,
    WAS,
)
from handlers.router import announce
from storage.clusters import Cluster
from storage.erasure import ReleasedTurns
from storage.meetings import Meeting

log = logging.getLogger(__name__)

NONE_RELEASED = ReleasedTurns()


def _was(plan: Plan, language: str, before: str | None, after: str | None, released: bool) -> str:
    """After the new holder: who had the turn; a released turn says only that it moved on."""
    if released:
        return (HANDED_ON if after is not None else RELEASED_UNTAKEN).render(language)
    return WAS.render(language, who=plan.name(before, language)) if before != after else ""


def _change_lines(
    plan: Plan, cluster: Cluster, changes: list[Change], released: ReleasedTurns
) -> list[str]:
    language = cluster.language
    return [
        CHANGE_LINE.render(
            language,
            when=meeting_time(change.meeting, cluster),
            title=escape(change.meeting.title),
            who=plan.name(change.after, language),
            was=_was(
                plan,
                language,
                change.before,
                change.after,
                change.meeting.id in released.facilitator,
            ),
            note_taker=plan.name(change.meeting.note_taker_id, language),
            note_taker_was=_was(
                plan,
                language,
                change.note_taker_before,
                change.meeting.note_taker_id,
                change.meeting.id in released.note_taker,
            ),
        )
        for change in changes
    ]


def _listed(plan: Plan, released: ReleasedTurns) -> list[Change]:
    """The plan's changes and, in meeting order, the released turns nobody could take (which
    changed nothing: an erased holder's turn was already empty)."""
    changed = {change.meeting.id: change for change in plan.changes}
    untaken = [
        Change(meeting, holder_of(meeting), holder_of(meeting), meeting.note_taker_id)
        for meeting in plan.upcoming
        if meeting.id in released.meetings and meeting.id not in changed
    ]
    if not untaken:
        return plan.changes
    order = {meeting.id: index for index, meeting in enumerate(plan.upcoming)}
    return sorted([*plan.changes, *untaken], key=lambda change: order[change.meeting.id])


async def announce_changes(
    deps: Deps,
    cluster: Cluster,
    plan: Plan,
    reason: str,
    *,
    lead: str | None = None,
    released: ReleasedTurns = NONE_RELEASED,
) -> None:
    """Tell the channel what the replanning changed (``lead`` goes first, if given); turns in
    ``released`` are said to be handed on, their former holder not named."""
    lines = [lead] if lead else []
    if changes := _listed(plan, released):
        lines.append(PLAN_CHANGED.render(cluster.language, reason=reason))
        lines.extend(_change_lines(plan, cluster, changes, released))
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


async def on_subclusters_changed(deps: Deps, cluster: Cluster) -> None:
    """Sub-clusters were made, changed or deleted: a sub-cluster rotation follows."""
    try:
        plan = await replan(deps, cluster)
        if plan.changes:
            await announce_changes(deps, cluster, plan, REASON_SUBCLUSTERS.render(cluster.language))
    except Exception:
        log.exception("could not replan facilitators after sub-clusters changed")


async def on_meeting_changed(deps: Deps, cluster: Cluster, meeting: Meeting) -> None:
    """After a meeting was cancelled or moved, replan and tell the channel what changed."""
    try:
        plan = await replan(deps, cluster)
        if plan.changes:
            reason = REASON_MEETING.render(cluster.language, title=escape(meeting.title))
            await announce_changes(deps, cluster, plan, reason)
    except Exception:
        log.exception("could not replan facilitators after meeting %s changed", meeting.id)


async def on_duties_released(deps: Deps, cluster: Cluster, released: ReleasedTurns) -> None:
    """Members left or were erased: their upcoming turns go to others, and the channel hears
    (without their names)."""
    try:
        plan = await replan(deps, cluster)
        reason = REASON_RELEASED.render(cluster.language)
        await announce_changes(deps, cluster, plan, reason, released=released)
    except Exception:
        log.exception("could not hand on released facilitator turns")
