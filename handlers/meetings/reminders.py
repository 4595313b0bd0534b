"""Reminders: scheduler jobs keyed ``reminder:<meeting id>:<offset>`` that expire when the
meeting starts, so after downtime a reminder still goes out if the meeting hasn't begun; the
reminder post, and the RSVP buttons on it."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.deps import Deps, deps_of
from bot.feedback import request_origin, tell_privately
from bot.i18n import format_duration
from bot.mrkdwn import escape
from bot.slack import click_time
from bot.when import WhenError, format_offsets, parse_offsets, reminder_time
from handlers.meetings import blocks as ui
from handlers.meetings.clicks import clicked_or_gone, refresh_count
from handlers.meetings.common import (
    STATUS_NAMES,
    extra_blocks,
    group_name,
    local_time,
    meeting_agenda,
)
from handlers.meetings.running_texts import RSVP_CLOSED, RSVP_THANKS_NO, RSVP_THANKS_YES
from handlers.meetings.texts import AND, NO_REMINDERS, REMINDERS_BEFORE
from storage import jobs
from storage import meetings as store
from storage.clusters import Cluster, get_cluster_by_id
from storage.jobs import Job
from storage.meetings import Meeting

log = logging.getLogger(__name__)

REMINDER_JOB = "reminder"
NEWS_FROM = timedelta(days=1)  # a short reminder this long before still carries the news
DEFAULT_REMINDERS = "7d,1d,1h"
NO_REMINDER_WORDS = frozenset({"none", "no", "off", "ingen", "nej", "0"})


# --- reminder times -----------------------------------------------------------------------------


def parse_reminders(raw: str) -> str:
    """``7d,1d,1h`` normalised (``none`` -> empty: no reminders)."""
    if raw.strip().lower() in NO_REMINDER_WORDS:
        return ""
    return format_offsets(parse_offsets(raw))


def effective_reminders(meeting: Meeting, cluster: Cluster) -> str:
    if meeting.reminders is not None:
        return meeting.reminders
    if cluster.reminder_defaults is not None:
        return cluster.reminder_defaults
    return DEFAULT_REMINDERS


def offsets_of(reminders: str) -> list[timedelta]:
    return parse_offsets(reminders) if reminders else []


def describe_reminders(reminders: str, language: str) -> str:
    """``7 days, 1 day and 1 hour before`` / ``none``."""
    offsets = offsets_of(reminders)
    if not offsets:
        return NO_REMINDERS.render(language)
    names = [format_duration(offset, language) for offset in offsets]
    joined = (
        names[0]
        if len(names) == 1
        else f"{', '.join(names[:-1])} {AND.render(language)} {names[-1]}"
    )
    return REMINDERS_BEFORE.render(language, offsets=joined)


def reminder_prefix(meeting_id: int) -> str:
    return f"reminder:{meeting_id}:"


async def plan_reminders(
    session: AsyncSession, *, meeting: Meeting, cluster: Cluster, now: datetime
) -> int:
    """Replace the meeting's reminder jobs; reminders already past are not scheduled."""
    assert meeting.id is not None
    await jobs.cancel(session, prefix=reminder_prefix(meeting.id))
    if meeting.status != store.PLANNED:
        return 0
    tz = ZoneInfo(cluster.timezone)
    planned = 0
    for offset in offsets_of(effective_reminders(meeting, cluster)):
        due = reminder_time(meeting.starts_at, offset, tz)
        if due <= now:
            continue
        label = format_offsets([offset])
        # The full card a week or so before, or as the first reminder of a meeting planned
        # too late for the longer ones; the later ones are short, for a phone.
        full = offset >= ui.FULL_REMINDER_FROM or planned == 0
        await jobs.schedule(
            session,
            kind=REMINDER_JOB,
            key=f"{reminder_prefix(meeting.id)}{label}",
            due_at=due,
            expires_at=meeting.starts_at,
            payload={"meeting_id": meeting.id, "offset": label, "full": full},
        )
        planned += 1
    return planned


