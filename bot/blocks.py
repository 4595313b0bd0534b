"""Block Kit building blocks, clipped to Slack's limits (used by every feature's builders)."""

from __future__ import annotations

from typing import Any, Final

Block = dict[str, Any]

SECTION_LIMIT: Final = 3000
HEADER_LIMIT: Final = 150
BUTTON_LIMIT: Final = 75
CONTEXT_LIMIT: Final = 2000


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_text(text: str, limit: int | None = None) -> Block:
    return {"type": "plain_text", "text": clip(text, limit) if limit else text, "emoji": True}


def mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": text}


def section(text: str, *, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(clip(text, SECTION_LIMIT))}
    if block_id:
        block["block_id"] = block_id
    return block


def header(text: str) -> Block:
    return {"type": "header", "text": plain_text(text, HEADER_LIMIT)}


def context(text: str, *, block_id: str | None = None) -> Block:
    block: Block = {"type": "context", "elements": [mrkdwn(clip(text, CONTEXT_LIMIT))]}
    if block_id:
        block["block_id"] = block_id
    return block


def button(label: str, action_id: str, value: str, *, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": plain_text(label, BUTTON_LIMIT),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element
