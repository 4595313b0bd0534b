"""Capturing take-home messages: ``/klynge takeaway <text>``, the message shortcut and the
closing-round modal behind the agenda's "Take-home message" button (the ``agenda_blocks`` hook).

The take-home emoji (reactions and ``/klynge takeaway emoji``) is in reactions.py.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.blocks import fallback_text
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import tell_privately
from bot.mrkdwn import escape as escape_plain
from bot.mrkdwn import escape_keeping_mentions, unescape
from bot.numbers import parse_number
from bot.privacy import CPR_IN_MESSAGE, CPR_REFUSED, has_cpr_number, refuse_cpr
from handlers.router import CommandContext
from handlers.takeaways import blocks as kit
from handlers.takeaways.common import (
    cluster_of_view,
    input_value,
    render,
    tell_ephemeral,
    view_metadata,
)
from handlers.takeaways.texts import (
    ALREADY_SAVED,
    MODAL_EMPTY,
    MODAL_SAVED,
    MODAL_SAVED_KINDS,
    MODAL_WHERE,
    NO_TEXT_IN_MESSAGE,
    NOT_A_CLUSTER,
    ONLY_MEMBER_MESSAGES,
    SAVED_BY_KIND,
    SAVED_FOR_MEETING,
    SAVED_LOOSE,
    TAKEAWAY_USAGE,
)
from storage import takeaways as store
from storage.clusters import Cluster, get_cluster
from storage.meetings import Meeting

log = logging.getLogger(__name__)


async def cluster_for(deps: Deps, team_id: str | None, channel_id: str | None) -> Cluster | None:
    if not team_id or not channel_id:
        return None
    async with deps.db.session() as session:
        return await get_cluster(session, team_id=team_id, channel_id=channel_id)


async def _meeting_title(deps: Deps, meeting_id: int | None) -> str | None:
    if meeting_id is None:
        return None
    async with deps.db.session() as session:
        meeting = await session.get(Meeting, meeting_id)
    return meeting.title if meeting else None


# --- capture --------------------------------------------------------------------------------------


async def save(
    deps: Deps,
    cluster: Cluster,
    *,
    author_id: str,
    text: str,
    source: str,
    kind: str = store.KIND_TAKEAWAY,
    prompt: str | None = None,
    channel_id: str | None = None,
    message_ts: str | None = None,
    meeting_id: int | None = None,
) -> store.Takeaway | None:
    """Store a take-home (decision, instruction) where it belongs; None for a duplicate (the
    same message again). A text holding a CPR number is refused (``UserError``), never stored.

    Slack's repeated deliveries of one event never get here: bot.app drops them by event id.
    """
    assert cluster.id is not None
    refuse_cpr(text)
    now = deps.clock()
    async with deps.db.session() as session:
        where = await store.placement(
            session,
            cluster_id=cluster.id,
            author_id=author_id,
            now=now,
            preferred_meeting_id=meeting_id,
        )
        return await store.add_takeaway(
            session,
            cluster_id=cluster.id,
            author_id=author_id,
            text=text,
            source=source,
            where=where,
            now=now,
            kind=kind,
            prompt=prompt,
            channel_id=channel_id,
            message_ts=message_ts,
        )


async def confirmation_blocks(
    deps: Deps, cluster: Cluster, takeaway: store.Takeaway, *, hint: str = ""
) -> tuple[str, list[dict[str, Any]]]:
    """The private "saved" message: (fallback text, blocks with the whole text, Edit, Undo)."""
    assert takeaway.id is not None
    title = await _meeting_title(deps, takeaway.meeting_id)
    intro = (
        render(
            cluster, SAVED_BY_KIND.get(takeaway.kind, SAVED_FOR_MEETING), title=escape_plain(title)
        )
        if title is not None
        else render(cluster, SAVED_LOOSE)
    )
    blocks = kit.confirmation(
        takeaway_id=takeaway.id,
        text=takeaway.text,
        intro=intro,
        hint=hint,
        language=cluster.language,
    )
    return fallback_text([intro + escape_keeping_mentions(takeaway.text)]), blocks


async def takeaway_command(ctx: CommandContext) -> None:
    """``/klynge takeaway <text>``: save the text as the caller's take-home message."""
    cluster = ctx.require_cluster()
    text = ctx.free_text
    if not text:
        raise UserError(TAKEAWAY_USAGE)
    takeaway = await save(
        ctx.deps, cluster, author_id=ctx.user_id, text=text, source=store.FROM_COMMAND
    )
    assert takeaway is not None  # typed take-homes have no message to collide on
    fallback, blocks = await confirmation_blocks(ctx.deps, cluster, takeaway)
    await ctx.reply(fallback, blocks=blocks)


