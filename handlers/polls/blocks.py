"""Block Kit for the live poll message: its options, vote buttons and notes. Pure functions.

Short on a phone: each option is one section with its count, a bar and its share
(``▓▓▓░░ 60 %``), and its vote button beside it (the section's ``accessory``).
Everything here stays within Slack's limits: button labels of at most 75 characters (the full
option text is in the message), five buttons per actions block, section texts under 3,000
characters, and the message's text within the shared budget (``bot.blocks``): who voted is
named for up to ``MENTIONS_SHOWN`` voters an option, fewer when many options have many voters
("… and 12 more"), none when even that would not fit (the counts are always shown).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Any

from bot.blocks import (
    MESSAGE_TEXT_BUDGET,
    SECTION_LIMIT,
    clip,
    fallback_text,
    fit,
    mrkdwn,
    plain_text,
    section,
    text_length,
)
from bot.i18n import Text, format_datetime
from bot.mrkdwn import escape
from handlers.polls.tally import format_count

BUTTON_TEXT_LIMIT = 75
BAR_WIDTH = 10
BUTTONS_PER_ROW = 5
MENTIONS_SHOWN = 40
# Fewer mentions an option, tried in turn until the message fits the budget of block text.
MENTION_STEPS = (MENTIONS_SHOWN, 20, 10, 5, 0)

VOTE_ACTION = "poll_vote"
RANK_ACTION = "poll_rank"
ADD_OPTION_ACTION = "poll_add_option"

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
POLL_ID_NOTE = Text(en="Poll #{id}", da="Afstemning nr. {id}")
BALLOTS_NOTE = Text(en="{count} voted so far.", da="{count} har stemt indtil nu.")
CLOSED_NOTE = Text(en=":lock: This poll is closed.", da=":lock: Afstemningen er lukket.")
VOTES = Text(en="votes", da="stemmer")
ONE_VOTE = Text(en="vote", da="stemme")
FIRST_CHOICES = Text(en="first choices", da="førstevalg")
AND_MORE = Text(en="and {count} more", da="og {count} til")
RANK_BUTTON = Text(en="Rank the options", da="Prioritér mulighederne")
ADD_OPTION_BUTTON = Text(en="Add an option", da="Tilføj en mulighed")


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


def votes_word(count: Fraction | int, language: str) -> str:
    """The word after ``count``: "vote" or "votes"."""
    return (ONE_VOTE if count == 1 else VOTES).render(language)


def _mention_list(voters: Sequence[str], language: str, most: int) -> str:
    shown = ", ".join(f"<@{voter}>" for voter in voters[:most])
    if len(voters) > most:
        shown += " " + AND_MORE.render(language, count=len(voters) - most)
    return shown


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
    """The poll as posted and refreshed in the channel: fallback text and blocks, naming as
    many voters as the budget of block text allows."""
    for most in MENTION_STEPS:
        text, blocks = _poll_message(view, language, most)
        if text_length(blocks) <= MESSAGE_TEXT_BUDGET:
            return text, blocks
    return text, fit(blocks)


def _poll_message(view: PollView, language: str, mentions: int) -> tuple[str, list[dict[str, Any]]]:
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
    whole = share_whole(view)
    for option in view.options:
        count = format_count(option.count)
        word = label.render(language) if label else votes_word(option.count, language)
        bar = share_bar(option.count, whole, language)
        line = f"*{option.position}. {escape(option.text)}*  `{count} {word}`\n{bar}"
        if option.voters and not view.anonymous and mentions:
            line += "\n" + _mention_list(option.voters, language, mentions)
        block = section(line, block_id=f"poll:{view.id}:o{option.id}")
        if not view.closed and view.kind != "ranked":  # the option's vote button beside it
            block["accessory"] = vote_button(view, option)
        blocks.append(block)
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
    return fallback_text(fallback), blocks


def share_whole(view: PollView) -> Fraction | int:
    """What a bar is a share of: the voters when each may choose several options (so each
    bar says how many of them chose it), else all the votes."""
    if view.max_choices > 1 and view.kind != "ranked":
        return view.ballots
    return sum((option.count for option in view.options), Fraction(0))


def share_bar(count: Fraction | int, whole: Fraction | int, language: str) -> str:
    """``▓▓▓▓▓▓░░░░ 60 %`` (``60%`` in English): ``count``'s share of ``whole``, at a glance."""
    share = Fraction(count) / Fraction(whole) if whole else Fraction(0)
    half = Fraction(1, 2)  # rounded half up: 25 % fills 3 of 10, as a person would
    filled = min(BAR_WIDTH, math.floor(share * BAR_WIDTH + half))
    percent = min(100, math.floor(share * 100 + half))
    number = f"{percent} %" if language == "da" else f"{percent}%"
    return f"`{'▓' * filled}{'░' * (BAR_WIDTH - filled)}` {number}"


def vote_button(view: PollView, option: OptionView) -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": f"{VOTE_ACTION}:{option.position}",
        "text": plain_text(button_label(option.position, option.text)),
        "value": f"{view.id}:{option.id}",
    }


def _vote_buttons(view: PollView, language: str) -> list[dict[str, Any]]:
    """Below the options: ranking and adding an option (the vote buttons sit beside them)."""
    blocks: list[dict[str, Any]] = []
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
