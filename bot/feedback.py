"""Telling one person something privately, wherever the request came from."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.deps import Deps
from bot.i18n import Phrase, Text
from storage.clusters import get_cluster

log = logging.getLogger(__name__)


def request_origin(body: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(team id, channel id, user id) of a slash command, interaction or event body."""
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    channel = (
        body.get("channel_id")
        or (body.get("channel") or {}).get("id")
        or (body.get("container") or {}).get("channel_id")
        or (body.get("event") or {}).get("channel")
    )
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    if user is None and isinstance(body.get("event"), dict):
        user = body["event"].get("user")
    return team, channel, user


def view_metadata(view: dict[str, Any] | Any) -> dict[str, Any]:
    """A modal's ``private_metadata`` as the dict this bot put there; ``{}`` for anything else
    (empty, not JSON, not an object: not a form this bot opened)."""
    try:
        found = json.loads(str(view.get("private_metadata") or "{}"))
    except json.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def remember_language(deps: Deps, team: str, channel: str, language: str) -> None:
    """Note the language of the cluster in ``channel``, for when its database is unreachable."""
    deps.languages[(team, channel)] = language


def known_language(deps: Deps, body: dict[str, Any]) -> str:
    """The language last read for the cluster of ``body`` (a form's channel is in its
    metadata), without asking the database; the default if none was read yet."""
    team, channel, _ = request_origin(body)
    channel = channel or view_metadata(body.get("view") or {}).get("channel")
    if team and isinstance(channel, str):
        return deps.languages.get((team, channel), deps.settings.language)
    return deps.settings.language


async def language_for(deps: Deps, body: dict[str, Any]) -> str:
    """The cluster's language for the channel of ``body``; when the database cannot say, the
    language last read for it (``known_language``)."""
    team, channel, _ = request_origin(body)
    if team and channel:
        try:
            async with deps.db.session() as session:
                cluster = await get_cluster(session, team_id=team, channel_id=channel)
        except Exception:  # noqa: BLE001 - the database may be the very thing that failed
            return known_language(deps, body)
        if cluster is not None:
            remember_language(deps, team, channel, cluster.language)
            return cluster.language
    return deps.settings.language


async def tell_privately(deps: Deps, body: dict[str, Any], text: Text | Phrase | str) -> None:
    """Send an ephemeral message to whoever sent ``body``; never raises."""
    message = text if isinstance(text, str) else text.render(await language_for(deps, body))
    _, channel, user = request_origin(body)
    try:
        if response_url := body.get("response_url"):
            webhook = AsyncWebhookClient(response_url)
            await webhook.send(text=message, response_type="ephemeral", replace_original=False)
        elif channel and user:
            await deps.client.chat_postEphemeral(channel=channel, user=user, text=message)
    except (SlackApiError, OSError) as error:
        log.warning("could not tell %s privately: %s", user, error)
