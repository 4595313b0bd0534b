"""The take-home emoji: reacting to a channel message with the cluster's emoji saves it as a
take-home message (removing the reaction takes it back), and ``/klynge takeaway emoji :name:``
chooses the emoji.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.mrkdwn import unescape
from bot.privacy import has_cpr_number
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
from handlers.takeaways.texts import (
    EMOJI_SET,
    EMOJI_USAGE,
    MESSAGE_NOT_FOUND,
    NO_TEXT_IN_MESSAGE,
    ONLY_MEMBER_MESSAGES,
    REACTION_SAVED_HINT,
)
from storage import takeaways as store
from storage.clusters import Cluster

log = logging.getLogger(__name__)


async def _read_message(deps: Deps, channel: str, ts: str) -> dict[str, Any] | None:
    """The one message ``ts`` in ``channel`` (top level or in a thread); no other history."""
    try:
        history = await deps.client.conversations_history(
            channel=channel, latest=ts, inclusive=True, limit=1
        )
        for message in history.get("messages") or []:
            if message.get("ts") == ts:
                return dict(message)
        # Not at the top level: a reply in a thread, which only conversations.replies returns.
        replies = await deps.client.conversations_replies(
            channel=channel, ts=ts, latest=ts, inclusive=True, limit=1
        )
    except SlackApiError as error:
        log.info("could not read message %s in %s: %s", ts, channel, error)
        return None
    for message in replies.get("messages") or []:
        if message.get("ts") == ts:
            return dict(message)
    return None


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
    message = await _read_message(deps, channel, ts)
    if message is None:
        await tell_ephemeral(deps, cluster, user, render(cluster, MESSAGE_NOT_FOUND))
        return
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        await tell_ephemeral(deps, cluster, user, render(cluster, ONLY_MEMBER_MESSAGES))
        return
    text = unescape(str(message.get("text") or "")).strip()
    if not text:
        await tell_ephemeral(deps, cluster, user, render(cluster, NO_TEXT_IN_MESSAGE))
        return
    if has_cpr_number(text):
        await tell_ephemeral(deps, cluster, user, cpr_in_message(cluster))
        return
    takeaway = await save(
        deps,
        cluster,
        author_id=user,
        text=text,
        source=store.FROM_REACTION,
        channel_id=channel,
        message_ts=ts,
    )
    if takeaway is None:
        return
    async with deps.db.session() as session:
        emoji = (await store.get_settings(session, cluster_id=cluster.id or 0)).emoji
    hint = render(cluster, REACTION_SAVED_HINT, emoji=emoji)
    fallback, blocks = await confirmation_blocks(deps, cluster, takeaway, hint=hint)
    await tell_with_blocks(deps, {}, cluster, user, fallback, blocks)


async def on_reaction_removed(body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
    """Taking the take-home emoji away unmarks the message."""
    deps = deps_of(context)
    found = await _reaction_context(deps, body, event)
    if found is None:
        return
    cluster, channel, ts, user = found
    assert cluster.id is not None
    async with deps.db.session() as session:
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
