"""The babyklynge in charge of a meeting (sub-cluster rotation): one message to its members
together, four weeks ahead, saying they run the meeting and choose its topic, and what its
buttons do: a topic poll for the babyklynge or the whole cluster (the polls feature's own
form, opened here as the Home tab opens it), the topic set straight away, or another
babyklynge asked to swap (which accepts or declines, ``swaps``).

Only members of the babyklynge in charge at the moment of the click may use the buttons.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import tell_privately
from bot.mrkdwn import escape
from bot.privacy import CPR_REFUSED, has_cpr_number
from handlers.facilitators import duty_blocks as kit
from handlers.facilitators.messages import (
    Ack,
    ModalAck,
    action_value,
    checklist_extras,
    group_message,
    meeting_time,
)
from handlers.facilitators.plan import replan
from handlers.facilitators.swaps import ask_for_swap
from handlers.facilitators.texts import (
    DUTY,
    DUTY_FALLBACK,
    GONE,
    NO_OTHER_GROUP,
    NO_TOPIC_YET,
    NOBODY,
    NOT_YOUR_GROUP,
    SWAP_GROUP_ASKED,
    TOPIC_CHOSEN,
    TOPIC_EMPTY,
)
from handlers.polls import modals as poll_modals
from handlers.router import announce
from storage import facilitators as store
from storage.breakouts import Subcluster, subcluster_member_ids, subclusters
from storage.clusters import Cluster, get_cluster_by_id
from storage.meetings import PLANNED, Meeting

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Duty:
    """A meeting, its cluster, and the babyklynge in charge of it (with its members)."""

    cluster: Cluster
    meeting: Meeting
    group: Subcluster
    members: list[str]


async def load_duty(deps: Deps, meeting_id: int | None) -> Duty | None:
    """The duty of a planned meeting in charge of a babyklynge; None for anything else."""
    async with deps.db.session() as session:
        meeting = await session.get(Meeting, meeting_id) if meeting_id is not None else None
        if meeting is None or meeting.status != PLANNED:
            return None
        group_id = meeting.facilitator_subcluster_id
        group = await session.get(Subcluster, group_id) if group_id is not None else None
        cluster = await get_cluster_by_id(session, meeting.cluster_id)
        if group is None or cluster is None:
            return None
        members = await subcluster_member_ids(session, subcluster_id=group.id or 0)
    return Duty(cluster, meeting, group, members)


async def _duty_of(deps: Deps, meeting_id: object, user: str) -> Duty | str:
    """The duty a click or a form is about, if ``user`` is in the babyklynge in charge; else
    why not, in the cluster's language."""
    duty = await load_duty(deps, meeting_id if isinstance(meeting_id, int) else None)
    if duty is None:
        return GONE.render(deps.settings.language)
    if user not in duty.members:
        return NOT_YOUR_GROUP.render(duty.cluster.language)
    return duty


async def _clicked(deps: Deps, body: dict[str, Any]) -> Duty | None:
    """The duty of a clicked button; tells the clicker privately when it isn't theirs."""
    found = await _duty_of(deps, action_value(body), str((body.get("user") or {}).get("id")))
    if isinstance(found, Duty):
        return found
    await tell_privately(deps, body, found)
    return None


# --- the message ---------------------------------------------------------------------------------


async def duty_message(
    deps: Deps, duty: Duty, *, present: list[str]
) -> tuple[str, list[dict[str, Any]]]:
    """The babyklynge's message (its notification text and blocks)."""
    cluster, meeting, language = duty.cluster, duty.meeting, duty.cluster.language
    energiser = await checklist_extras(deps, cluster, meeting)
    text = DUTY.render(
        language,
        group=escape(duty.group.name),
        members=", ".join(f"<@{user}>" for user in present),
        title=escape(meeting.title),
        when=meeting_time(meeting, cluster),
        note_taker=f"<@{meeting.note_taker_id}>"
        if meeting.note_taker_id
        else NOBODY.render(language),
        topic=escape(meeting.topic) if meeting.topic else NO_TOPIC_YET.render(language),
    )
    fallback = DUTY_FALLBACK.render(
        language,
        group=escape(duty.group.name),
        title=escape(meeting.title),
        when=meeting_time(meeting, cluster),
    )
    return fallback, kit.duty_blocks(
        language, meeting_id=meeting.id or 0, text=text, extra=energiser
    )


async def send_duty(deps: Deps, duty: Duty, *, present: list[str]) -> None:
    """The one message to the babyklynge's members present in the channel, together."""
    text, blocks = await duty_message(deps, duty, present=present)
    await group_message(deps, duty.cluster, present, text, blocks)


# --- the topic: a poll, or set straight away -----------------------------------------------------


async def _open_poll(deps: Deps, body: dict[str, Any], *, babyklynge: bool) -> None:
    duty = await _clicked(deps, body)
    if duty is None:
        return
    language = duty.cluster.language
    view = poll_modals.create_modal(
        duty.cluster.channel_id,
        language,
        question=kit.POLL_QUESTION.render(language, title=duty.meeting.title),
        subcluster=duty.group.name if babyklynge else None,
    )
    await deps.client.views_open(trigger_id=body["trigger_id"], view=view)


async def on_poll_group(ack: Ack, body: dict[str, Any], context: Any) -> None:
    await ack()
    await _open_poll(deps_of(context), body, babyklynge=True)


