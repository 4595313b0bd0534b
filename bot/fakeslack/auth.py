"""Who is calling the fake Slack: bot tokens per workspace, the OAuth install flow
(``oauth.v2.access``) and Socket Mode's app-level token (``apps.connections.open``).

By default any ``xoxb-…`` token is taken as the bot of the fake's own workspace, and any install
code as an install of it, so tests need not care about tokens. A test about tokens sets
``accept_any = False``: then only tokens the fake issued (``xoxb-test-token``, and those
``oauth.v2.access`` gives for the codes ``authorize`` handed out) are valid, each for its own
workspace, and anything else is answered ``invalid_auth`` / ``invalid_code`` as Slack does.
"""

from __future__ import annotations

import base64
import binascii
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.fakeslack.model import BOT_USER_ID

if TYPE_CHECKING:
    from bot.fakeslack.server import FakeSlack

DEFAULT_TOKEN = "xoxb-test-token"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret"
APP_ID = "AKLYNGE"
# Who installs the app when a test does not say.
INSTALLER = "U0INSTALLER"
# Methods an app calls with its client id and secret instead of a token.
CLIENT_METHODS = frozenset({"oauth.v2.access"})


@dataclass(frozen=True)
class Caller:
    """Whoever made one Web API call: its token, the workspace that token belongs to (None
    when Slack would not accept it), and for the OAuth methods the app's client id and secret."""

    token: str | None
    team_id: str | None
    client: tuple[str, str] | None = None
    # The token came from an OAuth install (oauth.v2.access): the app is distributed.
    distributed: bool = False


class Workspaces:
    """The workspaces the fake knows, their bot tokens and the install codes handed out."""

    def __init__(self, team_id: str) -> None:
        self.default_team = team_id
        self.names: dict[str, str] = {team_id: "Klynge"}
        self.tokens: dict[str, str] = {DEFAULT_TOKEN: team_id}
        self.installed: set[str] = set()  # the tokens oauth.v2.access handed out
        # Any xoxb-/xapp- token counts as the default workspace's (False: only issued ones).
        self.accept_any = True
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self._codes: dict[str, tuple[str, str]] = {}
        self._serial = itertools.count(1)

    def add(self, team_id: str, name: str) -> None:
        self.names[team_id] = name

    def team_of(self, token: str | None) -> str | None:
        """The workspace ``token`` belongs to, or None when Slack would refuse it."""
        if token is None:
            return None
        if token in self.tokens:
            return self.tokens[token]
        if self.accept_any and token.startswith(("xoxb-", "xapp-")):
            return self.default_team
        return None

    def revoke(self, team_id: str) -> None:
        """The workspace uninstalled the app: its tokens stop working."""
        self.tokens = {token: team for token, team in self.tokens.items() if team != team_id}

    def authorize(self, team_id: str, *, user: str) -> str:
        """What slack.com does when ``user`` clicks *Allow* on the install page for
        ``team_id``: a one-time code that the browser brings to the app's redirect URL."""
        code = f"code-{team_id}-{next(self._serial)}"
        self._codes[code] = (team_id, user)
        return code

    def caller(self, request: web.Request, method: str) -> Caller:
        header = str(request.headers.get("Authorization", ""))
        if method in CLIENT_METHODS:
            return Caller(token=None, team_id=None, client=_basic(header))
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else None
        return Caller(
            token=token or None,
            team_id=self.team_of(token or None),
            distributed=token in self.installed,
        )

    def exchange(self, code: str, client: tuple[str, str] | None) -> dict[str, Any]:
        """``oauth.v2.access``: the app trades an install code for the workspace's bot token."""
        if client is None or client[0] != self.client_id:
            return {"ok": False, "error": "invalid_client_id"}
        if client[1] != self.client_secret:
            return {"ok": False, "error": "bad_client_secret"}
        found = self._codes.pop(code, None)
        if found is None and self.accept_any and code:
            found = (self.default_team, INSTALLER)  # as if someone had just clicked Allow
        if found is None:
            return {"ok": False, "error": "invalid_code"}
        team_id, user = found
        token = f"xoxb-{team_id.lower()}-{next(self._serial)}"
        self.tokens[token] = team_id
        self.installed.add(token)
        return {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": user},
            "scope": "commands,chat:write",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": BOT_USER_ID,
            "team": {"id": team_id, "name": self.names.get(team_id, team_id)},
            "enterprise": None,
            "is_enterprise_install": False,
        }


def _basic(header: str) -> tuple[str, str] | None:
    if not header.startswith("Basic "):
        return None
    try:
        decoded = base64.b64decode(header.removeprefix("Basic ")).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def oauth_v2_access(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    return slack.workspaces.exchange(str(args.get("code") or ""), slack.caller.client)


def apps_connections_open(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    if not str(slack.caller.token or "").startswith("xapp-"):
        return {"ok": False, "error": "not_allowed_token_type"}
    return {"ok": True, "url": slack.sockets.url}
