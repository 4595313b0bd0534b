"""The take-home emoji: reacting to a channel message with the cluster's emoji saves it as a
take-home message (removing the reaction takes it back), and ``/klynge takeaway emoji :name:``
chooses the emoji.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.mrkdwn import unescape
from bot.privacy import has_cpr_number
from bot.slack import direct_messages
from handlers.router import CommandContext
from handlers.takeaways import summary_blocks as pure
from handlers.takeaways.capture import (
    cluster_for,
    confirmation_blocks,
    cpr_in_message,
    save,
    tell_with_blocks,
)
from handlers.takeaways.common import (
    render,
    tell_ephemeral,
)
from handlers.takeaways.reading import (
    ReadLater,
    Waiting,
    job_key,
    read_later,
    read_message,
    waiting_of,
)
from handlers.takeaways.texts import (
    EMOJI_SET,
    EMOJI_USAGE,
    MESSAGE_NOT_FOUND,
    NO_TEXT_IN_MESSAGE,
    ONLY_MEMBER_MESSAGES,
    REACTION_SAVED_HINT,
    READ_SOON,
)
from storage import jobs
from storage import takeaways as store
from storage.clusters import Cluster, get_cluster_by_id
from storage.jobs import Job

log = logging.getLogger(__name__)


async def _reaction_context(
    deps: Deps, body: dict[str, Any], event: dict[str, Any]
) -> tuple[Cluster, str, str, str] | None:
    """(cluster, channel, ts, user) when the reaction is the cluster's take-home emoji."""
    item = event.get("item") or {}
    if item.get("type") != "message":
        return None
    channel, ts, user = item.get("channel"), item.get("ts"), event.get("user")
    if not channel or not ts or not user:
        return None
    cluster = await cluster_for(deps, body.get("team_id"), str(channel))
    if cluster is None or cluster.id is None:
        return None
    async with deps.db.session() as session:
        settings = await store.get_settings(session, cluster_id=cluster.id)
    if pure.reaction_base(str(event.get("reaction") or "")) != settings.emoji:
        return None
    return cluster, str(channel), str(ts), str(user)


async def on_reaction_added(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
    """The take-home emoji on a message saves it as the reacting member's take-home message."""
    deps = deps_of(context)
    found = await _reaction_context(deps, body, event)
    if found is None:
        return
    cluster, channel, ts, user = found
    waiting = Waiting(cluster.id or 0, channel, ts, user)
    try:
        message = await read_message(deps, channel, ts)
    except ReadLater as later:
        await read_later(deps, waiting, later.seconds, in_thread=later.in_thread)
        await tell_ephemeral(deps, cluster, user, render(cluster, READ_SOON))
        return
    await _keep(deps, cluster, waiting, message, later=False)


async def _keep(
    deps: Deps,
    cluster: Cluster,
    waiting: Waiting,
    message: dict[str, Any] | None,
    *,
    later: bool,
) -> None:
    """Save the message read for ``waiting`` as the member's take-home, or say why not: at
    once as a private answer, or (``later``, read by the job) in a direct message."""
    user = waiting.user

    async def tell(text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        if later:
            await direct_messages(deps.client, [user], text, blocks=blocks)
        elif blocks:
            await tell_with_blocks(deps, {}, cluster, user, text, blocks)
        else:
            await tell_ephemeral(deps, cluster, user, text)

    if message is None:
        await tell(render(cluster, MESSAGE_NOT_FOUND))
        return
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        await tell(render(cluster, ONLY_MEMBER_MESSAGES))
        return
    text = unescape(str(message.get("text") or "")).strip()
    if not text:
        await tell(render(cluster, NO_TEXT_IN_MESSAGE))
        return
    if has_cpr_number(text):
        await tell(cpr_in_message(cluster))
        return
    takeaway = await save(
        deps,
        cluster,
        author_id=user,
        text=text,
        source=store.FROM_REACTION,
        channel_id=waiting.channel,
        message_ts=waiting.ts,
    )
    if takeaway is None:
        return
    async with deps.db.session() as session:
        emoji = (await store.get_settings(session, cluster_id=cluster.id or 0)).emoji
    hint = render(cluster, REACTION_SAVED_HINT, emoji=emoji)
    fallback, blocks = await confirmation_blocks(deps, cluster, takeaway, hint=hint)
    await tell(fallback, blocks)


async def read_job(deps: Deps, job: Job) -> None:
    """A read Slack asked to wait for: the message, then the member is told in a DM."""
    waiting = waiting_of(job.key)
    if waiting is None:
        return
    async with deps.db.session() as session:
        cluster = await get_cluster_by_id(session, waiting.cluster_id)
    if cluster is None:
        return
    in_thread = bool(job.payload.get("in_thread"))
    try:
        message = await read_message(deps, waiting.channel, waiting.ts, in_thread=in_thread)
    except ReadLater as again:
        await read_later(deps, waiting, again.seconds, in_thread=in_thread or again.in_thread)
        return
    await _keep(deps, cluster, waiting, message, later=True)


async def on_reaction_removed(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
    """Taking the take-home emoji away unmarks the message."""
    deps = deps_of(context)
    found = await _reaction_context(deps, body, event)
    if found is None:
        return
    cluster, channel, ts, user = found
    assert cluster.id is not None
    async with deps.db.session() as session:
        await jobs.cancel(session, keys=[job_key(Waiting(cluster.id, channel, ts, user))])
        await store.remove_reaction_takeaway(
            session, cluster_id=cluster.id, channel_id=channel, message_ts=ts, author_id=user
        )


# --- the take-home emoji --------------------------------------------------------------------------


async def takeaway_emoji(ctx: CommandContext) -> None:
    """``/klynge takeaway emoji :name:``: the reaction that marks take-home messages."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.free_text
    name = pure.emoji_name(words) if words and len(words.split()) == 1 else None
    if name is None:
        async with ctx.deps.db.session() as session:
            current = await store.get_settings(session, cluster_id=cluster.id)
        raise UserError(EMOJI_USAGE, emoji=current.emoji)
    async with ctx.deps.db.session() as session:
        await store.update_settings(session, cluster_id=cluster.id, emoji=name)
    await ctx.announce(ctx.t(EMOJI_SET, emoji=name, by=f"<@{ctx.user_id}>"))
