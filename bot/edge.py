"""What every request passes before a listener sees it (Bolt middleware, in ``bot.app``).

- ``clean_input``: control characters (NUL, escape, bell … everything but line breaks and
  tabs) are removed from every text in the request, so no stored text holds one (PostgreSQL
  refuses NUL outright) and none reaches a message.
- ``members_only``: a click or a message shortcut in a cluster's channel from someone who is
  not a member of that channel (a public channel can be read without joining) is acknowledged
  and refused politely; the listener never runs.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackClientError

from bot.deps import Deps
from bot.feedback import request_origin, tell_privately
from bot.i18n import Text
from bot.members import channel_member_ids
from storage.clusters import get_cluster, member_ids

log = logging.getLogger(__name__)

K = TypeVar("K")
V = TypeVar("V")

# C0 and C1 control characters and DEL, but not tab and line feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

NOT_A_MEMBER = Text(
    en=":lock: This belongs to the quality cluster in <#{channel}>, and only its members can "
    "use it. Join the channel (or ask a coordinator to add you) first.",
    da=":lock: Det her hører til kvalitetsklyngen i <#{channel}>, og kun dens medlemmer kan "
    "bruge det. Meld dig ind i kanalen (eller bed en koordinator tilføje dig) først.",
)

ROSTER_AGE = 60.0  # seconds a channel's member list read from Slack is trusted
# Seconds the stored members of a channel's cluster are reused: in a burst of 200 clicks one
# read serves them all, instead of one database transaction per click before its answer.
STORED_AGE = 5.0

# Interactions that act on a cluster from its channel.
_CHANNEL_INTERACTIONS = frozenset({"block_actions", "message_action"})


def clean(text: str) -> str:
    """``text`` without control characters (a carriage return before a line feed goes too)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n"))


def cleaned(value: Any) -> Any:
    """``value`` (a request body, or any part of it) with every text ``clean``."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {key: cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [cleaned(item) for item in value]
    return value


async def clean_input(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> None:
    """Middleware: clean the body in place (listeners get this very dict)."""
    fresh = cleaned(body)
    body.clear()
    body.update(fresh)
    await next()


def members_only(
    deps: Deps,
) -> Callable[..., Awaitable[BoltResponse | None]]:
    """Middleware: refuse clicks and shortcuts in a cluster's channel by non-members."""
    rosters = Rosters(deps)
    stored = StoredMembers(deps)

    async def check(
        body: dict[str, Any], ack: Any, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        if body.get("type") in _CHANNEL_INTERACTIONS and not await _may_act(stored, rosters, body):
            await ack()
            _, channel, user = request_origin(body)
            log.info("refused an interaction by %s, not a member of %s", user, channel)
            await tell_privately(deps, body, NOT_A_MEMBER.bind(channel=channel))
            return BoltResponse(status=200, body="")
        await next()
        return None

    return check


async def _may_act(stored: StoredMembers, rosters: Rosters, body: dict[str, Any]) -> bool:
    """False only when the channel is a cluster and the user is not in it: not among the
    stored members, nor (they may have just joined) among the channel's members in Slack."""
    team, channel, user = request_origin(body)
    if not (team and channel and user) or not channel.startswith(("C", "G")):
        return True  # a DM, the Home tab, a modal: not a channel's interaction
    members = await stored.of(team, channel)
    if members is None or user in members:
        return True  # not a cluster's channel, or a member
    return await rosters.has(channel, user)


class Recent(Generic[K, V]):
    """A value per key, read at most once per ``age`` seconds however many ask at once (the
    first asks, the others wait for its answer). A read that fails is not kept."""

    def __init__(self, age: float, read: Callable[[K], Awaitable[V]]) -> None:
        self.age = age
        self.read = read
        self._kept: dict[K, tuple[float, V]] = {}
        self._locks: dict[K, asyncio.Lock] = {}

    async def get(self, key: K) -> V:
        async with self._locks.setdefault(key, asyncio.Lock()):
            kept = self._kept.get(key)
            if kept is None or time.monotonic() - kept[0] > self.age:
                kept = (time.monotonic(), await self.read(key))
                self._kept[key] = kept
        return kept[1]


class StoredMembers:
    """The stored members of the cluster in each channel (None: the channel is no cluster),
    read from the database at most once per ``STORED_AGE`` however many click at once."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._recent: Recent[tuple[str, str], frozenset[str] | None] = Recent(
            STORED_AGE, self._members
        )

    async def of(self, team: str, channel: str) -> frozenset[str] | None:
        return await self._recent.get((team, channel))

    async def _members(self, key: tuple[str, str]) -> frozenset[str] | None:
        team, channel = key
        async with self.deps.db.session() as session:
            cluster = await get_cluster(session, team_id=team, channel_id=channel)
            if cluster is None or cluster.id is None:
                return None
            return frozenset(await member_ids(session, cluster_id=cluster.id))


class Rosters:
    """Who is in each channel, as Slack says (``conversations.members``), read at most once a
    minute per channel however many unknown people click at once; when Slack can't say, the
    benefit of the doubt (better a rare outsider's click than a member refused)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self._recent: Recent[str, frozenset[str]] = Recent(ROSTER_AGE, self._members)

    async def has(self, channel: str, user: str) -> bool:
        try:
            members = await self._recent.get(channel)
        except (SlackClientError, OSError) as error:
            log.warning("could not list %s to check a click: %s", channel, error)
            return True
        return user in members

    async def _members(self, channel: str) -> frozenset[str]:
        return frozenset(await channel_member_ids(self.deps.client, channel))
