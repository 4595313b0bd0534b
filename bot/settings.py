"""Settings, read once from the environment at start-up and passed down from there."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from bot.i18n import LANGUAGES, Language
from bot.numbers import is_number
from bot.when import find_zone

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///klynge.db"
SLACK_API_DEFAULT = "https://slack.com/api/"

MISSING_TOKEN_HELP = """\
klyngebot needs a Slack app to talk to. Set SLACK_BOT_TOKEN (the bot token, xoxb-...) and either
SLACK_SIGNING_SECRET (HTTP mode, Slack posts to https://<your host>/slack/events) or SLACK_APP_TOKEN
(Socket Mode, xapp-..., no public URL needed). To serve many workspaces from one deployment, set
SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_SIGNING_SECRET instead of SLACK_BOT_TOKEN; each
workspace then installs the bot at https://<your host>/slack/install. Optional: DATABASE_URL
(default sqlite+aiosqlite:///klynge.db), PORT (default 3000), KLYNGE_TIMEZONE, KLYNGE_LANGUAGE (en
or da). docs/deploy.md walks through creating the app from manifest.yml. To see the bot work with no
Slack at all, run: python -m bot demo"""


class SettingsError(Exception):
    """The environment does not describe a runnable bot; the message says what to set."""


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything the bot reads from its environment."""

    # One workspace: its bot token. Many workspaces (OAuth): "", and client_id/client_secret.
    bot_token: str
    signing_secret: str
    app_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    # Where Slack sends the browser after an install; only needed if the app lists several.
    redirect_uri: str | None = None
    api_url: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    port: int = 3000
    timezone: str = "Europe/Copenhagen"
    language: Language = "en"

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def api_base_url(self) -> str:
        """The Web API's base URL, ending in a slash."""
        base_url = self.api_url or SLACK_API_DEFAULT
        return base_url if base_url.endswith("/") else base_url + "/"

    @property
    def many_workspaces(self) -> bool:
        """Installed per workspace through OAuth, each with its own bot token."""
        return bool(self.client_id)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read and validate the environment; raise ``SettingsError`` with a friendly message."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        bot_token = get("SLACK_BOT_TOKEN")
        app_token = get("SLACK_APP_TOKEN")
        signing_secret = get("SLACK_SIGNING_SECRET")
        client_id, client_secret = _client(get("SLACK_CLIENT_ID"), get("SLACK_CLIENT_SECRET"))
        if bot_token and client_id:
            raise SettingsError(
                "Both SLACK_BOT_TOKEN and SLACK_CLIENT_ID are set. Set SLACK_BOT_TOKEN to serve "
                "one workspace, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to let many "
                "workspaces install the bot (each gets its own token), not both."
            )
        if not bot_token and not client_id:
            raise SettingsError(MISSING_TOKEN_HELP)
        if not app_token and not signing_secret:
            raise SettingsError(
                "SLACK_SIGNING_SECRET is not set. In HTTP mode every request from Slack is checked "
                "against it (Slack app settings → Basic Information → Signing Secret). Set it, or "
                "set SLACK_APP_TOKEN to use Socket Mode instead.\n\n" + MISSING_TOKEN_HELP
            )
        return cls(
            bot_token=bot_token or "",
            signing_secret=signing_secret or "",
            app_token=app_token,
            client_id=client_id,
            client_secret=client_secret,
            redirect_uri=get("SLACK_REDIRECT_URI"),
            api_url=get("SLACK_API_URL"),
            database_url=get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            port=_port(get("PORT")),
            timezone=_timezone(get("KLYNGE_TIMEZONE")),
            language=_language(get("KLYNGE_LANGUAGE")),
        )


def _client(client_id: str | None, secret: str | None) -> tuple[str | None, str | None]:
    if bool(client_id) != bool(secret):
        missing = "SLACK_CLIENT_SECRET" if client_id else "SLACK_CLIENT_ID"
        raise SettingsError(
            f"{missing} is not set. To let many workspaces install the bot, set both "
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Slack app settings → Basic Information → "
            "App Credentials); to serve one workspace, set SLACK_BOT_TOKEN instead."
        )
    return client_id, secret


def _port(value: str | None) -> int:
    if value is None:
        return 3000
    if not is_number(value, digits=5) or not 0 < int(value) < 65536:
        raise SettingsError(f"PORT must be a number from 1 to 65535, not {value!r}.")
    return int(value)


def _timezone(value: str | None) -> str:
    name = value or "Europe/Copenhagen"
    if find_zone(name) is None:
        raise SettingsError(
            f"KLYNGE_TIMEZONE {name[:80]!r} is not a time zone; use a name like Europe/Copenhagen."
        )
    return name


def _language(value: str | None) -> Language:
    if value is None:
        return "en"
    if value not in LANGUAGES:
        raise SettingsError(f"KLYNGE_LANGUAGE must be 'en' or 'da', not {value!r}.")
    return value
