"""Sends the bot what Slack sends it: slash commands, clicks, modal submissions and events,
form-encoded or JSON exactly as Slack does, signed with the real v0 HMAC-SHA256 algorithm.

Text is given as a person types it, with mentions as ``<@U…>``; a command's text reaches the bot
escaped as Slack escapes it (``&``, ``<``, ``>`` as entities, links in ``<…>``). Each action
marks its person as looking at the channel, so ephemeral answers reach them as in Slack.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier

from bot.fakeslack.model import Message
from bot.fakeslack.rules import escape_typed
from bot.fakeslack.server import FakeSlack


@dataclass
class Reply:
    """The bot's HTTP answer to one request."""

    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


class SlackDriver:
    """Plays Slack's side of the conversation with the bot at ``bot_url``."""

    def __init__(
        self,
        *,
        bot_url: str,
        signing_secret: str,
        slack: FakeSlack,
        session: aiohttp.ClientSession,
        team_id: str | None = None,
    ) -> None:
        """``team_id``: the workspace people act in (default: the fake's own)."""
        self.events_url = bot_url.rstrip("/") + "/slack/events"
        self.signer = SignatureVerifier(signing_secret)
        self.slack = slack
        self.team_id = team_id or slack.team_id
        self.session = session
        self._ids = itertools.count(1)

    # --- raw requests -------------------------------------------------------------------------

    async def post(
        self,
        body: str,
        *,
        content_type: str,
        timestamp: int | None = None,
        sign: bool = True,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """POST ``body`` as Slack would; ``timestamp`` and ``sign`` allow forged requests."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        all_headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts}
        if sign:
            all_headers["X-Slack-Signature"] = str(
                self.signer.generate_signature(timestamp=ts, body=body)
            )
        all_headers.update(headers or {})
        async with self.session.post(
            self.events_url, data=body.encode(), headers=all_headers
        ) as response:
            return Reply(response.status, await response.text())

    async def post_form(self, fields: dict[str, str], **options: Any) -> Reply:
        return await self.post(
            urlencode(fields), content_type="application/x-www-form-urlencoded", **options
        )

    async def post_payload(self, payload: dict[str, Any], **options: Any) -> Reply:
        return await self.post_form({"payload": json.dumps(payload)}, **options)

    # --- what people do -----------------------------------------------------------------------

    async def command(
        self,
        text: str,
        *,
        user: str,
        channel: str = "C0CLUSTER",
        channel_name: str | None = None,
        **options: Any,
    ) -> Reply:
        """``/klynge <text>`` typed by ``user`` in ``channel``."""
        name = channel_name or (self.slack.channels.get(channel) or {}).get("name", "cluster")
        self.slack.acted(user, channel)
        if self.slack.rules.escaping:
            text = escape_typed(text)
        return await self.post_form(
            {
                "token": "legacy-verification-token",
                "team_id": self.team_id,
                "team_domain": "klynge",
                "channel_id": channel,
                "channel_name": name,
                "user_id": user,
                "user_name": self._user_name(user),
                "command": "/klynge",
                "text": text,
                "api_app_id": "AKLYNGE",
                "is_enterprise_install": "false",
                "response_url": self.slack.response_url_for(user),
                "trigger_id": self._trigger_id(),
            },
            **options,
        )

    async def click(
        self,
        message: Message,
        action_id: str,
        *,
        user: str,
        value: str | None = None,
        action_ts: str | None = None,
        **options: Any,
    ) -> Reply:
        """``user`` clicks the button ``action_id`` (with ``value``, if several share it).

        ``action_ts`` is when Slack says the click happened (default: now), to deliver clicks
        in another order than they were made, or one click twice."""
        block_id, element = _find_element(message.blocks, action_id, value)
        action: dict[str, Any] = {
            "type": element.get("type", "button"),
            "action_id": element["action_id"],
            "block_id": block_id,
            "action_ts": action_ts or f"{time.time():.6f}",
        }
        if "value" in element:
            action["value"] = element["value"]
        if "text" in element:
            action["text"] = element["text"]
        self.slack.acted(user, message.channel)
        return await self.post_payload(
            {
                "type": "block_actions",
                "user": {
                    "id": user,
                    "username": self._user_name(user),
                    "team_id": self.team_id,
                },
                "api_app_id": "AKLYNGE",
                "team": {"id": self.team_id, "domain": "klynge"},
                "container": {
                    "type": "message",
                    "message_ts": message.ts,
                    "channel_id": message.channel,
                    "is_ephemeral": False,
                },
                "channel": {"id": message.channel, "name": "cluster"},
                "message": {
                    "type": "message",
                    "ts": message.ts,
                    "text": message.text,
                    "blocks": message.blocks,
                },
                "trigger_id": self._trigger_id(),
                "response_url": self.slack.response_url_for(user),
                "actions": [action],
            },
            **options,
        )

    async def click_in_view(
        self, view: dict[str, Any], action_id: str, *, user: str, value: str | None = None
    ) -> Reply:
        """``user`` clicks a button in a modal or the Home tab."""
        block_id, element = _find_element(view.get("blocks") or [], action_id, value)
        return await self.post_payload(
            {
                "type": "block_actions",
                "user": {"id": user, "team_id": self.team_id},
                "team": {"id": self.team_id},
                "container": {"type": "view", "view_id": view.get("id", "")},
                "view": view,
                "trigger_id": self._trigger_id(),
                "actions": [
                    {
                        "type": "button",
                        "action_id": element["action_id"],
                        "block_id": block_id,
                        "value": element.get("value", ""),
                        "action_ts": f"{time.time():.6f}",
                    }
                ],
            }
        )

    async def submit(
        self,
        view: dict[str, Any],
        values: dict[str, dict[str, dict[str, Any]]],
        *,
        user: str,
        **options: Any,
    ) -> Reply:
        """``user`` submits the modal ``view`` with ``values[block_id][action_id]``."""
        return await self.post_payload(
            {
                "type": "view_submission",
                "team": {"id": self.team_id, "domain": "klynge"},
                "user": {"id": user, "team_id": self.team_id},
                "api_app_id": "AKLYNGE",
                "trigger_id": self._trigger_id(),
                "view": {
                    **view,
                    "id": view.get("id", "V0"),
                    "type": "modal",
                    "team_id": self.team_id,
                    "state": {"values": values},
                    "hash": "h1",
                },
            },
            **options,
        )

    async def shortcut(
        self, callback_id: str, message: Message, *, user: str, **options: Any
    ) -> Reply:
        """``user`` runs the message shortcut ``callback_id`` on ``message``."""
        self.slack.acted(user, message.channel)
        return await self.post_payload(
            {
                "type": "message_action",
                "callback_id": callback_id,
                "team": {"id": self.team_id, "domain": "klynge"},
                "user": {"id": user, "team_id": self.team_id},
                "channel": {"id": message.channel, "name": "cluster"},
                "message": {
                    "type": "message",
                    "ts": message.ts,
                    "text": message.text,
                    "user": message.user,
                },
                "message_ts": message.ts,
                "response_url": self.slack.response_url_for(user),
                "trigger_id": self._trigger_id(),
            },
            **options,
        )

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None
    ) -> Reply:
        """An Events API callback carrying ``event``; ``retry`` sets X-Slack-Retry-Num."""
        where = event.get("channel") or (event.get("item") or {}).get("channel")
        if event.get("user") and isinstance(where, str):
            self.slack.acted(str(event["user"]), where)
        body = {
            "token": "legacy-verification-token",
            "team_id": self.team_id,
            "api_app_id": "AKLYNGE",
            "event": {"event_ts": f"{time.time():.6f}", **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": self.team_id, "user_id": "UKLYNGEBOT", "is_bot": True}],
        }
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else None
        )
        return await self.post(json.dumps(body), content_type="application/json", headers=headers)

    def _trigger_id(self) -> str:
        return self.slack.issue_trigger()

    def _user_name(self, user: str) -> str:
        return str((self.slack.users.get(user) or {}).get("name", user.lower()))


def _find_element(
    blocks: list[dict[str, Any]], action_id: str, value: str | None
) -> tuple[str, dict[str, Any]]:
    """The interactive element ``action_id`` (matching ``value`` if given) and its block id."""
    for block in blocks:
        candidates = list(block.get("elements") or [])
        if block.get("accessory"):
            candidates.append(block["accessory"])
        for element in candidates:
            if element.get("action_id") != action_id:
                continue
            if value is not None and element.get("value") != value:
                continue
            return str(block.get("block_id", "")), element
    raise LookupError(f"no element {action_id!r} (value {value!r}) in the message")
