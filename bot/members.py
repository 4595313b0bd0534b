"""Who is in a cluster: the channel's human members, cached in the database.

The cache is refreshed from ``conversations.members`` (all pages) when it is older than
``MAX_AGE`` or on demand, and kept current by the member_joined/left_channel events. Bots,
Slackbot and deactivated users are left out; nothing but the user id is kept.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.names import remember
from bot.slack import error_code
from storage.clusters import Cluster, member_ids, replace_members

MAX_AGE = timedelta(hours=6)
SLACKBOT = "USLACKBOT"


async def is_human(client: AsyncWebClient, user_id: str) -> bool:
    """True for an active person; False for bots, apps, Slackbot and deactivated accounts."""
    if user_id == SLACKBOT:
        return False
    try:
        user = (await client.users_info(user=user_id)).get("user") or {}
    except SlackApiError as error:
        if error_code(error) in {"user_not_found", "user_not_visible"}:
            return False
        raise
    remember(client, {**user, "id": user_id})  # the PDF minutes and registers need the name
    return not (user.get("is_bot") or user.get("deleted") or user.get("is_app_user"))


async def channel_member_ids(client: AsyncWebClient, channel: str) -> list[str]:
    """Every member of ``channel``, following ``conversations.members`` pagination."""
    found: list[str] = []
    cursor: str | None = None
    while True:
        page = await client.conversations_members(channel=channel, limit=200, cursor=cursor)
        found.extend(page.get("members") or [])
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return found


async def refresh_members(deps: Deps, cluster: Cluster) -> list[str]:
    """Read the channel's members from Slack and store the humans among them."""
    assert cluster.id is not None
    everyone = await channel_member_ids(deps.client, cluster.channel_id)
    limit = asyncio.Semaphore(8)  # users.info is Tier 4; a few at a time keeps us polite

    async def check(user_id: str) -> bool:
        async with limit:
            return await is_human(deps.client, user_id)

    verdicts = await asyncio.gather(*(check(user_id) for user_id in everyone))
    humans = sorted(user for user, human in zip(everyone, verdicts, strict=True) if human)
    async with deps.db.session() as session:
        stored = await session.get(Cluster, cluster.id)
        assert stored is not None
        await replace_members(session, cluster=stored, user_ids=humans, synced_at=deps.clock())
    return humans


async def current_members(deps: Deps, cluster: Cluster, *, refresh: bool = False) -> list[str]:
    """The cluster's human members, from the cache unless it is stale (or ``refresh``)."""
    assert cluster.id is not None
    synced = cluster.members_synced_at
    if refresh or synced is None or deps.clock() - synced > MAX_AGE:
        return await refresh_members(deps, cluster)
    async with deps.db.session() as session:
        return await member_ids(session, cluster_id=cluster.id)
