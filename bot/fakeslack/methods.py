"""The Web API methods the fake answers, each a function of the fake's state and the call's
arguments, answering what Slack answers (errors included)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from bot.fakeslack.auth import apps_connections_open, oauth_v2_access
from bot.fakeslack.model import BOT_ID, BOT_USER_ID, Ephemeral, Message, UploadedFile
from bot.fakeslack.rules import (
    HISTORY_LIMIT,
    block_errors,
    block_text_length,
    message_text_errors,
)

if TYPE_CHECKING:
    from bot.fakeslack.server import FakeSlack


def _auth_test(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "ok": True,
        "url": "https://klynge.example.slack.com/",
        "team": slack.workspaces.names.get(str(slack.caller.team_id), "Klynge"),
        "user": "klyngebot",
        "team_id": slack.caller.team_id,
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


GROUP_DM_MAX_USERS = 8  # conversations.open takes 1 to 8 users (the app is added to a group)


def _conversations_open(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    """One user: the app's DM with them; 2 to 8: a group DM of them and the app."""
    users = [user.strip() for user in str(args.get("users") or "").split(",") if user.strip()]
    if not users:
        return {"ok": False, "error": "users_list_not_supplied"}
    if len(users) > GROUP_DM_MAX_USERS:
        return {"ok": False, "error": "too_many_users"}
    if any(user not in slack.users for user in users):
        return {"ok": False, "error": "user_not_found"}
    if len(users) == 1:
        return {"ok": True, "channel": {"id": "D" + users[0]}}
    if any(slack.users[user].get("deleted") for user in users):
        return {"ok": False, "error": "user_disabled"}
    channel = slack.group_dm(users, team_id=slack.caller.team_id)
    return {"ok": True, "channel": {"id": channel, "is_mpim": True}}


def _users_info(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    user = slack.users.get(str(args.get("user")))
    if user is None:
        return {"ok": False, "error": "user_not_found"}
    return {"ok": True, "user": user}


def _can_post(slack: FakeSlack, channel: str) -> str | None:
    if channel.startswith("D"):
        return None if channel[1:] in slack.users else "channel_not_found"
    known = slack.channels.get(channel)
    if known is None or known.get("context_team_id") != slack.caller.team_id:
        return "channel_not_found"  # another workspace's channel is not there for this token
    if BOT_USER_ID not in known["members"]:
        return "not_in_channel"
    return None


def _invalid(errors: list[str]) -> dict[str, Any]:
    return {"ok": False, "error": "invalid_blocks", "errors": errors}


def _message_error(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's answer to a message that breaks its limits (None when it is fine)."""
    blocks = args.get("blocks")
    if errors := block_errors(blocks):
        return _invalid(errors)
    limit = slack.rules.block_text_limit
    if limit is not None and block_text_length(blocks) > limit:
        return {"ok": False, "error": "msg_blocks_too_long"}
    text = str(args.get("text") or "")
    if len(text) > slack.rules.message_text_limit:
        return {"ok": False, "error": "msg_too_long"}
    if slack.rules.escaping and (errors := message_text_errors(text, blocks)):
        # Slack would show these garbled rather than refuse them; the fake refuses so tests see.
        return {"ok": False, "error": "invalid_text", "errors": errors}
    return None


def _post_message(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    channel = str(args.get("channel"))
    if channel.startswith(("U", "W")) and channel in slack.users:
        channel = "D" + channel  # posting to a user id posts in the app's DM with them
    if error := _can_post(slack, channel):
        return {"ok": False, "error": error}
    blocks = args.get("blocks")
    if refused := _message_error(slack, args):
        return refused
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
    if refused := _message_error(slack, args):
        return refused
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
    user = str(args.get("user"))
    members = (slack.channels.get(channel) or {}).get("members")
    if slack.rules.ephemeral_delivery and members is not None and user not in members:
        return {"ok": False, "error": "user_not_in_channel"}
    if refused := _message_error(slack, args):
        return refused
    slack.ephemerals.append(
        Ephemeral(
            channel=channel,
            user=user,
            text=str(args.get("text") or ""),
            blocks=list(args.get("blocks") or []),
            seen=channel.startswith("D") or slack.is_looking(user, channel),
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
    if error := slack.use_trigger(str(args.get("trigger_id") or "")):
        return {"ok": False, "error": error}
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


def _history_limit(slack: FakeSlack, args: dict[str, Any]) -> int:
    """How many messages one history call returns: as asked (100 if not), at most
    ``HISTORY_LIMIT`` for an app installed by OAuth outside the Marketplace."""
    asked = int(args.get("limit") or 100)
    return min(asked, HISTORY_LIMIT) if slack.distributed(slack.caller) else asked


def _conversations_history(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    """Top-level messages, newest first, between ``oldest`` and ``latest`` (inclusive if
    asked)."""
    channel = str(args.get("channel"))
    if channel not in slack.channels:
        return {"ok": False, "error": "channel_not_found"}
    latest = float(args["latest"]) if args.get("latest") else float("inf")
    oldest = float(args["oldest"]) if args.get("oldest") else 0.0
    inclusive = str(args.get("inclusive", "")).lower() in {"1", "true"}

    def within(ts: float) -> bool:
        if inclusive:
            return oldest <= ts <= latest
        return oldest < ts < latest

    found = [
        message
        for message in slack.channel_messages(channel)
        if message.thread_ts is None and within(float(message.ts))
    ]
    found.sort(key=lambda message: float(message.ts), reverse=True)
    limit = _history_limit(slack, args)
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
    limit = _history_limit(slack, args)
    return {
        "ok": True,
        "messages": [_as_dict(message) for message in thread[:limit]],
        "has_more": len(thread) > limit,
    }


def _ok(slack: FakeSlack, args: dict[str, Any]) -> dict[str, Any]:
    return {"ok": True}


METHODS: Mapping[str, Callable[[FakeSlack, dict[str, Any]], dict[str, Any]]] = {
    "auth.test": _auth_test,
    "oauth.v2.access": oauth_v2_access,
    "apps.connections.open": apps_connections_open,
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
