"""Block Kit for the polls' modals: create a poll, rank the options, add an option. Pure."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.blocks import plain_text, section
from bot.i18n import Text
from bot.mrkdwn import escape
from handlers.polls.blocks import BUTTON_TEXT_LIMIT, OptionView, shorten

CREATE_CALLBACK = "poll_create"
RANK_CALLBACK = "poll_rank_submit"
ADD_OPTION_CALLBACK = "poll_add_option_submit"

CREATE_TITLE = Text(en="New poll", da="Ny afstemning")
CREATE_SUBMIT = Text(en="Create poll", da="Opret")
CANCEL = Text(en="Cancel", da="Annullér")
FIELD_QUESTION = Text(en="Question", da="Spørgsmål")
FIELD_OPTIONS = Text(en="Options, one per line (2 to 20)", da="Muligheder, én pr. linje (2 til 20)")
FIELD_KIND = Text(en="How people vote", da="Sådan stemmer man")
KIND_SINGLE = Text(en="One choice", da="Ét valg")
KIND_MULTI = Text(en="Several choices", da="Flere valg")
KIND_RANKED = Text(en="Rank the options", da="Prioritér mulighederne")
FIELD_MAX = Text(en="Several choices: at most how many?", da="Flere valg: højst hvor mange?")
FIELD_SETTINGS = Text(en="Settings", da="Indstillinger")
SETTING_ANONYMOUS = Text(en="Anonymous", da="Anonym")
SETTING_OPEN = Text(en="Members may add options", da="Medlemmer må tilføje muligheder")
FIELD_CLOSES = Text(en="Closes", da="Lukker")
CLOSES_HINT = Text(
    en="For example “Friday 4pm”, “Dec 3 12:00” or “tomorrow 9:30”. Left empty, the poll stays "
    "open until someone closes it with /klynge poll close.",
    da="Fx »fredag kl. 16«, »3. dec. kl. 12« eller »i morgen kl. 9.30«. Står feltet tomt, er "
    "afstemningen åben, til nogen lukker den med /klynge afstemning luk.",
)
RANK_TITLE = Text(en="Rank the options", da="Prioritér")
RANK_SUBMIT = Text(en="Save ranking", da="Gem")
RANK_PLACE = Text(en="Choice {place}", da="{place}. valg")
RANK_HINT = Text(
    en="Rank as many options as you like; the first choice is required.",
    da="Prioritér så mange, du vil; første valg skal udfyldes.",
)
ONLY_SUBCLUSTER = Text(
    en="Only babyklynge *{name}* votes in this poll.",
    da="Kun babyklyngen *{name}* stemmer i denne afstemning.",
)
ADD_TITLE = Text(en="Add an option", da="Tilføj mulighed")
ADD_SUBMIT = Text(en="Add", da="Tilføj")
FIELD_NEW_OPTION = Text(en="New option", da="Ny mulighed")


def _input(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    block = {
        "type": "input",
        "block_id": block_id,
        "label": plain_text(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain_text(hint, 2000)
    return block


def _choice(text: str, value: str) -> dict[str, Any]:
    return {"text": plain_text(shorten(text, BUTTON_TEXT_LIMIT)), "value": value}


def create_modal(
    channel_id: str, language: str, *, question: str = "", subcluster: str | None = None
) -> dict[str, Any]:
    """The modal behind ``/klynge poll`` without arguments: ``question`` filled in, and with
    ``subcluster`` (a name) a poll only that babyklynge votes in."""
    kinds = [
        _choice(KIND_SINGLE.render(language), "single"),
        _choice(KIND_MULTI.render(language), "multi"),
        _choice(KIND_RANKED.render(language), "ranked"),
    ]
    settings = [
        _choice(SETTING_ANONYMOUS.render(language), "anonymous"),
        _choice(SETTING_OPEN.render(language), "open"),
    ]
    metadata: dict[str, str] = {"channel": channel_id}
    asked: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "max_length": 300}
    if question:
        asked["initial_value"] = question[:300]
    scope = []
    if subcluster:
        metadata["subcluster"] = subcluster
        scope = [section(ONLY_SUBCLUSTER.render(language, name=escape(subcluster)))]
    return {
        "type": "modal",
        "callback_id": CREATE_CALLBACK,
        "private_metadata": json.dumps(metadata),
        "title": plain_text(CREATE_TITLE.render(language)),
        "submit": plain_text(CREATE_SUBMIT.render(language)),
        "close": plain_text(CANCEL.render(language)),
        "blocks": [
            *scope,
            _input("question", FIELD_QUESTION.render(language), asked),
            _input(
                "options",
                FIELD_OPTIONS.render(language),
                {"type": "plain_text_input", "action_id": "value", "multiline": True},
            ),
            _input(
                "kind",
                FIELD_KIND.render(language),
                {
                    "type": "radio_buttons",
                    "action_id": "value",
                    "options": kinds,
                    "initial_option": kinds[0],
                },
            ),
            _input(
                "max_choices",
                FIELD_MAX.render(language),
                {"type": "plain_text_input", "action_id": "value", "max_length": 3},
                optional=True,
            ),
            _input(
                "settings",
                FIELD_SETTINGS.render(language),
                {"type": "checkboxes", "action_id": "value", "options": settings},
                optional=True,
            ),
            _input(
                "closes",
                FIELD_CLOSES.render(language),
                {"type": "plain_text_input", "action_id": "value", "max_length": 40},
                optional=True,
                hint=CLOSES_HINT.render(language),
            ),
        ],
    }


def rank_modal(
    poll_id: int,
    question: str,
    options: Sequence[OptionView],
    ranking: Sequence[int],
    language: str,
) -> dict[str, Any]:
    """One select per place; places beyond the first are optional. Pre-filled with ``ranking``."""
    choices = {
        option.id: _choice(f"{option.position}. {option.text}", str(option.id))
        for option in options
    }
    blocks: list[dict[str, Any]] = [
        section(f"*{escape(shorten(question, 2000))}*\n{RANK_HINT.render(language)}")
    ]
    for place in range(1, len(options) + 1):
        element: dict[str, Any] = {
            "type": "static_select",
            "action_id": "option",
            "options": list(choices.values()),
        }
        if place <= len(ranking) and ranking[place - 1] in choices:
            element["initial_option"] = choices[ranking[place - 1]]
        blocks.append(
            _input(
                f"rank_{place}",
                RANK_PLACE.render(language, place=place),
                element,
                optional=place > 1,
            )
        )
    return {
        "type": "modal",
        "callback_id": RANK_CALLBACK,
        "private_metadata": str(poll_id),
        "title": plain_text(RANK_TITLE.render(language)),
        "submit": plain_text(RANK_SUBMIT.render(language)),
        "close": plain_text(CANCEL.render(language)),
        "blocks": blocks,
    }


def add_option_modal(poll_id: int, question: str, language: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ADD_OPTION_CALLBACK,
        "private_metadata": str(poll_id),
        "title": plain_text(ADD_TITLE.render(language)),
        "submit": plain_text(ADD_SUBMIT.render(language)),
        "close": plain_text(CANCEL.render(language)),
        "blocks": [
            section(f"*{escape(shorten(question, 2000))}*"),
            _input(
                "option",
                FIELD_NEW_OPTION.render(language),
                {"type": "plain_text_input", "action_id": "value", "max_length": 200},
            ),
        ],
    }
