"""Meetings: plan (one-off or repeating), list, show, move, cancel, calendar files, reminders
with RSVP, and running a meeting (``start`` with check-in, ``end`` with the closing round).

Reminders are scheduler jobs keyed ``reminder:<meeting id>:<offset>`` that expire when the
meeting starts, so after downtime a reminder still goes out if the meeting hasn't begun.

``/klynge start`` with no planned meeting near (from three hours before its start to its end)
starts an unplanned ("ad hoc") meeting right away, so check-ins, breakouts and take-home
messages work for meetings the bot was never told about.
"""

from __future__ import annotations

import asyncio
import logging
import re
import weakref
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackClientError
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import meeting_blocks as ui
from bot.blocks import clip
from bot.commands import FlagKind
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import request_origin, tell_privately
from bot.hooks import BlocksHook, MeetingHook
from bot.i18n import Text, format_datetime, format_duration
from bot.ics import CalendarEvent, calendar, meeting_uid
from bot.mrkdwn import escape
from bot.when import (
    format_offsets,
    parse_count,
    parse_date,
    parse_meeting_start,
    parse_offsets,
    parse_recurrence,
    reminder_time,
)
from handlers.meetings_texts import (
    ACTION_CANCELLED,
    ACTION_MOVED,
    ACTION_STARTED,
    AD_HOC_TITLE,
    ADD_NEEDS_DATE_TIME_TITLE,
    ADDED_ONE,
    ADDED_SERIES,
    ALREADY_CHECKED_IN,
    ALREADY_RUNNING,
    AND,
    ANNOUNCE_ONE,
    ANNOUNCE_SERIES,
    BAD_ID,
    CALENDAR_AGENDA,
    CALENDAR_DESCRIPTION,
    CALENDAR_PREPARATION,
    CALENDAR_TOPIC,
    CANCELLED_ANNOUNCE,
    CANCELLED_CONFIRM,
    CHECKED_IN,
    CHECKIN_CLOSED,
    DEFAULTS_SET,
    DEFAULTS_SHOWN,
    END_WITHOUT_EVERY,
    END_WORDS,
    ENDED_CONFIRM,
    ICS_COMMENT,
    ICS_FAILED,
    ICS_SENT,
    LIST_EMPTY,
    LIST_FACILITATOR,
    LIST_HEADER,
    LIST_LINE,
    LIST_MORE,
    LIST_RUNNING,
    LIST_TOPIC,
    MEETING_GONE,
    MORE_LINES,
    MOVE_NEEDS,
    MOVED_ANNOUNCE,
    MOVED_CONFIRM,
    NEEDS_ID,
    NO_CALENDAR_FILE,
    NO_REMINDERS,
    NO_SUCH_MEETING,
    NOT_PLANNED,
    NOTHING_RUNNING,
    PROBLEM_AND_FORM,
    REMINDERS_BEFORE,
    REMINDERS_PAST,
    RSVP_CLOSED,
    RSVP_THANKS_NO,
    RSVP_THANKS_YES,
    SAME_TIME,
    SET_CLEARED,
    SET_DONE,
    SET_NEEDS,
    SET_TOO_LONG,
    SHOW_HINT,
    SHOW_REMINDERS,
    SHOW_RSVP,
    SHOW_SERIES,
    SHOW_TITLE,
    SHOW_WHEN,
    SHOW_ZOOM,
    START_WORDS,
    STARTED_AD_HOC,
    STARTED_CONFIRM,
    STARTED_MEANWHILE,
    TITLE_TOO_LONG,
    TOO_MANY_WORDS,
    ZOOM_NOT_HTTPS,
    ZOOM_SET,
)
from handlers.router import CommandContext, Subcommand
from handlers.wiring import Wiring
from storage import jobs
from storage import meetings as store
from storage.breakouts import Subcluster
from storage.clusters import Cluster, get_cluster, get_cluster_by_id
from storage.jobs import Job
from storage.meetings import Meeting

log = logging.getLogger(__name__)

REMINDER_JOB = "reminder"
DEFAULT_REMINDERS = "7d,1d,1h"
START_EARLY = timedelta(hours=3)  # `/klynge start` finds a meeting this long before it begins
MAX_TITLE = 200
MAX_ID = 2**31 - 1
LIST_LIMIT = 50
COUNT_UPDATE_ATTEMPTS = 3
NO_REMINDER_WORDS = frozenset({"none", "no", "off", "ingen", "nej", "0"})

# --- texts --------------------------------------------------------------------------------------


STATUS_NAMES = {
    store.PLANNED: Text(en="planned", da="planlagt"),
    store.RUNNING: Text(en="running now", da="i gang nu"),
    store.ENDED: Text(en="ended", da="afsluttet"),
    store.CANCELLED: Text(en="cancelled", da="aflyst"),
}


