"""``/klynge attendance [meeting id]`` and ``/klynge attendance year`` (``fremmøde``,
``fremmøde år``): the attendance registers as CSV files in the coordinator's direct messages,
and the member's own attendance on the Home tab (the ``home_blocks`` hook).

Every member of the channel has a row (and anyone who checked in and has left since); names
come from Slack (``bot.names``), clinics from ``/klynge clinic``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackClientError

from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import format_datetime
from bot.members import current_members
from bot.mrkdwn import escape
from bot.names import display_names
from bot.numbers import is_number
from handlers.attendance import sheets
from handlers.attendance.texts import (
    ATTENDANCE_FORM,
    MEETING_COMMENT,
    MEETING_FILE_TITLE,
    NO_MEETING_YET,
    NO_MEETINGS_IN_YEAR,
    NO_SUCH_MEETING,
    NOT_HELD,
    NOT_SENT,
    SENT,
    YEAR_COMMENT,
    YEAR_FILE_TITLE,
)
from handlers.router import CommandContext
from storage import attendance as store
from storage.breakouts import clinics
from storage.clusters import Cluster
from storage.meetings import (
    Meeting,
    checked_in_ids,
    get_meeting,
    latest_ended_meeting,
    running_meeting,
)

log = logging.getLogger(__name__)

YEAR = timedelta(days=365)
MAX_ID = 999_999_999


async def _chosen_meeting(ctx: CommandContext, cluster: Cluster) -> Meeting:
    """The meeting named by number, else the running or the latest ended one."""
    assert cluster.id is not None
    words = ctx.args.words
    number = words[0].lstrip("#") if len(words) == 1 else ""
    if words and (not is_number(number, digits=10) or int(number) > MAX_ID):
        raise UserError(ATTENDANCE_FORM, value=escape(" ".join(words)[:40]))
    async with ctx.deps.db.session() as session:
        if number:
            meeting = await get_meeting(session, cluster_id=cluster.id, meeting_id=int(number))
            if meeting is None:
                raise UserError(NO_SUCH_MEETING, id=int(number))
        else:
            meeting = await running_meeting(
                session, cluster_id=cluster.id
            ) or await latest_ended_meeting(session, cluster_id=cluster.id)
            if meeting is None:
                raise UserError(NO_MEETING_YET)
    if meeting.status not in store.HELD:
        raise UserError(NOT_HELD, id=meeting.id, title=escape(meeting.title))
    return meeting


async def _persons(deps: Deps, cluster: Cluster, also: Iterable[str]) -> list[sheets.Person]:
    """A row for every member of the channel and for each of ``also``."""
    assert cluster.id is not None
    everyone = set(await current_members(deps, cluster)) | set(also)
    async with deps.db.session() as session:
        found = await clinics(session, cluster_id=cluster.id)
    names = await display_names(deps, everyone)
    return sheets.people(everyone, names=names, clinics=found)


async def _send(
    ctx: CommandContext, *, content: bytes, filename: str, title: str, comment: str
) -> None:
    """Upload the file to the caller's direct messages and tell them where it went."""
    try:
        opened = await ctx.deps.client.conversations_open(users=ctx.user_id)
        await ctx.deps.client.files_upload_v2(
            channel=str(opened["channel"]["id"]),
            content=content,
            filename=filename,
            title=title[:250],
            initial_comment=comment,
        )
    except (SlackClientError, OSError, TimeoutError) as error:
        log.warning("could not send an attendance register: %s", error)
        raise UserError(NOT_SENT) from error
    await ctx.reply(ctx.t(SENT, filename=filename))


def _file_name(language: str, *parts: object) -> str:
    stem = "fremmoede" if language == "da" else "attendance"
    return "-".join(str(part) for part in (stem, *parts)) + ".csv"


async def attendance_command(ctx: CommandContext) -> None:
    """``/klynge attendance [meeting id]``: who checked in, for every member, as a CSV file."""
    cluster = ctx.require_cluster()
    meeting = await _chosen_meeting(ctx, cluster)
    assert meeting.id is not None
    async with ctx.deps.db.session() as session:
        checked = set(await checked_in_ids(session, meeting_id=meeting.id))
    persons = await _persons(ctx.deps, cluster, checked)
    started = (meeting.started_at or meeting.starts_at).astimezone(ZoneInfo(cluster.timezone))
    content = sheets.meeting_register(persons, checked, ctx.language)
    comment = ctx.t(
        MEETING_COMMENT,
        title=escape(meeting.title),
        date=format_datetime(started, ctx.language),
        cluster=escape(cluster.name),
        count=len(checked),
        members=len(persons),
    )
    await _send(
        ctx,
        content=content,
        filename=_file_name(ctx.language, started.date().isoformat(), meeting.id),
        title=ctx.t(MEETING_FILE_TITLE, title=meeting.title),
        comment=comment,
    )


async def held_in(
    deps: Deps, cluster: Cluster, since: datetime, until: datetime | None = None
) -> list[Meeting]:
    """The cluster's meetings held from ``since`` (and before ``until``), oldest first."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        return list(
            await store.meetings_held(session, cluster_id=cluster.id, since=since, until=until)
        )


async def attendance_year_command(ctx: CommandContext) -> None:
    """``/klynge attendance year``: one row per member, one column per meeting of the last
    12 months, as a CSV file."""
    cluster = ctx.require_cluster()
    if ctx.args.words:
        raise UserError(ATTENDANCE_FORM, value=escape(" ".join(ctx.args.words)[:40]))
    now = ctx.deps.clock()
    meetings = await held_in(ctx.deps, cluster, now - YEAR)
    if not meetings:
        raise UserError(NO_MEETINGS_IN_YEAR)
    ids = [meeting.id for meeting in meetings if meeting.id is not None]
    async with ctx.deps.db.session() as session:
        check_ins = await store.check_ins(session, meeting_ids=ids)
    persons = await _persons(ctx.deps, cluster, set().union(*check_ins.values()))
    zone = ZoneInfo(cluster.timezone)
    columns = [
        sheets.Held(
            meeting_id=meeting.id or 0,
            day=(meeting.started_at or meeting.starts_at).astimezone(zone).date(),
            title=meeting.title,
        )
        for meeting in meetings
    ]
    await _send(
        ctx,
        content=sheets.year_register(persons, columns, check_ins, ctx.language),
        filename=_file_name(ctx.language, now.astimezone(zone).date().isoformat(), "12m"),
        title=ctx.t(YEAR_FILE_TITLE),
        comment=ctx.t(YEAR_COMMENT, cluster=escape(cluster.name), count=len(meetings)),
    )


async def home_section(
    deps: Deps, cluster: Cluster, user_id: str, is_coordinator: bool
) -> list[dict[str, Any]]:
    """Hook: the member's own attendance over the last 12 months, on their Home tab."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        attended, held = await store.attendance_of(
            session, cluster_id=cluster.id, user_id=user_id, since=deps.clock() - YEAR
        )
    return sheets.home_attendance(attended, held, cluster.language)
