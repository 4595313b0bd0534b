"""A fake Slack Web API: an aiohttp server that answers like Slack and records every call.

Used by the end-to-end tests and by ``python -m bot demo``. It keeps channels, users, messages,
ephemeral messages, views, files and ``response_url`` posts in memory, checks Block Kit's limits
the way Slack does (``invalid_blocks``), and can be told to fail calls (429 with Retry-After, 5xx)
to exercise the bot's retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

BOT_USER_ID = "UKLYNGEBOT"
BOT_ID = "BKLYNGEBOT"
TEAM_ID = "T0KLYNGE"


@dataclass
class Call:
    """One Web API call as the bot made it."""

    method: str
    args: dict[str, Any]
    at: float


@dataclass
class Message:
    """A message in a channel (posted by the bot unless ``user`` says otherwise)."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    thread_ts: str | None = None
    user: str = BOT_USER_ID
    updates: int = 0


@dataclass
class Ephemeral:
    """A message only one person sees (chat.postEphemeral or a response_url answer)."""

    channel: str | None
    user: str | None
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class UploadedFile:
    id: str
    filename: str
    title: str
    content: bytes = b""
    channel: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None


@dataclass
class Fault:
    status: int
    times: int
    retry_after: int | None = None
    error: str | None = None
    channel: str | None = None  # only calls to this channel fail


class FakeSlack:
    """Start with ``await start()``; point the bot's ``SLACK_API_URL`` at ``api_url``."""

    def __init__(self, *, team_id: str = TEAM_ID) -> None:
        self.team_id = team_id
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: list[Message] = []
        self.ephemerals: list[Ephemeral] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.files: dict[str, UploadedFile] = {}
        self.calls: list[Call] = []
        self.faults: dict[str, list[Fault]] = {}
        # Seconds to wait before answering a method, to keep work in flight in tests.
        self.delays: dict[str, float] = {}
        self._ids = itertools.count(1)
        self._ts = itertools.count(1)
        self._changed = asyncio.Condition()
        self._response_owner: dict[str, str] = {}
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        # What stamps ``Call.at``; tests with a movable clock may point it at that clock.
        self.clock: Callable[[], float] | None = None
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
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
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

    def add_channel(self, channel_id: str, name: str, members: list[str]) -> None:
        """A channel with ``members`` (the bot is added as a member too)."""
        self.channels[channel_id] = {"id": channel_id, "name": name, "members": [*members]}
        if BOT_USER_ID not in members:
            self.channels[channel_id]["members"].append(BOT_USER_ID)

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
        self.faults.setdefault(method, []).append(Fault(status, times, retry_after, error, channel))

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        # slack-sdk sends some read methods (conversations.history, .members) as GET.
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{token}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
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

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def channel_messages(self, channel: str) -> list[Message]:
        return [message for message in self.messages if message.channel == channel]

    def message(self, channel: str, ts: str) -> Message:
        for message in self.messages:
            if message.channel == channel and message.ts == ts:
                return message
        raise KeyError((channel, ts))

    def ephemerals_for(self, user: str) -> list[Ephemeral]:
        return [item for item in self.ephemerals if item.user == user]

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

    async def _record(self, method: str, args: dict[str, Any]) -> None:
        at = self.clock() if self.clock is not None else asyncio.get_running_loop().time()
        self.calls.append(Call(method, args, at))

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # --- HTTP endpoints -----------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _read_args(request)
        await self._record(method, args)
        if delay := self.delays.get(method):
            await asyncio.sleep(delay)
        try:
            fault = self._take_fault(method, args)
            if fault is not None:
                if fault.error:
                    return web.json_response({"ok": False, "error": fault.error})
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
                return web.json_response(
                    {"ok": False, "error": "ratelimited" if fault.status == 429 else "fatal_error"},
                    status=fault.status,
                    headers=headers,
                )
            if not str(request.headers.get("Authorization", "")).startswith("Bearer xox"):
                return web.json_response({"ok": False, "error": "not_authed"})
            handler = _METHODS.get(method)
            if handler is None:
                return web.json_response({"ok": False, "error": "unknown_method"})
            return web.json_response(handler(self, args))
        finally:
            await self._notify()

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await request.json()
        await self._record("response_url", {"token": request.match_info["token"], **body})
        if not body.get("delete_original"):
            self.ephemerals.append(
                Ephemeral(
                    channel=None,
                    user=self._response_owner.get(request.match_info["token"]),
                    text=str(body.get("text") or ""),
                    blocks=list(body.get("blocks") or []),
                )
            )
        await self._notify()
        return web.Response(text="ok")

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
        return self.response_url(token)

    def _take_fault(self, method: str, args: dict[str, Any]) -> Fault | None:
        queue = self.faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        if fault.channel is not None and args.get("channel") != fault.channel:
            return None
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        return fault

    def next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.{next(self._ids):06d}"


