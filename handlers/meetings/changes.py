"""Changing meetings: ``meeting cancel`` and ``move`` (``set`` is in ``editing``), and the
cluster's default reminders (``remind defaults``)."""

from __future__ import annotations

from bot.errors import UserError
from bot.mrkdwn import escape
from bot.when import parse_start
from handlers.meetings.common import (
    closed_days_note,
    local_time,
    meeting_minutes,
    no_extra_words,
    not_planned,
    parse_meeting_id,
    read_as,
    run_hooks,
    with_form,
    zone_of,
)
from handlers.meetings.reminders import (
    DEFAULT_REMINDERS,
    describe_reminders,
    parse_reminders,
    plan_reminders,
    reminder_prefix,
)
from handlers.meetings.texts import (
    ACTION_CANCELLED,
    ACTION_MOVED,
    CANCELLED_ANNOUNCE,
    CANCELLED_CONFIRM,
    DEFAULTS_SET,
    DEFAULTS_SHOWN,
    MOVE_CLASH,
    MOVE_NEEDS,
    MOVED_ANNOUNCE,
    MOVED_CONFIRM,
    NO_SUCH_MEETING,
    SAME_TIME,
)
from handlers.router import CommandContext
from storage import jobs
from storage import meetings as store
from storage.clusters import get_cluster_by_id


async def meeting_cancel(ctx: CommandContext) -> None:
    """Cancel one meeting: remove its reminders and tell the channel."""
    cluster = ctx.require_cluster()
    no_extra_words(ctx, 1)
    meeting_id = parse_meeting_id(next(iter(ctx.args.words), None), command=ctx.subcommand.names)
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
            zone=zone_of(ctx),
            by=f"<@{ctx.user_id}>",
        )
    )
    await ctx.reply(ctx.t(CANCELLED_CONFIRM, id=meeting_id, count=removed))
    await run_hooks(ctx.deps, ctx.deps.hooks.meeting_changed, cluster, meeting)


async def meeting_move(ctx: CommandContext) -> None:
    """Move one meeting to a new date and time; its reminders move with it."""
    cluster = ctx.require_cluster()
    words = ctx.args.words
    if len(words) < 2:
        raise with_form(ctx, UserError(MOVE_NEEDS))
    meeting_id = parse_meeting_id(words[0], command=ctx.subcommand.names)
    tz = ctx.timezone
    now = ctx.deps.clock()
    try:
        start = parse_start(words[1:], tz=tz, now=now)
    except UserError as error:
        raise with_form(ctx, error) from None
    no_extra_words(ctx, len(words) - len(start.rest))
    new_start = start.at
    async with ctx.deps.db.session() as session:
        meeting = await store.get_meeting(
            session, cluster_id=cluster.id or 0, meeting_id=meeting_id
        )
        if meeting is None:
            raise UserError(NO_SUCH_MEETING, id=meeting_id)
        if meeting.status != store.PLANNED:
            raise not_planned(ctx, meeting, ACTION_MOVED)
        old_start = meeting.starts_at
        minutes = meeting_minutes(start, None) or meeting.duration_minutes
        if old_start == new_start and minutes == meeting.duration_minutes:
            raise UserError(SAME_TIME, id=meeting_id, when=local_time(new_start, tz, ctx.language))
        # Like `meeting add`: two meetings never start at once (the same start is refused).
        clashes = await store.meetings_starting_at(
            session, cluster_id=cluster.id or 0, starts=[new_start]
        )
        if other := next((m for m in clashes if m.id != meeting_id), None):
            raise UserError(
                MOVE_CLASH,
                when=local_time(new_start, tz, ctx.language),
                zone=zone_of(ctx),
                other=other.id,
                title=escape(other.title),
                id=meeting_id,
            )
        meeting.starts_at = new_start
        meeting.duration_minutes = minutes
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
            zone=zone_of(ctx),
            by=f"<@{ctx.user_id}>",
        )
    )
    await ctx.reply(
        ctx.t(
            MOVED_CONFIRM,
            id=meeting_id,
            when=local_time(new_start, tz, ctx.language),
            zone=zone_of(ctx),
        )
        + closed_days_note([meeting], tz, ctx.language)
        + read_as(ctx, start)
    )
    await run_hooks(ctx.deps, ctx.deps.hooks.meeting_changed, cluster, meeting)


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
