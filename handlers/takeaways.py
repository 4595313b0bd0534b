"""Take-home messages: capture (command, agenda button, message shortcut, emoji reaction),
editing, ``/klynge summary``, ``/klynge export`` (decision minutes) and the follow-up DMs.

Joins the meetings feature through its hooks: ``meeting_ended`` posts the summary and schedules
the follow-up, ``agenda_blocks`` adds the "Take-home message" button, ``reminder_blocks`` shows
the counted follow-up answers of the previous meeting in the next meeting's reminders.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot import summary as pure
from bot import takeaway_blocks as kit
from bot.blocks import section
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import tell_privately
from bot.i18n import Text, format_datetime
from bot.mrkdwn import escape as escape_plain
from bot.mrkdwn import escape_keeping_mentions
from handlers.router import CommandContext, Subcommand, announce
from handlers.takeaways_texts import (
    ALREADY_SAVED,
    EDIT_EMPTY,
    EDITED,
    EMOJI_SET,
    EMOJI_USAGE,
    EXPORT_COMMENT,
    EXPORTED,
    FOLLOWUP_FALLBACK,
    FOLLOWUP_INTRO,
    FOLLOWUP_SET,
    FOLLOWUP_USAGE,
    LIST_EMPTY,
    LOOSE_LABEL,
    LOOSE_WHAT,
    MEETING_ID_FORM,
    MESSAGE_NOT_FOUND,
    MODAL_EMPTY,
    MODAL_SAVED,
    MODAL_WHERE,
    NO_SUCH_MEETING,
    NO_TEXT_IN_MESSAGE,
    NOT_A_CLUSTER,
    NOT_YOURS,
    NOTHING_TO_EXPORT,
    NOTHING_TO_SUMMARISE,
    ONLY_MEMBER_MESSAGES,
    REACTION_SAVED_HINT,
    REMOVED,
    SAVED_FOR_MEETING,
    SAVED_LOOSE,
    TAKEAWAY_USAGE,
    TOO_LONG_TO_EDIT,
)
from handlers.wiring import Wiring
from storage import takeaways as store
from storage.breakouts import Subcluster
from storage.clusters import Cluster, get_cluster, get_cluster_by_id
from storage.jobs import Job, pending_keys
from storage.meetings import (
    Meeting,
    checked_in_ids,
    get_meeting,
    latest_ended_meeting,
    running_meeting,
)

log = logging.getLogger(__name__)

FOLLOWUP_JOB = "takeaway_followup"
SHORTCUT = "save_takeaway"
MAX_LISTED = 20
# A message's plain text is cut by Slack above 40,000 characters (the blocks hold it all).
FALLBACK_LIMIT = 30_000

# --- texts ----------------------------------------------------------------------------------------


# --- small helpers --------------------------------------------------------------------------------


def _t(cluster: Cluster, text: Text, **values: object) -> str:
    return text.render(cluster.language, **values)


def _local(cluster: Cluster, moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(cluster.timezone))


def _meeting_date(cluster: Cluster, meeting: Meeting) -> str:
    moment = meeting.started_at or meeting.starts_at
    return format_datetime(_local(cluster, moment), cluster.language)


async def _cluster_for(deps: Deps, team_id: str | None, channel_id: str | None) -> Cluster | None:
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
    prompt: str | None = None,
    channel_id: str | None = None,
    message_ts: str | None = None,
    meeting_id: int | None = None,
) -> store.Takeaway | None:
    """Store a take-home where it belongs; None for a duplicate (the same message again).

    Slack's repeated deliveries of one event never get here: bot.app drops them by event id.
    """
    assert cluster.id is not None
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
        _t(cluster, SAVED_FOR_MEETING, title=escape_plain(title))
        if title is not None
        else _t(cluster, SAVED_LOOSE)
    )
    blocks = kit.confirmation(
        takeaway_id=takeaway.id,
        text=takeaway.text,
        intro=intro,
        hint=hint,
        language=cluster.language,
    )
    shown = (
        takeaway.text
        if len(takeaway.text) <= FALLBACK_LIMIT
        else pure.preview(takeaway.text, FALLBACK_LIMIT)
    )
    return intro + escape_keeping_mentions(shown), blocks


async def takeaway_command(ctx: CommandContext) -> None:
    """``/klynge takeaway <text>``: save the text as the caller's take-home message."""
    cluster = ctx.require_cluster()
    text = pure.from_slack(ctx.free_text)
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
    cluster = await _cluster_for(deps, team, channel)
    if cluster is None:
        await tell_privately(deps, body, NOT_A_CLUSTER)
        return
    message = body.get("message") or {}
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        await tell_privately(deps, body, ONLY_MEMBER_MESSAGES)
        return
    text = pure.from_slack(str(message.get("text") or "")).strip()
    if not text:
        await tell_privately(deps, body, NO_TEXT_IN_MESSAGE)
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
    await _tell_with_blocks(deps, body, cluster, user, fallback, blocks)