FIELD_NAMES = {
    "topic": Text(en="topic", da="emne"),
    "agenda": Text(en="agenda", da="dagsorden"),
    "preparation": Text(en="preparation note", da="forberedelse"),
}
FIELD_WORDS = {
    "topic": "topic",
    "emne": "topic",
    "agenda": "agenda",
    "dagsorden": "agenda",
    "prep": "preparation",
    "preparation": "preparation",
    "forberedelse": "preparation",
}
FIELD_LIMITS = {"topic": 500, "agenda": 2900, "preparation": 2900}


# --- small helpers ------------------------------------------------------------------------------


def unslack(text: str) -> str:
    """Undo Slack's escaping of ``&``, ``<`` and ``>`` in slash-command text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _with_form(ctx: CommandContext, error: UserError) -> UserError:
    """``error`` followed by the sub-command's form."""
    return UserError(
        PROBLEM_AND_FORM,
        problem=error.text.bind(**error.values),
        form=ctx.subcommand.usage.bind(),
    )


def parse_meeting_id(word: str | None, *, action: str) -> int:
    if word is None:
        raise UserError(NEEDS_ID, action=action)
    cleaned = word.strip().lstrip("#")
    if cleaned.lower().startswith("nr."):
        cleaned = cleaned[3:]
    if not cleaned.isascii() or not cleaned.isdigit() or not 0 < int(cleaned) <= MAX_ID:
        raise UserError(BAD_ID, value=escape(word[:30]))
    return int(cleaned)


def parse_zoom_url(raw: str) -> str:
    """An ``https://`` link as typed (Slack wraps links in ``<…>``, maybe with ``|label``)."""
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].split("|", 1)[0]
    value = unslack(value)
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


def _local(moment: datetime, tz: ZoneInfo, language: str) -> str:
    return format_datetime(moment.astimezone(tz), language)


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
        await jobs.schedule(
            session,
            kind=REMINDER_JOB,
            key=f"{reminder_prefix(meeting.id)}{label}",
            due_at=due,
            expires_at=meeting.starts_at,
            payload={"meeting_id": meeting.id, "offset": label},
        )
        planned += 1
    return planned


async def _load_meeting(ctx: CommandContext, meeting_id: int) -> Meeting:
    cluster = ctx.require_cluster()
    async with ctx.deps.db.session() as session:
        meeting = await store.get_meeting(
            session, cluster_id=cluster.id or 0, meeting_id=meeting_id
        )
    if meeting is None:
        raise UserError(NO_SUCH_MEETING, id=meeting_id)
    return meeting


async def _group_name(session: AsyncSession, meeting: Meeting) -> str | None:
    if meeting.facilitator_subcluster_id is None:
        return None
    group = await session.get(Subcluster, meeting.facilitator_subcluster_id)
    return group.name if group is not None else None


async def _run_hooks(
    deps: Deps, hooks: list[MeetingHook], cluster: Cluster, meeting: Meeting
) -> None:
    """Run another feature's hooks; their failure must not undo what this feature did."""
    try:
        await deps.hooks.run(hooks, deps, cluster, meeting)
    except Exception:
        log.exception("a meeting hook failed for meeting %s", meeting.id)


async def _extra_blocks(
    deps: Deps, hooks: list[BlocksHook], cluster: Cluster, meeting: Meeting
) -> list[dict[str, Any]]:
    try:
        return await deps.hooks.blocks(hooks, deps, cluster, meeting)
    except Exception:
        log.exception("a blocks hook failed for meeting %s", meeting.id)
        return []


def _not_planned(ctx: CommandContext, meeting: Meeting, action: Text) -> UserError:
    return UserError(
        NOT_PLANNED,
        id=meeting.id,
        title=escape(meeting.title),
        status=STATUS_NAMES[meeting.status].bind(),
        action=action.bind(),
    )


def _no_extra_words(ctx: CommandContext, expected: int) -> None:
    if len(ctx.args.words) > expected:
        extra = " ".join(ctx.args.words[expected:])
        raise _with_form(ctx, UserError(TOO_MANY_WORDS, extra=escape(extra[:60])))


# --- calendar files -----------------------------------------------------------------------------


def calendar_event(meeting: Meeting, cluster: Cluster) -> CalendarEvent:
    language = cluster.language
    description = [CALENDAR_DESCRIPTION.render(language, name=cluster.name)]
    if meeting.topic:
        description.append(CALENDAR_TOPIC.render(language, topic=meeting.topic))
    if meeting.agenda:
        description.append(CALENDAR_AGENDA.render(language, agenda=meeting.agenda))
    if meeting.preparation:
        description.append(CALENDAR_PREPARATION.render(language, text=meeting.preparation))
    if meeting.zoom_url:
        description.append(meeting.zoom_url)
    assert meeting.id is not None
    return CalendarEvent(
        uid=meeting_uid(
            meeting_id=meeting.id, team_id=cluster.team_id, channel_id=cluster.channel_id
        ),
        title=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.starts_at + timedelta(minutes=meeting.duration_minutes),
        description="\n\n".join(description),
        url=meeting.zoom_url,
        sequence=meeting.revision,
        cancelled=meeting.status == store.CANCELLED,
    )


