"""Block Kit for polls: the poll message, the results, and the modals. Pure functions.

Everything here stays within Slack's limits: button labels of at most 75 characters (the full
option text is in the message), five buttons per actions block, section texts under 3,000
characters (long voter lists are cut short with a count), at most 50 blocks per message.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from bot.blocks import SECTION_LIMIT, clip, mrkdwn, plain_text, section
from bot.i18n import Text, format_datetime
from bot.mrkdwn import escape
from handlers.polls.tally import Result, RunoffResult, format_count

BUTTON_TEXT_LIMIT = 75
BUTTONS_PER_ROW = 5
MENTIONS_SHOWN = 40

VOTE_ACTION = "poll_vote"
RANK_ACTION = "poll_rank"
ADD_OPTION_ACTION = "poll_add_option"
TOPIC_ACTION = "poll_topic"
CREATE_CALLBACK = "poll_create"
RANK_CALLBACK = "poll_rank_submit"
ADD_OPTION_CALLBACK = "poll_add_option_submit"

HOW_SINGLE = Text(
    en="Choose one option. Click another to change your vote, the same one again to withdraw it.",
    da="Vælg én mulighed. Klik på en anden for at skifte, på den samme igen for at trække "
    "stemmen tilbage.",
)
HOW_MULTI = Text(
    en="Choose up to {n} options. Click a chosen option again to withdraw it.",
    da="Vælg op til {n} muligheder. Klik på en valgt mulighed igen for at fjerne den.",
)
HOW_RANKED = Text(
    en="Rank the options in order of preference with *Rank the options*. "
    "The result is found by instant-runoff.",
    da="Prioritér mulighederne med *Prioritér mulighederne*. "
    "Resultatet findes ved instant-runoff (gentagne afstemningsrunder).",
)
ANONYMOUS_NOTE = Text(
    en="Anonymous: nobody, not even the coordinators, can see who voted what.",
    da="Anonym: ingen, heller ikke koordinatorerne, kan se, hvem der stemte på hvad.",
)
SUBCLUSTER_NOTE = Text(
    en="Only the sub-cluster *{name}* votes.",
    da="Kun babyklyngen *{name}* stemmer.",
)
BY_SUBCLUSTER_NOTE = Text(
    en="Counted by sub-cluster: each sub-cluster's choice counts as one vote.",
    da="Tælles pr. babyklynge: hver babyklynges valg tæller som én stemme.",
)
CLOSES_NOTE = Text(en="Closes {when}.", da="Lukker {when}.")
POLL_ID_NOTE = Text(en="Poll #{id}", da="Afstemning #{id}")
BALLOTS_NOTE = Text(en="{count} voted so far.", da="{count} har stemt indtil nu.")
CLOSED_NOTE = Text(en=":lock: This poll is closed.", da=":lock: Afstemningen er lukket.")
VOTES = Text(en="votes", da="stemmer")
ONE_VOTE = Text(en="vote", da="stemme")
FIRST_CHOICES = Text(en="first choices", da="førstevalg")
SUBCLUSTER_VOTES = Text(en="sub-cluster votes", da="babyklynge-stemmer")
AND_MORE = Text(en="and {count} more", da="og {count} mere")
RANK_BUTTON = Text(en="Rank the options", da="Prioritér mulighederne")
ADD_OPTION_BUTTON = Text(en="Add an option", da="Tilføj en mulighed")

RESULTS_TITLE = Text(
    en=":checkered_flag: *Results: {question}*", da=":checkered_flag: *Resultat: {question}*"
)
WINNER = Text(en="*Winner:* {option}", da="*Vinder:* {option}")
TIE = Text(en="*Tie* between {options}.", da="*Uafgjort* mellem {options}.")
NO_VOTES = Text(en="No votes were cast.", da="Der blev ikke afgivet nogen stemmer.")
TURNOUT = Text(en="{count} voted.", da="{count} stemte.")
OUT_IN_ROUND = Text(en="out in round {round}", da="ude i runde {round}")
ROUND_LINE = Text(en="Round {round}: {counts}", da="Runde {round}: {counts}")
ROUND_OUT = Text(en=" → out: {options}", da=" → ude: {options}")
ROUND_EXHAUSTED = Text(en=" ({count} ballots used up)", da=" ({count} stemmesedler opbrugt)")
ROUNDS_TITLE = Text(en="*Instant-runoff rounds*", da="*Afstemningsrunder (instant-runoff)*")
OVERALL_TITLE = Text(
    en="*Overall* (each sub-cluster counts as one vote):",
    da="*Samlet* (hver babyklynge tæller som én stemme):",
)
GROUP_LINE = Text(en="*{name}*: {counts} → {outcome}", da="*{name}*: {counts} → {outcome}")
GROUP_TIE = Text(en="tie: {options}", da="uafgjort: {options}")
GROUP_NONE = Text(en="no votes", da="ingen stemmer")
TOPIC_BUTTON = Text(
    en="Make “{option}” the next meeting's topic", da="Gør “{option}” til næste mødes emne"
)

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
FIELD_CLOSES = Text(
    en="Closes at (YYYY-MM-DD HH:MM, optional)", da="Lukker (ÅÅÅÅ-MM-DD TT:MM, valgfrit)"
)
RANK_TITLE = Text(en="Rank the options", da="Prioritér")
RANK_SUBMIT = Text(en="Save ranking", da="Gem")
RANK_PLACE = Text(en="Choice {place}", da="{place}. valg")
RANK_HINT = Text(
    en="Rank as many options as you like; the first choice is required.",
    da="Prioritér så mange, du vil; første valg skal udfyldes.",
)
ADD_TITLE = Text(en="Add an option", da="Tilføj mulighed")
ADD_SUBMIT = Text(en="Add", da="Tilføj")
FIELD_NEW_OPTION = Text(en="New option", da="Ny mulighed")


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis when it is longer."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def button_label(position: int, text: str) -> str:
    """``3. Option text`` within Slack's 75 characters."""
    return shorten(f"{position}. {text}", BUTTON_TEXT_LIMIT)


