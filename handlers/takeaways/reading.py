"""Reading the message a member reacted to, within Slack's limits on reading history.

The reaction event names a message but does not carry its text, so the bot reads it with
``conversations.history`` (and, for a reply in a thread, ``conversations.replies``). An app
installed from outside the Slack Marketplace may call those once a minute, for at most 15
messages (docs/fake-slack.md). When Slack says "later" (429), the read becomes a job, kept in the
database, due when Slack's Retry-After has passed; the member is told it will come. When the job
runs it reads the channel's waiting messages in one call (Slack gives the newest 15 of the span),
so a closing round of reactions is read in a minute or two rather than one a minute.

Pure parts (the job's key, which waiting reads one call covers) are at the top.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.lookups import retry_after
from bot.numbers import parse_number

log = logging.getLogger(__name__)

READ_JOB = "takeaway_read"
# Slack's limit on messages per history call for apps outside the Marketplace.
MESSAGES_PER_READ = 15
NEXT_READ = 61.0  # seconds: the next history call such an app may make


# --- pure -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    """A reaction whose message is still to be read."""

    cluster_id: int
    channel: str
    ts: str
    user: str


def job_key(waiting: Waiting) -> str:
    return f"{channel_prefix(waiting.cluster_id, waiting.channel)}{waiting.ts}:{waiting.user}"


def channel_prefix(cluster_id: int, channel: str) -> str:
    return f"{READ_JOB}:{cluster_id}:{channel}:"


def waiting_of(key: str) -> Waiting | None:
    """The reaction a job key names (None for a key of another shape)."""
    parts = key.split(":")
    if len(parts) != 5 or parts[0] != READ_JOB:
        return None
    cluster_id = parse_number(parts[1])
    return None if cluster_id is None else Waiting(cluster_id, parts[2], parts[3], parts[4])


def read_window(waiting: list[str]) -> tuple[str, str]:
    """(oldest, latest) of one history call over the waiting messages of a channel. Slack
    returns the newest 15 in it; a call finds the rest of the top-level ones later."""
    return min(waiting, key=float), max(waiting, key=float)


# --- reading --------------------------------------------------------------------------------------


class ReadLater(Exception):
    """Slack asked to wait ``seconds`` before reading history again; ``in_thread``: the message
    is known not to be at the top level (it is a reply in a thread)."""

    def __init__(self, seconds: float, *, in_thread: bool = False) -> None:
        super().__init__(f"Slack asked to wait {seconds:.0f} s")
        self.seconds = seconds
        self.in_thread = in_thread


def _quick_client(deps: Deps) -> Any:
    """A client that answers a 429 at once instead of sleeping it out (the directory's)."""
    return deps.directory.client


async def _call(deps: Deps, method: str, **args: Any) -> dict[str, Any]:
    try:
        response = await getattr(_quick_client(deps), method)(**args)
    except SlackApiError as error:
        if error.response.status_code == 429:
            raise ReadLater(retry_after(error.response.headers)) from None
        raise
    return dict(response.data) if isinstance(response.data, dict) else {}


@dataclass(frozen=True)
class Read:
    """Top-level messages by ts; ``more``: the span held more than one call returns."""

    messages: dict[str, dict[str, Any]]
    more: bool


async def read_top_level(
    deps: Deps, channel: str, *, oldest: str, latest: str, limit: int = MESSAGES_PER_READ
) -> Read:
    """The top-level messages from ``oldest`` to ``latest`` (inclusive): the newest ``limit``."""
    answer = await _call(
        deps,
        "conversations_history",
        channel=channel,
        oldest=oldest,
        latest=latest,
        inclusive=True,
        limit=limit,
    )
    messages = {str(m.get("ts")): dict(m) for m in answer.get("messages") or []}
    return Read(messages, more=bool(answer.get("has_more")))


async def read_reply(deps: Deps, channel: str, ts: str) -> dict[str, Any] | None:
    """The reply ``ts`` in a thread (only conversations.replies returns those)."""
    try:
        answer = await _call(
            deps,
            "conversations_replies",
            channel=channel,
            ts=ts,
            latest=ts,
            inclusive=True,
            limit=1,
        )
    except ReadLater as later:
        raise ReadLater(later.seconds, in_thread=True) from None
    for message in answer.get("messages") or []:
        if message.get("ts") == ts:
            return dict(message)
    return None


async def read_one(deps: Deps, channel: str, ts: str) -> dict[str, Any] | None:
    """The one message ``ts`` (top level or in a thread), None when Slack has no such message
    or could not be asked; ``ReadLater`` when Slack asks to wait."""
    try:
        found = await read_top_level(deps, channel, oldest=ts, latest=ts, limit=1)
        if ts in found.messages:
            return found.messages[ts]
        return await read_reply(deps, channel, ts)
    except SlackApiError as error:
        log.info("could not read message %s in %s: %s", ts, channel, error)
        return None


async def read_later(deps: Deps, waiting: Waiting, seconds: float, *, in_thread: bool) -> None:
    """Read ``waiting`` by a job once Slack's ``seconds`` have passed."""
    await deps.scheduler.schedule(
        kind=READ_JOB,
        key=job_key(waiting),
        due_at=deps.clock() + timedelta(seconds=max(1.0, seconds)),
        payload={"in_thread": in_thread},
    )