async def upload_calendar(
    deps: Deps, *, channel: str, cluster: Cluster, meetings: Sequence[Meeting], comment: str
) -> None:
    """Share an ``.ics`` with ``meetings`` in ``channel`` (raises SlackApiError on failure)."""
    content = calendar([calendar_event(m, cluster) for m in meetings], now=deps.clock())
    first = meetings[0]
    name = (
        f"meeting-{first.id}.ics"
        if len(meetings) == 1
        else f"meetings-{first.id}-{meetings[-1].id}.ics"
    )
    await deps.client.files_upload_v2(
        channel=channel,
        filename=name,
        title=first.title,
        content=content,
        initial_comment=comment,
    )


# --- meeting add --------------------------------------------------------------------------------


async def meeting_add(ctx: CommandContext) -> None:
    """Plan a meeting (or a series), schedule its reminders, confirm, share the calendar file."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    try:
        starts, title, zoom, reminders = _parse_add(ctx)
    except UserError as error:
        raise _with_form(ctx, error) from None
    now = ctx.deps.clock()
    async with ctx.deps.db.session() as session:
        meetings = await store.add_meetings(
            session,
            cluster_id=cluster.id,
            title=title,
            starts=starts,
            created_by=ctx.user_id,
            zoom_url=zoom,
            reminders=reminders,
        )
        for meeting in meetings:
            await plan_reminders(session, meeting=meeting, cluster=cluster, now=now)
    ctx.deps.scheduler.wake()
    await ctx.reply(_added_text(ctx, meetings, cluster))
    for meeting in meetings:
        await _run_hooks(ctx.deps, ctx.deps.hooks.meeting_planned, cluster, meeting)
    await _announce_planned(ctx, cluster, meetings)


def _parse_add(ctx: CommandContext) -> tuple[list[datetime], str, str | None, str | None]:
    words = ctx.args.words
    if len(words) < 3:
        raise UserError(ADD_NEEDS_DATE_TIME_TITLE)
    tz = ctx.timezone
    now = ctx.deps.clock()
    start = parse_meeting_start(words[0], words[1], tz=tz, now=now)
    title = unslack(" ".join(words[2:])).strip()
    if len(title) > MAX_TITLE:
        raise UserError(TITLE_TOO_LONG, length=len(title), limit=MAX_TITLE)
    zoom_raw = ctx.args.value("zoom")
    zoom = parse_zoom_url(zoom_raw) if zoom_raw is not None else None
    remind_raw = ctx.args.value("remind")
    reminders = parse_reminders(remind_raw) if remind_raw is not None else None
    every = ctx.args.value("every")
    until_raw, count_raw = ctx.args.value("until"), ctx.args.value("count")
    if every is None:
        if until_raw is not None or count_raw is not None:
            raise UserError(END_WITHOUT_EVERY)
        return [start], title, zoom, reminders
    today = now.astimezone(tz).date()
    until = parse_date(until_raw, today=today) if until_raw is not None else None
    count = parse_count(count_raw) if count_raw is not None else None
    starts = parse_recurrence(every, first_start_utc=start, tz=tz, until=until, count=count)
    return starts, title, zoom, reminders


def _added_text(ctx: CommandContext, meetings: Sequence[Meeting], cluster: Cluster) -> str:
    tz = ctx.timezone
    first = meetings[0]
    reminders = describe_reminders(effective_reminders(first, cluster), ctx.language)
    zoom = ctx.t(ZOOM_SET, url=first.zoom_url) if first.zoom_url else ""
    if len(meetings) == 1:
        now = ctx.deps.clock()
        past = [
            format_duration(offset, ctx.language)
            for offset in offsets_of(effective_reminders(first, cluster))
            if reminder_time(first.starts_at, offset, tz) <= now
        ]
        if past:
            reminders += ctx.t(REMINDERS_PAST, offsets=", ".join(past))
        return ctx.t(
            ADDED_ONE,
            id=first.id,
            title=escape(first.title),
            when=_local(first.starts_at, tz, ctx.language),
            zone=tz.key,
            reminders=reminders,
            zoom=zoom,
        )
    shown = 30
    lines = [f"• #{m.id} — {_local(m.starts_at, tz, ctx.language)}" for m in meetings[:shown]]
    if len(meetings) > shown:
        lines.append(ctx.t(MORE_LINES, count=len(meetings) - shown))
    return ctx.t(
        ADDED_SERIES,
        count=len(meetings),
        title=escape(first.title),
        zone=tz.key,
        lines="\n".join(lines),
        reminders=reminders,
        zoom=zoom,
    )


async def _announce_planned(
    ctx: CommandContext, cluster: Cluster, meetings: Sequence[Meeting]
) -> None:
    """Tell the channel, with the calendar file attached (or without it if Slack refuses)."""
    tz = ctx.timezone
    first, last = meetings[0], meetings[-1]
    if len(meetings) == 1:
        comment = ctx.t(
            ANNOUNCE_ONE,
            title=escape(first.title),
            when=_local(first.starts_at, tz, ctx.language),
            zone=tz.key,
        )
    else:
        comment = ctx.t(
            ANNOUNCE_SERIES,
            count=len(meetings),
            title=escape(first.title),
            first=_local(first.starts_at, tz, ctx.language),
            last=_local(last.starts_at, tz, ctx.language),
            zone=tz.key,
        )
    try:
        await upload_calendar(
            ctx.deps, channel=ctx.channel_id, cluster=cluster, meetings=meetings, comment=comment
        )
    except (SlackClientError, OSError, TimeoutError) as error:
        log.warning("could not share the calendar file: %s", error)
        try:
            await ctx.announce(f"{comment} {ctx.t(NO_CALENDAR_FILE, id=first.id)}")
        except UserError:
            # Not in the channel: the planner has their confirmation; "try again" would
            # only plan the meeting twice.
            log.warning("could not announce the planned meeting in %s", ctx.channel_id)


# --- list, show, ics ----------------------------------------------------------------------------


async def meeting_list(ctx: CommandContext) -> None:
    """Privately: running and upcoming meetings with numbers, facilitator and topic."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    _no_extra_words(ctx, 0)
    tz = ctx.timezone
    async with ctx.deps.db.session() as session:
        running = await store.running_meeting(session, cluster_id=cluster.id)
        upcoming = list(
            await store.upcoming_meetings(
                session, cluster_id=cluster.id, now=ctx.deps.clock(), limit=LIST_LIMIT + 1
            )
        )
        shown = ([running] if running else []) + upcoming[:LIST_LIMIT]
        groups = {m.id: await _group_name(session, m) for m in shown}
    if not shown:
        await ctx.reply(ctx.t(LIST_EMPTY))
        return
    lines = [ctx.t(LIST_HEADER, zone=tz.key)]
    for meeting in shown:
        extra = ctx.t(LIST_RUNNING) if meeting.status == store.RUNNING else ""
        who = f"<@{meeting.facilitator_id}>" if meeting.facilitator_id else groups[meeting.id]
        if who:
            extra += ctx.t(LIST_FACILITATOR, who=escape(who) if not meeting.facilitator_id else who)
        if meeting.topic:
            extra += ctx.t(LIST_TOPIC, topic=escape(clip(meeting.topic, 120)))
        lines.append(
            ctx.t(
                LIST_LINE,
                id=meeting.id,
                when=_local(meeting.starts_at, tz, ctx.language),
                title=escape(meeting.title),
                extra=extra,
            )
        )
    if len(upcoming) > LIST_LIMIT:
        lines.append(ctx.t(LIST_MORE, count=len(upcoming) - LIST_LIMIT))
    await ctx.reply("\n".join(lines))


