"""Block Kit for take-home messages stays within Slack's limits and carries the right values."""

from __future__ import annotations

import json

import pytest

from bot.blocks import MESSAGE_TEXT_BUDGET, text_length
from bot.fakeslack.rules import block_errors
from bot.mrkdwn import escape
from handlers.takeaways import blocks as kit

LONG = "Lang tekst med <tegn> & emoji 🏠 " * 400  # ~13,000 characters


@pytest.mark.parametrize("language", ["en", "da"])
def test_confirmation_shows_the_whole_text_within_limits(language: str) -> None:
    text = ("Lang refleksion om <tegn> & emoji 🏠 " * 110).strip()  # ~4,000 characters
    blocks = kit.confirmation(
        takeaway_id=7, text=text, intro="Saved:\n", hint="hint", language=language
    )

    assert block_errors(blocks) == []
    shown = "".join(block["text"]["text"] for block in blocks if block["type"] == "section")
    assert shown == "Saved:\n" + escape(text)
    actions = blocks[-1]["elements"]
    assert [(a["action_id"], a["value"]) for a in actions] == [
        ("takeaway_edit", "7"),
        ("takeaway_undo", "7"),
    ]


def test_confirmation_of_a_text_longer_than_a_message_shows_its_start_within_the_budget() -> None:
    blocks = kit.confirmation(
        takeaway_id=7, text=LONG, intro="Saved:\n", hint="hint", language="en"
    )

    assert block_errors(blocks) == []
    assert text_length(blocks) <= MESSAGE_TEXT_BUDGET
    shown = "".join(block["text"]["text"] for block in blocks if block["type"] == "section")
    assert shown.endswith("…")
    assert escape(LONG).startswith(shown.removeprefix("Saved:\n").removesuffix("…"))
    assert len(shown) > 8000


@pytest.mark.parametrize("language", ["en", "da"])
def test_modals_respect_slacks_title_and_block_limits(language: str) -> None:
    views = [
        kit.closing_round_view(language, metadata={"cluster": 1, "meeting": 2}, followup_days=28),
        kit.edit_view(language, metadata={"cluster": 1, "takeaway": 3}, text="x" * 3000),
    ]
    for view in views:
        assert block_errors(view["blocks"], limit=100) == []
        for key in ("title", "submit", "close"):
            assert len(view[key]["text"]) <= 24
        assert len(view["private_metadata"]) <= 3000
    assert json.loads(views[0]["private_metadata"]) == {"cluster": 1, "meeting": 2}
    assert [block.get("block_id") for block in views[0]["blocks"][1:]] == [
        "take",
        "use",
        "work",
        "decision",
        "instruction",
    ]


def test_edit_view_refuses_text_longer_than_a_slack_input() -> None:
    with pytest.raises(ValueError, match="longer"):
        kit.edit_view("en", metadata={}, text="x" * 3001)


def test_followup_question_has_the_three_answers_for_that_take_home() -> None:
    blocks = kit.followup_question("da", takeaway_id=42, text=LONG, prompt="work")

    assert block_errors(blocks) == []
    assert "Det vil jeg arbejde med i min klinik" in blocks[0]["text"]["text"]
    actions = blocks[-1]
    assert actions["block_id"] == "followup:42"
    assert [a["action_id"] for a in actions["elements"]] == [
        "takeaway_followup:done",
        "takeaway_followup:progress",
        "takeaway_followup:irrelevant",
    ]
    assert [a["text"]["text"] for a in actions["elements"]] == [
        "Gennemført",
        "I gang",
        "Ikke relevant",
    ]


def test_answered_replaces_only_that_questions_buttons() -> None:
    blocks = [
        *kit.followup_question("en", takeaway_id=1, text="a", prompt=None),
        *kit.followup_question("en", takeaway_id=2, text="b", prompt=None),
    ]

    after = kit.answered("en", blocks, takeaway_id=2, answer="progress")

    assert after[1]["block_id"] == "followup:1"
    assert after[3]["type"] == "context"
    assert "*In progress*" in after[3]["elements"][0]["text"]


def test_reminder_counts_answers_and_fits_many_take_homes_in_one_section() -> None:
    lines = [
        kit.Line(takeaway_id=n, author_id=f"U{n}", text=LONG, answer="done" if n % 2 else None)
        for n in range(200)
    ]

    blocks = kit.reminder_followup(
        "en",
        title="Marts <KOL>",
        date="Thursday 3 December 2026 at 16:00",
        counts={"done": 100, None: 100},
        lines=lines,
    )

    assert block_errors(blocks) == []
    assert "Marts &lt;KOL&gt;" in blocks[0]["text"]["text"]
    assert "100 done" in blocks[0]["text"]["text"]
    assert "0 in progress" in blocks[0]["text"]["text"]
    assert "100 not answered yet" in blocks[0]["text"]["text"]
    assert blocks[1]["text"]["text"].endswith("more.")


def test_own_list_stays_within_fifty_blocks() -> None:
    lines = [kit.Line(takeaway_id=n, author_id="U1", text=LONG, where="Møde") for n in range(40)]

    assert block_errors(kit.own_list("da", lines)) == []
