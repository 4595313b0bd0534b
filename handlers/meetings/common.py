"""What the meetings feature's modules share: reading meeting numbers and links, loading the
meeting a command names, local times, the facilitating group's name, the agenda a meeting
follows, and running other features' hooks without failing."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.deps import BlocksHook, Deps, MeetingHook
from bot.errors import UserError
from bot.i18n import Text, format_datetime
from bot.mrkdwn import escape
from bot.numbers import is_number
from bot.when import Start, parse_duration, shown
from handlers.meetings.blocks import zone_note
from handlers.meetings.holidays import closed_reason
from handlers.meetings.shape import Agenda, agenda_of
from handlers.meetings.texts import (
    BAD_ID,
    CLOSED_DAY_LINE,
    CLOSED_DAYS,
    DURATION_TWICE,
    MORE_LINES,
    NEEDS_ID,
    NO_SUCH_MEETING,
    NOT_PLANNED,
    PROBLEM_AND_FORM,
    READ_AS,
    TOO_MANY_WORDS,
    ZOOM_NOT_HTTPS,
)
from handlers.router import CommandContext
from storage import meetings as store
from storage import shape
from storage.breakouts import Subcluster
from storage.clusters import Cluster
from storage.meetings import Meeting

log = logging.getLogger(__name__)

MAX_ID = 2**31 - 1
MAX_CLOSED_LINES = 20


STATUS_NAMES = {
    store.PLANNED: Text(en="planned", da="planlagt"),
    store.RUNNING: Text(en="running now", da="i gang nu"),
    store.ENDED: Text(en="ended", da="afsluttet"),
    store.CANCELLED: Text(en="cancelled", da="aflyst"),
}


def with_form(ctx: CommandContext, error: UserError) -> UserError:
    """``error`` followed by the sub-command's form."""
    return UserError(
        PROBLEM_AND_FORM,
        problem=error.text.bind(**error.values),
        form=ctx.subcommand.usage.bind(),
    )


def parse_meeting_id(word: str | None, *, command: Text) -> int:
    """The meeting number in ``word`` (``12``, ``#12``, ``nr.12``) of ``command``'s form."""
    if word is None:
        raise UserError(NEEDS_ID, command=command.bind())
    cleaned = word.strip().lstrip("#")
    if cleaned.lower().startswith("nr."):
        cleaned = cleaned[3:]
    if not is_number(cleaned, digits=10) or not 0 < int(cleaned) <= MAX_ID:
        raise UserError(BAD_ID, value=escape(word[:30]))
    return int(cleaned)


def parse_zoom_url(raw: str) -> str:
    """An ``https://`` link as typed (the router has already read Slack's ``<…>`` form)."""
    value = raw.strip()
    parts = urlsplit(value) if len(value) <= 500 else None
    if (
        parts is None
        or parts.scheme.lower() != "https"
        or not parts.hostname
        or any(char.isspace() or char in '<>"' for char in value)
    ):
        shown = raw if len(raw) <= 60 else raw[:59] + "…"
        raise UserError(ZOOM_NOT_HTTPS, value=escape(shown))
    return value


def meeting_minutes(start: Start, duration: str | None) -> int | None:
    """A meeting's length in minutes, from ``--duration`` or an end time (16.00-17.30); None
    when neither was given. Both may be given only if they agree."""
    length = parse_duration(duration) if duration is not None else start.length
    if start.length is not None and length != start.length:
        raise UserError(DURATION_TWICE, typed=shown(start.typed), duration=shown(duration or ""))
    return None if length is None else int(length.total_seconds() // 60)


def read_as(ctx: CommandContext, start: Start) -> str:
    """When a date was relative or without its year: what I read it as, so a slip shows."""
    if not start.guessed:
        return ""
    when = local_time(start.at, ctx.timezone, ctx.language)
    return ctx.t(READ_AS, typed=shown(start.typed), when=when)


def zone_of(ctx: CommandContext) -> str:
    """`` (Europe/London)`` after a time when the cluster's zone is not the usual one here."""
    return zone_note(ctx.timezone, ctx.deps.settings.timezone)


def local_time(moment: datetime, tz: ZoneInfo, language: str) -> str:
    return format_datetime(moment.astimezone(tz), language)


def closed_days_note(meetings: Sequence[Meeting], tz: ZoneInfo, language: str) -> str:
    """A warning listing the meetings on a weekend or a Danish public holiday ("" if none)."""
    found = [
        (meeting, reason)
        for meeting in meetings
        if (reason := closed_reason(meeting.starts_at.astimezone(tz).date())) is not None
    ]
    if not found:
        return ""
    lines = [
        CLOSED_DAY_LINE.render(
            language,
            id=meeting.id,
            when=local_time(meeting.starts_at, tz, language),
            reason=reason.render(language),
        )
        for meeting, reason in found[:MAX_CLOSED_LINES]
    ]
    if len(found) > MAX_CLOSED_LINES:
        lines.append(MORE_LINES.render(language, count=len(found) - MAX_CLOSED_LINES))
    return CLOSED_DAYS.render(language, count=len(found), lines="\n".join(lines))


async def group_name(session: AsyncSession, meeting: Meeting) -> str | None:
    if meeting.facilitator_subcluster_id is None:
        return None
    group = await session.get(Subcluster, meeting.facilitator_subcluster_id)
    return group.name if group is not None else None


async def meeting_agenda(session: AsyncSession, cluster: Cluster, meeting: Meeting) -> Agenda:
    """The agenda ``meeting`` follows: its own, else the cluster's default one."""
    own_default = None
    if not meeting.agenda:
        own_default = await shape.default_agenda(session, cluster_id=cluster.id or 0)
    return agenda_of(meeting.agenda, own_default, cluster.language)


async def run_hooks(
    deps: Deps, hooks: list[MeetingHook], cluster: Cluster, meeting: Meeting
) -> None:
    """Run another feature's hooks; their failure must not undo what this feature did."""
    try:
        await deps.hooks.run(hooks, deps, cluster, meeting)
    except Exception:
        log.exception("a meeting hook failed for meeting %s", meeting.id)


async def extra_blocks(
    deps: Deps, hooks: list[BlocksHook], cluster: Cluster, meeting: Meeting
) -> list[dict[str, Any]]:
    try:
        return await deps.hooks.blocks(hooks, deps, cluster, meeting)
    except Exception:
        log.exception("a blocks hook failed for meeting %s", meeting.id)
        return []


def not_planned(ctx: CommandContext, meeting: Meeting, action: Text) -> UserError:
    return UserError(
        NOT_PLANNED,
        id=meeting.id,
        title=escape(meeting.title),
        status=STATUS_NAMES[meeting.status].bind(),
        action=action.bind(),
    )


async def load_meeting(ctx: CommandContext, meeting_id: int) -> Meeting:
    """Meeting ``meeting_id`` of the command's cluster; refuses a number it does not have."""
    cluster = ctx.require_cluster()
    async with ctx.deps.db.session() as session:
        meeting = await store.get_meeting(
            session, cluster_id=cluster.id or 0, meeting_id=meeting_id
        )
    if meeting is None:
        raise UserError(NO_SUCH_MEETING, id=meeting_id)
    return meeting


def no_extra_words(ctx: CommandContext, expected: int) -> None:
    """Refuses words after the ``expected`` ones, showing the sub-command's form."""
    if len(ctx.args.words) > expected:
        extra = " ".join(ctx.args.words[expected:])
        raise with_form(ctx, UserError(TOO_MANY_WORDS, extra=escape(extra[:60])))
