"""``/klynge coordinator add|remove|list``: who may plan and run the cluster's meetings."""

from __future__ import annotations

from bot.commands import mention_user_id
from bot.errors import UserError
from bot.members import is_person
from handlers.cluster.texts import (
    ALREADY_COORDINATOR,
    COORDINATOR_ADDED,
    COORDINATOR_LIST,
    COORDINATOR_REMOVED,
    COORDINATOR_USAGE_NEEDS_MENTION,
    LAST_COORDINATOR,
    NOT_A_PERSON,
    NOT_COORDINATOR,
)
from handlers.router import CommandContext
from storage import clusters as store


def _mentioned_users(ctx: CommandContext) -> list[str]:
    users = [mention_user_id(word) for word in ctx.args.words]
    if not users or any(user is None for user in users):
        raise UserError(COORDINATOR_USAGE_NEEDS_MENTION, command=ctx.subcommand.names.bind())
    return list(dict.fromkeys(user for user in users if user))


async def coordinator_add(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    users = _mentioned_users(ctx)
    for user in users:
        # Someone Slack can't check just now was named on purpose: taken as a person.
        if await is_person(ctx.deps, user) is False:
            raise UserError(NOT_A_PERSON, user=f"<@{user}>")
    async with ctx.deps.db.session() as session:
        added = [
            user
            for user in users
            if await store.add_coordinator(session, cluster_id=cluster.id, user_id=user)
        ]
    if not added:
        raise UserError(ALREADY_COORDINATOR, user=", ".join(f"<@{user}>" for user in users))
    mentions = ", ".join(f"<@{user}>" for user in added)
    await ctx.announce(ctx.t(COORDINATOR_ADDED, users=mentions, by=f"<@{ctx.user_id}>"))


async def coordinator_remove(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    users = _mentioned_users(ctx)
    async with ctx.deps.db.session() as session:
        current = await store.coordinator_ids(session, cluster_id=cluster.id)
        for user in users:
            if user not in current:
                raise UserError(NOT_COORDINATOR, user=f"<@{user}>")
        if not set(current) - set(users):
            raise UserError(LAST_COORDINATOR, user=f"<@{users[-1]}>")
        for user in users:
            await store.remove_coordinator(session, cluster_id=cluster.id, user_id=user)
    mentions = ", ".join(f"<@{user}>" for user in users)
    await ctx.announce(ctx.t(COORDINATOR_REMOVED, user=mentions, by=f"<@{ctx.user_id}>"))


async def coordinator_list(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    async with ctx.deps.db.session() as session:
        ids = await store.coordinator_ids(session, cluster_id=cluster.id)
    await ctx.reply(
        ctx.t(COORDINATOR_LIST, name=cluster.name, users=", ".join(f"<@{u}>" for u in ids))
    )
