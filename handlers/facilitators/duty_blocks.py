"""Block Kit for the babyklynge in charge of a meeting: its one message (what it does, the
topic, a checklist, the buttons) and the topic and swap modals. Pure."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from bot.blocks import button, fit, modal, plain_text, section
from bot.i18n import Text

# action_ids and callback_ids the duty listeners answer
POLL_GROUP = "facilitator_duty_poll_group"
POLL_ALL = "facilitator_duty_poll_all"
SET_TOPIC = "facilitator_duty_topic"
ASK_SWAP = "facilitator_duty_swap"
TOPIC_VIEW = "facilitator_duty_topic_submit"
SWAP_VIEW = "facilitator_duty_swap_submit"
# Block ids of the modals' fields (field errors are keyed by them).
TOPIC_FIELD = "topic"
GROUP_FIELD = "group"
TOPIC_LIMIT = 500  # a meeting's topic

POLL_GROUP_LABEL = Text(en="Poll our babyklynge", da="Afstemning i babyklyngen")
POLL_ALL_LABEL = Text(en="Poll the whole cluster", da="Afstemning i hele klyngen")
SET_TOPIC_LABEL = Text(en="Set the topic", da="Sæt emnet")
SWAP_LABEL = Text(en="Ask another babyklynge to swap", da="Byt med en anden babyklynge")
POLL_QUESTION = Text(en="Which topic for {title}?", da="Hvilket emne til {title}?")
TOPIC_TITLE = Text(en="The meeting's topic", da="Mødets emne")
TOPIC_LABEL = Text(en="Topic of {title}", da="Emne for {title}")
SWAP_TITLE = Text(en="Swap turns", da="Byt tur")
SWAP_FIELD_LABEL = Text(
    en="Which babyklynge should take {title}? They can accept or decline.",
    da="Hvilken babyklynge skal tage {title}? De kan sige ja eller nej tak.",
)
SAVE = Text(en="Save", da="Gem")
ASK = Text(en="Ask them", da="Spørg dem")
CANCEL = Text(en="Cancel", da="Annullér")


def duty_blocks(
    language: str, *, meeting_id: int, text: str, extra: Sequence[str] = ()
) -> list[Any]:
    """The babyklynge's message: ``text``, the ``extra`` lines (an energiser) and the buttons."""
    value = str(meeting_id)
    blocks: list[dict[str, Any]] = [section(text), *(section(line) for line in extra)]
    blocks.append(
        {
            "type": "actions",
            "block_id": f"facilitator_duty:{meeting_id}",
            "elements": [
                button(POLL_GROUP_LABEL.render(language), POLL_GROUP, value, style="primary"),
                button(POLL_ALL_LABEL.render(language), POLL_ALL, value),
                button(SET_TOPIC_LABEL.render(language), SET_TOPIC, value),
                button(SWAP_LABEL.render(language), ASK_SWAP, value),
            ],
        }
    )
    return fit(blocks)


def _modal(
    callback_id: str,
    title: Text,
    submit: Text,
    language: str,
    metadata: Mapping[str, Any],
    field: dict[str, Any],
) -> dict[str, Any]:
    return modal(
        callback_id,
        title=title.render(language),
        submit=submit.render(language),
        close=CANCEL.render(language),
        blocks=[field],
        metadata=json.dumps(dict(metadata)),
    )


def topic_modal(
    language: str, *, metadata: Mapping[str, Any], title: str, current: str | None
) -> dict[str, Any]:
    """One field: the meeting's topic (filled in with the current one)."""
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "max_length": TOPIC_LIMIT,
    }
    if current:
        element["initial_value"] = current[:TOPIC_LIMIT]
    field = {
        "type": "input",
        "block_id": TOPIC_FIELD,
        "label": plain_text(TOPIC_LABEL.render(language, title=title), 2000),
        "element": element,
    }
    return _modal(TOPIC_VIEW, TOPIC_TITLE, SAVE, language, metadata, field)


def swap_modal(
    language: str, *, metadata: Mapping[str, Any], title: str, groups: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """One field: which other babyklynge (``groups``: (rotation key, name)) to ask."""
    options = [{"text": plain_text(name, 75), "value": key} for key, name in groups[:100] if key]
    field = {
        "type": "input",
        "block_id": GROUP_FIELD,
        "label": plain_text(SWAP_FIELD_LABEL.render(language, title=title), 2000),
        "element": {"type": "static_select", "action_id": "value", "options": options},
    }
    return _modal(SWAP_VIEW, SWAP_TITLE, ASK, language, metadata, field)