async def _tell_with_blocks(
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
    cluster = await _cluster_for(deps, body.get("team_id"), str(channel))
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
        await _tell_ephemeral(deps, cluster, user, _t(cluster, MESSAGE_NOT_FOUND))
        return
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        await _tell_ephemeral(deps, cluster, user, _t(cluster, ONLY_MEMBER_MESSAGES))
        return
    text = pure.from_slack(str(message.get("text") or "")).strip()
    if not text:
        await _tell_ephemeral(deps, cluster, user, _t(cluster, NO_TEXT_IN_MESSAGE))
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
    hint = _t(cluster, REACTION_SAVED_HINT, emoji=emoji)
    fallback, blocks = await confirmation_blocks(deps, cluster, takeaway, hint=hint)
    await _tell_with_blocks(deps, {}, cluster, user, fallback, blocks)


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


async def _tell_ephemeral(deps: Deps, cluster: Cluster, user: str, text: str) -> None:
    try:
        await deps.client.chat_postEphemeral(channel=cluster.channel_id, user=user, text=text)
    except (SlackApiError, OSError) as error:
        log.warning("could not tell %s privately: %s", user, error)


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
    cluster = await _cluster_for(deps, team, channel)
    if cluster is None or cluster.id is None:
        await tell_privately(deps, body, NOT_A_CLUSTER)
        return
    value = str((body.get("actions") or [{}])[0].get("value") or "")
    meeting_id = int(value) if value.isdigit() else None
    async with deps.db.session() as session:
        settings = await store.get_settings(session, cluster_id=cluster.id)
    view = kit.closing_round_view(
        cluster.language,
        metadata={"cluster": cluster.id, "meeting": meeting_id},
        followup_days=settings.followup_days,
    )
    await deps.client.views_open(trigger_id=body["trigger_id"], view=view)


def _metadata(view: Mapping[str, Any]) -> dict[str, Any]:
    try:
        found = json.loads(str(view.get("private_metadata") or "{}"))
    except json.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def _input_value(view: Mapping[str, Any], block_id: str) -> str:
    values = (view.get("state") or {}).get("values") or {}
    return str(((values.get(block_id) or {}).get("text") or {}).get("value") or "").strip()


async def _cluster_of_view(deps: Deps, view: Mapping[str, Any]) -> Cluster | None:
    cluster_id = _metadata(view).get("cluster")
    if not isinstance(cluster_id, int):
        return None
    async with deps.db.session() as session:
        return await get_cluster_by_id(session, cluster_id)


async def on_closing_round_submit(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], view: dict[str, Any], context: Any
) -> None:
    deps = deps_of(context)
    answers = {prompt: _input_value(view, prompt) for prompt in kit.PROMPTS}
    cluster = await _cluster_of_view(deps, view)
    language = cluster.language if cluster else deps.settings.language
    if not any(answers.values()):
        await ack(response_action="errors", errors={kit.PROMPTS[0]: MODAL_EMPTY.render(language)})
        return
    await ack()
    if cluster is None:
        return
    meeting_id = _metadata(view).get("meeting")
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
                prompt=prompt,
                meeting_id=meeting_id if isinstance(meeting_id, int) else None,
            )
            if takeaway is not None:
                saved.append(takeaway)
    title = await _meeting_title(deps, saved[0].meeting_id if saved else None)
    where = MODAL_WHERE.bind(title=escape_plain(title)) if title else ""
    await _tell_ephemeral(
        deps, cluster, user, _t(cluster, MODAL_SAVED, count=len(saved), where=where)
    )


