"""Outcomes that must reach Slack: posted until Slack takes them, each message exactly once.

Something the bot has acknowledged (a poll closed, a meeting ended, a meeting planned) has
outcomes people must see: the results, the closing post, the minutes, the announcement. Such an
outcome is a scheduler job, written in the same transaction as the change it follows from and
then run at once (``Scheduler.run_now``). If Slack is down or keeps answering 429, the job fails
and the scheduler retries it with backoff for about a day (``OUTCOME_ATTEMPTS``), surviving
restarts. Each message an outcome posts is recorded with its ``ts`` under a natural key
(``storage.outbox``), so a retry after a partial failure posts only what has not gone out.

``post_later`` is the plain form: one message, queued when Slack could not take it now.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlmodel import select

from bot.deps import Deps
from bot.i18n import Text
from bot.slack import CHANNEL_GONE, error_code
from storage import outbox as store
from storage.jobs import Job

log = logging.getLogger(__name__)

# 15 s, 30 s, … doubling to an hour between tries: about a day of retries in all.
OUTCOME_ATTEMPTS = 30
POST_JOB = "outbox_post"
SLACK = "slack"
NOT_IN_CHANNEL = "not_in_channel"
INVITE_ME = Text(
    en="(I'm not a member of the channel: add me with `/invite @klyngebot` and I'll post it.)",
    da="(Jeg er ikke medlem af kanalen: tilføj mig med `/invite @klyngebot`, så skriver jeg det.)",
)


async def post_once(
    deps: Deps,
    *,
    key: str,
    channel: str,
    text: str,
    blocks: Sequence[dict[str, Any]] | None = None,
) -> str:
    """Post the message ``key`` unless it already went out; its ``ts`` either way.

    Raises what Slack raised: the outcome's job then retries, skipping what was sent."""
    async with deps.db.session() as session:
        sent = await store.sent_ts(session, key=key)
    if sent is not None:
        return sent
    response = await deps.client.chat_postMessage(
        channel=channel, text=text, blocks=list(blocks) if blocks else None
    )
    ts = str(response.get("ts") or "")
    async with deps.db.session() as session:
        await store.record_sent(session, key=key, channel=channel, ts=ts, now=deps.clock())
    return ts


async def sent(deps: Deps, key: str) -> bool:
    """Whether the message (or the one-off step) ``key`` has been done."""
    async with deps.db.session() as session:
        return await store.sent_ts(session, key=key) is not None


async def mark_sent(deps: Deps, key: str, *, channel: str = "", ts: str = "-") -> None:
    """Record a step that is not a ``chat.postMessage`` (a file upload) as done."""
    async with deps.db.session() as session:
        await store.record_sent(session, key=key, channel=channel, ts=ts, now=deps.clock())


async def waiting(deps: Deps, key: str) -> str | None:
    """Why the outcome job ``key`` is still waiting: ``NOT_IN_CHANNEL`` (the bot was removed
    from the channel), ``SLACK`` (Slack is not taking it), or None when it is done."""
    async with deps.db.session() as session:
        job = (await session.exec(select(Job).where(Job.key == key))).first()
    if job is None:
        return None
    error = job.last_error or ""
    return NOT_IN_CHANNEL if any(code in error for code in CHANNEL_GONE) else SLACK


async def still_waiting(
    deps: Deps, key: str, language: str, text: Text, **values: object
) -> str | None:
    """``text`` rendered (it says the outcome will follow) while the outcome ``key`` waits, with
    a word about inviting the bot when that is why; None when the outcome is done."""
    reason = await waiting(deps, key)
    if reason is None:
        return None
    said = text.render(language, **values)
    return f"{said} {INVITE_ME.render(language)}" if reason == NOT_IN_CHANNEL else said


def channel_gone(error: BaseException) -> bool:
    """The bot can't post there (removed from the channel, channel gone): no retry helps."""
    return isinstance(error, SlackApiError) and error_code(error) in CHANNEL_GONE


async def post_later(
    deps: Deps, channel: str, text: str, blocks: Sequence[dict[str, Any]] | None = None
) -> None:
    """Queue one message for the channel, to go out as soon as Slack takes it."""
    log.warning("Slack did not take a post in %s just now; queued", channel)
    await deps.scheduler.schedule(
        kind=POST_JOB,
        key=f"outbox:{uuid.uuid4().hex}",
        due_at=deps.clock(),
        payload={"channel": channel, "text": text, "blocks": list(blocks or [])},
    )


def register_jobs(deps: Deps) -> None:
    async def deliver(job: Job) -> None:
        payload = job.payload
        try:
            await post_once(
                deps,
                key=job.key,
                channel=str(payload["channel"]),
                text=str(payload["text"]),
                blocks=payload.get("blocks") or None,
            )
        except SlackApiError as error:
            if not channel_gone(error):
                raise
            log.warning("gave up a queued post to %s: %s", payload["channel"], error_code(error))

    deps.scheduler.on(POST_JOB, deliver, max_attempts=OUTCOME_ATTEMPTS)
