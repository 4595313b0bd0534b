"""Small helpers for the feature's messages: a meeting's time, DMs (to one person or to a
babyklynge together), the clicked message."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError

from bot.blocks import section
from bot.deps import Deps
from bot.i18n import format_datetime
from bot.numbers import parse_number
from handlers.router import announce
from storage.clusters import Cluster
from storage.meetings import Meeting

log = logging.getLogger(__name__)


def meeting_time(meeting: Meeting, cluster: Cluster) -> str:
    """When a meeting starts, in the cluster's time zone and language."""
    local = meeting.starts_at.astimezone(ZoneInfo(cluster.timezone))
    return format_datetime(local, cluster.language)


async def direct_message(
    deps: Deps, user: str, text: str, blocks: list[dict[str, Any]] | None = None
) -> None:
    """Send ``user`` a direct message from the bot (a user id as channel posts in the app's DM
    with them, so no conversations.open is needed)."""
    await deps.client.chat_postMessage(channel=user, text=text, blocks=blocks)


# conversations.open makes a group DM of 2 to 8 people (and the app).
GROUP_DM_LIMIT = 8


async def group_message(
    deps: Deps, cluster: Cluster, users: Sequence[str], text: str, blocks: list[dict[str, Any]]
) -> None:
    """One message to ``users`` together: in their group DM with the bot, or (more than a group
    DM holds, or one can't be opened) in the cluster's channel, mentioning them."""
    if 0 < len(users) <= GROUP_DM_LIMIT:
        try:
            opened = await deps.client.conversations_open(users=",".join(users))
            channel = str((opened.get("channel") or {}).get("id"))
            await deps.client.chat_postMessage(channel=channel, text=text, blocks=blocks)
            return
        except SlackApiError as error:
            log.warning("no group DM for %s; posting in the channel: %s", users, error)
    mentions = " ".join(f"<@{user}>" for user in users)
    await announce(
        deps, cluster.channel_id, f"{mentions} {text}", blocks=[section(mentions), *blocks]
    )


async def checklist_extras(deps: Deps, cluster: Cluster, meeting: Meeting) -> list[str]:
    """What other features add to a checklist (an energiser); nothing if they fail."""
    try:
        return await deps.hooks.lines(deps.hooks.checklist_lines, deps, cluster, meeting)
    except Exception:  # the checklist matters more than the suggestion
        log.exception("no checklist extras for meeting %s", meeting.id)
        return []


Ack = Callable[[], Awaitable[None]]
# A modal submission's ack, which may carry field errors.
ModalAck = Callable[..., Awaitable[None]]


def action_value(body: dict[str, Any]) -> int | None:
    """The clicked button's value as an id, if it is one."""
    value = str(((body.get("actions") or [{}])[0]).get("value") or "")
    return parse_number(value, digits=11)


def _message_ref(body: dict[str, Any]) -> tuple[str | None, str | None]:
    container = body.get("container") or {}
    return container.get("channel_id"), container.get("message_ts")


async def update_message(deps: Deps, body: dict[str, Any], text: str) -> None:
    """Replace the message whose button was clicked with ``text`` (its buttons go)."""
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
