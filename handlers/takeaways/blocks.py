"""Block Kit for take-home messages: buttons, modals, follow-up DMs, reminder lines. Pure.

Every builder takes the language and plain values and returns dicts Slack accepts (within its
limits: section text 3,000 characters, modal titles 24, button labels 75), so they are unit tested
without Slack or a database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.blocks import (
    MESSAGE_TEXT_BUDGET,
    SECTION_LIMIT,
    button,
    context,
    fit,
    plain_text,
    section,
    text_sections,
)
from bot.i18n import Text
from bot.mrkdwn import escape_keeping_mentions
from bot.privacy import NO_PATIENT_DATA
from handlers.takeaways.summary_blocks import PROMPT_LABELS, preview
from storage.takeaways import (
    ANSWERS,
    DONE,
    IN_PROGRESS,
    KIND_DECISION,
    KIND_INSTRUCTION,
    KIND_TAKEAWAY,
    NOT_RELEVANT,
    PROMPT_DECISION,
    PROMPT_INSTRUCTION,
    PROMPT_TAKE,
    PROMPT_USE,
    PROMPT_WORK,
)

# action_ids and callback_ids the handlers listen for
OPEN_MODAL = "takeaway_open"
EDIT = "takeaway_edit"
UNDO = "takeaway_undo"
ANSWER_PREFIX = "takeaway_followup:"
CLOSING_ROUND_VIEW = "takeaway_closing_round"
EDIT_VIEW = "takeaway_edit_view"
TEXT_ACTION = "text"
MODAL_TEXT_LIMIT = 3000  # Slack's plain_text_input max_length
# How much of one take-home a message shows: the budget less room for a hint and buttons.
TEXT_IN_A_MESSAGE = MESSAGE_TEXT_BUDGET - 1000

# The closing round's questions, in the modal's order, and what each answer is stored as.
PROMPTS = (PROMPT_TAKE, PROMPT_USE, PROMPT_WORK, PROMPT_DECISION, PROMPT_INSTRUCTION)
PROMPT_KINDS = {PROMPT_DECISION: KIND_DECISION, PROMPT_INSTRUCTION: KIND_INSTRUCTION}


def kind_of_prompt(prompt: str) -> str:
    return PROMPT_KINDS.get(prompt, KIND_TAKEAWAY)


EDIT_BUTTON = Text(en="Edit", da="Ret")
UNDO_BUTTON = Text(en="Undo", da="Fortryd")
DELETE_BUTTON = Text(en="Delete", da="Slet")
TAKEAWAY_BUTTON = Text(en="Take-home message", da="Pointe")
AGENDA_HINT = Text(
    en="Closing round: what do you take with you, what can you use, what will you work on "
    "in your clinic, what did we decide, and what should your staff do? Click *Take-home "
    "message*, or write `/klynge takeaway [text]`, `/klynge decision [text]` or "
    "`/klynge instruction [text]`.",
    da="Afrunding: hvad tager du med dig, hvad kan du bruge, hvad vil du arbejde med i din "
    "klinik, hvad besluttede vi, og hvad skal dit personale gøre? Klik på *Pointe*, "
    "eller skriv `/klynge pointe [tekst]`, `/klynge beslutning [tekst]` eller `/klynge "
    "instruks [tekst]`.",
)
MODAL_TITLE = Text(en="Take-home message", da="Pointe")
MODAL_SUBMIT = Text(en="Save", da="Gem")
MODAL_CLOSE = Text(en="Cancel", da="Annullér")
MODAL_INTRO = Text(
    en="Answer the questions you have an answer to. Each answer is saved on its own; about a "
    "week before the next meeting (or in {days} days, if none is planned) I will ask whether you "
    "implemented your take-homes and your instruction for the staff. Decisions and agreements "
    "go into the meeting's decision minutes.",
    da="Svar på de spørgsmål, du har et svar på. Hvert svar gemmes for sig; cirka en uge "
    "før næste møde (eller om {days} dage, hvis intet er planlagt) spørger jeg, om du "
    "fik ført dine pointer og din instruks til personalet ud i livet. Beslutninger og "
    "aftaler kommer i mødets beslutningsreferat.",
)
EDIT_TITLE = Text(en="Edit take-home", da="Ret din pointe")
EDIT_LABEL = Text(en="Your take-home message", da="Din pointe")
LIST_TITLE = Text(
    en="*Your latest take-home messages* (newest first):",
    da="*Dine seneste pointer* (nyeste først):",
)
ANSWER_LABELS = {
    DONE: Text(en="Done", da="Gennemført"),
    IN_PROGRESS: Text(en="In progress", da="I gang"),
    NOT_RELEVANT: Text(en="Not relevant", da="Ikke relevant"),
}
ANSWER_ICONS = {
    DONE: ":white_check_mark:",
    IN_PROGRESS: ":hourglass_flowing_sand:",
    NOT_RELEVANT: ":heavy_minus_sign:",
}
ANSWERED = Text(
    en="{icon} Your answer: *{answer}*. Thank you!", da="{icon} Dit svar: *{answer}*. Tak!"
)
REMINDER_FOLLOWUP = Text(
    en=":seedling: *Follow-up on last time* — the take-home messages of {title} ({date}): "
    ":white_check_mark: {done} done · :hourglass_flowing_sand: {progress} in progress · "
    ":heavy_minus_sign: {irrelevant} not relevant · {unanswered} not answered yet",
    da=":seedling: *Opfølgning fra sidst* — pointerne fra {title} ({date}): "
    ":white_check_mark: {done} gennemført · :hourglass_flowing_sand: {progress} i gang · "
    ":heavy_minus_sign: {irrelevant} ikke relevant · {unanswered} ikke besvaret endnu",
)
REMINDER_MORE = Text(en="…and {count} more.", da="… og {count} til.")


@dataclass(frozen=True)
class Line:
    """A take-home as listed (in a reminder or the author's own list)."""

    takeaway_id: int
    author_id: str
    text: str
    answer: str | None = None
    where: str = ""


def confirmation(
    *, takeaway_id: int, text: str, intro: str, hint: str, language: str
) -> list[dict[str, Any]]:
    """The private "saved" message: the whole text, a hint, Edit and Undo.

    A text longer than a message holds (only a very long message saved with the shortcut or
    the emoji) is shown as far as it fits, with an ellipsis; it is stored whole.
    """
    blocks = text_sections(text, intro=intro, budget=TEXT_IN_A_MESSAGE)
    if hint:
        blocks.append(context(hint))
    value = str(takeaway_id)
    blocks.append(
        {
            "type": "actions",
            "block_id": f"takeaway:{takeaway_id}",
            "elements": [
                button(EDIT_BUTTON.render(language), EDIT, value),
                button(UNDO_BUTTON.render(language), UNDO, value, style="danger"),
            ],
        }
    )
    return blocks


def take_home_button(
    language: str, meeting_id: int | None, *, primary: bool = False
) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": "takeaway_agenda",
        "elements": [
            button(
                TAKEAWAY_BUTTON.render(language),
                OPEN_MODAL,
                str(meeting_id or ""),
                style="primary" if primary else None,
            )
        ],
    }


