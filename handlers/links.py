"""Link buttons ("Join Zoom") still send an action to the app; acknowledge them quietly.

Convention: every URL button's ``action_id`` starts with ``link:``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp

from handlers.wiring import Wiring

LINK_ACTION = re.compile(r"^link:")


async def acknowledge_link(ack: Callable[[], Awaitable[None]]) -> None:
    await ack()


def register(app: AsyncApp, wiring: Wiring) -> None:
    app.action(LINK_ACTION)(acknowledge_link)