async def meeting_show(ctx: CommandContext) -> None:
    """Privately: everything about one meeting."""
    cluster = ctx.require_cluster()
    _no_extra_words(ctx, 1)
    meeting_id = parse_meeting_id(next(iter(ctx.args.words), None), action="show")
    meeting = await _load_meeting(ctx, meeting_id)
    tz = ctx.timezone
    async with ctx.deps.db.session() as session:
        attending, absent = await store.rsvp_counts(session, meeting_id=meeting_id)
        group = await _group_name(session, meeting)
    lines = [
        ctx.t(
            SHOW_TITLE,
            id=meeting.id,
            title=escape(meeting.title),
            status=ctx.t(STATUS_NAMES[meeting.status]),
        ),
        ctx.t(
            SHOW_WHEN,
            when=_local(meeting.starts_at, tz, ctx.language),
            zone=tz.key,
            minutes=meeting.duration_minutes,
        ),
    ]
    if meeting.zoom_url:
        lines.append(ctx.t(SHOW_ZOOM, url=meeting.zoom_url))
    lines.extend(ui.detail_lines(meeting, ctx.language, group=group))
    reminders = describe_reminders(effective_reminders(meeting, cluster), ctx.language)
    lines.append(ctx.t(SHOW_REMINDERS, reminders=reminders))
    lines.append(ctx.t(SHOW_RSVP, attending=attending, absent=absent))
    if meeting.series_id is not None:
        lines.append(ctx.t(SHOW_SERIES, id=meeting.series_id))
    lines.append(ctx.t(SHOW_HINT, id=meeting.id))
    await ctx.reply(clip("\n".join(lines), 3900))


async def meeting_ics(ctx: CommandContext) -> None:
    """Send the meeting's calendar file to whoever asked, in a direct message."""
    cluster = ctx.require_cluster()
    _no_extra_words(ctx, 1)
    meeting_id = parse_meeting_id(next(iter(ctx.args.words), None), action="ics")
    meeting = await _load_meeting(ctx, meeting_id)
    tz = ctx.timezone
    comment = ctx.t(
        ICS_COMMENT,
        title=escape(meeting.title),
        when=_local(meeting.starts_at, tz, ctx.language),
        zone=tz.key,
    )
    try:
        opened = await ctx.deps.client.conversations_open(users=ctx.user_id)
        channel = str(opened["channel"]["id"])
        await upload_calendar(
            ctx.deps, channel=channel, cluster=cluster, meetings=[meeting], comment=comment
        )
    except (SlackClientError, OSError, TimeoutError) as error:
        log.warning("could not send a calendar file: %s", error)
        raise UserError(ICS_FAILED) from None
    await ctx.reply(ctx.t(ICS_SENT, id=meeting.id, title=escape(meeting.title)))


