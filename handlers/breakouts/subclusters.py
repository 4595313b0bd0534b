"""``/klynge subcluster ...``: lasting sub-clusters (babyklynger), made by hand or by the mixer."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import mention_user_id
from bot.errors import UserError
from bot.members import current_members
from bot.mrkdwn import escape
from bot.privacy import refuse_cpr
from handlers.breakouts.common import name_key, parse_size
from handlers.breakouts.grouping import MixingRules, make_groups
from handlers.breakouts.texts import (
    ADDED,
    ALREADY_IN,
    AUTO_DONE,
    AUTO_EXISTS,
    AUTO_SIZE_NEEDED,
    AUTO_TOO_FEW,
    AUTO_TOO_LARGE,
    CREATED,
    DELETED,
    KNOWN_SUBCLUSTERS,
    LIST_LINE,
    LIST_TITLE,
    LIST_WITHOUT,
    MENTION_IN_NAME,
    MOVED,
    NAME_TAKEN,
    NAME_TOO_LONG,
    NEEDS_NAME,
    NEEDS_PEOPLE,
    NO_SUBCLUSTERS_YET,
    NO_SUCH_SUBCLUSTER,
    NOBODY,
    NOBODY_YET,
    NOT_A_MEMBER,
    NOT_A_MENTION,
    NOT_IN,
    PEOPLE_WITHOUT_AT,
    REMOVED,
    SUBCLUSTER_NAME,
    UNEXPECTED_WORDS_HERE,
    UNKNOWN_MENTION,
)
from handlers.router import CommandContext
from storage import breakouts as store
from storage.breakouts import Subcluster
from storage.clusters import Cluster

MAX_SUBCLUSTER_NAME = 80


async def subcluster_groups(session: AsyncSession, cluster_id: int) -> list[tuple[str, list[str]]]:
    """Every sub-cluster's name with its members."""
    members = await store.subcluster_members(session, cluster_id=cluster_id)
    return [
        (subcluster.name, members.get(subcluster.id or 0, []))
        for subcluster in await store.subclusters(session, cluster_id=cluster_id)
    ]


# Words that join mentions in a list ("@a, @b og @c").
_JOINERS = frozenset({",", ";", "+", "&", "og", "and"})
_MARKUP = re.compile(r"<[@#!]")


def _name_and_people(
    ctx: CommandContext, action: str, *, people_needed: bool = False
) -> tuple[str, list[str]]:
    """``<name words…> @a @b``: the name (words before the first mention) and the people.

    Mentions may be separated by commas or "og"/"and". Refused, so that nothing is stored under
    a name that was not meant: a name holding a mention, a word typed as ``@name`` that Slack
    did not turn into a mention, and (when creating) several unquoted words and no mention,
    which are people typed without @ (``create Nord Anne Bo``) unless the name is quoted.
    """
    command = ctx.subcommand.names.bind()
    name_words: list[str] = []
    people: list[str] = []
    quoted = False
    for token in ctx.args.positional:
        word = token.text
        user = None if token.quoted else mention_user_id(word.rstrip(",;"))
        if user is not None:
            people.append(user)
        elif people and word.lower() in _JOINERS:
            continue
        elif people:
            raise UserError(NOT_A_MENTION, word=escape(word[:60]), command=command)
        elif _MARKUP.search(word):
            raise UserError(MENTION_IN_NAME, command=command)
        elif word.startswith("@") and not token.quoted:
            raise UserError(UNKNOWN_MENTION, word=escape(word[:60]))
        else:
            name_words.append(word)
            quoted = quoted or token.quoted
    name = " ".join(" ".join(name_words).split()).rstrip(",;:")
    if not name:
        raise UserError(NEEDS_NAME, command=command)
    if len(name) > MAX_SUBCLUSTER_NAME:
        raise UserError(NAME_TOO_LONG, length=len(name), limit=MAX_SUBCLUSTER_NAME)
    refuse_cpr(name)
    if people_needed and not people:
        raise UserError(NEEDS_PEOPLE, command=command, name=escape(name))
    if action == "create" and not people and not quoted and len(name_words) > 1:
        first, rest = name_words[0], name_words[1:]
        raise UserError(
            PEOPLE_WITHOUT_AT,
            rest=escape(" ".join(rest)[:80]),
            name=escape(first[:40]),
            mentions=escape(" ".join(f"@{word.strip(',;')}" for word in rest)[:80]),
            whole=escape(name),
        )
    return name, list(dict.fromkeys(people))


async def _find(session: AsyncSession, cluster_id: int, name: str) -> Subcluster:
    """The sub-cluster called ``name`` (case and spacing don't matter)."""
    existing = await store.subclusters(session, cluster_id=cluster_id)
    for subcluster in existing:
        if name_key(subcluster.name) == name_key(name):
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
            if any(name_key(s.name) == name_key(name) for s in existing):
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
    name, people = _name_and_people(ctx, "add", people_needed=True)
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
    name, people = _name_and_people(ctx, "remove", people_needed=True)
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
        groups = await subcluster_groups(session, cluster.id)
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
    members = await current_members(ctx.deps, cluster)
    if len(members) < 2:
        raise UserError(AUTO_TOO_FEW, count=len(members))
    if size > len(members):
        raise UserError(AUTO_TOO_LARGE, count=len(members), size=size)
    async with ctx.deps.db.session() as session:
        existing = await store.subclusters(session, cluster_id=cluster.id)
        clinics = await store.clinics(session, cluster_id=cluster.id)
    if existing and not ctx.args.switch("replace"):
        raise UserError(AUTO_EXISTS, count=len(existing), size=size)
    rules = MixingRules(clinics={user: name_key(name) for user, name in clinics.items()})
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
