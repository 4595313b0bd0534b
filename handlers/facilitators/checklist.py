"""The facilitator's checklist DM a week ahead (with an energiser to use), and its Confirm /
Ask for a swap buttons; a babyklynge in charge gets its one message instead (``duty``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.blocks import button, section
from bot.deps import Deps, deps_of
from bot.feedback import tell_privately
from bot.mrkdwn import escape
from handlers.facilitators.duty import load_duty, send_duty
from handlers.facilitators.messages import (
    Ack,
    action_value,
    checklist_extras,
    direct_message,
    meeting_time,
    update_message,
)
from handlers.facilitators.plan import Plan, replan
from handlers.facilitators.texts import (
    CHECKLIST,
    CHECKLIST_CONFIRM_LABEL,
    CHECKLIST_CONFIRMED,
    CHECKLIST_SWAP_LABEL,
    CHECKLIST_SWAP_POSTED,
    GONE,
    NOT_YOUR_TURN,
    SWAP_WANTED,
)
from handlers.router import announce
from storage import facilitators as store
from storage import jobs as job_store
from storage.clusters import Cluster, get_cluster_by_id
from storage.meetings import PLANNED, Meeting

CHECKLIST_CONFIRM = "facilitator_checklist_confirm"
CHECKLIST_SWAP = "facilitator_checklist_swap"


def checklist_blocks(
    text: str, meeting_id: int, language: str, extra: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """The facilitator's checklist DM: the checklist, ``extra`` lines (an energiser) and
    Confirm / Ask for a swap buttons."""
    return [
        section(text),
        *(section(line) for line in extra),
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


async def _checklist_meeting(
    deps: Deps, body: dict[str, Any]
) -> tuple[Cluster, Meeting, Plan] | None:
    """The meeting of a checklist button, if the clicker still holds its turn."""
    meeting_id = action_value(body)
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
        cluster.language, title=escape(meeting.title), when=meeting_time(meeting, cluster)
    )
    await update_message(deps, body, text)


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
            cluster.language, who=f"<@{user}>", title=title, when=meeting_time(meeting, cluster)
        ),
    )
    await update_message(deps, body, CHECKLIST_SWAP_POSTED.render(cluster.language, title=title))


# --- the checklist job --------------------------------------------------------------------------


async def send_checklist(deps: Deps, job: job_store.Job) -> None:
    """A week before a meeting: DM its facilitator a checklist; four weeks before, the
    babyklynge in charge gets its one message (``duty``)."""
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
    if holder is None or holder != job.payload.get("holder") or current is None:
        return
    if store.subcluster_id_of(holder) is not None:
        duty = await load_duty(deps, meeting_id)
        if duty is not None:
            await send_duty(deps, duty, present=plan.subcluster_members.get(holder, []))
        return
    energiser = await checklist_extras(deps, cluster, current)
    text = CHECKLIST.render(
        cluster.language, title=escape(meeting.title), when=meeting_time(meeting, cluster)
    )
    blocks = checklist_blocks(text, meeting_id, cluster.language, energiser)
    await direct_message(deps, holder, text, blocks)
