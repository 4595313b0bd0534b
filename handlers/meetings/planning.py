"""Planning meetings: ``meeting add``, one-off or repeating, with reminders, the confirmation,
and the channel's announcement with the calendar file."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackClientError

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import format_duration
from bot.mrkdwn import escape
from bot.outbox import post_once, sent, still_waiting
from bot.privacy import refuse_cpr
from bot.recurrence import parse_count, parse_recurrence
from bot.when import Start, in_words, parse_date, parse_start, reminder_time
from handlers.meetings.blocks import zone_note
from handlers.meetings.calendar_files import upload_calendar
from handlers.meetings.common import (
    closed_days_note,
    local_time,
    meeting_minutes,
    parse_zoom_url,
    read_as,
    run_hooks,
    with_form,
    zone_of,
)
from handlers.meetings.reminders import (
    describe_reminders,
    effective_reminders,
    offsets_of,
    parse_reminders,
    plan_reminders,
)
from handlers.meetings.texts import (
    ADD_NEEDS_DATE_TIME_TITLE,
    ADD_NEEDS_TITLE,
    ADDED_ONE,
    ADDED_SERIES,
    ALREADY_PLANNED_AT,
    ANNOUNCE_LATER,
    ANNOUNCE_ONE,
    ANNOUNCE_SERIES,
    END_WITHOUT_EVERY,
    MORE_CLASHES,
    MORE_LINES,
    NO_CALENDAR_FILE,
    REMINDERS_PAST,
    SERIES_LINE,
    TITLE_TOO_LONG,
    ZOOM_SET,
)
from handlers.router import CommandContext
from storage import jobs
from storage import meetings as store
from storage.clusters import Cluster, get_cluster_by_id
from storage.meetings import Meeting

log = logging.getLogger(__name__)

MAX_TITLE = 200
ANNOUNCE_JOB = "meeting_announce"


async def meeting_add(ctx: CommandContext) -> None:
    """Plan a meeting (or a series), schedule its reminders, confirm, share the calendar file."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    try:
        plan = _parse_add(ctx)
    except UserError as error:
        raise with_form(ctx, error) from None
    now = ctx.deps.clock()
    async with ctx.deps.db.session() as session:
        clashes = await store.meetings_starting_at(
            session, cluster_id=cluster.id, starts=plan.starts
        )
        if clashes:
            raise _already_planned(ctx, clashes)
        meetings = await store.add_meetings(
            session,
            cluster_id=cluster.id,
            title=plan.title,
            starts=plan.starts,
            created_by=ctx.user_id,
            zoom_url=plan.zoom,
            reminders=plan.reminders,
            duration_minutes=plan.minutes,
        )
        for meeting in meetings:
            await plan_reminders(session, meeting=meeting, cluster=cluster, now=now)
        # The channel's announcement: an outcome job, written with the meetings (bot.outbox).
        key = f"{ANNOUNCE_JOB}:{meetings[0].id}"
        ids = [meeting.id for meeting in meetings]
        await jobs.schedule(
            session, kind=ANNOUNCE_JOB, key=key, due_at=now, payload={"meeting_ids": ids}
        )
    ctx.deps.scheduler.wake()
    note = closed_days_note(meetings, ctx.timezone, ctx.language)
    await ctx.reply(_added_text(ctx, meetings, cluster) + read_as(ctx, plan.read) + note)
    for meeting in meetings:
        await run_hooks(ctx.deps, ctx.deps.hooks.meeting_planned, cluster, meeting)
    await ctx.deps.scheduler.run_now(key)
    later = await still_waiting(ctx.deps, key, ctx.language, ANNOUNCE_LATER, id=meetings[0].id)
    if later is not None:
        await ctx.reply(later)


def _already_planned(ctx: CommandContext, clashes: Sequence[Meeting]) -> UserError:
    first = clashes[0]
    return UserError(
        ALREADY_PLANNED_AT,
        when=local_time(first.starts_at, ctx.timezone, ctx.language),
        zone=zone_of(ctx),
        id=first.id,
        title=escape(first.title),
        more=MORE_CLASHES.bind(count=len(clashes)) if len(clashes) > 1 else "",
    )


