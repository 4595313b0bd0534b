"""``meeting set``: change anything a coordinator planned — title, Zoom link, topic, agenda,
preparation note, length, reminders — for one meeting or (``--series``) the rest of its series.

Reminders are planned again when they change, the calendar entry's SEQUENCE moves on when
something in it changes, the Home tabs follow, and RSVPs and the rotation (which goes by when
meetings are; ``meeting move`` changes that) stay as they are. What members have in their
calendars (title, Zoom link, length) is announced in the channel.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.errors import UserError
from bot.i18n import format_duration, format_time
from bot.mrkdwn import escape
from handlers.meetings.common import (
    local_time,
    not_planned,
    parse_meeting_id,
)
from handlers.meetings.fields import (
    FIELD_WORDS,
    LENGTH,
    REMINDERS,
    TITLE,
    ZOOM,
    Field,
    parse_value,
    split_series_flag,
    unquote,
)
from handlers.meetings.reminders import describe_reminders, effective_reminders, plan_reminders
from handlers.meetings.texts import (
    ACTION_CHANGED,
    ANNOUNCE_SERIES_TOO,
    CALENDAR_UPDATED,
    LENGTH_ANNOUNCE,
    NO_SUCH_MEETING,
    NOT_A_SERIES,
    RENAMED_ANNOUNCE,
    SET_CLEARED,
    SET_DONE,
    SET_NEEDS,
    SET_SERIES,
    SET_UNCHANGED,
    ZOOM_ANNOUNCE,
    ZOOM_REMOVED_ANNOUNCE,
)
from handlers.router import CommandContext
from storage import meetings as store
from storage.clusters import Cluster
from storage.meetings import Meeting

log = logging.getLogger(__name__)


def _value_text(ctx: CommandContext) -> tuple[str, bool]:
    """The value after ``meeting set <id> <field>`` (line breaks kept, for agendas), and
    whether ``--series`` was given."""
    text, series = split_series_flag(ctx.text_after(ctx.command_words + 2))
    return unquote(text), series


async def meeting_set(ctx: CommandContext) -> None:
    """Set (or clear with ``-``) one thing about a meeting, or about the rest of its series."""
    cluster = ctx.require_cluster()
    words = ctx.args.words
    if len(words) < 2 or words[1].lower() not in FIELD_WORDS:
        raise UserError(SET_NEEDS)
    meeting_id = parse_meeting_id(words[0], command=ctx.subcommand.names)
    field = FIELD_WORDS[words[1].lower()]
    text, series = _value_text(ctx)
    if not text:
        raise UserError(SET_NEEDS)
    value = parse_value(field, text)
    async with ctx.deps.db.session() as session:
        meeting = await store.get_meeting(
            session, cluster_id=cluster.id or 0, meeting_id=meeting_id
        )
        if meeting is None:
            raise UserError(NO_SUCH_MEETING, id=meeting_id)
        if meeting.status == store.CANCELLED:
            raise not_planned(ctx, meeting, ACTION_CHANGED)
        if series and meeting.series_id is None:
            raise UserError(NOT_A_SERIES, id=meeting_id)
        targets = await store.rest_of_series(session, meeting=meeting) if series else [meeting]
        changed = [m for m in targets if getattr(m, field.attribute) != value]
        if not changed:
            name = field.name.bind()
            raise UserError(SET_UNCHANGED, id=meeting_id, title=escape(meeting.title), field=name)
        old_title = meeting.title
        for target in changed:
            setattr(target, field.attribute, value)
            target.revision += 1 if field.in_calendar else 0
            session.add(target)
            if field is REMINDERS:
                await plan_reminders(session, meeting=target, cluster=cluster, now=ctx.deps.clock())
    if field is REMINDERS:
        ctx.deps.scheduler.wake()
    await ctx.reply(_confirmation(ctx, cluster, meeting, field, len(changed)))
    if field.announced and meeting.status != store.ENDED:
        await _announce(ctx, meeting, field, old_title=old_title, later=len(changed) - 1)
    # The rotation goes by when meetings are, which ``set`` never changes; the Home tabs
    # show the rest.
    await ctx.deps.hooks.changed(ctx.deps, cluster)


def _confirmation(
    ctx: CommandContext, cluster: Cluster, meeting: Meeting, field: Field, count: int
) -> str:
    title = escape(meeting.title)
    name = ctx.t(field.name)
    value = getattr(meeting, field.attribute)
    if field is REMINDERS:
        shown = describe_reminders(effective_reminders(meeting, cluster), ctx.language)
    elif field is LENGTH:
        shown = format_duration(timedelta(minutes=meeting.duration_minutes), ctx.language)
    elif value is None:
        shown = ""
    else:
        shown = escape(str(value))
    if shown:
        text = ctx.t(SET_DONE, id=meeting.id, title=title, field=name, value=shown)
    else:
        text = ctx.t(SET_CLEARED, id=meeting.id, title=title, field=name)
    if count > 1:
        text += ctx.t(SET_SERIES, count=count, id=meeting.id)
    return text


async def _announce(
    ctx: CommandContext, meeting: Meeting, field: Field, *, old_title: str, later: int
) -> None:
    """Tell the channel about a change to what members have in their calendars."""
    tz = ctx.timezone
    when = local_time(meeting.starts_at, tz, ctx.language)
    common = {"title": escape(meeting.title), "when": when, "zone": tz.key}
    by = f"<@{ctx.user_id}>"
    if field is TITLE:
        text = ctx.t(RENAMED_ANNOUNCE, old=escape(old_title), by=by, **common)
    elif field is ZOOM and meeting.zoom_url:
        text = ctx.t(ZOOM_ANNOUNCE, url=escape(meeting.zoom_url), by=by, **common)
    elif field is ZOOM:
        text = ctx.t(ZOOM_REMOVED_ANNOUNCE, by=by, **common)
    else:
        end = meeting.starts_at + timedelta(minutes=meeting.duration_minutes)
        end_text = format_time(end.astimezone(tz), ctx.language)
        minutes = meeting.duration_minutes
        text = ctx.t(LENGTH_ANNOUNCE, minutes=minutes, end=end_text, by=by, **common)
    if later:
        text += ctx.t(ANNOUNCE_SERIES_TOO, count=later)
    text += ctx.t(CALENDAR_UPDATED, id=meeting.id)
    try:
        await ctx.announce(text)
    except UserError:  # not in the channel: the change is made and confirmed privately
        log.warning("could not announce the change of meeting %s", meeting.id)