@dataclass(frozen=True)
class OptionView:
    id: int
    position: int
    text: str
    count: Fraction | int = 0
    voters: tuple[str, ...] = ()  # user ids; empty in anonymous polls


@dataclass(frozen=True)
class PollView:
    """What the poll message shows."""

    id: int
    question: str
    kind: str
    max_choices: int
    anonymous: bool
    open_options: bool
    closed: bool
    options: tuple[OptionView, ...]
    ballots: int
    closes_at_local: datetime | None = None
    subcluster_name: str | None = None
    by_subcluster: bool = False


def _votes_word(count: Fraction | int, language: str) -> str:
    return (ONE_VOTE if count == 1 else VOTES).render(language)


def _mention_list(voters: Sequence[str], language: str) -> str:
    shown = ", ".join(f"<@{voter}>" for voter in voters[:MENTIONS_SHOWN])
    if len(voters) > MENTIONS_SHOWN:
        shown += " " + AND_MORE.render(language, count=len(voters) - MENTIONS_SHOWN)
    return shown


def _sections(lines: Sequence[str], prefix: str) -> list[dict[str, Any]]:
    """Lines packed into as few sections as fit Slack's 3,000 characters each."""
    blocks: list[dict[str, Any]] = []
    chunk: list[str] = []
    for line in lines:
        line = clip(line, SECTION_LIMIT)
        if chunk and len("\n".join([*chunk, line])) > SECTION_LIMIT:
            blocks.append(section("\n".join(chunk), block_id=f"{prefix}{len(blocks)}"))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk), block_id=f"{prefix}{len(blocks)}"))
    return blocks


def poll_notes(view: PollView, language: str) -> list[str]:
    if view.kind == "ranked":
        notes = [HOW_RANKED.render(language)]
    elif view.max_choices > 1:
        notes = [HOW_MULTI.render(language, n=view.max_choices)]
    else:
        notes = [HOW_SINGLE.render(language)]
    if view.anonymous:
        notes.append(ANONYMOUS_NOTE.render(language))
    if view.subcluster_name:
        notes.append(SUBCLUSTER_NOTE.render(language, name=escape(view.subcluster_name)))
    if view.by_subcluster:
        notes.append(BY_SUBCLUSTER_NOTE.render(language))
    if view.closes_at_local is not None and not view.closed:
        notes.append(
            CLOSES_NOTE.render(language, when=format_datetime(view.closes_at_local, language))
        )
    return notes


