"""Breakout rounds, members' clinics and sub-clusters (babyklynger).

``/klynge breakout <size>`` splits the people present — the members checked in to the running
meeting, or, when nobody has checked in, every human member of the channel — into groups that
mix well over the cluster's whole history (``grouping``), posts them with a thread reply per
group, stores the round, and sends the coordinator Zoom's pre-assignment CSV in a direct message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import FlagKind, mention_user_id
from bot.deps import Deps
from bot.errors import UserError
from bot.i18n import Text
from bot.members import SLACKBOT, current_members
from bot.mrkdwn import escape
from bot.slack import error_code
from handlers.breakouts import blocks as kit
from handlers.breakouts.grouping import MixingRules, make_groups
from handlers.breakouts.texts import (
    ADDED,
    ALREADY_IN,
    AUTO_DONE,
    AUTO_EXISTS,
    AUTO_SIZE_NEEDED,
    AUTO_TOO_FEW,
    AUTO_TOO_LARGE,
    BREAKOUT_DONE,
    CLINIC_CLEAR_WITH_NAME,
    CLINIC_CLEARED,
    CLINIC_LIST,
    CLINIC_LIST_EMPTY,
    CLINIC_LIST_WITHOUT,
    CLINIC_NONE,
    CLINIC_ONE_PERSON,
    CLINIC_SET,
    CLINIC_SHOWN,
    CLINIC_TOO_LONG,
    CREATED,
    DELETED,
    FLAGS_CONFLICT,
    KNOWN_SUBCLUSTERS,
    LIST_LINE,
    LIST_TITLE,
    LIST_WITHOUT,
    MOVED,
    NAME_TAKEN,
    NAME_TOO_LONG,
    NEEDS_NAME,
    NEEDS_PEOPLE,
    NO_EMAIL,
    NO_SUBCLUSTERS_PRESENT,
    NO_SUBCLUSTERS_YET,
    NO_SUCH_SUBCLUSTER,
    NOBODY,
    NOBODY_YET,
    NOT_A_MEMBER,
    NOT_A_MENTION,
    NOT_IN,
    REMOVED,
    SIZE_NEEDED,
    SIZE_NOT_A_NUMBER,
    SIZE_TOO_LARGE,
    SIZE_TOO_SMALL,
    SUBCLUSTER_NAME,
    TOO_FEW_PEOPLE,
    UNEXPECTED_WORDS,
    UNEXPECTED_WORDS_HERE,
    WHO_SHORT_CHECKED_IN,
    WHO_SHORT_EVERYONE,
    ZOOM_COMMENT,
    ZOOM_FAILED,
    ZOOM_FILE_TITLE,
    ZOOM_SENT,
)
from handlers.breakouts.zoom import pre_assignment_csv, usable_email
from handlers.router import CommandContext, Subcommand, coordinators_only
from handlers.wiring import Wiring
from storage import breakouts as store
from storage.breakouts import Subcluster
from storage.clusters import Cluster
from storage.meetings import checked_in_ids, running_meeting

log = logging.getLogger(__name__)

MAX_SUBCLUSTER_NAME = 80
MAX_CLINIC_NAME = 120
LOOKUP_CONCURRENCY = 8  # users.info is Tier 4; a few at a time keeps us polite
# chat.postMessage allows about one message per second per channel: beyond this many groups
# (hundreds of people in pairs) the notes threads would take minutes, so they are left out.
MAX_THREAD_NOTES = 60

# --- breakout texts -----------------------------------------------------------------------------

COUNT_WORDS = {
    0: Text(en="are none", da="er ingen"),
    1: Text(en="is only one", da="er kun én"),
}


# --- clinic texts -------------------------------------------------------------------------------


# --- sub-cluster texts --------------------------------------------------------------------------


# --- participants -------------------------------------------------------------------------------


@dataclass
class People:
    """Who takes part in a round, where they came from, and their email (never stored)."""

    ids: list[str]
    checked_in: bool
    meeting_id: int | None
    emails: dict[str, str | None] = field(default_factory=dict)


async def look_up(client: AsyncWebClient, user_ids: Sequence[str]) -> dict[str, dict[str, object]]:
    """users.info for each id, a few at a time; people Slack doesn't know are left out."""
    limit = asyncio.Semaphore(LOOKUP_CONCURRENCY)

    async def one(user_id: str) -> dict[str, object] | None:
        if user_id == SLACKBOT:
            return None
        async with limit:
            try:
                user = (await client.users_info(user=user_id)).get("user")
            except SlackApiError as error:
                if error_code(error) in {"user_not_found", "user_not_visible"}:
                    return None
                # Slack is struggling; a member we already know takes part without an email.
                log.warning("users.info failed for %s: %s", user_id, error)
                return {"id": user_id}
        return user if isinstance(user, dict) else None

    found = await asyncio.gather(*(one(user_id) for user_id in user_ids))
    return {
        user_id: user for user_id, user in zip(user_ids, found, strict=True) if user is not None
    }