# --- edit, undo, list -----------------------------------------------------------------------------


def _action_value(body: Mapping[str, Any]) -> int | None:
    value = str((body.get("actions") or [{}])[0].get("value") or "")
    return int(value) if value.isdigit() else None


async def on_edit(ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any) -> None:
    """Edit button: open a modal with the author's text (authors only)."""
    await ack()
    deps = deps_of(context)
    user = str(body["user"]["id"])
    takeaway_id = _action_value(body)
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
    cluster = await _cluster_of_view(deps, view)
    language = cluster.language if cluster else deps.settings.language
    text = _input_value(view, kit.TEXT_ACTION)
    if not text:
        await ack(response_action="errors", errors={kit.TEXT_ACTION: EDIT_EMPTY.render(language)})
        return
    await ack()
    takeaway_id = _metadata(view).get("takeaway")
    if cluster is None or not isinstance(takeaway_id, int):
        return
    user = str(body["user"]["id"])
    async with deps.db.session() as session:
        changed = await store.edit_takeaway(
            session, takeaway_id=takeaway_id, author_id=user, text=text, now=deps.clock()
        )
    await _tell_ephemeral(deps, cluster, user, _t(cluster, EDITED if changed else NOT_YOURS))


async def on_undo(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], respond: Any, context: Any
) -> None:
    """Undo / Delete: remove the author's own take-home message."""
    await ack()
    deps = deps_of(context)
    user = str(body["user"]["id"])
    takeaway_id = _action_value(body)
    async with deps.db.session() as session:
        takeaway = await store.get_takeaway(session, takeaway_id) if takeaway_id else None
        cluster = await get_cluster_by_id(session, takeaway.cluster_id) if takeaway else None
        deleted = takeaway_id is not None and await store.delete_takeaway(
            session, takeaway_id=takeaway_id, author_id=user
        )
    if not deleted or cluster is None:
        await tell_privately(deps, body, NOT_YOURS)
        return
    await respond(text=_t(cluster, REMOVED), replace_original=True, response_type="ephemeral")


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
            where=titles.get(takeaway.meeting_id or 0) or ctx.t(LOOSE_LABEL),
        )
        for takeaway in mine
    ]
    blocks = kit.own_list(ctx.language, lines)
    await ctx.reply(ctx.t(kit.LIST_TITLE), blocks=blocks)


# --- settings -------------------------------------------------------------------------------------


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


async def takeaway_followup(ctx: CommandContext) -> None:
    """``/klynge takeaway followup 4w``: how long after a meeting to ask about implementation."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.free_text
    days = pure.parse_followup_days(words)
    if days is None or not 1 <= days <= pure.MAX_FOLLOWUP_DAYS:
        async with ctx.deps.db.session() as session:
            current = await store.get_settings(session, cluster_id=cluster.id)
        raise UserError(FOLLOWUP_USAGE, days=current.followup_days)
    async with ctx.deps.db.session() as session:
        await store.update_settings(session, cluster_id=cluster.id, followup_days=days)
        waiting = await pending_keys(session, prefix=FOLLOWUP_KEY_PREFIX)
        meetings = [
            meeting
            for key in waiting
            if (meeting := await session.get(Meeting, int(key.rsplit(":", 1)[1]))) is not None
            and meeting.cluster_id == cluster.id
        ]
    for meeting in meetings:  # follow-ups not sent yet move to the new delay
        await schedule_followup(ctx.deps, cluster, meeting)
    await ctx.announce(ctx.t(FOLLOWUP_SET, days=days, by=f"<@{ctx.user_id}>"))


# --- summary and export ---------------------------------------------------------------------------


async def _chosen_meeting(ctx: CommandContext) -> Meeting | None:
    """The meeting named by id, else the running or latest ended one; None: loose take-homes."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.args.words
    if len(words) > 1 or (words and not words[0].lstrip("#").isdigit()):
        raise UserError(
            MEETING_ID_FORM, value=escape_plain(" ".join(words)[:40]), command=ctx.subcommand.name
        )
    async with ctx.deps.db.session() as session:
        if words:
            number = words[0].lstrip("#")
            meeting = None
            if len(number) <= 9:
                meeting = await get_meeting(session, cluster_id=cluster.id, meeting_id=int(number))
            if meeting is None:
                raise UserError(NO_SUCH_MEETING, id=number[:12])
            return meeting
        return await running_meeting(session, cluster_id=cluster.id) or await latest_ended_meeting(
            session, cluster_id=cluster.id
        )