async def on_poll_all(ack: Ack, body: dict[str, Any], context: Any) -> None:
    await ack()
    await _open_poll(deps_of(context), body, babyklynge=False)


def _where(body: dict[str, Any], meeting_id: int) -> dict[str, Any]:
    """What a modal opened from the message needs to remember: the meeting and the message."""
    container = body.get("container") or {}
    return {
        "meeting": meeting_id,
        "channel": container.get("channel_id"),
        "ts": container.get("message_ts"),
    }


async def on_set_topic(ack: Ack, body: dict[str, Any], context: Any) -> None:
    await ack()
    deps = deps_of(context)
    duty = await _clicked(deps, body)
    if duty is None:
        return
    view = kit.topic_modal(
        duty.cluster.language,
        metadata=_where(body, duty.meeting.id or 0),
        title=duty.meeting.title,
        current=duty.meeting.topic,
    )
    await deps.client.views_open(trigger_id=body["trigger_id"], view=view)


def _submitted(body: dict[str, Any], field: str) -> dict[str, Any]:
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    return dict((values.get(field) or {}).get("value") or {})


def _metadata(body: dict[str, Any]) -> dict[str, Any]:
    try:
        found = json.loads(str((body.get("view") or {}).get("private_metadata") or "{}"))
    except json.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


async def on_topic_submit(ack: ModalAck, body: dict[str, Any], context: Any) -> None:
    """The topic form: field errors for an empty topic or someone not (any longer) in charge."""
    deps = deps_of(context)
    metadata = _metadata(body)
    user = str((body.get("user") or {}).get("id"))
    topic = " ".join(str(_submitted(body, kit.TOPIC_FIELD).get("value") or "").split())
    found = await _duty_of(deps, metadata.get("meeting"), user)
    if isinstance(found, Duty) and not topic:
        found = TOPIC_EMPTY.render(found.cluster.language)
    elif isinstance(found, Duty) and has_cpr_number(topic):  # refused, never stored
        found = CPR_REFUSED.render(found.cluster.language)
    if not isinstance(found, Duty):
        await ack(response_action="errors", errors={kit.TOPIC_FIELD: found})
        return
    await ack()
    language = found.cluster.language
    async with deps.db.session() as session:
        meeting = await session.get(Meeting, found.meeting.id)
        if meeting is None:
            return
        meeting.topic = topic[: kit.TOPIC_LIMIT]
        session.add(meeting)
    duty = Duty(found.cluster, meeting, found.group, found.members)
    await announce(
        deps,
        duty.cluster.channel_id,
        TOPIC_CHOSEN.render(
            language,
            group=escape(duty.group.name),
            title=escape(meeting.title),
            when=meeting_time(meeting, duty.cluster),
            topic=escape(meeting.topic or ""),
            by=f"<@{user}>",
        ),
    )
    await _refresh(deps, duty, metadata)
    await deps.hooks.changed(deps, duty.cluster)


async def _refresh(deps: Deps, duty: Duty, metadata: dict[str, Any]) -> None:
    """Show the new topic in the babyklynge's message too."""
    channel, ts = metadata.get("channel"), metadata.get("ts")
    if not channel or not ts:
        return
    text, blocks = await duty_message(deps, duty, present=duty.members)
    try:
        await deps.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as error:
        log.warning("could not update the babyklynge's message: %s", error)


# --- asking another babyklynge to swap -----------------------------------------------------------


async def on_ask_swap(ack: Ack, body: dict[str, Any], context: Any) -> None:
    await ack()
    deps = deps_of(context)
    duty = await _clicked(deps, body)
    if duty is None:
        return
    async with deps.db.session() as session:
        groups = await subclusters(session, cluster_id=duty.cluster.id or 0)
    others = [
        (store.subcluster_key(group.id or 0), group.name)
        for group in groups
        if group.id != duty.group.id
    ]
    if not others:
        await tell_privately(deps, body, NO_OTHER_GROUP)
        return
    view = kit.swap_modal(
        duty.cluster.language,
        metadata=_where(body, duty.meeting.id or 0),
        title=duty.meeting.title,
        groups=others,
    )
    await deps.client.views_open(trigger_id=body["trigger_id"], view=view)


async def on_swap_submit(ack: ModalAck, body: dict[str, Any], context: Any) -> None:
    """The swap form: ask the chosen babyklynge, and say so where the message was."""
    deps = deps_of(context)
    metadata = _metadata(body)
    user = str((body.get("user") or {}).get("id"))
    found = await _duty_of(deps, metadata.get("meeting"), user)
    if not isinstance(found, Duty):
        await ack(response_action="errors", errors={kit.GROUP_FIELD: found})
        return
    await ack()
    chosen = str((_submitted(body, kit.GROUP_FIELD).get("selected_option") or {}).get("value"))
    cluster, language = found.cluster, found.cluster.language
    own = store.subcluster_key(found.group.id or 0)
    plan = await replan(deps, cluster)
    try:
        if chosen == own or chosen not in plan.candidate_keys():
            raise UserError(NO_OTHER_GROUP)
        other = await ask_for_swap(
            deps, cluster, plan, keys=(own, chosen), requested_by=user, confirmer=chosen
        )
        note = SWAP_GROUP_ASKED.render(
            language, who=f"<@{user}>", other=other, title=escape(found.meeting.title)
        )
    except UserError as error:
        note = error.render(language)
    channel = metadata.get("channel") or cluster.channel_id
    await deps.client.chat_postMessage(channel=channel, text=note)
