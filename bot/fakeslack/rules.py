"""The rules real Slack keeps and the fake keeps too, unless a test asks for a kinder Slack.

Every number here says where it comes from; docs/fake-slack.md lists them for people. What the
fake checks that Slack does not report (a mangled ``<…>`` sequence, text escaped twice) is an
error here so that a test sees what a person would otherwise see garbled in Slack.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class SlackRules:
    """Which of Slack's rules the fake enforces. The default is all of them."""

    rate_limits: bool = True
    # Slack refuses a message whose blocks hold more than roughly 12,000 characters of text
    # (msg_blocks_too_long; slackapi/bolt-js issues 2509 and 2867, one failing near 11,300).
    # The fake refuses at 11,000 so that nothing near the reported failures passes here.
    block_text_limit: int | None = 11_000
    # chat.postMessage documents 40,000 characters of top-level text before msg_too_long.
    message_text_limit: int = 40_000
    # Text people type arrives with &, <, > escaped; text the bot sends is checked for
    # control sequences Slack would mangle and for text escaped twice.
    escaping: bool = True
    # chat.postEphemeral: only to channel members (user_not_in_channel), and only seen by
    # people active in the channel at that moment (Slack neither stores nor pushes them).
    ephemeral_delivery: bool = True
    # trigger_id: valid for 3 seconds and for one views.open/push (Slack's modal docs).
    trigger_expiry: bool = True
    trigger_lifetime: float = 3.0
    # response_url: at most 5 uses within 30 minutes (Slack's slash-command docs).
    response_url_limits: bool = True
    # conversations.history/.replies for an app installed by OAuth outside the Slack
    # Marketplace: 1 call a minute, at most 15 messages (HISTORY_* below).
    distributed_history: bool = True

    @classmethod
    def kind(cls, **kept: Any) -> SlackRules:
        """A kinder Slack than the real one: every rule off except those named ``True``."""
        off = cls(
            rate_limits=False,
            block_text_limit=None,
            escaping=False,
            ephemeral_delivery=False,
            trigger_expiry=False,
            response_url_limits=False,
            distributed_history=False,
        )
        return replace(off, **kept)


# --- rate limits -------------------------------------------------------------------------------

# Calls per minute per method and workspace, from the "Rate limits" tiers on each method's page
# in Slack's Web API reference (Tier 1 ≈ 1, Tier 2 ≈ 20, Tier 3 ≈ 50, Tier 4 ≈ 100 per minute).
TIER_1, TIER_2, TIER_3, TIER_4 = 1, 20, 50, 100
METHOD_TIERS: dict[str, int] = {
    "auth.test": TIER_4 * 10,  # "special": effectively unlimited for a bot
    "users.info": TIER_4,
    "users.list": TIER_2,
    "conversations.members": TIER_4,
    "conversations.info": TIER_3,
    "conversations.join": TIER_3,
    "conversations.open": TIER_3,
    # Tier 3 for an internal app (one workspace, its own token); see HISTORY_* for the rest.
    "conversations.history": TIER_3,
    "conversations.replies": TIER_3,
    "chat.update": TIER_3,
    "chat.delete": TIER_3,
    "chat.postEphemeral": TIER_4,
    "chat.getPermalink": TIER_4 * 10,  # "special"
    "views.open": TIER_4,
    "views.push": TIER_4,
    "views.update": TIER_4,
    "views.publish": TIER_4,
    "files.getUploadURLExternal": TIER_4,
    "files.completeUploadExternal": TIER_4,
    "reactions.add": TIER_3,
    "reactions.remove": TIER_3,
}
# chat.postMessage "allows an app to post 1 message per second to a specific channel, with short
# bursts over 1 allowed" (Slack's rate-limit docs). The burst size is not documented: 5 here.
POSTS_PER_SECOND = 1.0
POST_BURST = 5
# ...and "several hundred messages per minute" across a workspace.
POSTS_PER_MINUTE = 300
WINDOW = 60.0