def _is_person(user: dict[str, object]) -> bool:
    return not (user.get("is_bot") or user.get("deleted") or user.get("is_app_user"))


async def _people_among(
    client: AsyncWebClient, user_ids: Sequence[str]
) -> tuple[list[str], dict[str, str | None]]:
    """The active people among ``user_ids`` (sorted) and their emails."""
    users = await look_up(client, user_ids)
    people = sorted({user_id for user_id, user in users.items() if _is_person(user)})
    emails: dict[str, str | None] = {}
    for user_id in people:
        profile = users[user_id].get("profile")
        emails[user_id] = usable_email(profile.get("email") if isinstance(profile, dict) else None)
    return people, emails


async def participants(deps: Deps, cluster: Cluster) -> People:
    """The checked-in members of the running meeting, else every human member of the channel.

    Everyone is looked up in Slack once (bots and deactivated accounts are dropped even when
    the member cache is stale); the emails found are kept for the Zoom file only.
    """
    assert cluster.id is not None
    async with deps.db.session() as session:
        meeting = await running_meeting(session, cluster_id=cluster.id)
        meeting_id = meeting.id if meeting else None
        checked = await checked_in_ids(session, meeting_id=meeting_id) if meeting_id else []
    if checked:
        people, emails = await _people_among(deps.client, checked)
        if people:
            return People(people, True, meeting_id, emails)
    people, emails = await _people_among(deps.client, await current_members(deps, cluster))
    return People(people, False, meeting_id, emails)


# --- breakout -----------------------------------------------------------------------------------


def parse_size(word: str | None, *, missing: Text = SIZE_NEEDED) -> int:
    """A group size typed by a person: a whole number of at least 2 (upper bound checked later)."""
    if word is None:
        raise UserError(missing)
    value = word.strip()
    if value.startswith("-") and value[1:].isascii() and value[1:].isdigit():
        raise UserError(SIZE_TOO_SMALL, size=escape(value[:12]))
    if not (value.isascii() and value.isdigit()):
        raise UserError(SIZE_NOT_A_NUMBER, value=escape(value[:40]))
    if len(value) > 9:  # far more than any channel; avoids giant integers downstream
        return 10**9
    size = int(value)
    if size < 2:
        raise UserError(SIZE_TOO_SMALL, size=size)
    return size


def _count_words(ctx: CommandContext, count: int) -> str:
    return ctx.t(COUNT_WORDS.get(count, COUNT_WORDS[0]))


def _clinic_key(name: str) -> str:
    """Clinic names compared the way people mean them: case and spacing don't matter."""
    return " ".join(name.split()).casefold()


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
        named = await _subcluster_groups(session, cluster.id) if from_subclusters else []
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
            clinics={user: _clinic_key(name) for user, name in clinics.items()},
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
    text, blocks = kit.round_message(ctx.language, intro=intro, groups=conveners, labels=labels)
    posted = await ctx.announce(text, blocks=blocks)
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
    await ctx.reply(ctx.t(BREAKOUT_DONE, groups=len(conveners), zoom=zoom))


async def _round_number(ctx: CommandContext, meeting_id: int | None, in_cluster: int) -> int:
    """Rounds are counted per meeting (per cluster outside meetings)."""
    if meeting_id is None:
        return in_cluster + 1
    async with ctx.deps.db.session() as session:
        return len(await store.rounds_of_meeting(session, meeting_id=meeting_id)) + 1


