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
from bot.feedback import request_origin, tell_privately
from bot.numbers import is_number
from handlers.meetings import blocks as ui
from handlers.meetings.common import MAX_ID
from handlers.meetings.running_texts import MEETING_GONE
from storage import meetings as store
from storage.clusters import Cluster, get_cluster
from storage.meetings import Meeting

log = logging.getLogger(__name__)

# At most one chat.update per message this often (Slack's chat.update is Tier 3, ~50 a minute
# per workspace): a burst of clicks shows its final count within a second of the last click.
COUNT_INTERVAL = 1.0


class _MessageState:
    """One message's count refresher in this process: what it shows, when it last changed,
    and whether clicks arrived while a refresh was running."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.shown: object = None
        self.updated_at = float("-inf")
        self.dirty = False


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
    """Put the current count on the clicked message, coalescing bursts of clicks.

    The first click updates at once; clicks during a refresh only mark it dirty, and the running
    refresher updates again at most every ``COUNT_INTERVAL`` until the count stops moving. It
    re-reads after each update, so a replica that wrote a stale count last corrects itself.
    """
    channel = str((body.get("container") or {}).get("channel_id") or "")
    message = body.get("message") or {}
    ts = str((body.get("container") or {}).get("message_ts") or message.get("ts") or "")
    if not channel or not ts:
        return
    state = _message_state(channel, ts)
    if state.lock.locked():
        state.dirty = True  # the running refresher shows this click's count too
        return
    loop = asyncio.get_running_loop()
    async with state.lock:
        state.dirty = True
        while state.dirty:
            state.dirty = False
            if (wait := state.updated_at + COUNT_INTERVAL - loop.time()) > 0:
                await asyncio.sleep(wait)
            counts = await read()
            if counts == state.shown:
                continue
            blocks = ui.replace_block(list(message.get("blocks") or []), block_id, render(counts))
            try:
                await deps.client.chat_update(
                    channel=channel, ts=ts, text=str(message.get("text") or ""), blocks=blocks
                )
            except SlackClientError as error:
                log.warning("could not update the count on %s: %s", ts, error)
                return
            state.shown, state.updated_at = counts, loop.time()
            if await read() != counts:
                state.dirty = True


async def clicked_meeting(deps: Deps, body: dict[str, Any]) -> tuple[Cluster, Meeting] | None:
    team, channel, _ = request_origin(body)
    value = str(((body.get("actions") or [{}])[0]).get("value") or "")
    if not is_number(value, digits=10) or not 0 < int(value) <= MAX_ID or not team or not channel:
        return None
    async with deps.db.session() as session:
        cluster = await get_cluster(session, team_id=team, channel_id=channel)
        if cluster is None or cluster.id is None:
            return None
        meeting = await store.get_meeting(session, cluster_id=cluster.id, meeting_id=int(value))
    return (cluster, meeting) if meeting is not None else None


async def clicked_or_gone(deps: Deps, body: dict[str, Any]) -> tuple[Cluster, Meeting] | None:
    """The clicked meeting and its cluster; None, having told the person, when it is gone."""
    found = await clicked_meeting(deps, body)
    if found is None:
        await tell_privately(deps, body, MEETING_GONE)
    return found
