"""Slack's emoji shortcodes as the characters Slack shows for them.

Slack's names are the common "alias" set (GitHub's, with a few of its own); the ``emoji``
package keeps that table, so a shortcode a new text uses needs nothing here.
"""

from __future__ import annotations

import emoji


def emoji_for(name: str) -> str | None:
    """The emoji Slack shows for ``:name:``, or None when it is no emoji Slack knows."""
    shortcode = f":{name}:"
    shown = emoji.emojize(shortcode, language="alias")
    return None if shown == shortcode else shown
