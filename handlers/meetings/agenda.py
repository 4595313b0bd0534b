"""``/klynge agenda default``: the agenda every meeting follows when it has none of its own."""

from __future__ import annotations

from bot.errors import UserError
from bot.mrkdwn import escape
from bot.privacy import refuse_cpr
from handlers.meetings.fields import unquote
from handlers.meetings.shape import AGENDA_LIMIT, default_agenda, written_agenda
from handlers.meetings.texts import (
    AGENDA_DEFAULT_BUILT_IN,
    AGENDA_DEFAULT_OWN,
    AGENDA_DEFAULT_RESTORED,
    AGENDA_DEFAULT_SET,
    AGENDA_DEFAULT_SHOWN,
    AGENDA_DEFAULT_TOO_LONG,
)
from handlers.router import CommandContext
from storage import shape

RESTORE = "-"


async def agenda_default(ctx: CommandContext) -> None:
    """Show the cluster's default agenda, set its own (line breaks kept), or with ``-`` go back
    to the built-in one."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    text = unquote(ctx.free_text.strip())
    if not text:
        async with ctx.deps.db.session() as session:
            own = await shape.default_agenda(session, cluster_id=cluster.id)
        whose = AGENDA_DEFAULT_OWN if own else AGENDA_DEFAULT_BUILT_IN
        shown = escape(default_agenda(own, ctx.language))
        await ctx.reply(ctx.t(AGENDA_DEFAULT_SHOWN, whose=ctx.t(whose), agenda=shown))
        return
    agenda = None if text == RESTORE else written_agenda(text)
    if agenda is not None and len(agenda) > AGENDA_LIMIT:
        raise UserError(AGENDA_DEFAULT_TOO_LONG, length=len(agenda), limit=AGENDA_LIMIT)
    refuse_cpr(agenda)
    async with ctx.deps.db.session() as session:
        await shape.set_default_agenda(
            session, cluster_id=cluster.id, text=agenda, by=ctx.user_id, now=ctx.deps.clock()
        )
    confirmation = AGENDA_DEFAULT_RESTORED if agenda is None else AGENDA_DEFAULT_SET
    await ctx.reply(ctx.t(confirmation, agenda=escape(default_agenda(agenda, ctx.language))))
