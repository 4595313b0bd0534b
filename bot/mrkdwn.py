"""Slack's text format, both ways.

Text people write reaches the bot in Slack's escaped form (slash-command text, message text
read back from Slack): ``&``, ``<`` and ``>`` as ``&amp;``, ``&lt;``, ``&gt;``; mentions,
channels and links as ``<@U…|name>``, ``<#C…|name>``, ``<https://…|label>``. ``unescape``
reads it once, where it comes in; ``escape`` (or ``escape_keeping_mentions``) writes it once,
where it goes into mrkdwn. Modal inputs arrive as typed and are only escaped on the way out.
"""

from __future__ import annotations

import re

# Mentions of one person or channel in user text: <@U123>, <#C123|name>. Never <!here>,
# <!channel>, <!everyone> or a user group (<!subteam^S123>): a member's text must not ping
# the whole channel, so those are escaped like any other text.
_MARKUP = re.compile(r"<(?:@[UW]|#C)[A-Z0-9]+(?:\|[^<>]*)?>")
# A link as Slack sends it: <https://…>, or <http://example.com|example.com> with a label.
_LINK = re.compile(r"<((?:https?://|mailto:)[^<>|\s]*)(?:\|([^<>]*))?>")


def escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` so Slack shows user text exactly as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Text as Slack delivers it, read once: as the person wrote it.

    Entities become ``&``, ``<`` and ``>``; a link becomes its plain address (with its label
    in front when the label is more than the address, ``label (https://…)``); mentions and
    channels stay ``<@U…>`` / ``<#C…>`` so they are still recognised.
    """
    return _entities(_LINK.sub(_plain_link, text))


def _plain_link(match: re.Match[str]) -> str:
    # Still in Slack's escaped form: ``unescape`` reads the entities once, afterwards.
    url, label = match.group(1), (match.group(2) or "").strip()
    bare = url.removeprefix("mailto:").split("://", 1)[-1].rstrip("/")
    if not label or label.rstrip("/") in {url.rstrip("/"), bare}:
        return bare if url.startswith("mailto:") else url
    return f"{label} ({url})"


def _entities(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape_keeping_mentions(text: str) -> str:
    """Like ``escape``, but mentions of people and channels the person wrote keep working
    (channel-wide and user-group mentions are escaped: shown, never notifying)."""
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
