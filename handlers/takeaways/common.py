"""Small helpers the take-home modules share: texts in the cluster's language, meeting
dates, private notes, and reading button values and modal submissions."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.feedback import view_metadata
from bot.i18n import Text, format_datetime
from bot.numbers import parse_number
from storage.clusters import Cluster, get_cluster_by_id
from storage.meetings import Meeting

log = logging.getLogger(__name__)

__all__ = ["view_metadata"]  # the take-home modules read their forms' metadata with it


def render(cluster: Cluster, text: Text, **values: object) -> str:
    return text.render(cluster.language, **values)


def local_time(cluster: Cluster, moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(cluster.timezone))


def meeting_date(cluster: Cluster, meeting: Meeting) -> str:
    moment = meeting.started_at or meeting.starts_at
    return format_datetime(local_time(cluster, moment), cluster.language)


async def tell_ephemeral(deps: Deps, cluster: Cluster, user: str, text: str) -> None:
    try:
        await deps.client.chat_postEphemeral(channel=cluster.channel_id, user=user, text=text)
    except (SlackApiError, OSError) as error:
        log.warning("could not tell %s privately: %s", user, error)


def action_value(body: Mapping[str, Any]) -> int | None:
    value = str((body.get("actions") or [{}])[0].get("value") or "")
    return parse_number(value)


def input_value(view: Mapping[str, Any], block_id: str) -> str:
    values = (view.get("state") or {}).get("values") or {}
    return str(((values.get(block_id) or {}).get("text") or {}).get("value") or "").strip()


async def cluster_of_view(deps: Deps, view: Mapping[str, Any]) -> Cluster | None:
    cluster_id = view_metadata(view).get("cluster")
    if not isinstance(cluster_id, int):
        return None
    async with deps.db.session() as session:
        return await get_cluster_by_id(session, cluster_id)