@dataclass
class _Window:
    """Calls in the last minute; full means the next call waits until the oldest leaves."""

    per_minute: int
    calls: deque[float] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        while self.calls and self.calls[0] <= now - WINDOW:
            self.calls.popleft()
        if len(self.calls) < self.per_minute:
            self.calls.append(now)
            return 0.0
        return self.calls[0] + WINDOW - now


@dataclass
class _Bucket:
    """A token bucket: ``capacity`` at once, refilled at ``rate`` per second."""

    capacity: float
    rate: float
    tokens: float = -1.0
    at: float = 0.0

    def wait(self, now: float) -> float:
        if self.tokens < 0:
            self.tokens, self.at = self.capacity, now
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


# An app not approved for the Slack Marketplace and installed by OAuth (klyngebot for many
# workspaces) may call conversations.history and conversations.replies once a minute, for at most
# 15 messages: "App types and rate limits" on api.slack.com/apis/rate-limits, and Slack's
# changelog of 29 May 2025 (new installs then; every such install since 3 March 2026). Apps a
# workspace built for itself keep Tier 3.
HISTORY_METHODS = frozenset({"conversations.history", "conversations.replies"})
HISTORY_PER_MINUTE = 1
HISTORY_LIMIT = 15


class RateLimiter:
    """Slack's per-method tiers and the per-channel posting rate, in real (monotonic) time."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._windows: dict[str, _Window] = {}
        self._channels: dict[str, _Bucket] = {}

    def retry_after(
        self, method: str, args: dict[str, Any], *, distributed_team: str | None = None
    ) -> int:
        """0 if the call may go through now; else the whole seconds Slack would ask to wait.
        ``distributed_team``: the workspace of an OAuth install outside the Marketplace."""
        now = self.clock()
        if method in HISTORY_METHODS and distributed_team is not None:
            key = f"{distributed_team}:{method}"
            waits = [self._window(key, HISTORY_PER_MINUTE).wait(now)]
        elif method == "chat.postMessage":
            waits = [
                self._window(method, POSTS_PER_MINUTE).wait(now),
                self._channel(str(args.get("channel"))).wait(now),
            ]
        elif method in METHOD_TIERS:
            waits = [self._window(method, METHOD_TIERS[method]).wait(now)]
        else:
            return 0
        wait = max(waits)
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def _window(self, key: str, per_minute: int) -> _Window:
        return self._windows.setdefault(key, _Window(per_minute))

    def _channel(self, channel: str) -> _Bucket:
        return self._channels.setdefault(channel, _Bucket(POST_BURST, POSTS_PER_SECOND))


# --- Block Kit limits ----------------------------------------------------------------------------


def block_errors(blocks: Any, *, limit: int = 50) -> list[str]:
    """What Slack would reject in ``blocks`` by its documented per-block limits."""
    if blocks is None:
        return []
    if not isinstance(blocks, list):
        return ["blocks must be a list"]
    errors = []
    if len(blocks) > limit:
        errors.append(f"more than {limit} blocks")
    for index, block in enumerate(blocks):
        errors.extend(f"block {index}: {problem}" for problem in _block_problems(block))
    return errors


def _block_problems(block: dict[str, Any]) -> Iterator[str]:
    kind = block.get("type")
    if kind == "section":
        if len((block.get("text") or {}).get("text", "")) > 3000:
            yield "section text over 3000 characters"
        if len(block.get("fields") or []) > 10:
            yield "more than 10 fields"
        accessory = block.get("accessory")
        if accessory:
            yield from _element_problems(accessory)
    if kind == "actions":
        elements = block.get("elements") or []
        if len(elements) > 25:
            yield "more than 25 elements"
        for element in elements:
            yield from _element_problems(element)
    if len(str(block.get("block_id", ""))) > 255:
        yield "block_id over 255 characters"
    if kind == "header" and len((block.get("text") or {}).get("text", "")) > 150:
        yield "header over 150 characters"
    if kind == "context" and len(block.get("elements") or []) > 10:
        yield "more than 10 context elements"


def _element_problems(element: dict[str, Any]) -> Iterator[str]:
    label = ((element.get("text") or {}).get("text")) or ""
    if len(label) > 75:
        yield "button text over 75 characters"
    if len(str(element.get("value", ""))) > 2000:
        yield "button value over 2000 characters"
    if len(str(element.get("action_id", ""))) > 255:
        yield "action_id over 255 characters"
    if len(element.get("options") or []) > 100:
        yield "more than 100 options"


def text_objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every text object (``{"type": "mrkdwn"|"plain_text", "text": ...}``) inside ``node``."""
    if isinstance(node, dict):
        if node.get("type") in {"mrkdwn", "plain_text"} and isinstance(node.get("text"), str):
            yield node
        for value in node.values():
            yield from text_objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from text_objects(item)