async def _read_args(request: web.Request) -> dict[str, Any]:
    # slack-sdk sends some methods' arguments in the query string (GET, or POST with params=).
    query: dict[str, Any] = dict(request.query)
    if request.method == "GET":
        return query
    raw = await request.read()
    if request.content_type == "application/json":
        return {**query, **dict(json.loads(raw or b"{}"))}
    args: dict[str, Any] = {**query, **dict(parse_qsl(raw.decode()))}
    for key in ("blocks", "view", "attachments", "files", "metadata"):
        if isinstance(args.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):
                args[key] = json.loads(args[key])
    return args


# --- Block Kit limits, checked like Slack does -------------------------------------------------


def block_errors(blocks: Any, *, limit: int = 50) -> list[str]:
    """What Slack would reject in ``blocks`` (empty when they are valid enough)."""
    if blocks is None:
        return []
    if not isinstance(blocks, list):
        return ["blocks must be a list"]
    errors = []
    if len(blocks) > limit:
        errors.append(f"more than {limit} blocks")
    for index, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "section":
            text = (block.get("text") or {}).get("text", "")
            if len(text) > 3000:
                errors.append(f"block {index}: section text over 3000 characters")
            if len(block.get("fields") or []) > 10:
                errors.append(f"block {index}: more than 10 fields")
        if kind == "actions":
            elements = block.get("elements") or []
            if len(elements) > 25:
                errors.append(f"block {index}: more than 25 elements")
            for element in elements:
                label = ((element.get("text") or {}).get("text")) or ""
                if len(label) > 75:
                    errors.append(f"block {index}: button text over 75 characters")
                if len(str(element.get("value", ""))) > 2000:
                    errors.append(f"block {index}: button value over 2000 characters")
                if len(str(element.get("action_id", ""))) > 255:
                    errors.append(f"block {index}: action_id over 255 characters")
        if len(str(block.get("block_id", ""))) > 255:
            errors.append(f"block {index}: block_id over 255 characters")
        if kind == "header" and len((block.get("text") or {}).get("text", "")) > 150:
            errors.append(f"block {index}: header over 150 characters")
        if kind == "context" and len(block.get("elements") or []) > 10:
            errors.append(f"block {index}: more than 10 context elements")
    return errors


def _invalid(errors: list[str]) -> dict[str, Any]:
    return {"ok": False, "error": "invalid_blocks", "errors": errors}


# --- Web API methods --------------------------------------------------------------------------


def _auth_test(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "ok": True,
        "url": "https://klynge.example.slack.com/",
        "team": "Klynge",
        "user": "klyngebot",
        "team_id": slack.team_id,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
    }


