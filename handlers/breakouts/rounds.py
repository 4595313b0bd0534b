"""``/klynge breakout <size>``: one round of well-mixed groups, its notes threads and Zoom file."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from slack_sdk.errors import SlackClientError

from bot.errors import UserError
from bot.mrkdwn import escape
from handlers.breakouts import blocks as kit
from handlers.breakouts.common import name_key, parse_size
from handlers.breakouts.grouping import MixingRules, make_groups
from handlers.breakouts.people import People, participants
from handlers.breakouts.subclusters import subcluster_groups
from handlers.breakouts.texts import (
    BREAKOUT_DONE,
    COUNT_WORDS,
    EMAILS_UNREAD,
    FLAGS_CONFLICT,
    NO_EMAIL,
    NO_SUBCLUSTERS_PRESENT,
    PEOPLE_UNCHECKED,
    SIZE_TOO_LARGE,
    TOO_FEW_PEOPLE,
    UNEXPECTED_WORDS,
    WHO_SHORT_CHECKED_IN,
    WHO_SHORT_EVERYONE,
    ZOOM_COMMENT,
    ZOOM_FAILED,
    ZOOM_FILE_TITLE,
    ZOOM_SENT,
)
from handlers.breakouts.zoom import pre_assignment_csv
from handlers.router import CommandContext
from storage import breakouts as store
from storage.clusters import Cluster

log = logging.getLogger(__name__)

# chat.postMessage allows about one message per second per channel: beyond this many groups
# (hundreds of people in pairs) the notes threads would take minutes, so they are left out.
MAX_THREAD_NOTES = 60


def _count_words(ctx: CommandContext, count: int) -> str:
    return ctx.t(COUNT_WORDS.get(count, COUNT_WORDS[0]))


async def breakout(ctx: CommandContext) -> None:
    """Split the participants into well-mixed groups, post them, store them, send the Zoom file."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    from_subclusters = ctx.args.switch("from-subclusters")
    keep_together = ctx.args.switch("keep-clinics-together")
    if from_subclusters and keep_together:
        raise UserError(FLAGS_CONFLICT)
    words = ctx.args.words
    if len(words) > 1:
        raise UserError(UNEXPECTED_WORDS, extra=escape(" ".join(words[1:])[:80]))
    # With --from-subclusters the sub-clusters decide the sizes; a size is then optional.
    size = None if from_subclusters and not words else parse_size(words[0] if words else None)
    people = await participants(ctx.deps, cluster)
    count = len(people.ids)
    if count < 2:
        raise UserError(TOO_FEW_PEOPLE, count_words=_count_words(ctx, count))
    if size is not None and size > count:
        who = WHO_SHORT_CHECKED_IN if people.checked_in else WHO_SHORT_EVERYONE
        raise UserError(SIZE_TOO_LARGE, count=count, who=ctx.t(who), size=size)

    async with ctx.deps.db.session() as session:
        history = await store.cluster_history(session, cluster_id=cluster.id)
        convened = await store.convener_counts(session, cluster_id=cluster.id)
        clinics = await store.clinics(session, cluster_id=cluster.id)
        named = await subcluster_groups(session, cluster.id) if from_subclusters else []
    labels: list[str | None] = []
    if from_subclusters:
        made = kit.groups_from_subclusters(named, people.ids)
        if not made:
            raise UserError(NO_SUBCLUSTERS_PRESENT)
        labels = [name for name, _ in made]
        groups: list[list[str]] = [members for _, members in made]
    else:
        assert size is not None
        rules = MixingRules(
            clinics={user: name_key(name) for user, name in clinics.items()},
            keep_clinics_together=keep_together,
        )
        # A first plan for a new set of people can take a second of CPU: keep the loop free.
        groups = await asyncio.to_thread(
            make_groups, people.ids, size, history=history, rules=rules, seed=cluster.id
        )
    conveners = kit.with_conveners(groups, convened, len(history))
    round_number = await _round_number(ctx, people.meeting_id, len(history))
    who = kit.WHO_CHECKED_IN if people.checked_in else kit.WHO_EVERYONE
    intro = ctx.t(kit.INTRO, round=round_number, who=ctx.t(who, count=count), groups=len(conveners))
    messages = kit.round_messages(ctx.language, intro=intro, groups=conveners, labels=labels)
    posted = await ctx.announce(messages[0][0], blocks=messages[0][1], queue=False)
    for text, blocks in messages[1:]:  # only for hundreds of people
        await ctx.announce(text, blocks=blocks)
    async with ctx.deps.db.session() as session:
        stored = await store.add_round(
            session,
            cluster_id=cluster.id,
            meeting_id=people.meeting_id,
            group_size=size if size is not None else max(len(g) for g in conveners),
            created_by=ctx.user_id,
            created_at=ctx.deps.clock(),
            message_ts=str(posted.get("ts") or "") or None,
            groups=conveners,
        )
    _, zoom = await asyncio.gather(
        _thread_notes(ctx, str(posted.get("ts") or ""), conveners),
        _send_zoom_file(ctx, cluster, round_number, conveners, people),
    )
    log.info("breakout round %s: %d people in %d groups", stored.id, count, len(conveners))
    unchecked = ""
    if people.unchecked:
        unchecked = ctx.t(PEOPLE_UNCHECKED, count=len(people.unchecked), total=count)
    await ctx.reply(ctx.t(BREAKOUT_DONE, groups=len(conveners), zoom=zoom) + unchecked)


