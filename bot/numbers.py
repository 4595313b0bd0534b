"""Numbers people type: ASCII digits only.

``str.isdigit`` says yes to ``²``, ``٣`` and ``①``, which ``int`` then refuses or reads as
something nobody meant; every number the bot reads from a person or a payload goes through here.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]+")


def is_number(text: str, *, digits: int | None = None) -> bool:
    """``text`` is one or more ASCII digits (at most ``digits`` of them, if given)."""
    return _DIGITS.fullmatch(text) is not None and (digits is None or len(text) <= digits)


def parse_number(text: str, *, digits: int = 12) -> int | None:
    """``text`` as a whole number when it is ASCII digits (at most ``digits``), else None."""
    return int(text) if is_number(text, digits=digits) else None
