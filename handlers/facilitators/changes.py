"""Telling the channel what a replanning changed; the hooks the meetings feature calls."""

from __future__ import annotations

import logging

from bot.deps import Deps
from bot.mrkdwn import escape
from handlers.facilitators.messages import meeting_time
from handlers.facilitators.plan import Plan, replan
from handlers.facilitators.texts import (
    CHANGE_LINE,
    PLAN_CHANGED,
    PLAN_UNCHANGED,
    REASON_MEETING,
    REASON_RELEASED,
    REASON_SUBCLUSTERS,
    WAS,
)
from handlers.router import announce
from storage.clusters import Cluster
from storage.meetings import Meeting

log = logging.getLogger(__name__)


def _change_lines(plan: Plan, cluster: Cluster) -> list[str]:
    language = cluster.language
    return [
        CHANGE_LINE.render(
            language,
            when=meeting_time(change.meeting, cluster),
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


async def announce_changes(
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


async def on_duties_released(deps: Deps, cluster: Cluster) -> None:
    """A member left or was erased: their upcoming turns go to others, and the channel hears."""
    try:
        plan = await replan(deps, cluster)
        if plan.changes:
            await announce_changes(deps, cluster, plan, REASON_RELEASED.render(cluster.language))
    except Exception:
        log.exception("could not hand on released facilitator turns")
