"""``/klynge clinic``: members' clinics (colleagues spread over breakout groups), and the list."""

from __future__ import annotations

from bot.commands import mention_user_id
from bot.errors import UserError
from bot.members import current_members
from bot.mrkdwn import escape
from bot.privacy import refuse_cpr
from handlers.breakouts.common import name_key
from handlers.breakouts.texts import (
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
    UNEXPECTED_WORDS_HERE,
)
from handlers.router import CommandContext, coordinators_only
from storage import breakouts as store

MAX_CLINIC_NAME = 120


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
    refuse_cpr(name)
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
        key = name_key(name)
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