def agenda(language: str, meeting_id: int | None) -> list[dict[str, Any]]:
    """For the agenda/check-in post: the closing-round questions and the button."""
    hint = f"{AGENDA_HINT.render(language)} {NO_PATIENT_DATA.render(language)}"
    return [context(hint), take_home_button(language, meeting_id)]


def closing_round_view(
    language: str, *, metadata: Mapping[str, Any], followup_days: int
) -> dict[str, Any]:
    """The modal with the three closing-round questions (each optional)."""
    intro = f"{MODAL_INTRO.render(language, days=followup_days)} {NO_PATIENT_DATA.render(language)}"
    blocks: list[dict[str, Any]] = [section(intro)]
    for prompt in PROMPTS:
        blocks.append(
            {
                "type": "input",
                "block_id": prompt,
                "optional": True,
                "label": plain_text(PROMPT_LABELS[prompt].render(language), 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": TEXT_ACTION,
                    "multiline": True,
                    "max_length": MODAL_TEXT_LIMIT,
                },
            }
        )
    return {
        "type": "modal",
        "callback_id": CLOSING_ROUND_VIEW,
        "private_metadata": json.dumps(dict(metadata)),
        "title": plain_text(MODAL_TITLE.render(language), 24),
        "submit": plain_text(MODAL_SUBMIT.render(language), 24),
        "close": plain_text(MODAL_CLOSE.render(language), 24),
        "blocks": blocks,
    }


