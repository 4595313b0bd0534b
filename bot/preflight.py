"""Checks before ``python -m bot run`` serves anything: that the database answers and that Slack
accepts the tokens. A failed check ends the start with one paragraph that names the setting to
fix (``StartupError``), never with a traceback: this is what a clinic's IT helper reads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import text

from bot.settings import Settings
from storage.db import Database

# A database or Slack that has not answered in this time will not answer soon.
PATIENCE_SECONDS = 20.0

DATABASE_UNREACHABLE = """\
klyngebot cannot reach its database, DATABASE_URL={url} ({error}). Check that the database \
server is running and reachable from here, and that the host, port, database name, user and \
password in DATABASE_URL are right (for SQLite: that the folder exists and may be written to). \
Nothing was started."""

BOT_TOKEN_REFUSED = """\
Slack does not accept SLACK_BOT_TOKEN: auth.test answered "{error}". Copy the Bot User OAuth \
Token (xoxb-...) again from the Slack app's settings (OAuth & Permissions); if the app was \
uninstalled or the token revoked, install the app to the workspace again and use the new \
token. Nothing was started."""

APP_TOKEN_REFUSED = """\
Slack does not accept SLACK_APP_TOKEN for Socket Mode: apps.connections.open answered \
"{error}". Generate an app-level token with the connections:write scope (Slack app settings, \
Basic Information, App-Level Tokens) and set it as SLACK_APP_TOKEN (xapp-...); or unset \
SLACK_APP_TOKEN to use HTTP mode. Nothing was started."""

SLACK_UNREACHABLE = """\
klyngebot cannot reach Slack's Web API at {url} ({error}). Check the server's internet \
connection, proxy and firewall (outgoing HTTPS to slack.com must be allowed){api_url_hint}. \
Nothing was started."""


class StartupError(Exception):
    """The configuration cannot work; the message is the paragraph to show the operator."""


async def check_configuration(settings: Settings) -> None:
    """Raise ``StartupError`` unless the database answers and Slack accepts the tokens."""
    db = Database(settings.database_url)
    try:
        await check_database(db)
    finally:
        await db.dispose()
    client = AsyncWebClient(token=settings.bot_token or None, base_url=settings.api_base_url)
    if settings.bot_token:
        await _ask_slack(settings, client.auth_test(), BOT_TOKEN_REFUSED)
    if settings.app_token:
        await _ask_slack(
            settings, client.apps_connections_open(app_token=settings.app_token), APP_TOKEN_REFUSED
        )


async def check_database(db: Database) -> None:
    try:
        async with asyncio.timeout(PATIENCE_SECONDS), db.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - whatever it is, the operator must fix the URL
        url = db.url.render_as_string(hide_password=True)
        raise StartupError(DATABASE_UNREACHABLE.format(url=url, error=_brief(error))) from None


async def _ask_slack(settings: Settings, call: Awaitable[Any], refused: str) -> None:
    try:
        async with asyncio.timeout(PATIENCE_SECONDS):
            await call
    except SlackApiError as error:
        raise StartupError(refused.format(error=error.response.get("error"))) from None
    except (aiohttp.ClientError, OSError, TimeoutError) as error:
        hint = " and that SLACK_API_URL is right, or unset it" if settings.api_url else ""
        raise StartupError(
            SLACK_UNREACHABLE.format(
                url=settings.api_base_url,
                error=_brief(error),
                api_url_hint=hint,
            )
        ) from None


def _brief(error: BaseException) -> str:
    """The error's kind and the first line of its message."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {message}" if message else type(error).__name__
