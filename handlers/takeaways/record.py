"""``/klynge decision [text]`` and ``/klynge instruction [text]``: the closing round's other two
answers as commands. A decision (or agreement) goes into the meeting's decision minutes; an
instruction for the clinic staff goes into the minutes and is followed up like a take-home.

Both belong to a meeting: the running one, or the one that ended in the last 12 hours. Anyone
in the cluster may write them (the note-taker writes the cluster's decisions this way); each
author can edit or delete theirs like a take-home (``/klynge takeaway list``).
"""

from __future__ import annotations

from bot.errors import UserError
from bot.i18n import Text
from handlers.router import CommandContext
from handlers.takeaways.capture import confirmation_blocks, save
from handlers.takeaways.texts import DECISION_USAGE, INSTRUCTION_USAGE, NO_MEETING_TO_RECORD
from storage import takeaways as store


async def decision_command(ctx: CommandContext) -> None:
    """``/klynge decision [text]``: a decision or agreement of the current meeting."""
    await _record(ctx, kind=store.KIND_DECISION, prompt=store.PROMPT_DECISION, usage=DECISION_USAGE)


async def instruction_command(ctx: CommandContext) -> None:
    """``/klynge instruction [text]``: the caller's instruction for their clinic staff."""
    await _record(
        ctx, kind=store.KIND_INSTRUCTION, prompt=store.PROMPT_INSTRUCTION, usage=INSTRUCTION_USAGE
    )


async def _record(ctx: CommandContext, *, kind: str, prompt: str, usage: Text) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    text = ctx.free_text
    if not text:
        raise UserError(usage)
    async with ctx.deps.db.session() as session:
        where = await store.placement(
            session, cluster_id=cluster.id, author_id=ctx.user_id, now=ctx.deps.clock()
        )
    if where.meeting_id is None:
        raise UserError(NO_MEETING_TO_RECORD)
    saved = await save(
        ctx.deps,
        cluster,
        author_id=ctx.user_id,
        text=text,
        source=store.FROM_COMMAND,
        kind=kind,
        prompt=prompt,
        meeting_id=where.meeting_id,
    )
    assert saved is not None  # typed texts have no message to collide on
    fallback, blocks = await confirmation_blocks(ctx.deps, cluster, saved)
    await ctx.reply(fallback, blocks=blocks)
