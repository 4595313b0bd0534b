"""Which workspace a Web API call acts in, and so which bot token it carries.

With one workspace (``SLACK_BOT_TOKEN``) every call uses that token. With many (OAuth, see
``bot.oauth``) each workspace has its own: a request's calls use the token Bolt found for the
request's workspace (``act_for`` in the app's middleware), a scheduled job's calls the token its
workspace's installation holds (``Workspaces.acting_for`` around each job). Both put the token
in a context variable that ``deps.client`` (``WorkspaceClient``) reads on every call, and that
work started meanwhile (background tasks) inherits. The workspace itself goes into
``storage.jobs.acting_team``, so a job scheduled while acting for it acts for it later.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.pacing import PacedWebClient
from storage.db import Database
from storage.installations import bot_token
from storage.jobs import acting_team

_token: ContextVar[str | None] = ContextVar("klynge_bot_token", default=None)


class NotInstalled(Exception):
    """A job's workspace has no bot token here (it never installed the bot, or left)."""


def act_for(team_id: str | None, token: str | None) -> None:
    """From here on, in this task and the tasks it starts, act in ``team_id`` with ``token``
    (None: the client's own token). For the middleware: a request's task ends with it."""
    acting_team.set(team_id)
    _token.set(token)


class Workspaces:
    """Finds a workspace's bot token for work done outside a request (scheduled jobs)."""

    def __init__(self, db: Database, *, client_id: str | None) -> None:
        self.db = db
        self.client_id = client_id  # None with one workspace: its token is the client's own

    async def token_for(self, team_id: str | None) -> str | None:
        if self.client_id is None or team_id is None:
            return None
        async with self.db.session() as session:
            token = await bot_token(session, client_id=self.client_id, team_id=team_id)
        if token is None:
            raise NotInstalled(f"workspace {team_id} has not installed the bot")
        return token

    @asynccontextmanager
    async def acting_for(self, team_id: str | None) -> AsyncIterator[None]:
        """Act in ``team_id`` (with its bot token) inside the block."""
        token = await self.token_for(team_id)
        team_reset, token_reset = acting_team.set(team_id), _token.set(token)
        try:
            yield
        finally:
            _token.reset(token_reset)
            acting_team.reset(team_reset)


class WorkspaceClient(PacedWebClient):
    """``deps.client``: a call carries the token of the workspace being acted in, if one is
    set, else the client's own; a token or client credentials given to the call itself win."""

    async def api_call(self, api_method: str, **options: Any) -> AsyncSlackResponse:
        token = _token.get()
        if token is not None and options.get("auth") is None:
            options = _with_token(options, token)
        return await super().api_call(api_method, **options)

    def workspace(self) -> str | None:
        # Slack's rate limits are per workspace; with one token there is one workspace.
        return acting_team.get() if _token.get() is not None else None


def _with_token(options: dict[str, Any], token: str) -> dict[str, Any]:
    """``options`` with ``token`` where slack-sdk takes a per-call token from (JSON body or
    query parameters), unless the call names its own (``token=None`` names none)."""
    json_body, params = options.get("json"), options.get("params")
    if any(isinstance(given, dict) and given.get("token") for given in (json_body, params)):
        return options
    if isinstance(json_body, dict):
        return {**options, "json": {**json_body, "token": token}}
    return {**options, "params": {**(params or {}), "token": token}}