async def _entries(deps: Deps, cluster: Cluster, meeting: Meeting | None) -> list[pure.Entry]:
    """The take-homes as summary entries, each with its author's breakout group."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        if meeting is None:
            rows = await store.loose_takeaways(session, cluster_id=cluster.id)
            seats: dict[str, int] = {}
        else:
            assert meeting.id is not None
            rows = await store.takeaways_of_meeting(session, meeting_id=meeting.id)
            seats = await store.seats_of_latest_round(session, meeting_id=meeting.id)
    return [
        pure.Entry(
            author_id=row.author_id,
            text=row.text,
            group=row.group_number if row.group_number is not None else seats.get(row.author_id),
            prompt=row.prompt,
        )
        for row in rows
    ]


def summary_title(cluster: Cluster, meeting: Meeting | None) -> str:
    if meeting is None:
        return _t(cluster, pure.LOOSE_TITLE)
    title = f"{escape_plain(meeting.title)} ({_meeting_date(cluster, meeting)})"
    return _t(cluster, pure.SUMMARY_TITLE, title=title)


async def post_summary(deps: Deps, cluster: Cluster, meeting: Meeting | None) -> int:
    """Post the summary in the cluster's channel; returns how many take-homes it holds."""
    entries = await _entries(deps, cluster, meeting)
    if not entries:
        return 0
    messages = pure.summary_messages(
        title=summary_title(cluster, meeting), entries=entries, language=cluster.language
    )
    for message in messages:
        await announce(deps, cluster.channel_id, message.text, blocks=message.blocks)
    return len(entries)


async def summary_command(ctx: CommandContext) -> None:
    """``/klynge summary [<meeting id>]``: post every take-home message, by breakout group."""
    cluster = ctx.require_cluster()
    meeting = await _chosen_meeting(ctx)
    if not await post_summary(ctx.deps, cluster, meeting):
        what = f"*{escape_plain(meeting.title)}*" if meeting else ctx.t(LOOSE_WHAT)
        raise UserError(NOTHING_TO_SUMMARISE, what=what)


async def _names(deps: Deps, user_ids: set[str]) -> dict[str, str]:
    """Real names for the minutes (Markdown can't show Slack mentions); the id if unknown."""
    limit = asyncio.Semaphore(8)

    async def name(user_id: str) -> tuple[str, str]:
        async with limit:
            try:
                user = (await deps.client.users_info(user=user_id)).get("user") or {}
            except SlackApiError:
                return user_id, user_id
        profile = user.get("profile") or {}
        return user_id, str(user.get("real_name") or profile.get("real_name") or user_id)

    return dict(await asyncio.gather(*(name(user_id) for user_id in sorted(user_ids))))


