"""Helpers the poll listeners share: loading a poll, reading clicks and forms, private answers."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import language_for, tell_privately
from bot.numbers import is_number
from storage.clusters import Cluster, get_cluster_by_id
from storage.polls import Poll

log = logging.getLogger(__name__)

Listener = Callable[..., Awaitable[None]]


def privately_on_user_error(listener: Listener) -> Listener:
    """Answer a ``UserError`` raised in a button listener privately, in the cluster's language."""

    @functools.wraps(listener)
    async def wrapped(**kwargs: Any) -> None:
        try:
            await listener(**kwargs)
        except UserError as error:
            deps = deps_of(kwargs["context"])
            language = await language_for(deps, kwargs["body"])
            await tell_privately(deps, kwargs["body"], error.render(language))

    return wrapped


def parse_ids(value: str) -> tuple[int, int] | None:
    first, _, second = value.partition(":")
    if not (is_number(first, digits=12) and is_number(second, digits=12)):
        return None
    return int(first), int(second)


async def load_poll(deps: Deps, poll_id: int) -> tuple[Poll, Cluster] | None:
    async with deps.db.session() as session:
        poll = await session.get(Poll, poll_id, populate_existing=True)
        if poll is None:
            return None
        cluster = await get_cluster_by_id(session, poll.cluster_id)
    return (poll, cluster) if cluster is not None else None


def view_state(body: dict[str, Any]) -> dict[str, Any]:
    return dict(((body.get("view") or {}).get("state") or {}).get("values") or {})


async def post_ephemeral(deps: Deps, channel: str, user: str, text: str) -> None:
    try:
        await deps.client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as error:
        log.warning("could not tell %s privately: %s", user, error.response.get("error"))
