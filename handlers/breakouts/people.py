"""Who takes part in a breakout: the people present, looked up in Slack once, with their emails."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.members import SLACKBOT, current_members
from bot.slack import error_code
from handlers.breakouts.zoom import usable_email
from storage.clusters import Cluster
from storage.meetings import checked_in_ids, running_meeting

log = logging.getLogger(__name__)

LOOKUP_CONCURRENCY = 8  # users.info is Tier 4; a few at a time keeps us polite


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


async def people_among(
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
        people, emails = await people_among(deps.client, checked)
        if people:
            return People(people, True, meeting_id, emails)
    people, emails = await people_among(deps.client, await current_members(deps, cluster))
    return People(people, False, meeting_id, emails)
