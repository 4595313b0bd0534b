"""Small helpers for Slack's message text format."""

from __future__ import annotations

import re

# Slack's own markup in user text: <@U123>, <#C123|name>, <!here>.
_MARKUP = re.compile(r"<[@#!][A-Za-z0-9^]+(?:\|[^<>]*)?>")


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` so Slack shows user text exactly as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_keeping_mentions(text: str) -> str:
    """Like ``escape``, but mentions and channel links the person wrote keep working."""
    parts: list[str] = []
    position = 0
    for match in _MARKUP.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def mentions(user_ids: list[str] | tuple[str, ...]) -> str:
    return ", ".join(mention(user_id) for user_id in user_ids)