@dataclass(frozen=True)
class _Plan:
    """A ``meeting add`` as read: when (every start), what, and how."""

    starts: list[datetime]
    title: str
    zoom: str | None
    reminders: str | None
    minutes: int | None
    read: Start


def _parse_add(ctx: CommandContext) -> _Plan:
    words = ctx.args.words
    if not words:
        raise UserError(ADD_NEEDS_DATE_TIME_TITLE)
    tz = ctx.timezone
    now = ctx.deps.clock()
    start = parse_start(words, tz=tz, now=now)
    title = " ".join(start.rest).strip()
    if not title:
        raise UserError(ADD_NEEDS_TITLE, when=in_words(start.at.astimezone(tz)))
    if len(title) > MAX_TITLE:
        raise UserError(TITLE_TOO_LONG, length=len(title), limit=MAX_TITLE)
    refuse_cpr(title)
    zoom_raw = ctx.args.value("zoom")
    zoom = parse_zoom_url(zoom_raw) if zoom_raw is not None else None
    remind_raw = ctx.args.value("remind")
    reminders = parse_reminders(remind_raw) if remind_raw is not None else None
    minutes = meeting_minutes(start, ctx.args.value("duration"))
    every = ctx.args.value("every")
    until_raw, count_raw = ctx.args.value("until"), ctx.args.value("count")
    if every is None:
        if until_raw is not None or count_raw is not None:
            raise UserError(END_WITHOUT_EVERY)
        return _Plan([start.at], title, zoom, reminders, minutes, start)
    today = now.astimezone(tz).date()
    until = parse_date(until_raw, today=today) if until_raw is not None else None
    count = parse_count(count_raw) if count_raw is not None else None
    starts = parse_recurrence(every, first_start_utc=start.at, tz=tz, until=until, count=count)
    return _Plan(starts, title, zoom, reminders, minutes, start)


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
            zone=zone_of(ctx),
            reminders=reminders,
            zoom=zoom,
        )
    shown = 30
    lines = [
        ctx.t(SERIES_LINE, id=m.id, when=local_time(m.starts_at, tz, ctx.language))
        for m in meetings[:shown]
    ]
    if len(meetings) > shown:
        lines.append(ctx.t(MORE_LINES, count=len(meetings) - shown))
    return ctx.t(
        ADDED_SERIES,
        count=len(meetings),
        title=escape(first.title),
        zone=zone_of(ctx),
        lines="\n".join(lines),
        reminders=reminders,
        zoom=zoom,
    )


async def announce_planned(deps: Deps, meeting_ids: Sequence[int]) -> None:
    """The ``meeting_announce`` job: tell the channel, with the calendar file attached (or
    without it if Slack refuses the file); raises while Slack takes neither, to be retried."""
    async with deps.db.session() as session:
        found = [await session.get(Meeting, meeting_id) for meeting_id in meeting_ids]
        meetings = [m for m in found if m is not None and m.status == store.PLANNED]
        cluster = await get_cluster_by_id(session, meetings[0].cluster_id) if meetings else None
    key = f"{ANNOUNCE_JOB}:{meeting_ids[0]}"
    if cluster is None or await sent(deps, key):
        return  # cancelled (or gone) before Slack took it; or announced without the file
    tz, language = ZoneInfo(cluster.timezone), cluster.language
    first, last = meetings[0], meetings[-1]
    title = escape(first.title)
    if len(meetings) == 1:
        when = local_time(first.starts_at, tz, language)
        comment = ANNOUNCE_ONE.render(
            language, title=title, when=when, zone=zone_note(tz, deps.settings.timezone)
        )
    else:
        comment = ANNOUNCE_SERIES.render(
            language,
            count=len(meetings),
            title=title,
            first=local_time(first.starts_at, tz, language),
            last=local_time(last.starts_at, tz, language),
            zone=zone_note(tz, deps.settings.timezone),
        )
    try:
        await upload_calendar(
            deps, channel=cluster.channel_id, cluster=cluster, meetings=meetings, comment=comment
        )
    except (SlackClientError, OSError, TimeoutError) as error:
        log.warning("could not share the calendar file: %s", error)
        await post_once(
            deps,
            key=key,
            channel=cluster.channel_id,
            text=f"{comment} {NO_CALENDAR_FILE.render(language, id=first.id)}",
        )
