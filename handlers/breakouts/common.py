"""Helpers the breakout listeners share: group sizes typed by people, names compared loosely."""

from __future__ import annotations

from bot.errors import UserError
from bot.i18n import Text
from bot.mrkdwn import escape
from bot.numbers import is_number
from handlers.breakouts.texts import SIZE_NEEDED, SIZE_NOT_A_NUMBER, SIZE_TOO_SMALL


def parse_size(word: str | None, *, missing: Text = SIZE_NEEDED) -> int:
    """A group size typed by a person: a whole number of at least 2 (upper bound checked later)."""
    if word is None:
        raise UserError(missing)
    value = word.strip()
    if value.startswith("-") and is_number(value[1:]):
        raise UserError(SIZE_TOO_SMALL, size=escape(value[:12]))
    if not is_number(value):
        raise UserError(SIZE_NOT_A_NUMBER, value=escape(value[:40]))
    if len(value) > 9:  # far more than any channel; avoids giant integers downstream
        return 10**9
    size = int(value)
    if size < 2:
        raise UserError(SIZE_TOO_SMALL, size=size)
    return size


def name_key(name: str) -> str:
    """Clinic and sub-cluster names as people mean them: case and spacing don't matter."""
    return " ".join(name.split()).casefold()
