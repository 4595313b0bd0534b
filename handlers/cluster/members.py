"""Keeps the member cache current as people join and leave the cluster's channel."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.deps import deps_of
from bot.members import is_human
from handlers.wiring import Wiring
from storage.clusters import add_member, get_cluster, remove_member

log = logging.getLogger(__name__)


async def on_member_joined(event: dict[str, Any], context: Any) -> None:
    deps = deps_of(context)
    team = event.get("team") or context.get("team_id") or ""
    async with deps.db.session() as session:
        cluster = await get_cluster(session, team_id=team, channel_id=event["channel"])
    if cluster is None or cluster.id is None or not await is_human(deps.client, event["user"]):
        return
    async with deps.db.session() as session:
        await add_member(session, cluster_id=cluster.id, user_id=event["user"])


async def on_member_left(event: dict[str, Any], context: Any) -> None:
    deps = deps_of(context)
    team = event.get("team") or context.get("team_id") or ""
    async with deps.db.session() as session:
        cluster = await get_cluster(session, team_id=team, channel_id=event["channel"])
        if cluster is not None and cluster.id is not None:
            await remove_member(session, cluster_id=cluster.id, user_id=event["user"])


def register(app: AsyncApp, wiring: Wiring) -> None:
    app.event("member_joined_channel")(on_member_joined)
    app.event("member_left_channel")(on_member_left)