# --- reminders (scheduler job) ------------------------------------------------------------------


async def send_reminder(deps: Deps, job: Job) -> None:
    """Post a reminder for the meeting in ``job``'s payload, unless it no longer applies."""
    meeting_id = int(job.payload.get("meeting_id", 0))
    now = deps.clock()
    async with deps.db.session() as session:
        meeting = await session.get(Meeting, meeting_id)
        cluster = await get_cluster_by_id(session, meeting.cluster_id) if meeting else None
        if meeting is None or cluster is None or meeting.status != store.PLANNED:
            log.info("reminder %s skipped: the meeting is gone or no longer planned", job.key)
            return
        if meeting.starts_at <= now:
            log.info("reminder %s skipped: meeting %s has already started", job.key, meeting_id)
            return
        attending, absent = await store.rsvp_counts(session, meeting_id=meeting_id)
        group = await group_name(session, meeting)
        agenda = await meeting_agenda(session, cluster, meeting)
    tz = ZoneInfo(cluster.timezone)
    full = job.payload.get("full") is not False  # jobs planned before short ones existed: full
    # Other features' news (the follow-up answers of last time) on the full card and the day
    # before; the last short reminder is the time and the buttons only.
    news = full or _offset(job) >= NEWS_FROM
    extra = await extra_blocks(deps, deps.hooks.reminder_blocks, cluster, meeting) if news else []
    home = deps.settings.timezone
    await deps.client.chat_postMessage(
        channel=cluster.channel_id,
        text=ui.reminder_text(meeting, tz, cluster.language, now=now, home=home),
        blocks=ui.reminder_blocks(
            meeting,
            tz,
            cluster.language,
            now=now,
            home=home,
            attending=attending,
            absent=absent,
            full=full,
            group=group,
            agenda=agenda,
            extra=extra,
        ),
    )


def _offset(job: Job) -> timedelta:
    """How long before the meeting ``job``'s reminder is (0 if its label can't be read)."""
    try:
        return parse_offsets(str(job.payload.get("offset") or ""))[0]
    except WhenError:
        return timedelta(0)


# --- the RSVP buttons ---------------------------------------------------------------------------


async def _on_rsvp(body: dict[str, Any], context: Any, *, attending: bool) -> None:
    deps = deps_of(context)
    found = await clicked_or_gone(deps, body)
    if found is None:
        return
    cluster, meeting = found
    assert meeting.id is not None
    language = cluster.language
    if meeting.status != store.PLANNED:
        status = STATUS_NAMES[meeting.status].render(language)
        await tell_privately(
            deps, body, RSVP_CLOSED.render(language, title=escape(meeting.title), status=status)
        )
        return
    _, _, user = request_origin(body)
    async with deps.db.session() as session:
        # The newest click wins, by Slack's time of the click, whatever order clicks arrive in.
        attending = await store.answer_rsvp(
            session,
            meeting_id=meeting.id,
            user_id=str(user),
            attending=attending,
            now=deps.clock(),
            action_ts=click_time(body, fallback=deps.clock()),
        )

    async def read() -> object:
        async with deps.db.session() as session:
            return await store.rsvp_counts(session, meeting_id=meeting.id or 0)

    await refresh_count(
        deps,
        body,
        read=read,
        block_id=ui.RSVP_COUNTS_BLOCK,
        render=lambda counts: ui.rsvp_counts_block(counts[0], counts[1], language),
    )
    when = local_time(meeting.starts_at, ZoneInfo(cluster.timezone), language)
    thanks = RSVP_THANKS_YES if attending else RSVP_THANKS_NO
    await tell_privately(
        deps, body, thanks.render(language, title=escape(meeting.title), when=when)
    )


async def on_rsvp_yes(
    ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    await ack()
    await _on_rsvp(body, context, attending=True)


async def on_rsvp_no(
    ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    await ack()
    await _on_rsvp(body, context, attending=False)
