"""Link buttons ("Join Zoom") still send an action to the app; acknowledge them quietly.

Convention: every URL button's ``action_id`` starts with ``link:``. Any other action no listener
knows (a button on a message from an older version of the bot) is acknowledged and logged by
``acknowledge_unknown``, registered after every feature: unanswered, Slack would show an error.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.guard import KlyngeApp
from handlers.wiring import Wiring

log = logging.getLogger(__name__)

LINK_ACTION = re.compile(r"^link:")


async def acknowledge_link(ack: Callable[[], Awaitable[None]]) -> None:
    await ack()


async def acknowledge_unknown(ack: Callable[[], Awaitable[None]], body: dict[str, Any]) -> None:
    await ack()
    action = (body.get("actions") or [{}])[0]
    log.info("acknowledged an action no listener knows: %r", str(action.get("action_id"))[:80])


def register_catch_all(app: AsyncApp) -> None:
    """Every action no other listener handles is acknowledged (the guarded app keeps this
    listener last; a plain Bolt app needs it registered last)."""
    if isinstance(app, KlyngeApp):
        app.action_fallback(acknowledge_unknown)
    else:
        app.action(re.compile(".*"))(acknowledge_unknown)


def register(app: AsyncApp, wiring: Wiring) -> None:
    app.action(LINK_ACTION)(acknowledge_link)