# --- cancel, move, set --------------------------------------------------------------------------


async def meeting_cancel(ctx: CommandContext) -> None:
    """Cancel one meeting: remove its reminders and tell the channel."""
    cluster = ctx.require_cluster()
    _no_extra_words(ctx, 1)
    meeting_id = parse_meeting_id(next(iter(ctx.args.words), None), action="cancel")
    async with ctx.deps.db.session() as session:
        meeting = await store.get_meeting(
            session, cluster_id=cluster.id or 0, meeting_id=meeting_id
        )
        if meeting is None:
            raise UserError(NO_SUCH_MEETING, id=meeting_id)
        if meeting.status != store.PLANNED:
            raise _not_planned(ctx, meeting, ACTION_CANCELLED)
        meeting.status = store.CANCELLED
        meeting.revision += 1
        session.add(meeting)
        removed = await jobs.cancel(session, prefix=reminder_prefix(meeting_id))
    ctx.deps.scheduler.wake()
    tz = ctx.timezone
    await ctx.announce(
        ctx.t(
            CANCELLED_ANNOUNCE,
            title=escape(meeting.title),
            when=_local(meeting.starts_at, tz, ctx.language),
            zone=tz.key,
            by=f"<@{ctx.user_id}>",
        )
    )
    await ctx.reply(ctx.t(CANCELLED_CONFIRM, id=meeting_id, count=removed))
    await _run_hooks(ctx.deps, ctx.deps.hooks.meeting_changed, cluster, meeting)


async def meeting_move(ctx: CommandContext) -> None:
    """Move one meeting to a new date and time; its reminders move with it."""
    cluster = ctx.require_cluster()
    words = ctx.args.words
    if len(words) < 3:
        raise _with_form(ctx, UserError(MOVE_NEEDS))
    _no_extra_words(ctx, 3)
    meeting_id = parse_meeting_id(words[0], action="move")
    tz = ctx.timezone
    now = ctx.deps.clock()
    try:
        new_start = parse_meeting_start(words[1], words[2], tz=tz, now=now)
    except UserError as error:
        raise _with_form(ctx, error) from None
    async with ctx.deps.db.session() as session:
        meeting = await store.get_meeting(
            session, cluster_id=cluster.id or 0, meeting_id=meeting_id
        )
        if meeting is None:
            raise UserError(NO_SUCH_MEETING, id=meeting_id)
        if meeting.status != store.PLANNED:
            raise _not_planned(ctx, meeting, ACTION_MOVED)
        old_start = meeting.starts_at
        if old_start == new_start:
            raise UserError(SAME_TIME, id=meeting_id, when=_local(new_start, tz, ctx.language))
        meeting.starts_at = new_start
        meeting.revision += 1
        session.add(meeting)
        await plan_reminders(session, meeting=meeting, cluster=cluster, now=now)
    ctx.deps.scheduler.wake()
    await ctx.announce(
        ctx.t(
            MOVED_ANNOUNCE,
            id=meeting_id,
            title=escape(meeting.title),
            old=_local(old_start, tz, ctx.language),
            new=_local(new_start, tz, ctx.language),
            zone=tz.key,
            by=f"<@{ctx.user_id}>",
        )
    )
    await ctx.reply(
        ctx.t(MOVED_CONFIRM, id=meeting_id, when=_local(new_start, tz, ctx.language), zone=tz.key)
    )
    await _run_hooks(ctx.deps, ctx.deps.hooks.meeting_changed, cluster, meeting)


_SET_PREFIX = re.compile(r"^\s*\S+\s+\S+\s+\S+\s+\S+(?:\s|$)", re.DOTALL)
_QUOTE_PAIRS = {'"': '"”“', "“": '”“"', "”": '”“"', "„": '“”"', "«": "»", "'": "'’", "‘": "’'"}


def _set_text(ctx: CommandContext) -> str:
    """The text after ``meeting set <id> <field>``, line breaks kept (for agendas)."""
    raw = str(ctx.body.get("text") or "")
    match = _SET_PREFIX.match(raw)
    text = raw[match.end() :].strip() if match else " ".join(ctx.args.words[2:])
    if len(text) >= 2 and text[0] in _QUOTE_PAIRS and text[-1] in _QUOTE_PAIRS[text[0]]:
        text = text[1:-1].strip()
    return unslack(text)


