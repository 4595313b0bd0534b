"""What happened during the demo, in order: the transcript and the HTML page are both made from it.

Messages are referred to by channel and ``ts``: the page shows each as it finally looked (Slack
updates messages in place), the transcript prints each version when it appears.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.fakeslack.model import Ephemeral, Message, UploadedFile


@dataclass(frozen=True)
class Step:
    """A stage of the meeting's life ("A week before the meeting")."""

    key: str
    label: str


@dataclass(frozen=True)
class Action:
    """Something a member did: typed a command or clicked a button (what Slack does not show
    others, told so the reader can follow)."""

    user: str
    text: str  # already readable: "/klynge setup", "Anne Holm clicks [I'm here]"
    command: bool
    where: str  # the channel (or DM) it was done in


@dataclass(frozen=True)
class Note:
    """A line of narration ("12 members vote")."""

    text: str


@dataclass(frozen=True)
class Post:
    """A message appeared (``updated`` False) or changed (True) in a channel or a DM."""

    message: Message
    updated: bool


@dataclass(frozen=True)
class Whisper:
    """An ephemeral message: only ``ephemeral.user`` sees it, in ``channel``."""

    ephemeral: Ephemeral
    channel: str


@dataclass(frozen=True)
class Upload:
    """A file shared in a channel or a DM."""

    file: UploadedFile


Event = Step | Action | Note | Post | Whisper | Upload


@dataclass(frozen=True)
class Entry:
    """One event, when it happened (UTC, simulated clock) and whether the transcript hid it."""

    event: Event
    at: datetime
    quiet: bool = False


@dataclass
class Recording:
    """Everything the HTML page is made from: the events, the messages as they finally are, the
    Home tabs members opened, and who is who."""

    channel: str
    channel_name: str
    language: str
    zone: ZoneInfo
    names: dict[str, str]
    entries: list[Entry] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    homes: dict[str, tuple[datetime, dict[str, Any]]] = field(default_factory=dict)
