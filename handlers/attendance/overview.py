"""``/klynge year [YYYY]`` (``år``): the year's meetings at a glance, privately: date, title,
topic, who ran them and how many checked in (the last 12 months, or a calendar year)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.i18n import format_date
from bot.numbers import is_number
from handlers.attendance import sheets
from handlers.attendance.registers import YEAR, held_in
from handlers.attendance.texts import YEAR_FORM
from handlers.router import CommandContext
from storage import attendance as store
from storage.breakouts import subclusters

FIRST_YEAR, LAST_YEAR = 2000, 2100


async def year_command(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    zone = ZoneInfo(cluster.timezone)
    words = ctx.args.words
    until: datetime | None = None
    if not words:
        since = ctx.deps.clock() - YEAR
        period = ctx.t(sheets.LAST_12_MONTHS)
    elif len(words) == 1 and is_number(words[0]) and len(words[0]) == 4:
        year = int(words[0])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise UserError(YEAR_FORM)
        since, until = datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
        period = str(year)
    else:
        raise UserError(YEAR_FORM)
    meetings = await held_in(ctx.deps, cluster, since, until)
    async with ctx.deps.db.session() as session:
        ids = [meeting.id for meeting in meetings if meeting.id is not None]
        check_ins = await store.check_ins(session, meeting_ids=ids)
        groups = {
            group.id: group.name for group in await subclusters(session, cluster_id=cluster.id)
        }
    rows = [
        sheets.Held(
            meeting_id=meeting.id or 0,
            day=(meeting.started_at or meeting.starts_at).astimezone(zone).date(),
            title=meeting.title,
            topic=meeting.topic,
            facilitator=sheets.facilitator_label(
                meeting.facilitator_id, groups.get(meeting.facilitator_subcluster_id or 0)
            ),
            checked_in=len(check_ins.get(meeting.id or 0, ())),
        )
        for meeting in meetings
    ]
    when = [
        format_date((m.started_at or m.starts_at).astimezone(zone), ctx.language) for m in meetings
    ]
    blocks = sheets.year_overview(
        cluster=cluster.name, period=period, meetings=rows, language=ctx.language, when=when
    )
    await ctx.reply(blocks[0]["text"]["text"], blocks=blocks)
