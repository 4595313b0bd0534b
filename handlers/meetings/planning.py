"""Planning meetings: add (one-off or repeating), list, show, set, move, cancel, calendar
files, and the cluster's default reminders."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime

from slack_sdk.errors import SlackClientError

from bot.blocks import clip
from bot.errors import UserError
from bot.i18n import Text, format_duration
from bot.mrkdwn import escape
from bot.when import parse_count, parse_date, parse_meeting_start, parse_recurrence, reminder_time
from handlers.meetings import blocks as ui
from handlers.meetings.calendar_files import upload_calendar
from handlers.meetings.common import (
    STATUS_NAMES,
    group_name,
    local_time,
    not_planned,
    parse_meeting_id,
    parse_zoom_url,
    run_hooks,
    unslack,
    with_form,
)
from handlers.meetings.reminders import (
    DEFAULT_REMINDERS,
    describe_reminders,
    effective_reminders,
    offsets_of,
    parse_reminders,
    plan_reminders,
    reminder_prefix,
)
from handlers.meetings.texts import (
    ACTION_CANCELLED,
    ACTION_MOVED,
    ADD_NEEDS_DATE_TIME_TITLE,
    ADDED_ONE,
    ADDED_SERIES,
    ANNOUNCE_ONE,
    ANNOUNCE_SERIES,
    CANCELLED_ANNOUNCE,
    CANCELLED_CONFIRM,
    DEFAULTS_SET,
    DEFAULTS_SHOWN,
    END_WITHOUT_EVERY,
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
    MORE_LINES,
    MOVE_NEEDS,
    MOVED_ANNOUNCE,
    MOVED_CONFIRM,
    NO_CALENDAR_FILE,
    NO_SUCH_MEETING,
    REMINDERS_PAST,
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
    TITLE_TOO_LONG,
    TOO_MANY_WORDS,
    ZOOM_SET,
)
from handlers.router import CommandContext
from storage import jobs
from storage import meetings as store
from storage.clusters import Cluster, get_cluster_by_id
from storage.meetings import Meeting

log = logging.getLogger(__name__)

MAX_TITLE = 200
LIST_LIMIT = 50


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


async def _load_meeting(ctx: CommandContext, meeting_id: int) -> Meeting:
    cluster = ctx.require_cluster()
    async with ctx.deps.db.session() as session:
        meeting = await store.get_meeting(
            session, cluster_id=cluster.id or 0, meeting_id=meeting_id
        )
    if meeting is None:
        raise UserError(NO_SUCH_MEETING, id=meeting_id)
    return meeting


def _no_extra_words(ctx: CommandContext, expected: int) -> None:
    if len(ctx.args.words) > expected:
        extra = " ".join(ctx.args.words[expected:])
        raise with_form(ctx, UserError(TOO_MANY_WORDS, extra=escape(extra[:60])))


# --- meeting add --------------------------------------------------------------------------------


async def meeting_add(ctx: CommandContext) -> None:
    """Plan a meeting (or a series), schedule its reminders, confirm, share the calendar file."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    try:
        starts, title, zoom, reminders = _parse_add(ctx)
    except UserError as error:
        raise with_form(ctx, error) from None
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
        await run_hooks(ctx.deps, ctx.deps.hooks.meeting_planned, cluster, meeting)
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
            when=local_time(first.starts_at, tz, ctx.language),
            zone=tz.key,
            reminders=reminders,
            zoom=zoom,
        )
    shown = 30
    lines = [f"• #{m.id} — {local_time(m.starts_at, tz, ctx.language)}" for m in meetings[:shown]]
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
            when=local_time(first.starts_at, tz, ctx.language),
            zone=tz.key,
        )
    else:
        comment = ctx.t(
            ANNOUNCE_SERIES,
            count=len(meetings),
            title=escape(first.title),
            first=local_time(first.starts_at, tz, ctx.language),
            last=local_time(last.starts_at, tz, ctx.language),
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
        groups = {m.id: await group_name(session, m) for m in shown}
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
                when=local_time(meeting.starts_at, tz, ctx.language),
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
        group = await group_name(session, meeting)
    lines = [
        ctx.t(
            SHOW_TITLE,
            id=meeting.id,
            title=escape(meeting.title),
            status=ctx.t(STATUS_NAMES[meeting.status]),
        ),
        ctx.t(
            SHOW_WHEN,
            when=local_time(meeting.starts_at, tz, ctx.language),
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
        when=local_time(meeting.starts_at, tz, ctx.language),
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
            raise not_planned(ctx, meeting, ACTION_CANCELLED)
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
            when=local_time(meeting.starts_at, tz, ctx.language),
            zone=tz.key,
            by=f"<@{ctx.user_id}>",
        )
    )
    await ctx.reply(ctx.t(CANCELLED_CONFIRM, id=meeting_id, count=removed))
    await run_hooks(ctx.deps, ctx.deps.hooks.meeting_changed, cluster, meeting)


async def meeting_move(ctx: CommandContext) -> None:
    """Move one meeting to a new date and time; its reminders move with it."""
    cluster = ctx.require_cluster()
    words = ctx.args.words
    if len(words) < 3:
        raise with_form(ctx, UserError(MOVE_NEEDS))
    _no_extra_words(ctx, 3)
    meeting_id = parse_meeting_id(words[0], action="move")
    tz = ctx.timezone
    now = ctx.deps.clock()
    try:
        new_start = parse_meeting_start(words[1], words[2], tz=tz, now=now)
    except UserError as error:
        raise with_form(ctx, error) from None
    async with ctx.deps.db.session() as session:
        meeting = await store.get_meeting(
            session, cluster_id=cluster.id or 0, meeting_id=meeting_id
        )
        if meeting is None:
            raise UserError(NO_SUCH_MEETING, id=meeting_id)
        if meeting.status != store.PLANNED:
            raise not_planned(ctx, meeting, ACTION_MOVED)
        old_start = meeting.starts_at
        if old_start == new_start:
            raise UserError(SAME_TIME, id=meeting_id, when=local_time(new_start, tz, ctx.language))
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
            old=local_time(old_start, tz, ctx.language),
            new=local_time(new_start, tz, ctx.language),
            zone=tz.key,
            by=f"<@{ctx.user_id}>",
        )
    )
    await ctx.reply(
        ctx.t(
            MOVED_CONFIRM, id=meeting_id, when=local_time(new_start, tz, ctx.language), zone=tz.key
        )
    )
    await run_hooks(ctx.deps, ctx.deps.hooks.meeting_changed, cluster, meeting)


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
        raise with_form(ctx, error) from None
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