async def _round_number(ctx: CommandContext, meeting_id: int | None, in_cluster: int) -> int:
    """Rounds are counted per meeting (per cluster outside meetings)."""
    if meeting_id is None:
        return in_cluster + 1
    async with ctx.deps.db.session() as session:
        return len(await store.rounds_of_meeting(session, meeting_id=meeting_id)) + 1


async def _thread_notes(ctx: CommandContext, ts: str, groups: Sequence[Sequence[str]]) -> None:
    """One reply per group in the post's thread, in group order, for the group's notes."""
    if not ts or len(groups) > MAX_THREAD_NOTES:
        return
    for number, group in enumerate(groups, start=1):
        try:
            await ctx.deps.client.chat_postMessage(
                channel=ctx.channel_id,
                thread_ts=ts,
                text=kit.thread_note(ctx.language, number, group),
            )
        except SlackClientError as error:  # the groups are posted; a missing note is survivable
            log.warning("could not post the notes thread of group %d: %s", number, error)


async def _send_zoom_file(
    ctx: CommandContext,
    cluster: Cluster,
    round_number: int,
    groups: Sequence[Sequence[str]],
    people: People,
) -> str:
    """Upload the pre-assignment CSV to the coordinator's DM; returns what to tell them."""
    rooms = [
        (kit.room_name(ctx.language, number), group) for number, group in enumerate(groups, start=1)
    ]
    content, missing = pre_assignment_csv(rooms, people.emails)
    comment = ctx.t(ZOOM_COMMENT, round=round_number, name=escape(cluster.name))
    unread = set(people.unread)
    missing_note = ""
    if without := [user for user in missing if user not in unread]:
        missing_note = ctx.t(NO_EMAIL, users=", ".join(f"<@{user}>" for user in without))
    if unread:
        missing_note += ctx.t(EMAILS_UNREAD, count=len(unread), total=len(people.ids))
    try:
        opened = await ctx.deps.client.conversations_open(users=ctx.user_id)
        await ctx.deps.client.files_upload_v2(
            channel=str(opened["channel"]["id"]),
            content=content,
            filename=f"zoom-breakout-rooms-round-{round_number}.csv",
            title=ctx.t(ZOOM_FILE_TITLE, round=round_number),
            initial_comment=comment + missing_note,
        )
    except (SlackClientError, OSError, TimeoutError) as error:
        log.warning("could not send the Zoom file: %s", error)
        return ctx.t(ZOOM_FAILED) + missing_note
    return ctx.t(ZOOM_SENT) + missing_note
