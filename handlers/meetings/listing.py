"""Looking at meetings: ``meeting list``, ``meeting show`` and ``meeting ics`` (the calendar
file in a direct message)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackClientError

from bot.blocks import FALLBACK_LIMIT, clip, fallback_text, fit, lines_within, section
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import request_origin, tell_privately
from bot.mrkdwn import escape
from handlers.meetings import blocks as ui
from handlers.meetings.calendar_files import upload_calendar
from handlers.meetings.clicks import clicked_or_gone
from handlers.meetings.common import (
    STATUS_NAMES,
    group_name,
    load_meeting,
    local_time,
    meeting_agenda,
    no_extra_words,
    parse_meeting_id,
    zone_of,
)
from handlers.meetings.reminders import describe_reminders, effective_reminders
from handlers.meetings.texts import (
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
    SHOW_HINT,
    SHOW_REMINDERS,
    SHOW_RSVP,
    SHOW_SERIES,
    SHOW_TITLE,
    SHOW_WHEN,
    SHOW_ZOOM,
)
from handlers.router import CommandContext
from storage import meetings as store
from storage.clusters import Cluster
from storage.meetings import Meeting

log = logging.getLogger(__name__)

LIST_LIMIT = 50


async def meeting_list(ctx: CommandContext) -> None:
    """Privately: running and upcoming meetings with numbers, facilitator and topic."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
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
    lines = [ctx.t(LIST_HEADER, zone=zone_of(ctx))]
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
    # Long titles and topics: as many lines as a message's text holds, the rest counted.
    kept = lines_within(lines, FALLBACK_LIMIT - 100)
    more = len(lines) - kept + max(0, len(upcoming) - LIST_LIMIT)
    lines = lines[:kept]
    if more:
        lines.append(ctx.t(LIST_MORE, count=more))
    await ctx.reply("\n".join(lines))


async def meeting_show(ctx: CommandContext) -> None:
    """Privately: everything about one meeting."""
    cluster = ctx.require_cluster()
    no_extra_words(ctx, 1)
    meeting_id = parse_meeting_id(next(iter(ctx.args.words), None), command=ctx.subcommand.names)
    meeting = await load_meeting(ctx, meeting_id)
    tz = ctx.timezone
    async with ctx.deps.db.session() as session:
        attending, absent = await store.rsvp_counts(session, meeting_id=meeting_id)
        group = await group_name(session, meeting)
        agenda = await meeting_agenda(session, cluster, meeting)
    head = [
        ctx.t(
            SHOW_TITLE,
            id=meeting.id,
            title=escape(meeting.title),
            status=ctx.t(STATUS_NAMES[meeting.status]),
        ),
        ctx.t(
            SHOW_WHEN,
            when=local_time(meeting.starts_at, tz, ctx.language),
            zone=zone_of(ctx),
            minutes=meeting.duration_minutes,
        ),
    ]
    if meeting.zoom_url:
        head.append(ctx.t(SHOW_ZOOM, url=meeting.zoom_url))
    reminders = describe_reminders(effective_reminders(meeting, cluster), ctx.language)
    tail = [
        ctx.t(SHOW_REMINDERS, reminders=reminders),
        ctx.t(SHOW_RSVP, attending=attending, absent=absent),
    ]
    if meeting.series_id is not None:
        tail.append(ctx.t(SHOW_SERIES, id=meeting.series_id))
    tail.append(ctx.t(SHOW_HINT, id=meeting.id))
    # The agenda and the preparation note (2,900 characters each) in sections of their own.
    details = ui.detail_sections(
        meeting, ctx.language, intro="\n".join(head), group=group, agenda=agenda
    )
    lines = [*head, *ui.detail_lines(meeting, ctx.language, group=group, agenda=agenda), *tail]
    blocks = fit([*details, section("\n".join(tail))])
    await ctx.reply(fallback_text(lines), blocks=blocks)


async def meeting_ics(ctx: CommandContext) -> None:
    """Send the meeting's calendar file to whoever asked, in a direct message."""
    cluster = ctx.require_cluster()
    no_extra_words(ctx, 1)
    meeting_id = parse_meeting_id(next(iter(ctx.args.words), None), command=ctx.subcommand.names)
    meeting = await load_meeting(ctx, meeting_id)
    if not await _send_calendar(ctx.deps, cluster, meeting, ctx.user_id):
        raise UserError(ICS_FAILED)
    await ctx.reply(ctx.t(ICS_SENT, id=meeting.id, title=escape(meeting.title)))


async def on_calendar(
    ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    """The "Add to calendar" button on a reminder: the calendar file, in a direct message."""
    await ack()
    deps = deps_of(context)
    found = await clicked_or_gone(deps, body)
    if found is None:
        return
    cluster, meeting = found
    _, _, user = request_origin(body)
    sent = await _send_calendar(deps, cluster, meeting, str(user))
    answer = ICS_SENT.bind(id=meeting.id, title=escape(meeting.title)) if sent else ICS_FAILED
    await tell_privately(deps, body, answer.render(cluster.language))


async def _send_calendar(deps: Deps, cluster: Cluster, meeting: Meeting, user: str) -> bool:
    tz = ZoneInfo(cluster.timezone)
    comment = ICS_COMMENT.render(
        cluster.language,
        title=escape(meeting.title),
        when=ui.when_text(meeting.starts_at, tz, cluster.language, home=deps.settings.timezone),
    )
    try:
        opened = await deps.client.conversations_open(users=user)
        channel = str(opened["channel"]["id"])
        await upload_calendar(
            deps, channel=channel, cluster=cluster, meetings=[meeting], comment=comment
        )
    except (SlackClientError, OSError, TimeoutError) as error:
        log.warning("could not send a calendar file: %s", error)
        return False
    return True
