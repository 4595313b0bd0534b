"""People's names for documents that cannot show Slack mentions (the PDF minutes, the CSV
attendance registers).

Names come from ``users.info``, a few calls at a time, and are kept in this process for
``KEPT_FOR`` (per Web API client, so per workspace and per test), never in the database: a
name is personal data the bot only needs while it writes a document. ``remember`` lets other
``users.info`` callers (the member list) fill the cache so that a document costs no extra calls.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

KEPT_FOR = 3600.0  # seconds; a renamed person shows their new name within the hour
AT_ONCE = 8  # users.info is Tier 4: a few calls at a time keep the bot polite
MAX_KEPT = 5000

_books: weakref.WeakKeyDictionary[AsyncWebClient, dict[str, tuple[float, str]]] = (
    weakref.WeakKeyDictionary()
)


def name_of_user(user: Mapping[str, Any]) -> str | None:
    """The name a document shows for a ``users.info`` user: the real name where there is one."""
    profile = user.get("profile") or {}
    for value in (
        user.get("real_name"),
        profile.get("real_name"),
        profile.get("display_name"),
        user.get("name"),
    ):
        if value and str(value).strip():
            return str(value).strip()
    return None


def remember(client: AsyncWebClient, user: Mapping[str, Any]) -> None:
    """Keep the name of a ``users.info`` user that someone already fetched."""
    user_id = str(user.get("id") or "")
    name = name_of_user(user)
    if not user_id or name is None:
        return
    book = _books.setdefault(client, {})
    if len(book) >= MAX_KEPT:
        book.clear()
    book[user_id] = (time.monotonic() + KEPT_FOR, name)


def _kept(client: AsyncWebClient, user_id: str) -> str | None:
    found = _books.get(client, {}).get(user_id)
    if found is None or found[0] < time.monotonic():
        return None
    return found[1]


async def display_names(client: AsyncWebClient, user_ids: Iterable[str]) -> dict[str, str]:
    """user id -> name for each of ``user_ids``; the id itself when Slack won't tell."""
    wanted = sorted(set(user_ids))
    names = {user_id: name for user_id in wanted if (name := _kept(client, user_id))}
    limit = asyncio.Semaphore(AT_ONCE)

    async def look_up(user_id: str) -> None:
        async with limit:
            try:
                user = (await client.users_info(user=user_id)).get("user") or {}
            except SlackApiError:
                names[user_id] = user_id
                return
        remember(client, {**user, "id": user_id})
        names[user_id] = name_of_user(user) or user_id

    await asyncio.gather(*(look_up(user_id) for user_id in wanted if user_id not in names))
    return names
