"""A fake Slack Web API: an aiohttp server that answers like Slack and records every call.

Used by the end-to-end tests and by ``python -m bot demo``. It keeps channels, users, messages,
ephemeral messages, views, files and ``response_url`` posts in memory and keeps Slack's rules
(``rules.SlackRules``: rate limits, Block Kit and text limits, escaping, ephemeral delivery,
trigger and response_url lifetimes) unless a test asks for a kinder Slack. It can also be told
to fail calls (429 with Retry-After, 5xx) to exercise the bot's retries.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.fakeslack.auth import CLIENT_METHODS, Caller, Workspaces
from bot.fakeslack.faults import Faults
from bot.fakeslack.methods import METHODS
from bot.fakeslack.model import (
    BOT_USER_ID,
    TEAM_ID,
    Call,
    Ephemeral,
    Fault,
    Message,
    UploadedFile,
)
from bot.fakeslack.rules import RateLimiter, SlackRules, message_text_errors
from bot.fakeslack.sockets import PATH as SOCKET_PATH
from bot.fakeslack.sockets import Sockets
from bot.fakeslack.wire import read_args

# How long after their last action a person counts as looking at a channel, so that an
# ephemeral message reaches them (Slack shows ephemerals only to people active there).
ACTIVE_FOR = 300.0
# response_url: 5 uses within 30 minutes.
RESPONSE_URL_USES = 5
RESPONSE_URL_LIFETIME = 30 * 60.0


class FakeSlack:
    """Start with ``await start()``; point the bot's ``SLACK_API_URL`` at ``api_url``."""

    def __init__(self, *, team_id: str = TEAM_ID, rules: SlackRules | None = None) -> None:
        self.team_id = team_id
        # Bot tokens per workspace and the OAuth install flow (auth.Workspaces).
        self.workspaces = Workspaces(team_id)
        # Who makes the call being answered (set before each method runs).
        self.caller = Caller(token=None, team_id=None)
        # Socket Mode's WebSocket end (what apps.connections.open points at).
        self.sockets = Sockets()
        self.rules = rules or SlackRules()
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: list[Message] = []
        self.ephemerals: list[Ephemeral] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.files: dict[str, UploadedFile] = {}
        self.calls: list[Call] = []
        self.faults = Faults()
        # Calls Slack's rate limits turned away with 429 (the bot should make none).
        self.rate_limited: list[Call] = []
        # Calls Slack answered with ok: false, and the error it gave.
        self.refused: list[tuple[Call, str]] = []
        # Seconds to wait before answering a method, to keep work in flight in tests.
        self.delays: dict[str, float] = {}
        self._ids = itertools.count(1)
        self._ts = itertools.count(1)
        self._changed = asyncio.Condition()
        self._response_owner: dict[str, str] = {}
        self._response_uses: dict[str, list[float]] = {}
        self._response_issued: dict[str, float] = {}
        self._triggers: dict[str, float] = {}
        self._used_triggers: set[str] = set()
        # Who last acted in which channel, on the ``now`` clock (for ephemeral delivery).
        self._active: dict[tuple[str, str], float] = {}
        self.limiter = RateLimiter(time.monotonic)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        # What stamps ``Call.at``; tests with a movable clock may point it at that clock.
        self.clock: Callable[[], float] | None = None
        # What "now" is for people's activity; tests with a movable clock point it at theirs.
        self.now: Callable[[], float] = time.time
        self.add_user(BOT_USER_ID, "klyngebot", is_bot=True)

    # --- set-up -------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        email: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        tz: str = "Europe/Copenhagen",
        team_id: str | None = None,
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": team_id or self.team_id,
            "name": name.lower().replace(" ", "."),
            "real_name": name,
            "deleted": deleted,
            "is_bot": is_bot,
            "is_app_user": False,
            "tz": tz,
            "profile": {
                "real_name": name,
                "display_name": name.split()[0],
                **({"email": email} if email else {}),
            },
        }

    def add_channel(
        self, channel_id: str, name: str, members: list[str], *, team_id: str | None = None
    ) -> None:
        """A channel with ``members`` (the bot is added as a member too), in the fake's own
        workspace unless ``team_id`` names another one."""
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "members": [*members],
            "context_team_id": team_id or self.team_id,
        }
        if BOT_USER_ID not in members:
            self.channels[channel_id]["members"].append(BOT_USER_ID)

    def group_dm(self, users: list[str], *, team_id: str | None = None) -> str:
        """The id of the group DM of ``users`` and the bot (the same people: the same one), in
        the fake's own workspace unless ``team_id`` names another one."""
        members = sorted(set(users))
        for channel_id, channel in self.channels.items():
            if channel.get("is_mpim") and sorted(channel["members"][:-1]) == members:
                return channel_id
        channel_id = f"G{len(self.channels) + 1:08d}"
        name = "mpdm-" + "--".join(members)
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "members": [*members, BOT_USER_ID],
            "is_mpim": True,
            "context_team_id": team_id or self.team_id,
        }
        return channel_id

    def post_as_user(
        self, channel: str, user: str, text: str, *, thread_ts: str | None = None
    ) -> Message:
        """A message a member wrote in ``channel`` (for reactions and message shortcuts)."""
        message = Message(
            channel=channel, ts=self.next_ts(), text=text, thread_ts=thread_ts, user=user
        )
        self.messages.append(message)
        return message

    def fail(
        self,
        method: str,
        *,
        status: int = 429,
        times: int = 1,
        retry_after: int | None = 1,
        error: str | None = None,
        channel: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (to ``channel``, if given) fail with
        ``status`` or Slack ``error``."""
        self.faults.add(method, Fault(status, times, retry_after, error, channel))

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        # slack-sdk sends some read methods (conversations.history, .members) as GET.
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{token}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get(SOCKET_PATH, self.sockets.handle)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self.sockets.base_url = self.base_url

    async def stop(self) -> None:
        await self.sockets.drop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, token: str | None = None) -> str:
        return f"{self.base_url}/response/{token or next(self._ids)}"

    # --- reading what happened ----------------------------------------------------------------

    def distributed(self, caller: Caller) -> bool:
        """Whether Slack holds ``caller`` to the limits of an app installed by OAuth outside
        the Marketplace (``rules.HISTORY_*``)."""
        return caller.distributed and self.rules.distributed_history

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def channel_messages(self, channel: str) -> list[Message]:
        return [message for message in self.messages if message.channel == channel]

    def message(self, channel: str, ts: str) -> Message:
        for message in self.messages:
            if message.channel == channel and message.ts == ts:
                return message
        raise KeyError((channel, ts))

    def ephemerals_for(self, user: str, *, unseen: bool = False) -> list[Ephemeral]:
        """The ephemeral messages ``user`` saw (with ``unseen``, also those Slack dropped)."""
        return [item for item in self.ephemerals if item.user == user and (item.seen or unseen)]

    # --- people's side: activity, triggers, response URLs --------------------------------------

    def acted(self, user: str, channel: str | None) -> None:
        """``user`` just did something in ``channel`` (so they see ephemerals there for now)."""
        if channel:
            self._active[(user, channel)] = self.now()

    def is_looking(self, user: str, channel: str) -> bool:
        """Whether ``user`` would see an ephemeral message in ``channel`` now."""
        if not self.rules.ephemeral_delivery:
            return True
        since = self._active.get((user, channel))
        return since is not None and self.now() - since <= ACTIVE_FOR

    def issue_trigger(self) -> str:
        """A fresh trigger_id, as Slack puts in every interaction it sends."""
        trigger = f"{next(self._ids)}.{int(time.time())}.trigger"
        self._triggers[trigger] = time.monotonic()
        return trigger

    def use_trigger(self, trigger: str) -> str | None:
        """The error views.open/push would give ``trigger``, or None when it may be used."""
        if not self.rules.trigger_expiry:
            return None if trigger else "invalid_trigger_id"
        issued = self._triggers.get(trigger)
        if issued is None:
            return "invalid_trigger_id"
        if trigger in self._used_triggers:
            return "exchanged_trigger_id"
        if time.monotonic() - issued > self.rules.trigger_lifetime:
            return "expired_trigger_id"
        self._used_triggers.add(trigger)
        return None

    async def wait_for(self, predicate: Callable[[], Any], *, within: float = 5.0) -> Any:
        """Wait until ``predicate()`` is truthy (checked after every call); return its value."""
        async with self._changed:
            result = predicate()
            if result:
                return result
            async with asyncio.timeout(within):
                while not (result := predicate()):
                    await self._changed.wait()
        return result

    async def _record(self, method: str, args: dict[str, Any], token: str | None = None) -> None:
        at = self.clock() if self.clock is not None else asyncio.get_running_loop().time()
        self.calls.append(Call(method, args, at, token))

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # --- HTTP endpoints -----------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await read_args(request)
        caller = self.workspaces.caller(request, method)
        await self._record(method, args, caller.token)
        if delay := self.delays.get(method):
            await asyncio.sleep(delay)
        try:
            fault = self.faults.take(method, args)
            if fault is not None:
                if fault.error:
                    return web.json_response({"ok": False, "error": fault.error})
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
                return web.json_response(
                    {"ok": False, "error": "ratelimited" if fault.status == 429 else "fatal_error"},
                    status=fault.status,
                    headers=headers,
                )
            if method not in CLIENT_METHODS and caller.team_id is None:
                error = "not_authed" if caller.token is None else "invalid_auth"
                return web.json_response({"ok": False, "error": error})
            distributed = caller.team_id if self.distributed(caller) else None
            if self.rules.rate_limits and (
                wait := self.limiter.retry_after(method, args, distributed_team=distributed)
            ):
                self.rate_limited.append(Call(method, args, time.monotonic()))
                return web.json_response(
                    {"ok": False, "error": "ratelimited"},
                    status=429,
                    headers={"Retry-After": str(wait)},
                )
            handler = METHODS.get(method)
            if handler is None:
                return web.json_response({"ok": False, "error": "unknown_method"})
            self.caller = caller  # methods are synchronous: no other call can interleave
            answer = handler(self, args)
            if not answer.get("ok"):
                self.refused.append(
                    (Call(method, args, time.monotonic()), str(answer.get("error")))
                )
            return web.json_response(answer)
        finally:
            await self._notify()

    async def _response_url(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        body = await request.json()
        await self._record("response_url", {"token": token, **body})
        try:
            if error := self._response_url_error(token, body):
                self.refused.append((Call("response_url", body, time.monotonic()), error))
                return web.json_response({"ok": False, "error": error}, status=404)
            if not body.get("delete_original"):
                self.ephemerals.append(
                    Ephemeral(
                        channel=None,
                        user=self._response_owner.get(token),
                        text=str(body.get("text") or ""),
                        blocks=list(body.get("blocks") or []),
                    )
                )
            return web.Response(text="ok")
        finally:
            await self._notify()

    def _response_url_error(self, token: str, body: dict[str, Any]) -> str | None:
        if self.rules.response_url_limits:
            now = time.monotonic()
            if now - self._response_issued.get(token, now) > RESPONSE_URL_LIFETIME:
                return "expired_url"
            uses = self._response_uses.setdefault(token, [])
            if len(uses) >= RESPONSE_URL_USES:
                return "used_url"
            uses.append(now)
        errors = []
        if self.rules.escaping:
            errors = message_text_errors(str(body.get("text") or ""), body.get("blocks"))
        return "invalid_text: " + "; ".join(errors) if errors else None

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        data = await request.read()
        if file_id in self.files:
            self.files[file_id].content = data  # slack-sdk posts the file as the raw body
        await self._record("upload", {"file_id": file_id, "size": len(data)})
        await self._notify()
        return web.Response(text="OK - " + str(len(data)))

    def response_url_for(self, user: str) -> str:
        """A fresh response_url whose posts are recorded as ephemeral messages to ``user``."""
        token = f"r{next(self._ids)}"
        self._response_owner[token] = user
        self._response_issued[token] = time.monotonic()
        return self.response_url(token)

    def next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.{next(self._ids):06d}"