async def meeting_set(ctx: CommandContext) -> None:
    """Set (or clear with ``-``) a meeting's topic, agenda or preparation note."""
    cluster = ctx.require_cluster()
    words = ctx.args.words
    if len(words) < 3 or words[1].lower() not in FIELD_WORDS:
        raise UserError(SET_NEEDS)
    meeting_id = parse_meeting_id(words[0], action="set")
    field = FIELD_WORDS[words[1].lower()]
    text = _set_text(ctx)
    if not text:
        raise UserError(SET_NEEDS)
    value = None if text == "-" else text
    if value is not None and len(value) > FIELD_LIMITS[field]:
        raise UserError(
            SET_TOO_LONG,
            field=FIELD_NAMES[field].bind(),
            length=len(value),
            limit=FIELD_LIMITS[field],
        )
    async with ctx.deps.db.session() as session:
        meeting = await store.get_meeting(
            session, cluster_id=cluster.id or 0, meeting_id=meeting_id
        )
        if meeting is None:
            raise UserError(NO_SUCH_MEETING, id=meeting_id)
        setattr(meeting, field, value)
        session.add(meeting)
    name = ctx.t(FIELD_NAMES[field])
    if value is None:
        await ctx.reply(ctx.t(SET_CLEARED, id=meeting_id, title=escape(meeting.title), field=name))
    else:
        await ctx.reply(
            ctx.t(
                SET_DONE,
                id=meeting_id,
                title=escape(meeting.title),
                field=name,
                value=escape(value),
            )
        )


# --- reminder defaults --------------------------------------------------------------------------


async def remind_defaults(ctx: CommandContext) -> None:
    """Show or set the cluster's default reminders; upcoming meetings that follow them follow."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    text = " ".join(ctx.args.words).strip()
    if not text:
        current = (
            cluster.reminder_defaults
            if cluster.reminder_defaults is not None
            else DEFAULT_REMINDERS
        )
        await ctx.reply(ctx.t(DEFAULTS_SHOWN, reminders=describe_reminders(current, ctx.language)))
        return
    try:
        defaults = parse_reminders(text.replace(" ", ""))
    except UserError as error:
        raise _with_form(ctx, error) from None
    now = ctx.deps.clock()
    async with ctx.deps.db.session() as session:
        stored = await get_cluster_by_id(session, cluster.id)
        assert stored is not None
        stored.reminder_defaults = defaults
        session.add(stored)
        following = await store.planned_with_default_reminders(
            session, cluster_id=cluster.id, now=now
        )
        for meeting in following:
            await plan_reminders(session, meeting=meeting, cluster=stored, now=now)
    ctx.deps.scheduler.wake()
    ctx.cluster = stored
    await ctx.reply(
        ctx.t(
            DEFAULTS_SET, reminders=describe_reminders(defaults, ctx.language), count=len(following)
        )
    )


# --- start and end ------------------------------------------------------------------------------


async def start_meeting(ctx: CommandContext) -> None:
    """Mark the current meeting running and post its agenda with the check-in button."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.args.words
    if len(words) > 1:
        raise UserError(START_WORDS)
    wanted = parse_meeting_id(words[0], action="start") if words else None
    now = ctx.deps.clock()
    tz = ctx.timezone
    try:
        meeting, ad_hoc, group = await _mark_running(ctx, cluster, wanted, now)
    except IntegrityError:  # another coordinator started one a moment ago
        raise UserError(STARTED_MEANWHILE) from None
    ctx.deps.scheduler.wake()
    extra = await _extra_blocks(ctx.deps, ctx.deps.hooks.agenda_blocks, cluster, meeting)
    try:
        posted = await ctx.announce(
            ui.agenda_text(meeting, ctx.language),
            blocks=ui.agenda_blocks(
                meeting, tz, ctx.language, checked_in=0, group=group, extra=extra
            ),
        )
    except UserError:  # the bot is not in the channel: the meeting did not really start
        await _unmark_running(ctx, cluster, meeting, ad_hoc=ad_hoc)
        raise
    async with ctx.deps.db.session() as session:
        stored = await session.get(Meeting, meeting.id)
        if stored is not None:
            stored.agenda_ts = str(posted.get("ts") or "") or None
            session.add(stored)
            meeting = stored
    text = STARTED_AD_HOC if ad_hoc else STARTED_CONFIRM
    await ctx.reply(ctx.t(text, id=meeting.id, title=escape(meeting.title)))
    await _run_hooks(ctx.deps, ctx.deps.hooks.meeting_started, cluster, meeting)


async def _mark_running(
    ctx: CommandContext, cluster: Cluster, wanted: int | None, now: datetime
) -> tuple[Meeting, bool, str | None]:
    """Find (or make) the meeting to start and mark it running: (meeting, ad hoc?, group)."""
    assert cluster.id is not None
    tz = ctx.timezone
    ad_hoc = False
    async with ctx.deps.db.session() as session:
        running = await store.running_meeting(session, cluster_id=cluster.id)
        if running is not None:
            raise UserError(ALREADY_RUNNING, id=running.id, title=escape(running.title))
        if wanted is not None:
            meeting = await store.get_meeting(session, cluster_id=cluster.id, meeting_id=wanted)
            if meeting is None:
                raise UserError(NO_SUCH_MEETING, id=wanted)
            if meeting.status != store.PLANNED:
                raise _not_planned(ctx, meeting, ACTION_STARTED)
        else:
            meeting = await store.meeting_to_start(
                session, cluster_id=cluster.id, now=now, early=START_EARLY
            )
        if meeting is None:
            ad_hoc = True
            title = ctx.t(AD_HOC_TITLE, date=format_datetime(now.astimezone(tz), ctx.language))
            meeting = Meeting(
                cluster_id=cluster.id, title=title, starts_at=now, created_by=ctx.user_id
            )
        meeting.status = store.RUNNING
        meeting.started_at = now
        session.add(meeting)
        await session.flush()
        assert meeting.id is not None
        # Reminders still pending (started early) would now only confuse.
        await jobs.cancel(session, prefix=reminder_prefix(meeting.id))
        group = await _group_name(session, meeting)
    return meeting, ad_hoc, group


