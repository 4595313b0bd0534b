"""What the fake Slack keeps: users, messages, ephemeral messages, files, calls and faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BOT_USER_ID = "UKLYNGEBOT"
BOT_ID = "BKLYNGEBOT"
TEAM_ID = "T0KLYNGE"


@dataclass
class Call:
    """One Web API call as the bot made it."""

    method: str
    args: dict[str, Any]
    at: float
    # The token it was made with (the Authorization header), None without one.
    token: str | None = None


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
    # False when Slack would not have shown it: the person was not looking at the channel.
    seen: bool = True


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
