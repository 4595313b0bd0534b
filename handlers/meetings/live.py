"""The live meeting: ``start`` with the agenda and check-in, ``end`` with the closing round, and
the check-in button.

``/klynge start`` with no planned meeting near (from three hours before its start to its end)
first asks the coordinator to confirm (``unplanned``), since it posts to the whole channel; then
(or at once with ``--unplanned``) it starts an unplanned ("ad hoc") meeting, so check-ins,
breakouts and take-home messages work for meetings the bot was never told about.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import request_origin, tell_privately
from bot.i18n import format_datetime
from bot.mrkdwn import escape
from bot.outbox import mark_sent, post_once, sent, still_waiting
from bot.slack import click_time, is_slack_unavailable
from handlers.meetings import blocks as ui
from handlers.meetings.clicks import clicked_or_gone, refresh_count
from handlers.meetings.common import (
    STATUS_NAMES,
    extra_blocks,
    group_name,
    meeting_agenda,
    not_planned,
    parse_meeting_id,
    run_hooks,
)
from handlers.meetings.reminders import plan_reminders, reminder_prefix
from handlers.meetings.running_texts import (
    AD_HOC_TITLE,
    ALREADY_CHECKED_IN,
    ALREADY_RUNNING,
    CHECKED_IN,
    CHECKIN_CLOSED,
    END_WORDS,
    ENDED_CONFIRM,
    ENDED_POST_LATER,
    NOTHING_RUNNING,
    START_WORDS,
    STARTED_AD_HOC,
    STARTED_CONFIRM,
    STARTED_MEANWHILE,
)
from handlers.meetings.texts import ACTION_STARTED, NO_SUCH_MEETING
from handlers.meetings.unplanned import UNPLANNED_FLAG, ask_to_start_unplanned
from handlers.router import CommandContext
from storage import jobs
from storage import meetings as store
from storage.clusters import Cluster
from storage.meetings import Meeting

START_EARLY = timedelta(hours=3)  # `/klynge start` finds a meeting this long before it begins


# --- start and end ------------------------------------------------------------------------------


async def start_meeting(ctx: CommandContext) -> None:
    """Mark the current meeting running and post its agenda with the check-in button."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.args.words
    if len(words) > 1:
        raise UserError(START_WORDS)
    wanted = parse_meeting_id(words[0], command=ctx.subcommand.names) if words else None
    now = ctx.deps.clock()
    tz = ctx.timezone
    try:
        marked = await _mark_running(ctx, cluster, wanted, now)
    except IntegrityError:  # another coordinator started one a moment ago
        raise UserError(STARTED_MEANWHILE) from None
    if marked is None:  # nothing due: an unplanned meeting only when the coordinator confirms
        await ask_to_start_unplanned(ctx)
        return
    meeting, ad_hoc, group = marked
    ctx.deps.scheduler.wake()
    async with ctx.deps.db.session() as session:
        agenda = await meeting_agenda(session, cluster, meeting)
    sections = await extra_blocks(ctx.deps, ctx.deps.hooks.start_sections, cluster, meeting)
    extra = await extra_blocks(ctx.deps, ctx.deps.hooks.agenda_blocks, cluster, meeting)
    try:
        posted = await ctx.announce(
            ui.agenda_text(meeting, agenda, ctx.language),
            blocks=ui.agenda_blocks(
                meeting,
                tz,
                ctx.language,
                checked_in=0,
                agenda=agenda,
                group=group,
                sections=sections,
                extra=extra,
            ),
            queue=False,
        )
    except Exception as error:
        # Not in the channel, or Slack is down: without its agenda the meeting did not start.
        if isinstance(error, UserError) or is_slack_unavailable(error):
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
    await run_hooks(ctx.deps, ctx.deps.hooks.meeting_started, cluster, meeting)


async def _mark_running(
    ctx: CommandContext, cluster: Cluster, wanted: int | None, now: datetime
) -> tuple[Meeting, bool, str | None] | None:
    """Find (or make) the meeting to start and mark it running: (meeting, ad hoc?, group).

    None when no meeting is due and an unplanned one was not asked for (``--unplanned``)."""
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
                raise not_planned(ctx, meeting, ACTION_STARTED)
        else:
            meeting = await store.meeting_to_start(
                session, cluster_id=cluster.id, now=now, early=START_EARLY
            )
        if meeting is None and not ctx.args.switch(UNPLANNED_FLAG):
            return None
        if meeting is None:
            ad_hoc = True
            title = ctx.t(AD_HOC_TITLE, date=format_datetime(now.astimezone(tz), ctx.language))
            meeting = Meeting(
                cluster_id=cluster.id,
                title=title,
                starts_at=now,
                created_by=ctx.user_id,
                status=store.RUNNING,
                started_at=now,
            )
            session.add(meeting)
            await session.flush()
        elif not await store.start_planned(session, meeting=meeting, now=now):
            raise UserError(STARTED_MEANWHILE)  # another coordinator started it a moment ago
        assert meeting.id is not None
        # Reminders still pending (started early) would now only confuse.
        await jobs.cancel(session, prefix=reminder_prefix(meeting.id))
        group = await group_name(session, meeting)
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


CLOSING_JOB = "meeting_closing"


def closing_key(meeting_id: int) -> str:
    return f"{CLOSING_JOB}:{meeting_id}"


async def end_meeting(ctx: CommandContext) -> None:
    """Close the running meeting; the ``meeting_closing`` job, written with it and run at once,
    posts the closing-round questions and runs what follows (summary, minutes, follow-ups),
    retried until Slack takes the post."""
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
        key = closing_key(meeting.id)
        await jobs.schedule(
            session, kind=CLOSING_JOB, key=key, due_at=now, payload={"meeting_id": meeting.id}
        )
    ctx.deps.scheduler.wake()
    await ctx.deps.scheduler.run_now(key)
    values = {"id": meeting.id, "title": escape(meeting.title), "count": count}
    later = await still_waiting(ctx.deps, key, ctx.language, ENDED_POST_LATER, **values)
    await ctx.reply(later or ctx.t(ENDED_CONFIRM, **values))


async def post_closing(deps: Deps, meeting_id: int) -> None:
    """The ``meeting_closing`` job: the closing-round post (once), then the ``meeting_ended``
    hooks (once). Raises while Slack can't take the post, so the scheduler tries again."""
    async with deps.db.session() as session:
        found = await store.meeting_and_cluster(session, meeting_id=meeting_id)
        count = await store.checked_in_count(session, meeting_id=meeting_id)
    if found is None:
        return
    meeting, cluster = found
    # The same extras as the agenda post: e.g. the take-home button for the closing round.
    extra = await extra_blocks(deps, deps.hooks.agenda_blocks, cluster, meeting)
    await post_once(
        deps,
        key=closing_key(meeting_id),
        channel=cluster.channel_id,
        text=ui.closing_text(meeting, cluster.language),
        blocks=ui.closing_blocks(meeting, cluster.language, checked_in=count, extra=extra),
    )
    hooks_done = f"{closing_key(meeting_id)}:hooks"
    if not await sent(deps, hooks_done):
        await run_hooks(deps, deps.hooks.meeting_ended, cluster, meeting)
        await mark_sent(deps, hooks_done)


# --- the check-in button ------------------------------------------------------------------------


async def on_check_in(
    ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    await ack()
    deps = deps_of(context)
    found = await clicked_or_gone(deps, body)
    if found is None:
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
            session,
            meeting_id=meeting.id,
            user_id=str(user),
            now=deps.clock(),
            action_ts=click_time(body, fallback=deps.clock()),
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