async def _unmark_running(
    ctx: CommandContext, cluster: Cluster, meeting: Meeting, *, ad_hoc: bool
) -> None:
    """Undo ``_mark_running`` (and bring its reminders back) when the agenda could not be
    posted."""
    async with ctx.deps.db.session() as session:
        stored = await session.get(Meeting, meeting.id)
        if stored is None:
            return
        if ad_hoc:
            await session.delete(stored)
            return
        stored.status = store.PLANNED
        stored.started_at = None
        session.add(stored)
        await session.flush()
        await plan_reminders(session, meeting=stored, cluster=cluster, now=ctx.deps.clock())
    ctx.deps.scheduler.wake()


async def end_meeting(ctx: CommandContext) -> None:
    """Close the running meeting and ask the closing-round questions."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    if ctx.args.words:
        raise UserError(END_WORDS)
    now = ctx.deps.clock()
    async with ctx.deps.db.session() as session:
        meeting = await store.running_meeting(session, cluster_id=cluster.id)
        if meeting is None:
            raise UserError(NOTHING_RUNNING)
        meeting.status = store.ENDED
        meeting.ended_at = now
        session.add(meeting)
        assert meeting.id is not None
        count = await store.checked_in_count(session, meeting_id=meeting.id)
    # The same extras as the agenda post: e.g. the take-home button for the closing round.
    extra = await _extra_blocks(ctx.deps, ctx.deps.hooks.agenda_blocks, cluster, meeting)
    await ctx.announce(
        ui.closing_text(meeting, ctx.language),
        blocks=ui.closing_blocks(meeting, ctx.language, checked_in=count, extra=extra),
    )
    await ctx.reply(ctx.t(ENDED_CONFIRM, id=meeting.id, title=escape(meeting.title), count=count))
    await _run_hooks(ctx.deps, ctx.deps.hooks.meeting_ended, cluster, meeting)


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
        group = await _group_name(session, meeting)
    tz = ZoneInfo(cluster.timezone)
    extra = await _extra_blocks(deps, deps.hooks.reminder_blocks, cluster, meeting)
    await deps.client.chat_postMessage(
        channel=cluster.channel_id,
        text=ui.reminder_text(meeting, tz, cluster.language, now=now),
        blocks=ui.reminder_blocks(
            meeting,
            tz,
            cluster.language,
            now=now,
            attending=attending,
            absent=absent,
            group=group,
            extra=extra,
        ),
    )


# --- clicks: RSVP and check-in ------------------------------------------------------------------


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


async def _clicked_meeting(deps: Deps, body: dict[str, Any]) -> tuple[Cluster, Meeting] | None:
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


async def _on_rsvp(body: dict[str, Any], context: Any, *, attending: bool) -> None:
    deps = deps_of(context)
    found = await _clicked_meeting(deps, body)
    if found is None:
        await tell_privately(deps, body, MEETING_GONE)
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
        await store.answer_rsvp(
            session, meeting_id=meeting.id, user_id=str(user), attending=attending, now=deps.clock()
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
    when = _local(meeting.starts_at, ZoneInfo(cluster.timezone), language)
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


async def on_check_in(
    ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    await ack()
    deps = deps_of(context)
    found = await _clicked_meeting(deps, body)
    if found is None:
        await tell_privately(deps, body, MEETING_GONE)
        return
    cluster, meeting = found
    assert meeting.id is not None
    language = cluster.language
    title = escape(meeting.title)
    if meeting.status != store.RUNNING:
        status = STATUS_NAMES[meeting.status].render(language)
        await tell_privately(
            deps, body, CHECKIN_CLOSED.render(language, title=title, status=status)
        )
        return
    _, _, user = request_origin(body)
    async with deps.db.session() as session:
        new = await store.check_in(
            session, meeting_id=meeting.id, user_id=str(user), now=deps.clock()
        )

    async def read() -> object:
        async with deps.db.session() as session:
            return await store.checked_in_count(session, meeting_id=meeting.id or 0)

    await refresh_count(
        deps,
        body,
        read=read,
        block_id=ui.CHECKIN_COUNT_BLOCK,
        render=lambda count: ui.checkin_count_block(int(count), language),
    )
    text = CHECKED_IN if new else ALREADY_CHECKED_IN
    await tell_privately(deps, body, text.render(language, title=title))


# --- registration -------------------------------------------------------------------------------

ADD_FLAGS = {
    "zoom": FlagKind.VALUE,
    "remind": FlagKind.VALUE,
    "every": FlagKind.VALUE,
    "until": FlagKind.VALUE,
    "count": FlagKind.VALUE,
}


def register(app: AsyncApp, wiring: Wiring) -> None:
    commands = wiring.commands
    commands.add(
        Subcommand(
            words=("meeting", "add"),
            run=meeting_add,
            usage=Text(
                en="/klynge meeting add YYYY-MM-DD HH:MM <title…> [--zoom URL] "
                "[--remind 7d,1d,1h] [--every 4w|monthly|first-thursday|RRULE "
                "--until YYYY-MM-DD | --count N]",
                da="/klynge meeting add ÅÅÅÅ-MM-DD TT.MM <titel…> [--zoom URL] "
                "[--remind 7d,1d,1t] [--every 4w|monthly|første-torsdag|RRULE "
                "--until ÅÅÅÅ-MM-DD | --count N]",
            ),
            summary=Text(
                en="plan a meeting (or a repeating series) with reminders",
                da="planlæg et møde (eller en serie) med påmindelser",
            ),
            coordinator_only=True,
            flags=ADD_FLAGS,
        )
    )
    commands.add(
        Subcommand(
            words=("meeting", "list"),
            run=meeting_list,
            usage=Text(en="/klynge meeting list", da="/klynge meeting list"),
            summary=Text(en="upcoming meetings with their numbers", da="kommende møder med numre"),
            aliases=(("meetings",),),
        )
    )
    commands.add(
        Subcommand(
            words=("meeting", "show"),
            run=meeting_show,
            usage=Text(en="/klynge meeting show <number>", da="/klynge meeting show <nummer>"),
            summary=Text(en="everything about one meeting", da="alt om et møde"),
        )
    )
    commands.add(
        Subcommand(
            words=("meeting", "set"),
            run=meeting_set,
            usage=Text(
                en="/klynge meeting set <number> topic|agenda|prep <text…>",
                da="/klynge meeting set <nummer> topic|agenda|prep <tekst…>",
            ),
            summary=Text(
                en="set a meeting's topic, agenda or preparation note (`-` clears)",
                da="sæt et mødes emne, dagsorden eller forberedelse (`-` rydder)",
            ),
            coordinator_only=True,
        )
    )
    commands.add(
        Subcommand(
            words=("meeting", "move"),
            run=meeting_move,
            usage=Text(
                en="/klynge meeting move <number> YYYY-MM-DD HH:MM",
                da="/klynge meeting move <nummer> ÅÅÅÅ-MM-DD TT.MM",
            ),
            summary=Text(en="move one meeting", da="flyt et møde"),
            coordinator_only=True,
        )
    )
    commands.add(
        Subcommand(
            words=("meeting", "cancel"),
            run=meeting_cancel,
            usage=Text(en="/klynge meeting cancel <number>", da="/klynge meeting cancel <nummer>"),
            summary=Text(en="cancel one meeting", da="aflys et møde"),
            coordinator_only=True,
        )
    )
    commands.add(
        Subcommand(
            words=("meeting", "ics"),
            run=meeting_ics,
            usage=Text(en="/klynge meeting ics <number>", da="/klynge meeting ics <nummer>"),
            summary=Text(
                en="get a meeting's calendar file (.ics) in a direct message",
                da="få et mødes kalenderfil (.ics) i en direkte besked",
            ),
        )
    )
    commands.add(
        Subcommand(
            words=("remind", "defaults"),
            run=remind_defaults,
            usage=Text(
                en="/klynge remind defaults 7d,1d,1h", da="/klynge remind defaults 7d,1d,1t"
            ),
            summary=Text(
                en="the cluster's default reminder times (`none` for none)",
                da="klyngens standardtider for påmindelser (`none` for ingen)",
            ),
            coordinator_only=True,
        )
    )
    commands.add(
        Subcommand(
            words=("start",),
            run=start_meeting,
            usage=Text(en="/klynge start [<number>]", da="/klynge start [<nummer>]"),
            summary=Text(
                en="start the current meeting: agenda and check-in",
                da="start det aktuelle møde: dagsorden og tjek ind",
            ),
            coordinator_only=True,
        )
    )
    commands.add(
        Subcommand(
            words=("end",),
            run=end_meeting,
            usage=Text(en="/klynge end", da="/klynge end"),
            summary=Text(
                en="end the meeting with the closing round",
                da="afslut mødet med den afsluttende runde",
            ),
            coordinator_only=True,
        )
    )
    app.action(ui.RSVP_YES_ACTION)(on_rsvp_yes)
    app.action(ui.RSVP_NO_ACTION)(on_rsvp_no)
    app.action(ui.CHECKIN_ACTION)(on_check_in)


def register_jobs(deps: Deps) -> None:
    async def reminder(job: Job) -> None:
        await send_reminder(deps, job)

    deps.scheduler.on(REMINDER_JOB, reminder)