def block_text_length(blocks: Any) -> int:
    """All the characters of text in ``blocks``, as Slack adds them up for msg_blocks_too_long."""
    return sum(len(item["text"]) for item in text_objects(blocks or []))


# --- escaping ------------------------------------------------------------------------------------

# What Slack reads inside <…> in mrkdwn (Slack's "Formatting text for app surfaces"): user and
# channel mentions, special mentions, user groups, dates and links. Anything else is mangled.
_CONTROL = re.compile(r"<([^<>]*)>")
_VALID_CONTROL = re.compile(
    r"^(?:@[UW][A-Z0-9]+(?:\|[^<>]*)?"
    r"|#C[A-Z0-9]+(?:\|[^<>]*)?"
    r"|!(?:here|channel|everyone)(?:\|[^<>]*)?"
    r"|!subteam\^[A-Z0-9]+(?:\|[^<>]*)?"
    r"|!date\^[^<>]+"
    r"|(?:https?://|mailto:)[^<>|\s]+(?:\|[^<>]*)?)$"
)
_DOUBLE_ESCAPED = re.compile(r"&amp;(?:amp|lt|gt);")


def escaping_errors(text: str) -> list[str]:
    """What a person would see garbled: a ``<…>`` Slack reads as markup, or text escaped twice."""
    errors = [
        f"<{inner}> is not a mention, channel or link (Slack would mangle it)"
        for inner in _CONTROL.findall(text)
        if not _VALID_CONTROL.match(inner)
    ]
    stripped = _CONTROL.sub("", text)
    if "<" in stripped:
        errors.append("a bare '<' (Slack reads '<' as the start of markup; send '&lt;')")
    if _DOUBLE_ESCAPED.search(text):
        errors.append("text escaped twice (people would see '&amp;' or '&lt;')")
    return errors


def message_text_errors(text: str, blocks: Any) -> list[str]:
    """Escaping errors in a message's top-level text and its mrkdwn text objects."""
    found = escaping_errors(text)
    for item in text_objects(blocks or []):
        if item["type"] == "mrkdwn":
            found.extend(escaping_errors(item["text"]))
    return found


# Slack's own escaping of what a person typed (slash-command text and message text), with
# should_escape on: &, < and > become entities; mentions, channels and links arrive as <…>.
_TYPED_CONTROL = re.compile(r"<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+|!\w+)(?:\|[^<>]*)?>")
_BARE_LINK = re.compile(r"(?<![<|\w])(https?://[^\s<>]+)")


def escape_typed(text: str) -> str:
    """``text`` as Slack delivers it when a person types it (mentions given as ``<@U…>``)."""
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    held = _TYPED_CONTROL.sub(keep, text)
    held = held.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    held = _BARE_LINK.sub(lambda match: f"<{match.group(1)}>", held)
    return re.sub("\x00([0-9]+)\x00", lambda match: kept[int(match.group(1))], held)
