"""Asking before an unplanned meeting is started: ``/klynge start`` (or the Home tab's Start
meeting button) with no planned meeting due posts nothing to the channel until the coordinator
confirms. The answer carries Confirm and Cancel; Confirm runs ``/klynge start --unplanned``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.commands import Arguments
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.mrkdwn import escape
from bot.numbers import is_number
from handlers.meetings import blocks as ui
from handlers.meetings.common import local_time
from handlers.meetings.running_texts import (
    MEETING_GONE,
    NOT_STARTED,
    UNPLANNED_NEXT,
    UNPLANNED_QUESTION,
)
from handlers.router import CommandContext, CommandRouter, coordinators_only
from storage import meetings as store
from storage.clusters import Cluster, get_cluster_by_id, is_coordinator

UNPLANNED_FLAG = "unplanned"

Listener = Callable[..., Awaitable[None]]


async def ask_to_start_unplanned(ctx: CommandContext) -> None:
    """Privately: no meeting is due; start an unplanned one? (Confirm / Cancel)."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    async with ctx.deps.db.session() as session:
        upcoming = await store.upcoming_meetings(
            session, cluster_id=cluster.id, now=ctx.deps.clock(), limit=1
        )
    following = (
        UNPLANNED_NEXT.bind(
            id=upcoming[0].id,
            title=escape(upcoming[0].title),
            when=local_time(upcoming[0].starts_at, ctx.timezone, ctx.language),
        )
        if upcoming
        else ""
    )
    question = ctx.t(UNPLANNED_QUESTION, next=following)
    await ctx.reply(question, blocks=ui.unplanned_confirmation(question, cluster.id, ctx.language))


async def _clicked_cluster(deps: Deps, body: dict[str, Any]) -> Cluster | None:
    """The cluster named by the clicked button, if it is in the clicker's workspace."""
    value = str((body.get("actions") or [{}])[0].get("value") or "")
    if not is_number(value, digits=12):
        return None
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    async with deps.db.session() as session:
        cluster = await get_cluster_by_id(session, int(value))
    return cluster if cluster is not None and cluster.team_id == team else None


def on_confirm(router: CommandRouter) -> Listener:
    """The Confirm button: start the unplanned meeting, as its coordinator asked."""

    async def on_start_unplanned(
        ack: Callable[..., Awaitable[None]],
        body: dict[str, Any],
        respond: AsyncRespond,
        context: Any,
    ) -> None:
        await ack()
        deps = deps_of(context)
        cluster = await _clicked_cluster(deps, body)
        if cluster is None or cluster.id is None:
            await respond(
                text=MEETING_GONE.render(deps.settings.language), response_type="ephemeral"
            )
            return
        user = str(body["user"]["id"])
        async with deps.db.session() as session:
            coordinator = await is_coordinator(session, cluster_id=cluster.id, user_id=user)
        ctx = router.context_for(
            deps,
            "start",
            cluster=cluster,
            user=user,
            respond=respond,
            is_coordinator=coordinator,
            args=Arguments(flags={UNPLANNED_FLAG: True}),
        )
        await respond(delete_original=True)  # the question is answered: no second click
        try:
            if not coordinator:
                raise await coordinators_only(ctx)
            await ctx.subcommand.run(ctx)
        except UserError as error:
            await ctx.reply(error.render(ctx.language))

    return on_start_unplanned


async def on_cancel(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], respond: AsyncRespond, context: Any
) -> None:
    """The Cancel button: nothing starts; the question is replaced by saying so."""
    await ack()
    deps = deps_of(context)
    cluster = await _clicked_cluster(deps, body)
    language = cluster.language if cluster is not None else deps.settings.language
    await respond(
        text=NOT_STARTED.render(language), replace_original=True, response_type="ephemeral"
    )