async def _subcluster_groups(session: AsyncSession, cluster_id: int) -> list[tuple[str, list[str]]]:
    members = await store.subcluster_members(session, cluster_id=cluster_id)
    return [
        (subcluster.name, members.get(subcluster.id or 0, []))
        for subcluster in await store.subclusters(session, cluster_id=cluster_id)
    ]


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
    missing_note = ""
    if missing:
        missing_note = ctx.t(NO_EMAIL, users=", ".join(f"<@{user}>" for user in missing))
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


# --- clinics ------------------------------------------------------------------------------------


async def clinic(ctx: CommandContext) -> None:
    """``clinic`` shows, ``clinic <name>`` sets, ``clinic --clear`` removes the caller's clinic;
    with ``@name`` first a coordinator does the same for someone else."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.args.words
    target = mention_user_id(words[0]) if words else None
    if target is not None:
        words = words[1:]
        if any(mention_user_id(word) for word in words):
            raise UserError(CLINIC_ONE_PERSON)
        if target != ctx.user_id and (words or ctx.args.switch("clear")) and not ctx.is_coordinator:
            raise await coordinators_only(ctx)
    user = target or ctx.user_id
    name = " ".join(" ".join(words).split())
    if ctx.args.switch("clear"):
        if name:
            raise UserError(CLINIC_CLEAR_WITH_NAME)
        async with ctx.deps.db.session() as session:
            await store.clear_clinic(session, cluster_id=cluster.id, user_id=user)
        await ctx.reply(ctx.t(CLINIC_CLEARED, user=f"<@{user}>"))
        return
    if not name:
        async with ctx.deps.db.session() as session:
            found = await store.clinic_of(session, cluster_id=cluster.id, user_id=user)
        if found is None:
            await ctx.reply(ctx.t(CLINIC_NONE, user=f"<@{user}>"))
        else:
            await ctx.reply(ctx.t(CLINIC_SHOWN, user=f"<@{user}>", clinic=escape(found)))
        return
    if len(name) > MAX_CLINIC_NAME:
        raise UserError(CLINIC_TOO_LONG, length=len(name), limit=MAX_CLINIC_NAME)
    async with ctx.deps.db.session() as session:
        await store.set_clinic(session, cluster_id=cluster.id, user_id=user, clinic=name)
    await ctx.reply(ctx.t(CLINIC_SET, user=f"<@{user}>", clinic=escape(name)))


async def clinic_list(ctx: CommandContext) -> None:
    """Every clinic with its members (and the members who have not set one)."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    if ctx.args.words:
        raise UserError(UNEXPECTED_WORDS_HERE, extra=escape(ctx.args.text()[:80]))
    async with ctx.deps.db.session() as session:
        by_user = await store.clinics(session, cluster_id=cluster.id)
    if not by_user:
        await ctx.reply(ctx.t(CLINIC_LIST_EMPTY, name=escape(cluster.name)))
        return
    by_clinic: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for user, name in sorted(by_user.items()):
        key = _clinic_key(name)
        shown.setdefault(key, name)
        by_clinic.setdefault(key, []).append(user)
    lines = [
        f"• *{escape(shown[key])}*: {', '.join(f'<@{u}>' for u in users)}"
        for key, users in sorted(by_clinic.items())
    ]
    without = [user for user in await current_members(ctx.deps, cluster) if user not in by_user]
    if without:
        lines.append(ctx.t(CLINIC_LIST_WITHOUT, users=", ".join(f"<@{u}>" for u in without)))
    await ctx.reply(ctx.t(CLINIC_LIST, name=escape(cluster.name), lines="\n".join(lines)))


# --- sub-clusters -------------------------------------------------------------------------------


