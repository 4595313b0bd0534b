"""Zoom's breakout-room pre-assignment file. Pure.

Zoom reads a CSV with exactly two columns, ``Pre-assign Room Name`` and ``Email Address``, one
row per person; only people signed in to Zoom with that address are placed in their room.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

HEADER = ("Pre-assign Room Name", "Email Address")
MAX_ROOMS = 100  # Zoom's limits for pre-assignment
MAX_PARTICIPANTS = 1000


def usable_email(value: object) -> str | None:
    """``value`` when it looks like one email address (a CSV cell Zoom can read), else None."""
    if not isinstance(value, str):
        return None
    email = value.strip()
    if not email or "@" not in email or any(c.isspace() or c in ',;"' for c in email):
        return None
    return email


def pre_assignment_csv(
    rooms: Sequence[tuple[str, Sequence[str]]], emails: Mapping[str, str | None]
) -> tuple[str, list[str]]:
    """(the CSV text, members without a usable email, in room order).

    ``rooms`` are (room name, member ids); ``emails`` maps member id -> address.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    missing: list[str] = []
    for name, members in rooms:
        for member in members:
            email = usable_email(emails.get(member))
            if email is None:
                missing.append(member)
            else:
                writer.writerow((name, email))
    return buffer.getvalue(), missing
