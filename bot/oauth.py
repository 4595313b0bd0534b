"""Many workspaces from one deployment: Slack's OAuth v2 install flow, run by Bolt.

``GET /slack/install`` shows the *Add to Slack* link (slack.com's authorize URL with the client
id, the bot scopes and a fresh ``state``); Slack sends the browser back to
``GET /slack/oauth_redirect?code=…&state=…``, where Bolt trades the code for the workspace's bot
token with ``oauth.v2.access`` (at ``SLACK_API_URL``: Bolt uses the app's client) and saves the
installation. Installations and states live in the bot's own database, in slack-sdk's tables
(``storage.installations``); Bolt's authorization then finds each request's token there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth import OAuthStateUtils
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

from bot.i18n import Text
from bot.settings import Settings
from storage.db import Database
from storage.installations import BOTS_TABLE, INSTALLATIONS_TABLE, OAUTH_STATES_TABLE

# The bot scopes manifest.yml asks for (tests/unit/test_manifest.py keeps them equal).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "channels:read",
    "groups:read",
    "users:read",
    "users:read.email",
    "im:write",
    "mpim:write",
    "files:write",
    "reactions:read",
    "channels:history",
    "groups:history",
)
# How long an "Add to Slack" link stays usable.
STATE_SECONDS = 10 * 60
# What someone in a workspace without the bot is told (its language is unknown: both).
NOT_INSTALLED = Text(
    en="klyngebot is not installed in this Slack workspace (or it was removed). Ask whoever "
    "runs klyngebot in your region for the *Add to Slack* link, or your Slack admin to add it.",
    da="klyngebot er ikke installeret i dette Slack-workspace (eller er blevet fjernet). Bed "
    "den, der driver klyngebot i jeres region, om linket *Add to Slack*, eller bed jeres "
    "Slack-administrator om at tilføje den.",
)


class StateCookieIfPresent(OAuthStateUtils):
    """The ``state`` must always be one this deployment issued and not yet used (the state
    table); the browser cookie Bolt sets with it is checked only when the browser sent one.

    Bolt's cookie is ``Secure`` and so lost on any plain-HTTP hop (a TLS-terminating proxy,
    a test), and it guards against a forged sign-in, which an install is not: completing
    someone's install with a foreign code installs the foreigner's own workspace, which that
    person could do directly anyway."""

    def is_valid_browser(
        self, state: str | None, request_headers: Mapping[str, str | Sequence[str]]
    ) -> bool:
        cookies = request_headers.get("cookie") if request_headers else None
        if state is not None and not _has_state_cookie(cookies, self.cookie_name):
            return True
        return bool(super().is_valid_browser(state, dict(request_headers)))


def _has_state_cookie(cookies: str | Sequence[str] | None, name: str) -> bool:
    if cookies is None:
        return False
    for header in [cookies] if isinstance(cookies, str) else cookies:
        if any(part.strip().startswith(f"{name}=") for part in header.split(";")):
            return True
    return False


def oauth_settings(settings: Settings, db: Database) -> AsyncOAuthSettings:
    """Bolt's OAuth settings for ``settings``' app, keeping installations in ``db``."""
    assert settings.client_id
    assert settings.client_secret
    oauth = AsyncOAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=settings.redirect_uri,
        installation_store=AsyncSQLAlchemyInstallationStore(
            client_id=settings.client_id,
            engine=db.engine,
            bots_table_name=BOTS_TABLE,
            installations_table_name=INSTALLATIONS_TABLE,
        ),
        state_store=AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_SECONDS, engine=db.engine, table_name=OAUTH_STATES_TABLE
        ),
        state_expiration_seconds=STATE_SECONDS,
    )
    oauth.state_utils = StateCookieIfPresent(
        cookie_name=oauth.state_cookie_name, expiration_seconds=STATE_SECONDS
    )
    # Bolt asks auth.test about the workspace's token on every request unless told to keep the
    # answer; the token itself is still looked up each time, so an uninstall takes effect.
    oauth.authorize.cache_enabled = True  # type: ignore[attr-defined]
    return oauth