def _name_and_people(ctx: CommandContext, action: str) -> tuple[str, list[str]]:
    """``<name words…> @a @b``: the name (words before the first mention) and the people."""
    words = ctx.args.words
    name_words: list[str] = []
    people: list[str] = []
    for word in words:
        user = mention_user_id(word)
        if user is not None:
            people.append(user)
        elif people:
            raise UserError(NOT_A_MENTION, word=escape(word[:60]), action=action)
        else:
            name_words.append(word)
    name = " ".join(" ".join(name_words).split())
    if not name:
        raise UserError(NEEDS_NAME, action=action)
    if len(name) > MAX_SUBCLUSTER_NAME:
        raise UserError(NAME_TOO_LONG, length=len(name), limit=MAX_SUBCLUSTER_NAME)
    return name, list(dict.fromkeys(people))


async def _find(session: AsyncSession, cluster_id: int, name: str) -> Subcluster:
    """The sub-cluster called ``name`` (case and spacing don't matter)."""
    existing = await store.subclusters(session, cluster_id=cluster_id)
    for subcluster in existing:
        if _clinic_key(subcluster.name) == _clinic_key(name):
            return subcluster
    known = (
        KNOWN_SUBCLUSTERS.bind(names=", ".join(f"*{escape(s.name)}*" for s in existing))
        if existing
        else NO_SUBCLUSTERS_YET
    )
    raise UserError(NO_SUCH_SUBCLUSTER, name=escape(name), known=known)


async def _check_members(ctx: CommandContext, cluster: Cluster, people: Sequence[str]) -> None:
    members = set(await current_members(ctx.deps, cluster))
    for user in people:
        if user not in members:
            raise UserError(NOT_A_MEMBER, user=f"<@{user}>")


async def _join(
    ctx: CommandContext, session: AsyncSession, subcluster: Subcluster, people: Sequence[str]
) -> list[str]:
    """Put ``people`` in ``subcluster``; the lines saying who moved from where."""
    assert subcluster.id is not None
    names = {
        s.id: s.name for s in await store.subclusters(session, cluster_id=subcluster.cluster_id)
    }
    moves: list[str] = []
    for user in people:
        left = await store.put_in_subcluster(
            session, cluster_id=subcluster.cluster_id, subcluster_id=subcluster.id, user_id=user
        )
        if left is not None:
            moves.append(
                ctx.t(
                    MOVED,
                    user=f"<@{user}>",
                    old=escape(names.get(left, "?")),
                    name=escape(subcluster.name),
                )
            )
    return moves


async def _changed(ctx: CommandContext, cluster: Cluster) -> None:
    await ctx.deps.hooks.subclusters_changed_in(ctx.deps, cluster)