def poll_message(view: PollView, language: str) -> tuple[str, list[dict[str, Any]]]:
    """The poll as posted and refreshed in the channel: fallback text and blocks."""
    question = escape(view.question)
    blocks: list[dict[str, Any]] = [
        section(f":bar_chart: *{question}*", block_id=f"poll:{view.id}:q")
    ]
    context = [*poll_notes(view, language), POLL_ID_NOTE.render(language, id=view.id)]
    blocks.append(
        {
            "type": "context",
            "block_id": f"poll:{view.id}:how",
            "elements": [mrkdwn(clip(" · ".join(context), SECTION_LIMIT))],
        }
    )
    label = FIRST_CHOICES if view.kind == "ranked" else None
    fallback = [f"{question}"]
    for option in view.options:
        count = format_count(option.count)
        word = label.render(language) if label else _votes_word(option.count, language)
        line = f"*{option.position}. {escape(option.text)}*  `{count} {word}`"
        if option.voters and not view.anonymous:
            line += "\n" + _mention_list(option.voters, language)
        blocks.append(section(line, block_id=f"poll:{view.id}:o{option.id}"))
        fallback.append(f"{option.position}. {escape(option.text)}: {count}")
    blocks.append(
        {
            "type": "context",
            "block_id": f"poll:{view.id}:n",
            "elements": [
                mrkdwn(
                    CLOSED_NOTE.render(language)
                    if view.closed
                    else BALLOTS_NOTE.render(language, count=view.ballots)
                )
            ],
        }
    )
    if not view.closed:
        blocks.extend(_vote_buttons(view, language))
    return "\n".join(fallback), blocks


