"""The shared message builders of bot.blocks keep within Slack's budget: clipping, packing, fitting,
long lists, and numbering the parts of a post of several messages.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.blocks import (
    MESSAGE_TEXT_BUDGET,
    clip,
    context,
    fit,
    lines_message,
    numbered_parts,
    pack,
    part_room,
    section,
    text_length,
)
from bot.fakeslack.rules import (
    escaping_errors,
)
from bot.mrkdwn import escape, escape_keeping_mentions
from handlers.takeaways import blocks as takeaways
from tests.unit.message_budget_helpers import (
    SLACK_IDS,
    TYPED,
    accepted,
    long_text,
    sections,
)

# --- the shared helpers --------------------------------------------------------------------------


@given(text=st.text(TYPED, max_size=300), limit=st.integers(min_value=1, max_value=300))
def test_clip_never_cuts_an_escaped_character_or_a_mention(text: str, limit: int) -> None:
    marked = escape_keeping_mentions(text) + " <@U0123456789> " + escape(text)

    clipped = clip(marked, limit)

    assert len(clipped) <= max(limit, 1)
    assert escaping_errors(clipped) == []


@given(sizes=st.lists(st.lists(st.integers(0, 3000), min_size=1, max_size=8), max_size=40))
def test_pack_keeps_order_and_every_group_that_fits_in_one_message(
    sizes: list[list[int]],
) -> None:
    groups = [[section("x" * size) for size in group] for group in sizes]

    messages = pack(groups)

    assert [block for message in messages for block in message] == [
        block for group in groups for block in group
    ]
    for message in messages:
        assert len(message) <= 50
        assert text_length(message) <= MESSAGE_TEXT_BUDGET
    for group in groups:
        if group and text_length(group) <= MESSAGE_TEXT_BUDGET:
            assert any(all(block in message for block in group) for message in messages)


def test_fit_shortens_the_longest_texts_and_keeps_buttons_whole() -> None:
    blocks = [
        section(escape(long_text(3000))),
        section(escape(long_text(2900))),
        section("kort"),
        {"type": "actions", "elements": [takeaways.button("Knap", "a", "1")]},
    ] * 3

    fitted = fit(blocks)

    accepted("", fitted)
    assert [block["type"] for block in fitted] == [block["type"] for block in blocks]
    assert fitted[2]["text"]["text"] == "kort"
    assert fitted[3] == blocks[3]


def test_a_long_list_of_lines_is_one_message_with_a_short_preview() -> None:
    lines = [f"{n}. <@{SLACK_IDS[n]}> — sidste tur: torsdag 4. marts 2027" for n in range(120)]

    text, blocks = lines_message(lines)

    accepted(text, blocks)
    assert "\n".join(sections(blocks)) == "\n".join(lines)
    assert text.endswith("…")


@pytest.mark.parametrize(("language", "line"), [("en", "Part 2 of 3"), ("da", "Del 2 af 3")])
def test_a_post_of_several_messages_numbers_each_part(language: str, line: str) -> None:
    messages = [[section("a")], [section("b")], [section("c")]]

    parts = numbered_parts(messages, language)

    assert [part for _, part in parts][1] == line
    assert parts[1][0] == [section("b"), context(line)]
    assert len(line) <= part_room(language)


def test_a_post_of_one_message_is_not_numbered() -> None:
    assert numbered_parts([[section("a")]], "da") == [([section("a")], None)]