def edit_view(language: str, *, metadata: Mapping[str, Any], text: str) -> dict[str, Any]:
    """The modal to edit one take-home (``text`` must fit Slack's 3,000-character input)."""
    if len(text) > MODAL_TEXT_LIMIT:
        raise ValueError("the text is longer than a Slack text input holds")
    return {
        "type": "modal",
        "callback_id": EDIT_VIEW,
        "private_metadata": json.dumps(dict(metadata)),
        "title": plain_text(EDIT_TITLE.render(language), 24),
        "submit": plain_text(MODAL_SUBMIT.render(language), 24),
        "close": plain_text(MODAL_CLOSE.render(language), 24),
        "blocks": [
            {
                "type": "input",
                "block_id": TEXT_ACTION,
                "label": plain_text(EDIT_LABEL.render(language), 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": TEXT_ACTION,
                    "multiline": True,
                    "max_length": MODAL_TEXT_LIMIT,
                    "initial_value": text,
                },
            }
        ],
    }


def own_list(language: str, lines: Sequence[Line]) -> list[dict[str, Any]]:
    """The author's take-homes (previews), each with Edit and Delete; at most 24 of them,
    within the budget of block text."""
    blocks: list[dict[str, Any]] = [section(LIST_TITLE.render(language))]
    for line in lines[:24]:
        value = str(line.takeaway_id)
        where, text = (
            escape_keeping_mentions(line.where),
            escape_keeping_mentions(preview(line.text)),
        )
        blocks.append(section(f"_{where}_: {text}"))
        blocks.append(
            {
                "type": "actions",
                "block_id": f"takeaway:{line.takeaway_id}",
                "elements": [
                    button(EDIT_BUTTON.render(language), EDIT, value),
                    button(DELETE_BUTTON.render(language), UNDO, value, style="danger"),
                ],
            }
        )
    return fit(blocks)


def followup_question(
    language: str, *, takeaway_id: int, text: str, prompt: str | None
) -> list[dict[str, Any]]:
    """One take-home's whole text and its Done / In progress / Not relevant buttons."""
    label = PROMPT_LABELS.get(prompt or "")
    intro = f"• _{label.render(language)}:_ " if label else "• "
    blocks = text_sections(text, intro=intro, budget=TEXT_IN_A_MESSAGE)
    blocks.append(
        {
            "type": "actions",
            "block_id": f"followup:{takeaway_id}",
            "elements": answer_buttons(language, takeaway_id),
        }
    )
    return blocks


def answer_buttons(language: str, takeaway_id: int) -> list[dict[str, Any]]:
    """Done / In progress / Not relevant for one take-home (in the DM and on the Home tab)."""
    return [
        button(
            ANSWER_LABELS[answer].render(language),
            ANSWER_PREFIX + answer,
            str(takeaway_id),
            style="primary" if answer == DONE else None,
        )
        for answer in ANSWERS
    ]


def answered(
    language: str, blocks: Sequence[Mapping[str, Any]], *, takeaway_id: int, answer: str
) -> list[dict[str, Any]]:
    """The follow-up DM's blocks with the answered question's buttons replaced by the answer."""
    note = ANSWERED.render(
        language, icon=ANSWER_ICONS[answer], answer=ANSWER_LABELS[answer].render(language)
    )
    return [
        context(note) if block.get("block_id") == f"followup:{takeaway_id}" else dict(block)
        for block in blocks
    ]


def reminder_followup(
    language: str,
    *,
    title: str,
    date: str,
    counts: Mapping[str | None, int],
    lines: Sequence[Line],
    limit: int = SECTION_LIMIT,
) -> list[dict[str, Any]]:
    """For the next meeting's reminders and start post ("Follow-up on last time"): the answers
    counted, then the take-homes (previews) in up to ``limit`` characters."""
    heading = REMINDER_FOLLOWUP.render(
        language,
        title=escape_keeping_mentions(title),
        date=date,
        done=counts.get(DONE, 0),
        progress=counts.get(IN_PROGRESS, 0),
        irrelevant=counts.get(NOT_RELEVANT, 0),
        unanswered=counts.get(None, 0),
    )
    shown: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        icon = ANSWER_ICONS.get(line.answer or "", "•")
        text = f"{icon} <@{line.author_id}>: {escape_keeping_mentions(preview(line.text))}"
        more = REMINDER_MORE.render(language, count=len(lines) - index)
        if used + len(text) + 1 + len(more) > min(limit, SECTION_LIMIT):
            shown.append(more)
            break
        shown.append(text)
        used += len(text) + 1
    return [section(heading), section("\n".join(shown))] if shown else [section(heading)]