def _vote_buttons(view: PollView, language: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    if view.kind != "ranked":
        buttons = [
            {
                "type": "button",
                "action_id": f"{VOTE_ACTION}:{option.position}",
                "text": plain_text(button_label(option.position, option.text)),
                "value": f"{view.id}:{option.id}",
            }
            for option in view.options
        ]
        for start in range(0, len(buttons), BUTTONS_PER_ROW):
            blocks.append(
                {
                    "type": "actions",
                    "block_id": f"poll:{view.id}:b{start // BUTTONS_PER_ROW}",
                    "elements": buttons[start : start + BUTTONS_PER_ROW],
                }
            )
    extra: list[dict[str, Any]] = []
    if view.kind == "ranked":
        extra.append(
            {
                "type": "button",
                "action_id": RANK_ACTION,
                "style": "primary",
                "text": plain_text(RANK_BUTTON.render(language)),
                "value": str(view.id),
            }
        )
    if view.open_options and len(view.options) < 20:
        extra.append(
            {
                "type": "button",
                "action_id": ADD_OPTION_ACTION,
                "text": plain_text(ADD_OPTION_BUTTON.render(language)),
                "value": str(view.id),
            }
        )
    if extra:
        blocks.append({"type": "actions", "block_id": f"poll:{view.id}:x", "elements": extra})
    return blocks


# --- results -----------------------------------------------------------------------------------


def _names(options: Sequence[OptionView], ids: Sequence[int]) -> str:
    by_id = {option.id: option for option in options}
    return ", ".join(f"*{escape(by_id[i].text)}*" for i in ids if i in by_id)


def _outcome_line(view: PollView, result: Result, language: str, unit: Text | None) -> str:
    if not result.winners:
        return NO_VOTES.render(language)
    if result.is_tie:
        return TIE.render(language, options=_names(view.options, result.winners))
    return WINNER.render(language, option=_names(view.options, result.winners))


def result_lines(
    view: PollView,
    result: Result,
    language: str,
    *,
    groups: Sequence[tuple[str, Result]] = (),
) -> list[str]:
    """The results as Markdown-ish lines: each option with its count, winner or tie, rounds."""
    lines = [RESULTS_TITLE.render(language, question=escape(view.question))]
    if groups:
        for name, group_result in groups:
            lines.append(_group_line(view, name, group_result, language))
        lines.append(OVERALL_TITLE.render(language))
    for option in view.options:
        count = result.counts.get(option.id, 0)
        word = SUBCLUSTER_VOTES.render(language) if groups else _votes_word(count, language)
        line = f"{option.position}. {escape(option.text)}: *{format_count(count)}* {word}"
        if isinstance(result, RunoffResult) and option.id in result.out_in_round:
            line += f" ({OUT_IN_ROUND.render(language, round=result.out_in_round[option.id])})"
        lines.append(line)
    lines.append(_outcome_line(view, result, language, None))
    if not groups:
        lines.append(TURNOUT.render(language, count=view.ballots))
    if isinstance(result, RunoffResult) and len(result.rounds) > 1:
        lines.append(ROUNDS_TITLE.render(language))
        lines.extend(_round_lines(view, result, language))
    return lines


def _round_lines(view: PollView, result: RunoffResult, language: str) -> list[str]:
    by_id = {option.id: option for option in view.options}
    lines = []
    for number, round_ in enumerate(result.rounds, start=1):
        counts = " · ".join(
            f"{escape(shorten(by_id[o].text, 60))} {c}"
            for o, c in round_.counts.items()
            if o in by_id
        )
        line = ROUND_LINE.render(language, round=number, counts=counts)
        if round_.eliminated:
            line += ROUND_OUT.render(language, options=_names(view.options, round_.eliminated))
        if round_.exhausted:
            line += ROUND_EXHAUSTED.render(language, count=round_.exhausted)
        lines.append(line)
    return lines


def _group_line(view: PollView, name: str, result: Result, language: str) -> str:
    counts = " · ".join(
        f"{escape(shorten(option.text, 40))} {format_count(result.counts.get(option.id, 0))}"
        for option in view.options
    )
    if not result.winners:
        outcome = GROUP_NONE.render(language)
    elif result.is_tie:
        outcome = GROUP_TIE.render(language, options=_names(view.options, result.winners))
    else:
        outcome = _names(view.options, result.winners)
    return GROUP_LINE.render(language, name=escape(name), counts=counts, outcome=outcome)


def results_message(
    view: PollView,
    result: Result,
    language: str,
    *,
    groups: Sequence[tuple[str, Result]] = (),
    topic_buttons: bool = True,
) -> tuple[str, list[dict[str, Any]]]:
    """The results post: one line per option with its count, the winner or the tie, rounds."""
    lines = result_lines(view, result, language, groups=groups)
    blocks = _sections(lines, f"pollres:{view.id}:")
    if topic_buttons and result.winners:
        by_id = {option.id: option for option in view.options}
        buttons = [
            {
                "type": "button",
                "action_id": f"{TOPIC_ACTION}:{index}",
                "text": plain_text(
                    shorten(
                        TOPIC_BUTTON.render(language, option=shorten(by_id[winner].text, 40)),
                        BUTTON_TEXT_LIMIT,
                    )
                ),
                "value": f"{view.id}:{winner}",
            }
            for index, winner in enumerate(result.winners[:BUTTONS_PER_ROW])
            if winner in by_id
        ]
        if buttons:
            blocks.append(
                {"type": "actions", "block_id": f"pollres:{view.id}:topic", "elements": buttons}
            )
    return "\n".join(lines), blocks[:50]


# --- modals ------------------------------------------------------------------------------------


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False
) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain_text(label),
        "element": element,
        "optional": optional,
    }


def _choice(text: str, value: str) -> dict[str, Any]:
    return {"text": plain_text(shorten(text, BUTTON_TEXT_LIMIT)), "value": value}


def create_modal(channel_id: str, language: str) -> dict[str, Any]:
    """The modal behind ``/klynge poll`` without arguments."""
    kinds = [
        _choice(KIND_SINGLE.render(language), "single"),
        _choice(KIND_MULTI.render(language), "multi"),
        _choice(KIND_RANKED.render(language), "ranked"),
    ]
    settings = [
        _choice(SETTING_ANONYMOUS.render(language), "anonymous"),
        _choice(SETTING_OPEN.render(language), "open"),
    ]
    return {
        "type": "modal",
        "callback_id": CREATE_CALLBACK,
        "private_metadata": json.dumps({"channel": channel_id}),
        "title": plain_text(CREATE_TITLE.render(language)),
        "submit": plain_text(CREATE_SUBMIT.render(language)),
        "close": plain_text(CANCEL.render(language)),
        "blocks": [
            _input(
                "question",
                FIELD_QUESTION.render(language),
                {"type": "plain_text_input", "action_id": "value", "max_length": 300},
            ),
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
