"""A member's own take-home messages: ``/klynge takeaway list``, Edit and Undo/Delete."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.deps import deps_of
from bot.errors import UserError
from bot.feedback import tell_privately
from bot.privacy import CPR_REFUSED, has_cpr_number
from handlers.router import CommandContext
from handlers.takeaways import blocks as kit
from handlers.takeaways.capture import takeaway_command
from handlers.takeaways.common import (
    action_value,
    cluster_of_view,
    input_value,
    render,
    tell_ephemeral,
    view_metadata,
)
from handlers.takeaways.texts import (
    EDIT_EMPTY,
    EDITED,
    KIND_LABELS,
    LIST_EMPTY,
    LOOSE_LABEL,
    NOT_YOURS,
    REMOVED,
    TOO_LONG_TO_EDIT,
)
from storage import takeaways as store
from storage.clusters import get_cluster_by_id
from storage.meetings import Meeting

MAX_LISTED = 20


async def on_edit(ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any) -> None:
    """Edit button: open a modal with the author's text (authors only)."""
    await ack()
    deps = deps_of(context)
    user = str(body["user"]["id"])
    takeaway_id = action_value(body)
    async with deps.db.session() as session:
        takeaway = await store.get_takeaway(session, takeaway_id) if takeaway_id else None
        cluster = await get_cluster_by_id(session, takeaway.cluster_id) if takeaway else None
    if takeaway is None or cluster is None or takeaway.author_id != user:
        await tell_privately(deps, body, NOT_YOURS)
        return
    if len(takeaway.text) > kit.MODAL_TEXT_LIMIT:
        error = UserError(TOO_LONG_TO_EDIT, length=len(takeaway.text), limit=kit.MODAL_TEXT_LIMIT)
        await tell_privately(deps, body, error.render(cluster.language))
        return
    view = kit.edit_view(
        cluster.language,
        metadata={"cluster": cluster.id, "takeaway": takeaway.id},
        text=takeaway.text,
    )
    await deps.client.views_open(trigger_id=body["trigger_id"], view=view)


async def on_edit_submit(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], view: dict[str, Any], context: Any
) -> None:
    deps = deps_of(context)
    cluster = await cluster_of_view(deps, view)
    language = cluster.language if cluster else deps.settings.language
    text = input_value(view, kit.TEXT_ACTION)
    if not text or has_cpr_number(text):
        error = (EDIT_EMPTY if not text else CPR_REFUSED).render(language)
        await ack(response_action="errors", errors={kit.TEXT_ACTION: error})
        return
    await ack()
    takeaway_id = view_metadata(view).get("takeaway")
    if cluster is None or not isinstance(takeaway_id, int):
        return
    user = str(body["user"]["id"])
    async with deps.db.session() as session:
        changed = await store.edit_takeaway(
            session, takeaway_id=takeaway_id, author_id=user, text=text, now=deps.clock()
        )
    await tell_ephemeral(deps, cluster, user, render(cluster, EDITED if changed else NOT_YOURS))


async def on_undo(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], respond: Any, context: Any
) -> None:
    """Undo / Delete: remove the author's own take-home message."""
    await ack()
    deps = deps_of(context)
    user = str(body["user"]["id"])
    takeaway_id = action_value(body)
    async with deps.db.session() as session:
        takeaway = await store.get_takeaway(session, takeaway_id) if takeaway_id else None
        cluster = await get_cluster_by_id(session, takeaway.cluster_id) if takeaway else None
        deleted = takeaway_id is not None and await store.delete_takeaway(
            session, takeaway_id=takeaway_id, author_id=user
        )
    if not deleted or cluster is None:
        await tell_privately(deps, body, NOT_YOURS)
        return
    await respond(text=render(cluster, REMOVED), replace_original=True, response_type="ephemeral")


async def takeaway_list(ctx: CommandContext) -> None:
    """``/klynge takeaway list``: the caller's latest take-homes with Edit and Delete buttons."""
    if ctx.args.positional:  # "/klynge takeaway list the patients due ..." is a take-home
        ctx.command_words = 1  # ...and "list" is its first word
        await takeaway_command(ctx)
        return
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    async with ctx.deps.db.session() as session:
        mine = await store.takeaways_of_author(
            session, cluster_id=cluster.id, author_id=ctx.user_id, limit=MAX_LISTED
        )
        titles = {
            takeaway.meeting_id: meeting.title
            for takeaway in mine
            if takeaway.meeting_id is not None
            and (meeting := await session.get(Meeting, takeaway.meeting_id)) is not None
        }
    if not mine:
        await ctx.reply(ctx.t(LIST_EMPTY))
        return
    lines = [
        kit.Line(
            takeaway_id=takeaway.id or 0,
            author_id=takeaway.author_id,
            text=takeaway.text,
            where=(titles.get(takeaway.meeting_id or 0) or ctx.t(LOOSE_LABEL))
            + (f" · {ctx.t(KIND_LABELS[takeaway.kind])}" if takeaway.kind in KIND_LABELS else ""),
        )
        for takeaway in mine
    ]
    blocks = kit.own_list(ctx.language, lines)
    await ctx.reply(ctx.t(kit.LIST_TITLE), blocks=blocks)