async def on_shortcut(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    """The message shortcut "Save as take-home message"."""
    await ack()
    deps = deps_of(context)
    team = (body.get("team") or {}).get("id")
    channel = (body.get("channel") or {}).get("id")
    cluster = await cluster_for(deps, team, channel)
    if cluster is None:
        await tell_privately(deps, body, NOT_A_CLUSTER)
        return
    message = body.get("message") or {}
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        await tell_privately(deps, body, ONLY_MEMBER_MESSAGES)
        return
    text = unescape(str(message.get("text") or "")).strip()
    if not text:
        await tell_privately(deps, body, NO_TEXT_IN_MESSAGE)
        return
    if has_cpr_number(text):
        await tell_privately(deps, body, cpr_in_message(cluster))
        return
    user = str(body["user"]["id"])
    takeaway = await save(
        deps,
        cluster,
        author_id=user,
        text=text,
        source=store.FROM_SHORTCUT,
        channel_id=channel,
        message_ts=str(message.get("ts") or body.get("message_ts") or ""),
    )
    if takeaway is None:
        await tell_privately(deps, body, ALREADY_SAVED)
        return
    fallback, blocks = await confirmation_blocks(deps, cluster, takeaway)
    await tell_with_blocks(deps, body, cluster, user, fallback, blocks)


def cpr_in_message(cluster: Cluster) -> str:
    """The refusal for a channel message holding a CPR number, which stays in the channel."""
    return f"{render(cluster, CPR_REFUSED)}\n{render(cluster, CPR_IN_MESSAGE)}"


async def tell_with_blocks(
    deps: Deps,
    body: dict[str, Any],
    cluster: Cluster,
    user: str,
    text: str,
    blocks: list[dict[str, Any]],
) -> None:
    """An ephemeral message with blocks, via response_url when there is one."""
    try:
        if response_url := body.get("response_url"):
            await AsyncWebhookClient(response_url).send(
                text=text, blocks=blocks, response_type="ephemeral", replace_original=False
            )
        else:
            await deps.client.chat_postEphemeral(
                channel=cluster.channel_id, user=user, text=text, blocks=blocks
            )
    except (SlackApiError, OSError) as error:
        log.warning("could not confirm a take-home to %s: %s", user, error)


# --- the closing-round modal (agenda button) ------------------------------------------------------


async def agenda_blocks(deps: Deps, cluster: Cluster, meeting: Meeting) -> list[dict[str, Any]]:
    """Hook: the "Take-home message" button for the agenda/check-in post."""
    return kit.agenda(cluster.language, meeting.id)


async def on_open_modal(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    await ack()
    deps = deps_of(context)
    team = (body.get("team") or {}).get("id")
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    cluster = await cluster_for(deps, team, channel)
    if cluster is None or cluster.id is None:
        await tell_privately(deps, body, NOT_A_CLUSTER)
        return
    value = str((body.get("actions") or [{}])[0].get("value") or "")
    meeting_id = parse_number(value)
    async with deps.db.session() as session:
        settings = await store.get_settings(session, cluster_id=cluster.id)
    view = kit.closing_round_view(
        cluster.language,
        metadata={"cluster": cluster.id, "meeting": meeting_id},
        followup_days=settings.followup_days,
    )
    await deps.client.views_open(trigger_id=body["trigger_id"], view=view)


async def on_closing_round_submit(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], view: dict[str, Any], context: Any
) -> None:
    deps = deps_of(context)
    answers = {prompt: input_value(view, prompt) for prompt in kit.PROMPTS}
    cluster = await cluster_of_view(deps, view)
    language = cluster.language if cluster else deps.settings.language
    if not any(answers.values()):
        await ack(response_action="errors", errors={kit.PROMPTS[0]: MODAL_EMPTY.render(language)})
        return
    refused = [prompt for prompt, text in answers.items() if has_cpr_number(text)]
    if refused:
        error = CPR_REFUSED.render(language)
        await ack(response_action="errors", errors=dict.fromkeys(refused, error))
        return
    await ack()
    if cluster is None:
        return
    meeting_id = view_metadata(view).get("meeting")
    user = str(body["user"]["id"])
    saved: list[store.Takeaway] = []
    for prompt, text in answers.items():
        if text:
            takeaway = await save(
                deps,
                cluster,
                author_id=user,
                text=text,
                source=store.FROM_MODAL,
                kind=kit.kind_of_prompt(prompt),
                prompt=prompt,
                meeting_id=meeting_id if isinstance(meeting_id, int) else None,
            )
            if takeaway is not None:
                saved.append(takeaway)
    title = await _meeting_title(deps, saved[0].meeting_id if saved else None)
    where = MODAL_WHERE.bind(title=escape_plain(title)) if title else ""
    kinds = [item.kind for item in saved]
    if kinds.count(store.KIND_TAKEAWAY) == len(kinds):
        text = render(cluster, MODAL_SAVED, count=len(saved), where=where)
    else:
        text = render(
            cluster,
            MODAL_SAVED_KINDS,
            where=where,
            **{kind: kinds.count(kind) for kind in store.KINDS},
        )
    await tell_ephemeral(deps, cluster, user, text)