def _conversations_members(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    channel = slack.channels.get(str(args.get("channel")))
    if channel is None:
        return {"ok": False, "error": "channel_not_found"}
    limit = int(args.get("limit") or 100)
    start = int(args.get("cursor") or 0)
    members = channel["members"][start : start + limit]
    more = start + limit < len(channel["members"])
    return {
        "ok": True,
        "members": members,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


def _conversations_info(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    channel = slack.channels.get(str(args.get("channel")))
    if channel is None:
        return {"ok": False, "error": "channel_not_found"}
    return {"ok": True, "channel": {**channel, "is_member": BOT_USER_ID in channel["members"]}}


def _conversations_join(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    channel = slack.channels.get(str(args.get("channel")))
    if channel is None:
        return {"ok": False, "error": "channel_not_found"}
    if BOT_USER_ID not in channel["members"]:
        channel["members"].append(BOT_USER_ID)
    return {"ok": True, "channel": channel}


def _conversations_open(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    users = str(args.get("users") or "").split(",")
    if not users[0] or users[0] not in slack.users:
        return {"ok": False, "error": "user_not_found"}
    return {"ok": True, "channel": {"id": "D" + users[0]}}


def _users_info(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    user = slack.users.get(str(args.get("user")))
    if user is None:
        return {"ok": False, "error": "user_not_found"}
    return {"ok": True, "user": user}


def _can_post(slack: FakeSlack, channel: str) -> str | None:
    if channel.startswith("D"):
        return None if channel[1:] in slack.users else "channel_not_found"
    known = slack.channels.get(channel)
    if known is None:
        return "channel_not_found"
    if BOT_USER_ID not in known["members"]:
        return "not_in_channel"
    return None


def _post_message(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    channel = str(args.get("channel"))
    if error := _can_post(slack, channel):
        return {"ok": False, "error": error}
    blocks = args.get("blocks")
    if errors := block_errors(blocks):
        return _invalid(errors)
    if not args.get("text") and not blocks:
        return {"ok": False, "error": "no_text"}
    message = Message(
        channel=channel,
        ts=slack.next_ts(),
        text=str(args.get("text") or ""),
        blocks=list(blocks or []),
        thread_ts=args.get("thread_ts"),
    )
    slack.messages.append(message)
    return {"ok": True, "channel": channel, "ts": message.ts, "message": _as_dict(message)}


def _update(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    try:
        message = slack.message(str(args.get("channel")), str(args.get("ts")))
    except KeyError:
        return {"ok": False, "error": "message_not_found"}
    blocks = args.get("blocks")
    if errors := block_errors(blocks):
        return _invalid(errors)
    if "text" in args:
        message.text = str(args["text"])
    if blocks is not None:
        message.blocks = list(blocks)
    message.updates += 1
    return {"ok": True, "channel": message.channel, "ts": message.ts, "text": message.text}


def _delete(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    try:
        message = slack.message(str(args.get("channel")), str(args.get("ts")))
    except KeyError:
        return {"ok": False, "error": "message_not_found"}
    slack.messages.remove(message)
    return {"ok": True, "channel": message.channel, "ts": message.ts}


def _post_ephemeral(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    channel = str(args.get("channel"))
    if error := _can_post(slack, channel):
        return {"ok": False, "error": error}
    if errors := block_errors(args.get("blocks")):
        return _invalid(errors)
    slack.ephemerals.append(
        Ephemeral(
            channel=channel,
            user=str(args.get("user")),
            text=str(args.get("text") or ""),
            blocks=list(args.get("blocks") or []),
        )
    )
    return {"ok": True, "message_ts": slack.next_ts()}


def _permalink(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "ok": True,
        "permalink": f"https://klynge.example.slack.com/archives/{args.get('channel')}/"
        f"p{str(args.get('message_ts')).replace('.', '')}",
    }


def _view_open(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    view = args.get("view")
    if not isinstance(view, dict):
        return {"ok": False, "error": "invalid_arguments"}
    if not args.get("trigger_id"):
        return {"ok": False, "error": "invalid_trigger_id"}
    if errors := block_errors(view.get("blocks"), limit=100):
        return _invalid(errors)
    view_id = f"V{next(slack._ids):08d}"
    stored = {**view, "id": view_id, "state": {"values": {}}}
    slack.views[view_id] = stored
    return {"ok": True, "view": stored}


def _view_update(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    view_id = str(args.get("view_id") or "")
    view = args.get("view")
    if view_id not in slack.views or not isinstance(view, dict):
        return {"ok": False, "error": "not_found"}
    slack.views[view_id] = {**view, "id": view_id, "state": {"values": {}}}
    return {"ok": True, "view": slack.views[view_id]}


def _view_publish(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    view = args.get("view")
    user = str(args.get("user_id"))
    if not isinstance(view, dict) or user not in slack.users:
        return {"ok": False, "error": "invalid_arguments"}
    if errors := block_errors(view.get("blocks"), limit=100):
        return _invalid(errors)
    slack.home_views[user] = view
    return {"ok": True, "view": {**view, "id": f"VHOME{user}"}}


def _get_upload_url(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    file_id = f"F{next(slack._ids):08d}"
    filename = str(args.get("filename"))
    slack.files[file_id] = UploadedFile(id=file_id, filename=filename, title=filename)
    return {"ok": True, "upload_url": f"{slack.base_url}/upload/{file_id}", "file_id": file_id}


def _complete_upload(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    files = args.get("files")
    if isinstance(files, str):
        files = json.loads(files)
    completed = []
    for entry in files or []:
        uploaded = slack.files.get(entry.get("id"))
        if uploaded is None:
            return {"ok": False, "error": "file_not_found"}
        uploaded.title = entry.get("title") or uploaded.title
        uploaded.channel = args.get("channel_id")
        uploaded.initial_comment = args.get("initial_comment")
        uploaded.thread_ts = args.get("thread_ts")
        completed.append({"id": uploaded.id, "title": uploaded.title, "name": uploaded.filename})
    return {"ok": True, "files": completed}


def _as_dict(message: Message) -> dict[str, Any]:
    return {
        "type": "message",
        "ts": message.ts,
        "text": message.text,
        "blocks": message.blocks,
        "user": message.user,
        "bot_id": BOT_ID if message.user == BOT_USER_ID else None,
    }


def _conversations_history(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    """Top-level messages, newest first, up to ``latest`` (inclusive if asked)."""
    channel = str(args.get("channel"))
    if channel not in slack.channels:
        return {"ok": False, "error": "channel_not_found"}
    latest = float(args["latest"]) if args.get("latest") else float("inf")
    inclusive = str(args.get("inclusive", "")).lower() in {"1", "true"}
    found = [
        message
        for message in slack.channel_messages(channel)
        if message.thread_ts is None
        and (float(message.ts) < latest or (inclusive and float(message.ts) == latest))
    ]
    found.sort(key=lambda message: float(message.ts), reverse=True)
    limit = int(args.get("limit") or 100)
    return {
        "ok": True,
        "messages": [_as_dict(message) for message in found[:limit]],
        "has_more": len(found) > limit,
    }


def _conversations_replies(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    """A thread's messages, oldest first; ``ts`` may name the parent or one reply."""
    channel = str(args.get("channel"))
    ts = str(args.get("ts"))
    try:
        target = slack.message(channel, ts)
    except KeyError:
        return {"ok": False, "error": "thread_not_found"}
    if target.thread_ts is not None and target.thread_ts != target.ts:
        return {"ok": True, "messages": [_as_dict(target)], "has_more": False}
    thread = [target] + [
        message
        for message in slack.channel_messages(channel)
        if message.thread_ts == ts and message.ts != ts
    ]
    limit = int(args.get("limit") or 100)
    return {
        "ok": True,
        "messages": [_as_dict(message) for message in thread[:limit]],
        "has_more": len(thread) > limit,
    }


def _ok(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True}


_METHODS: Mapping[str, Callable[[FakeSlack, dict[str, Any]], dict[str, Any]]] = {
    "auth.test": _auth_test,
    "conversations.members": _conversations_members,
    "conversations.info": _conversations_info,
    "conversations.join": _conversations_join,
    "conversations.open": _conversations_open,
    "conversations.history": _conversations_history,
    "conversations.replies": _conversations_replies,
    "users.info": _users_info,
    "chat.postMessage": _post_message,
    "chat.update": _update,
    "chat.delete": _delete,
    "chat.postEphemeral": _post_ephemeral,
    "chat.getPermalink": _permalink,
    "views.open": _view_open,
    "views.push": _view_open,
    "views.update": _view_update,
    "views.publish": _view_publish,
    "files.getUploadURLExternal": _get_upload_url,
    "files.completeUploadExternal": _complete_upload,
    "reactions.add": _ok,
    "reactions.remove": _ok,
}
