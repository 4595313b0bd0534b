"""A workspace that uninstalls the bot (``app_uninstalled``) or revokes its bot token
(``tokens_revoked``) is forgotten: its installation, and everything kept about its clusters —
meetings, polls, take-home messages, scheduled reminders. Nothing of it stays behind (GDPR).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_builtins import AsyncTokenRevocationListeners

from bot.deps import deps_of
from handlers.wiring import Wiring
from storage.installations import forget_workspace

log = logging.getLogger(__name__)


def register(app: AsyncApp, wiring: Wiring) -> None:
    store = app.installation_store  # None with one workspace: its token is in the environment
    revocations = AsyncTokenRevocationListeners(store) if store is not None else None

    async def forget(context: Any) -> None:
        team_id = context.team_id
        if not team_id:
            return
        async with deps_of(context).db.session() as session:
            clusters = await forget_workspace(session, team_id=team_id)
        log.info("workspace %s left: forgot it and its %d cluster(s)", team_id, clusters)

    async def on_uninstalled(context: Any) -> None:
        if revocations is not None:
            await revocations.handle_app_uninstalled_events(context)
        await forget(context)

    async def on_tokens_revoked(event: dict[str, Any], context: Any) -> None:
        if revocations is not None:
            await revocations.handle_tokens_revoked_events(event, context)
        if (event.get("tokens") or {}).get("bot"):
            await forget(context)

    app.event("app_uninstalled")(on_uninstalled)
    app.event("tokens_revoked")(on_tokens_revoked)