async def build_minutes(deps: Deps, cluster: Cluster, meeting: Meeting | None) -> tuple[str, str]:
    """(file name, Markdown) of the decision minutes of ``meeting`` (None: loose take-homes)."""
    entries = await _entries(deps, cluster, meeting)
    language = cluster.language
    people = {entry.author_id for entry in entries}
    if meeting is None:
        minutes = pure.Minutes(
            title=pure.MINUTES_LOOSE_TITLE.render(language),
            meeting_label=pure.MINUTES_LOOSE_TITLE.render(language),
            date=None,
            topic=None,
            facilitator=None,
            attendance=None,
            groups=[],
            poll_lines=[],
            entries=entries,
        )
        loose_names = await _names(deps, people)
        day = _local(cluster, deps.clock()).date().isoformat()
        markdown = pure.minutes_markdown(
            minutes, language=language, name_of=lambda user: loose_names.get(user) or user
        )
        return f"take-home-messages-{day}.md", markdown
    assert meeting.id is not None
    async with deps.db.session() as session:
        attendance = len(await checked_in_ids(session, meeting_id=meeting.id))
        seats = await store.seats_of_latest_round(session, meeting_id=meeting.id)
        subcluster = (
            await session.get(Subcluster, meeting.facilitator_subcluster_id)
            if meeting.facilitator_subcluster_id is not None
            else None
        )
    groups: dict[int, list[str]] = {}
    for user, number in sorted(seats.items(), key=lambda pair: (pair[1], pair[0])):
        groups.setdefault(number, []).append(user)
    people |= set(seats)
    if meeting.facilitator_id:
        people.add(meeting.facilitator_id)
    names = await _names(deps, people)
    facilitator = (
        names.get(meeting.facilitator_id, meeting.facilitator_id)
        if meeting.facilitator_id
        else (subcluster.name if subcluster else None)
    )
    polls = await deps.hooks.lines(deps.hooks.minutes_sections, deps, cluster, meeting)
    minutes = pure.Minutes(
        title=pure.MINUTES_TITLE.render(language, title=meeting.title),
        meeting_label=f"{meeting.title} (#{meeting.id})",
        date=_meeting_date(cluster, meeting),
        topic=meeting.topic,
        facilitator=facilitator,
        attendance=attendance,
        groups=sorted(groups.items()),
        poll_lines=polls,
        entries=entries,
    )
    day = _local(cluster, meeting.started_at or meeting.starts_at).date().isoformat()
    markdown = pure.minutes_markdown(
        minutes, language=language, name_of=lambda user: names.get(user) or user
    )
    return f"minutes-{day}-meeting-{meeting.id}.md", markdown


async def export_command(ctx: CommandContext) -> None:
    """``/klynge export [<meeting id>]``: upload the decision minutes as a Markdown file."""
    cluster = ctx.require_cluster()
    meeting = await _chosen_meeting(ctx)
    if meeting is None and not await _entries(ctx.deps, cluster, None):
        raise UserError(NOTHING_TO_EXPORT)
    filename, markdown = await build_minutes(ctx.deps, cluster, meeting)
    title = meeting.title if meeting else pure.MINUTES_LOOSE_TITLE.render(cluster.language)
    await ctx.deps.client.files_upload_v2(
        channel=cluster.channel_id,
        content=markdown,
        filename=filename,
        title=pure.MINUTES_TITLE.render(cluster.language, title=title)[:250],
        initial_comment=ctx.t(EXPORT_COMMENT, title=escape_plain(title), by=f"<@{ctx.user_id}>"),
    )
    await ctx.reply(ctx.t(EXPORTED, filename=filename))


# --- meeting hooks and follow-up ------------------------------------------------------------------


FOLLOWUP_KEY_PREFIX = "takeaway-followup:"


def followup_key(meeting_id: int) -> str:
    return f"{FOLLOWUP_KEY_PREFIX}{meeting_id}"


async def on_meeting_ended(deps: Deps, cluster: Cluster, meeting: Meeting) -> None:
    """Hook: post the summary and schedule the follow-up DMs.

    (The meetings feature's closing-round post carries the take-home button: ``agenda_blocks``.)
    """
    # Scheduled first: a channel the bot was removed from must not cost the follow-up.
    await schedule_followup(deps, cluster, meeting)
    await post_summary(deps, cluster, meeting)


async def schedule_followup(deps: Deps, cluster: Cluster, meeting: Meeting) -> None:
    assert cluster.id is not None
    assert meeting.id is not None
    async with deps.db.session() as session:
        settings = await store.get_settings(session, cluster_id=cluster.id)
    due = (meeting.ended_at or deps.clock()) + timedelta(days=settings.followup_days)
    await deps.scheduler.schedule(
        kind=FOLLOWUP_JOB,
        key=followup_key(meeting.id),
        due_at=due,
        payload={"meeting_id": meeting.id},
        expires_at=due + timedelta(days=14),
    )


