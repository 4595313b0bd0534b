"""The babyklynge's message and its modals (pure) keep within Slack's limits."""

from __future__ import annotations

import pytest

from bot.blocks import SECTION_LIMIT
from bot.fakeslack.rules import block_errors
from handlers.facilitators import duty_blocks


@pytest.mark.parametrize("language", ["en", "da"])
def test_the_babyklynge_message_and_modals_are_within_slacks_limits(language: str) -> None:
    text = "x" * 2900
    blocks = duty_blocks.duty_blocks(language, meeting_id=7, text=text, extra=["y" * 400])
    topic = duty_blocks.topic_modal(
        language, metadata={"meeting": 7}, title="t" * 200, current="z" * 600
    )
    swap = duty_blocks.swap_modal(
        language, metadata={"meeting": 7}, title="t" * 200, groups=[("sc:1", "n" * 90)] * 120
    )

    assert block_errors(blocks) == []
    assert all(len(b.get("text", {}).get("text", "")) <= SECTION_LIMIT for b in blocks)
    assert block_errors(topic["blocks"], limit=100) == []
    assert len(topic["blocks"][0]["element"]["initial_value"]) == duty_blocks.TOPIC_LIMIT
    assert block_errors(swap["blocks"], limit=100) == []
    assert len(swap["blocks"][0]["element"]["options"]) == 100