async def subcluster_create(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    name, people = _name_and_people(ctx, "create")
    await _check_members(ctx, cluster, people)
    try:
        async with ctx.deps.db.session() as session:
            existing = await store.subclusters(session, cluster_id=cluster.id)
            if any(_clinic_key(s.name) == _clinic_key(name) for s in existing):
                raise UserError(NAME_TAKEN, name=escape(name))
            subcluster = await store.add_subcluster(session, cluster_id=cluster.id, name=name)
            moves = await _join(ctx, session, subcluster, people)
    except IntegrityError:  # created by someone else a moment ago
        raise UserError(NAME_TAKEN, name=escape(name)) from None
    members = (
        ", ".join(f"<@{user}>" for user in people)
        if people
        else ctx.t(NOBODY_YET, name=escape(name))
    )
    text = ctx.t(CREATED, name=escape(name), by=f"<@{ctx.user_id}>", members=members)
    await ctx.announce("\n".join([text, *moves]))
    await _changed(ctx, cluster)


async def subcluster_add(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    name, people = _name_and_people(ctx, "add")
    if not people:
        raise UserError(NEEDS_PEOPLE, action="add", name=escape(name))
    await _check_members(ctx, cluster, people)
    async with ctx.deps.db.session() as session:
        subcluster = await _find(session, cluster.id, name)
        assert subcluster.id is not None
        already = set(await store.subcluster_member_ids(session, subcluster_id=subcluster.id))
        joining = [user for user in people if user not in already]
        if not joining:
            raise UserError(
                ALREADY_IN,
                users=", ".join(f"<@{u}>" for u in people),
                name=escape(subcluster.name),
            )
        moves = await _join(ctx, session, subcluster, joining)
    text = ctx.t(
        ADDED,
        users=", ".join(f"<@{u}>" for u in joining),
        name=escape(subcluster.name),
        by=f"<@{ctx.user_id}>",
    )
    await ctx.announce("\n".join([text, *moves]))
    await _changed(ctx, cluster)


async def subcluster_remove(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    name, people = _name_and_people(ctx, "remove")
    if not people:
        raise UserError(NEEDS_PEOPLE, action="remove", name=escape(name))
    async with ctx.deps.db.session() as session:
        subcluster = await _find(session, cluster.id, name)
        assert subcluster.id is not None
        for user in people:
            if not await store.take_from_subcluster(
                session, cluster_id=cluster.id, subcluster_id=subcluster.id, user_id=user
            ):
                raise UserError(NOT_IN, user=f"<@{user}>", name=escape(subcluster.name))
    await ctx.announce(
        ctx.t(
            REMOVED,
            users=", ".join(f"<@{u}>" for u in people),
            name=escape(subcluster.name),
            by=f"<@{ctx.user_id}>",
        )
    )
    await _changed(ctx, cluster)


async def subcluster_delete(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    name, people = _name_and_people(ctx, "delete")
    if people:
        raise UserError(UNEXPECTED_WORDS_HERE, extra=escape(" ".join(f"<@{u}>" for u in people)))
    async with ctx.deps.db.session() as session:
        subcluster = await _find(session, cluster.id, name)
        assert subcluster.id is not None
        count = len(await store.subcluster_member_ids(session, subcluster_id=subcluster.id))
        await store.delete_subcluster(session, subcluster_id=subcluster.id)
    await ctx.announce(
        ctx.t(DELETED, name=escape(subcluster.name), by=f"<@{ctx.user_id}>", count=count)
    )
    await _changed(ctx, cluster)


async def subcluster_list(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    async with ctx.deps.db.session() as session:
        groups = await _subcluster_groups(session, cluster.id)
    if not groups:
        await ctx.reply(ctx.t(NO_SUBCLUSTERS_YET))
        return
    lines = [ctx.t(LIST_TITLE, name=escape(cluster.name))]
    placed: set[str] = set()
    for name, members in groups:
        placed.update(members)
        shown = ", ".join(f"<@{u}>" for u in members) or ctx.t(NOBODY)
        lines.append(ctx.t(LIST_LINE, name=escape(name), count=len(members), members=shown))
    without = [u for u in await current_members(ctx.deps, cluster) if u not in placed]
    if without:
        lines.append(ctx.t(LIST_WITHOUT, users=", ".join(f"<@{u}>" for u in without)))
    await ctx.reply("\n".join(lines))


async def subcluster_auto(ctx: CommandContext) -> None:
    """Split every member into persistent sub-clusters with the mixing algorithm (no history)."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.args.words
    if len(words) > 1:
        raise UserError(UNEXPECTED_WORDS_HERE, extra=escape(" ".join(words[1:])[:80]))
    size = parse_size(words[0] if words else None, missing=AUTO_SIZE_NEEDED)
    members, _ = await _people_among(ctx.deps.client, await current_members(ctx.deps, cluster))
    if len(members) < 2:
        raise UserError(AUTO_TOO_FEW, count=len(members))
    if size > len(members):
        raise UserError(AUTO_TOO_LARGE, count=len(members), size=size)
    async with ctx.deps.db.session() as session:
        existing = await store.subclusters(session, cluster_id=cluster.id)
        clinics = await store.clinics(session, cluster_id=cluster.id)
    if existing and not ctx.args.switch("replace"):
        raise UserError(AUTO_EXISTS, count=len(existing), size=size)
    rules = MixingRules(clinics={user: _clinic_key(name) for user, name in clinics.items()})
    groups = await asyncio.to_thread(make_groups, members, size, rules=rules, seed=cluster.id)
    named = [
        (ctx.t(SUBCLUSTER_NAME, number=number), group)
        for number, group in enumerate(groups, start=1)
    ]
    async with ctx.deps.db.session() as session:
        for old in await store.subclusters(session, cluster_id=cluster.id):
            assert old.id is not None
            await store.delete_subcluster(session, subcluster_id=old.id)
        for name, group in named:
            subcluster = await store.add_subcluster(session, cluster_id=cluster.id, name=name)
            assert subcluster.id is not None
            for user in group:
                await store.put_in_subcluster(
                    session, cluster_id=cluster.id, subcluster_id=subcluster.id, user_id=user
                )
    lines = "\n".join(
        f"• *{escape(name)}*: {', '.join(f'<@{u}>' for u in group)}" for name, group in named
    )
    await ctx.announce(
        ctx.t(AUTO_DONE, by=f"<@{ctx.user_id}>", count=len(members), groups=len(named), lines=lines)
    )
    await _changed(ctx, cluster)


# --- registration -------------------------------------------------------------------------------


def register(app: AsyncApp, wiring: Wiring) -> None:
    add = wiring.commands.add
    add(
        Subcommand(
            words=("breakout",),
            run=breakout,
            usage=Text(
                en="/klynge breakout <size> [--from-subclusters] [--keep-clinics-together]",
                da="/klynge breakout <størrelse> [--from-subclusters] [--keep-clinics-together]",
            ),
            summary=Text(
                en="split the people present into well-mixed groups (and a Zoom file for you)",
                da="del de fremmødte i godt blandede grupper (og en Zoom-fil til dig)",
            ),
            coordinator_only=True,
            flags={
                "from-subclusters": FlagKind.SWITCH,
                "keep-clinics-together": FlagKind.SWITCH,
            },
            aliases=(("grupper",),),
        )
    )
    add(
        Subcommand(
            words=("clinic",),
            run=clinic,
            usage=Text(
                en="/klynge clinic [<name> | --clear]", da="/klynge clinic [<navn> | --clear]"
            ),
            summary=Text(
                en="show or set your clinic (colleagues are spread over breakout groups)",
                da="vis eller angiv din klinik (kolleger spredes på grupperne)",
            ),
            flags={"clear": FlagKind.SWITCH},
            aliases=(("klinik",),),
        )
    )
    add(
        Subcommand(
            words=("clinic", "list"),
            run=clinic_list,
            usage=Text(en="/klynge clinic list", da="/klynge clinic list"),
            summary=Text(en="everybody's clinic", da="alles klinik"),
            coordinator_only=True,
        )
    )
    for words, run, usage, summary, coordinator_only, flags in (
        (
            "create",
            subcluster_create,
            Text(en="<name> @a @b …", da="<navn> @a @b …"),
            Text(en="make a sub-cluster", da="lav en babyklynge"),
            True,
            {},
        ),
        (
            "add",
            subcluster_add,
            Text(en="<name> @a …", da="<navn> @a …"),
            Text(en="add people to a sub-cluster", da="tilføj personer til en babyklynge"),
            True,
            {},
        ),
        (
            "remove",
            subcluster_remove,
            Text(en="<name> @a …", da="<navn> @a …"),
            Text(en="take people out of a sub-cluster", da="tag personer ud af en babyklynge"),
            True,
            {},
        ),
        (
            "list",
            subcluster_list,
            Text(en="", da=""),
            Text(en="the sub-clusters and their members", da="babyklyngerne og deres medlemmer"),
            False,
            {},
        ),
        (
            "auto",
            subcluster_auto,
            Text(en="<size> [--replace]", da="<størrelse> [--replace]"),
            Text(
                en="split all members into sub-clusters of about that size",
                da="del alle medlemmer i babyklynger på omkring den størrelse",
            ),
            True,
            {"replace": FlagKind.SWITCH},
        ),
        (
            "delete",
            subcluster_delete,
            Text(en="<name>", da="<navn>"),
            Text(en="delete a sub-cluster", da="slet en babyklynge"),
            True,
            {},
        ),
    ):
        add(
            Subcommand(
                words=("subcluster", words),
                run=run,
                usage=Text(
                    en=f"/klynge subcluster {words} {usage.en}".rstrip(),
                    da=f"/klynge subcluster {words} {usage.da}".rstrip(),
                ),
                summary=summary,
                coordinator_only=coordinator_only,
                flags=flags,
                aliases=(
                    (("subcluster",), ("subclusters",), ("babyklynger",)) if words == "list" else ()
                ),
            )
        )