async def send_followups(deps: Deps, job: Job) -> None:
    """Job: DM each author of the meeting's take-homes "Did you implement …?"."""
    meeting_id = int(job.payload["meeting_id"])
    async with deps.db.session() as session:
        meeting = await session.get(Meeting, meeting_id)
        cluster = await get_cluster_by_id(session, meeting.cluster_id) if meeting else None
        pending = await store.followups_to_send(session, meeting_id=meeting_id)
    if meeting is None or cluster is None:
        return
    by_author: dict[str, list[store.Takeaway]] = {}
    for takeaway in pending:
        by_author.setdefault(takeaway.author_id, []).append(takeaway)
    title = escape_plain(meeting.title)
    intro = _t(cluster, FOLLOWUP_INTRO, title=title, date=_meeting_date(cluster, meeting))
    failed: list[str] = []
    for author, takeaways in by_author.items():
        try:
            await _ask_author(deps, cluster, author, takeaways, intro=intro, title=title)
        except SlackApiError as error:
            if error.response.get("error") not in UNREACHABLE_USER:
                log.warning("follow-up to %s failed, will retry: %s", author, error)
                failed.append(author)
                continue
            log.info("follow-up to %s not possible: %s", author, error)
        # Marked per author, so a retry after a failure asks nobody twice.
        async with deps.db.session() as session:
            await store.mark_followups_sent(
                session,
                takeaway_ids=[takeaway.id for takeaway in takeaways if takeaway.id is not None],
                now=deps.clock(),
            )
    await deps.hooks.changed(deps, cluster)  # the App Home lists unanswered follow-ups
    if failed:
        raise RuntimeError(f"follow-up DMs failed for {len(failed)} author(s); retrying")


UNREACHABLE_USER = {"user_not_found", "account_inactive", "user_disabled", "cannot_dm_bot"}


async def _ask_author(
    deps: Deps,
    cluster: Cluster,
    author: str,
    takeaways: Sequence[store.Takeaway],
    *,
    intro: str,
    title: str,
) -> None:
    """One DM (more if needed for Block Kit's limits) asking about each of the author's texts."""
    channel = (await deps.client.conversations_open(users=author))["channel"]["id"]
    fallback = _t(cluster, FOLLOWUP_FALLBACK, title=title)
    blocks: list[dict[str, Any]] = [section(intro)]
    for takeaway in takeaways:
        assert takeaway.id is not None
        more = kit.followup_question(
            cluster.language, takeaway_id=takeaway.id, text=takeaway.text, prompt=takeaway.prompt
        )
        if len(blocks) + len(more) > pure.MESSAGE_BLOCKS:
            await deps.client.chat_postMessage(channel=channel, text=fallback, blocks=blocks)
            blocks = []
        blocks.extend(more)
    await deps.client.chat_postMessage(channel=channel, text=fallback, blocks=blocks)


