"""Block Kit as plain text, for the demo transcript: sections as lines, buttons as [labels]."""

from __future__ import annotations

import re
from typing import Any

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")


def plain(text: str, names: dict[str, str]) -> str:
    """Slack markup made readable: mentions as @Name, links as their label, entities decoded."""
    text = _MENTION.sub(lambda match: "@" + names.get(match.group(1), match.group(1)), text)
    text = _LINK.sub(lambda match: f"{match.group(2)} ({match.group(1)})", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _element_text(element: dict[str, Any]) -> str:
    text = element.get("text")
    if isinstance(text, dict):
        return str(text.get("text", ""))
    return str(text or "")


def render_blocks(blocks: list[dict[str, Any]], names: dict[str, str]) -> list[str]:
    """One or more lines per block."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind in {"section", "header"}:
            text = _element_text(block)
            if text:
                lines.extend(plain(text, names).splitlines())
            for field in block.get("fields") or []:
                lines.append(plain(str(field.get("text", "")), names))
            accessory = block.get("accessory")
            if accessory and accessory.get("type") == "button":
                lines.append(f"[{plain(_element_text(accessory), names)}]")
        elif kind == "context":
            parts = [_element_text(element) for element in block.get("elements") or []]
            lines.append(plain(" · ".join(part for part in parts if part), names))
        elif kind == "actions":
            labels = [
                f"[{plain(_element_text(element), names)}]"
                for element in block.get("elements") or []
                if element.get("type") == "button"
            ]
            if labels:
                lines.append(" ".join(labels))
        elif kind == "divider":
            lines.append("─" * 40)
    return lines


def render_message(text: str, blocks: list[dict[str, Any]], names: dict[str, str]) -> list[str]:
    """The blocks when there are any (what people see), else the fallback text."""
    if blocks:
        return render_blocks(blocks, names)
    return plain(text, names).splitlines()
