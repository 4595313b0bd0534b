"""Small helpers for Slack's message text format."""

from __future__ import annotations


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` so Slack shows user text exactly as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(user_id: str) -> str:
    return f"<@{user_id}>"


def mentions(user_ids: list[str] | tuple[str, ...]) -> str:
    return ", ".join(mention(user_id) for user_id in user_ids)