async def on_answer(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    """Done / In progress / Not relevant on a follow-up DM."""
    await ack()
    deps = deps_of(context)
    action = (body.get("actions") or [{}])[0]
    answer = str(action.get("action_id") or "").removeprefix(kit.ANSWER_PREFIX)
    takeaway_id = _action_value(body)
    user = str(body["user"]["id"])
    if answer not in store.ANSWERS or takeaway_id is None:
        await tell_privately(deps, body, NOT_YOURS)
        return
    async with deps.db.session() as session:
        takeaway = await store.get_takeaway(session, takeaway_id)
        cluster = await get_cluster_by_id(session, takeaway.cluster_id) if takeaway else None
        answered = await store.answer_followup(
            session, takeaway_id=takeaway_id, author_id=user, answer=answer, now=deps.clock()
        )
    if not answered or cluster is None:
        await tell_privately(deps, body, NOT_YOURS)
        return
    await deps.hooks.changed(deps, cluster)  # the App Home lists unanswered follow-ups
    container = body.get("container") or {}
    message = body.get("message") or {}
    blocks = kit.answered(
        cluster.language, message.get("blocks") or [], takeaway_id=takeaway_id, answer=answer
    )
    if container.get("channel_id") and container.get("message_ts") and blocks:
        await deps.client.chat_update(
            channel=container["channel_id"],
            ts=container["message_ts"],
            text=str(message.get("text") or ""),
            blocks=blocks,
        )


async def reminder_blocks(deps: Deps, cluster: Cluster, meeting: Meeting) -> list[dict[str, Any]]:
    """Hook: the previous meeting's take-homes and their follow-up answers, counted."""
    async with deps.db.session() as session:
        previous = await store.previous_ended_meeting(session, meeting=meeting)
        if previous is None or previous.id is None:
            return []
        takeaways = await store.takeaways_of_meeting(session, meeting_id=previous.id)
        counts = await store.answer_counts(session, meeting_id=previous.id)
    if not takeaways:
        return []
    lines = [
        kit.Line(
            takeaway_id=takeaway.id or 0,
            author_id=takeaway.author_id,
            text=takeaway.text,
            answer=takeaway.followup_answer,
        )
        for takeaway in takeaways
    ]
    return kit.reminder_followup(
        cluster.language,
        title=previous.title,
        date=_meeting_date(cluster, previous),
        counts=counts,
        lines=lines,
    )


# --- registration ---------------------------------------------------------------------------------


def register(app: AsyncApp, wiring: Wiring) -> None:
    wiring.commands.add(
        Subcommand(
            words=("takeaway",),
            run=takeaway_command,
            usage=Text(en="/klynge takeaway <text>", da="/klynge takeaway <tekst>"),
            summary=Text(
                en="save your take-home message (also: the button, the message shortcut, or a "
                ":house: reaction)",
                da="gem din take-home-besked (også: knappen, beskedgenvejen eller en "
                ":house:-reaktion)",
            ),
            free_text=True,
            aliases=(("takehome",), ("take-home",)),
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("takeaway", "list"),
            run=takeaway_list,
            usage=Text(en="/klynge takeaway list", da="/klynge takeaway list"),
            summary=Text(
                en="your take-home messages, to edit or delete",
                da="dine take-home-beskeder, til at rette eller slette",
            ),
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("takeaway", "emoji"),
            run=takeaway_emoji,
            usage=Text(en="/klynge takeaway emoji :house:", da="/klynge takeaway emoji :house:"),
            summary=Text(
                en="the reaction that marks a message as a take-home message",
                da="reaktionen der markerer en besked som take-home-besked",
            ),
            coordinator_only=True,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("takeaway", "followup"),
            run=takeaway_followup,
            usage=Text(en="/klynge takeaway followup 4w", da="/klynge takeaway followup 4u"),
            summary=Text(
                en="when to ask members whether they implemented their take-homes",
                da="hvornår medlemmerne spørges, om de har gennemført deres take-home-beskeder",
            ),
            coordinator_only=True,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("summary",),
            run=summary_command,
            usage=Text(en="/klynge summary [<meeting id>]", da="/klynge summary [<møde-id>]"),
            summary=Text(
                en="post the take-home messages, by breakout group",
                da="del take-home-beskederne, efter gruppe",
            ),
            coordinator_only=True,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("export",),
            run=export_command,
            usage=Text(en="/klynge export [<meeting id>]", da="/klynge export [<møde-id>]"),
            summary=Text(
                en="upload the meeting's decision minutes (Markdown)",
                da="læg mødets beslutningsreferat op (Markdown)",
            ),
            coordinator_only=True,
        )
    )
    app.shortcut(SHORTCUT)(on_shortcut)
    app.action(kit.OPEN_MODAL)(on_open_modal)
    app.action(kit.EDIT)(on_edit)
    app.action(kit.UNDO)(on_undo)
    app.action(re.compile("^" + re.escape(kit.ANSWER_PREFIX)))(on_answer)
    app.view(kit.CLOSING_ROUND_VIEW)(on_closing_round_submit)
    app.view(kit.EDIT_VIEW)(on_edit_submit)
    app.event("reaction_added")(on_reaction_added)
    app.event("reaction_removed")(on_reaction_removed)
    wiring.hooks.meeting_ended.append(on_meeting_ended)
    wiring.hooks.agenda_blocks.append(agenda_blocks)
    wiring.hooks.reminder_blocks.append(reminder_blocks)


def register_jobs(deps: Deps) -> None:
    async def run(job: Job) -> None:
        await send_followups(deps, job)

    deps.scheduler.on(FOLLOWUP_JOB, run)
