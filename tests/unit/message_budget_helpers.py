"""Shared pieces of the tests/unit/test_message_budget_*.py modules: what people type, and the check
that Slack (and the strict fake) would accept a message as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from bot.blocks import (
    MESSAGE_TEXT_BUDGET,
    text_length,
)
from bot.fakeslack.rules import (
    block_errors,
    block_text_length,
    message_text_errors,
)

CPH = ZoneInfo("Europe/Copenhagen")
START = datetime(2027, 3, 4, 15, 0, tzinfo=UTC)


# What people type: letters, Danish letters, emoji, line breaks, and what Slack escapes.
TYPED = st.sampled_from("abc æøå 😀\n&<>;#")
SLACK_IDS = [f"U0{number:09d}" for number in range(1000)]  # as long as real user ids


def accepted(text: str, blocks: list[dict[str, Any]], *, most_blocks: int = 50) -> None:
    """Slack (and the strict fake) would take this message as it is."""
    assert block_errors(blocks, limit=most_blocks) == []
    assert text_length(blocks) == block_text_length(blocks)  # the bot counts as Slack does
    assert text_length(blocks) <= MESSAGE_TEXT_BUDGET
    assert len(text) < 4000
    assert message_text_errors(text, blocks) == []


def long_text(length: int, seed: str = "") -> str:
    """``length`` characters of prose full of & < >, starting with ``seed``."""
    return (seed + "HbA1c < 53 & BT > 130/80; ring til <patienten> & aftal tid. " * 100)[:length]


def sections(blocks: Sequence[dict[str, Any]]) -> list[str]:
    return [block["text"]["text"] for block in blocks if block["type"] == "section"]
