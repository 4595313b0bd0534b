"""``/klynge checkin add | list | remove``: the cluster's own check-in questions."""

from __future__ import annotations

from bot.blocks import lines_message
from bot.errors import UserError
from bot.mrkdwn import escape
from bot.numbers import is_number
from bot.privacy import refuse_cpr
from handlers.rituals.library import CHECKIN_QUESTIONS
from handlers.rituals.texts import (
    ADD_USAGE,
    LIST_BUILT_IN_TITLE,
    LIST_OWN_LINE,
    LIST_OWN_NONE,
    LIST_OWN_TITLE,
    NO_SUCH_QUESTION,
    QUESTION_ADDED,
    QUESTION_REMOVED,
    QUESTION_TOO_LONG,
    REMOVE_NOT_ALLOWED,
    REMOVE_USAGE,
)
from handlers.router import CommandContext
from storage import shape

QUESTION_LIMIT = 300


def _typed(ctx: CommandContext) -> str:
    """The question as typed, on one line."""
    return " ".join(ctx.free_text.split())


async def checkin_add(ctx: CommandContext) -> None:
    """Add a check-in question of the cluster's own; it comes before the built-in ones."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    question = _typed(ctx)
    if not question:
        raise UserError(ADD_USAGE)
    if len(question) > QUESTION_LIMIT:
        raise UserError(QUESTION_TOO_LONG, length=len(question), limit=QUESTION_LIMIT)
    refuse_cpr(question)
    async with ctx.deps.db.session() as session:
        added = await shape.add_question(
            session, cluster_id=cluster.id, text=question, by=ctx.user_id, now=ctx.deps.clock()
        )
    await ctx.reply(ctx.t(QUESTION_ADDED, id=added.id, question=escape(question)))


async def checkin_list(ctx: CommandContext) -> None:
    """Privately: the cluster's own check-in questions (numbered) and the built-in ones."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    async with ctx.deps.db.session() as session:
        own = await shape.own_questions(session, cluster_id=cluster.id)
    lines = [ctx.t(LIST_OWN_TITLE)]
    lines += [
        ctx.t(LIST_OWN_LINE, id=item.id, question=escape(item.text), who=f"<@{item.added_by}>")
        for item in own
    ] or [ctx.t(LIST_OWN_NONE)]
    lines.append(ctx.t(LIST_BUILT_IN_TITLE))
    lines += [f"• {text.render(ctx.language)}" for text in CHECKIN_QUESTIONS.values()]
    text, blocks = lines_message(lines)
    await ctx.reply(text, blocks=blocks)


async def checkin_remove(ctx: CommandContext) -> None:
    """Remove one of the cluster's own questions (whoever added it, or a coordinator)."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.args.words
    number = words[0].lstrip("#") if len(words) == 1 else ""
    if not is_number(number, digits=9):
        raise UserError(REMOVE_USAGE)
    question_id = int(number)
    async with ctx.deps.db.session() as session:
        found = await session.get(shape.CheckinQuestion, question_id)
        if found is None or found.cluster_id != cluster.id:
            raise UserError(NO_SUCH_QUESTION, id=question_id)
        if not ctx.is_coordinator and found.added_by != ctx.user_id:
            raise UserError(REMOVE_NOT_ALLOWED, id=question_id, who=f"<@{found.added_by}>")
        await shape.remove_question(session, cluster_id=cluster.id, question_id=question_id)
    await ctx.reply(ctx.t(QUESTION_REMOVED, id=question_id, question=escape(found.text)))
