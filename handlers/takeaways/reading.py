"""Reading the message a member reacted to, within Slack's limits on reading history.

The reaction event names a message but does not carry its text, so the bot reads that one
message with ``conversations.history`` (and, for a reply in a thread, ``conversations.replies``),
never more (docs/privacy.md). An app installed from outside the Slack Marketplace may call those
once a minute (docs/fake-slack.md). When Slack says "later" (429), the read becomes a job, kept in
the database, due when Slack's Retry-After has passed, and the member is told it will come; so a
closing round of reactions is read one message a minute, and none is lost.

Pure parts (the job's key) are at the top.
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


# --- pure -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    """A reaction whose message is still to be read."""

    cluster_id: int
    channel: str
    ts: str
    user: str


def job_key(waiting: Waiting) -> str:
    return f"{READ_JOB}:{waiting.cluster_id}:{waiting.channel}:{waiting.ts}:{waiting.user}"


def waiting_of(key: str) -> Waiting | None:
    """The reaction a job key names (None for a key of another shape)."""
    parts = key.split(":")
    if len(parts) != 5 or parts[0] != READ_JOB:
        return None
    cluster_id = parse_number(parts[1])
    return None if cluster_id is None else Waiting(cluster_id, parts[2], parts[3], parts[4])


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


async def _top_level(deps: Deps, channel: str, ts: str) -> dict[str, Any] | None:
    """The top-level message ``ts``, if it is one: a call that returns that message alone."""
    answer = await _call(
        deps,
        "conversations_history",
        channel=channel,
        oldest=ts,
        latest=ts,
        inclusive=True,
        limit=1,
    )
    for message in answer.get("messages") or []:
        if message.get("ts") == ts:
            return dict(message)
    return None


async def _reply(deps: Deps, channel: str, ts: str) -> dict[str, Any] | None:
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


async def read_message(
    deps: Deps, channel: str, ts: str, *, in_thread: bool = False
) -> dict[str, Any] | None:
    """The one message ``ts`` (top level or, or when known to be ``in_thread``, a reply); None
    when Slack has no such message or could not be asked; ``ReadLater`` when Slack asks to
    wait."""
    try:
        found = None if in_thread else await _top_level(deps, channel, ts)
        return found if found is not None else await _reply(deps, channel, ts)
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
