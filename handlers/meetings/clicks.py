"""What the RSVP and check-in buttons share: the clicked meeting, and refreshing the count on
the clicked message."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackClientError

from bot.deps import Deps
from bot.feedback import request_origin
from handlers.meetings import blocks as ui
from handlers.meetings.common import MAX_ID
from storage import meetings as store
from storage.clusters import Cluster, get_cluster
from storage.meetings import Meeting

log = logging.getLogger(__name__)

COUNT_UPDATE_ATTEMPTS = 3


class _MessageState:
    """Serialises count updates of one message in this process; remembers what it shows."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.shown: object = None


_message_states: weakref.WeakValueDictionary[tuple[str, str], _MessageState] = (
    weakref.WeakValueDictionary()
)


def _message_state(channel: str, ts: str) -> _MessageState:
    state = _message_states.get((channel, ts))
    if state is None:
        state = _MessageState()
        _message_states[(channel, ts)] = state
    return state


async def refresh_count(
    deps: Deps,
    body: dict[str, Any],
    *,
    read: Callable[[], Awaitable[object]],
    block_id: str,
    render: Callable[[Any], dict[str, Any]],
) -> None:
    """Re-read the count after this click's write and put it on the clicked message.

    Every click re-reads after its own commit, under a per-message lock, so within a process
    the last update shows the exact final count however the clicks interleave; unchanged counts
    skip the call. After updating, the count is read once more and the update repeated if it
    moved meanwhile, so a replica that wrote a stale count last corrects itself.
    """
    channel = str((body.get("container") or {}).get("channel_id") or "")
    message = body.get("message") or {}
    ts = str((body.get("container") or {}).get("message_ts") or message.get("ts") or "")
    if not channel or not ts:
        return
    state = _message_state(channel, ts)
    async with state.lock:
        counts = await read()
        for _ in range(COUNT_UPDATE_ATTEMPTS):
            if counts == state.shown:
                return
            blocks = ui.replace_block(list(message.get("blocks") or []), block_id, render(counts))
            try:
                await deps.client.chat_update(
                    channel=channel, ts=ts, text=str(message.get("text") or ""), blocks=blocks
                )
            except SlackClientError as error:
                log.warning("could not update the count on %s: %s", ts, error)
                return
            state.shown = counts
            counts = await read()


async def clicked_meeting(deps: Deps, body: dict[str, Any]) -> tuple[Cluster, Meeting] | None:
    team, channel, _ = request_origin(body)
    value = str(((body.get("actions") or [{}])[0]).get("value") or "")
    if not value.isdigit() or not 0 < int(value) <= MAX_ID or not team or not channel:
        return None
    async with deps.db.session() as session:
        cluster = await get_cluster(session, team_id=team, channel_id=channel)
        if cluster is None or cluster.id is None:
            return None
        meeting = await store.get_meeting(session, cluster_id=cluster.id, meeting_id=int(value))
    return (cluster, meeting) if meeting is not None else None
