"""Small helpers around Slack's Web API and what Slack sends."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from storage.db import raised_in

log = logging.getLogger(__name__)

# Direct messages to many people: each DM is its own channel (chat.postMessage allows about 1 a
# second per channel), but a workspace takes only "several hundred" posts a minute in all. The
# first DM_BURST go at once; the rest one every DM_INTERVAL seconds (120 a minute), leaving room
# for everything else the bot posts meanwhile.
DM_BURST = 20
DM_INTERVAL = 0.5


# The bot cannot post in the channel: it was removed, or the channel went away.
CHANNEL_GONE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
# Slack's own trouble: worth trying again later, nothing the person did.
_SLACK_TROUBLE = frozenset(
    {"ratelimited", "internal_error", "service_unavailable", "request_timeout"}
)

# Slack's times are seconds since 1970 with six decimals, like "1700000000.123456".
_SLACK_TIME = re.compile(r"([0-9]{1,13})(?:\.([0-9]{1,6})[0-9]*)?")


def error_code(error: SlackApiError) -> str | None:
    """Slack's error code (``not_in_channel``…), or None when the answer was not JSON."""
    data = error.response.data
    return str(data.get("error")) if isinstance(data, dict) and data.get("error") else None


def is_slack_unavailable(error: BaseException) -> bool:
    """True when ``error`` says Slack could not be reached or did not answer properly (a 5xx,
    a 429 past the retries, a connection error or a timeout on the way to Slack)."""
    if isinstance(error, SlackApiError):
        status = int(getattr(error.response, "status_code", 200) or 200)
        return status == 429 or status >= 500 or error_code(error) in _SLACK_TROUBLE
    if isinstance(error, aiohttp.ClientError):
        return True
    return isinstance(error, OSError) and raised_in(error, ("aiohttp", "slack_sdk"))


async def direct_messages(
    client: AsyncWebClient,
    users: Sequence[str],
    text: str,
    *,
    blocks: list[dict[str, Any]] | None = None,
) -> list[str]:
    """Send each of ``users`` the same message in their DM with the app, paced; returns those
    it could not reach (logged). Use this for anything a person must see later: an ephemeral
    message is shown only to someone looking at the channel at that moment.

    chat.postMessage with a user id as the channel posts in the app's DM with that person, so
    no conversations.open (Tier 3, about 50 a minute) is needed per person.
    """
    unreached: list[str] = []
    for number, user in enumerate(users):
        if number >= DM_BURST:
            await asyncio.sleep(DM_INTERVAL)
        try:
            await client.chat_postMessage(channel=user, text=text, blocks=blocks)
        except (SlackApiError, OSError) as error:
            reason = error_code(error) if isinstance(error, SlackApiError) else str(error)
            log.warning("could not send %s a direct message: %s", user, reason)
            unreached.append(user)
    return unreached


def click_time(body: dict[str, Any], *, fallback: datetime) -> str:
    """When Slack says the click in ``body`` happened (``actions[0].action_ts``), as zero-padded
    text whose order is the order of time: "0001700000000.123456" (digits after the sixth
    decimal are dropped). ``fallback`` stands in for a missing or malformed time."""
    raw = str(((body.get("actions") or [{}])[0] or {}).get("action_ts") or "")
    found = _SLACK_TIME.fullmatch(raw)
    whole, fraction = (
        (found[1], found[2] or "") if found else f"{fallback.timestamp():.6f}".split(".")
    )
    return f"{whole.zfill(13)}.{fraction.ljust(6, '0')}"
