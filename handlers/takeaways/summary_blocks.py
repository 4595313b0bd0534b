"""Take-home summaries and decision minutes: pure text and Block Kit, no Slack, no database.

Take-home texts are kept verbatim and shown whole: a summary is split into sections of at most
3,000 characters and messages within the shared budget of block text (``bot.blocks``), cutting
a long text at a line break or space where it can, never inside ``&amp;`` and the like. Each
take-home sits whole in one message; only one longer than a whole message goes on in the next.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.blocks import (
    MESSAGE_BLOCKS,
    MESSAGE_TEXT_BUDGET,
    SECTION_LIMIT,
    fallback_text,
    numbered_parts,
    part_room,
    section,
    split_escaped,
)
from bot.i18n import Text

MAX_FOLLOWUP_DAYS = 365

SUMMARY_TITLE = Text(
    en=":house: *Take-home messages — {title}*",
    da=":house: *Pointer — {title}*",
)
LOOSE_TITLE = Text(
    en=":house: *Take-home messages written outside a meeting*",
    da=":house: *Pointer skrevet uden for et møde*",
)
GROUP_HEADING = Text(en="*Group {number}*", da="*Gruppe {number}*")
NO_GROUP_HEADING = Text(en="*Not in a breakout group*", da="*Ikke i en gruppe*")
PROMPT_LABELS = {
    "take": Text(en="What I take with me", da="Det tager jeg med mig"),
    "use": Text(en="What I can use", da="Det kan jeg bruge"),
    "work": Text(en="What I will work on in my clinic", da="Det vil jeg arbejde med i min klinik"),
    "decision": Text(en="What we decided or agreed", da="Det besluttede eller aftalte vi"),
    "instruction": Text(
        en="Instruction for my clinic staff", da="Instruks til personalet i min klinik"
    ),
}

_FOLLOWUP = re.compile(
    r"(\d{1,6})\s*(d|days?|dag|dage|w|weeks?|u|uge|uger)", re.IGNORECASE | re.ASCII
)
_EMOJI = re.compile(r"[a-z0-9_+'\-]{1,100}")


@dataclass(frozen=True)
class Entry:
    """One take-home message as shown: its author, verbatim text, group and question."""

    author_id: str
    text: str
    group: int | None = None
    prompt: str | None = None


@dataclass
class SlackMessage:
    """One message to post: the plain ``text`` and its ``blocks``."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


# --- text ---------------------------------------------------------------------------------------


# --- summaries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    """One take-home as section texts, with the headings that must open its message."""

    headings: list[str]
    pieces: list[str]


def summary_messages(*, title: str, entries: Sequence[Entry], language: str) -> list[SlackMessage]:
    """The summary of ``entries`` (every text whole), grouped by breakout group, as messages."""
    items: list[_Item] = []
    headings = [title]
    grouped = any(entry.group is not None for entry in entries)
    for group, members in _by_group(entries) if grouped else [(None, list(entries))]:
        if grouped:
            headings.append(
                GROUP_HEADING.render(language, number=group)
                if group is not None
                else NO_GROUP_HEADING.render(language)
            )
        for entry in members:
            items.append(_Item(headings, _entry_pieces(entry, language)))
            headings = []
    if headings:
        items.append(_Item(headings, []))
    return _messages(_pack(items, language), language)


def _by_group(entries: Sequence[Entry]) -> list[tuple[int | None, list[Entry]]]:
    groups: dict[int | None, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.group, []).append(entry)
    ordered = sorted((key for key in groups if key is not None), key=int)
    return [(key, groups[key]) for key in ordered] + (
        [(None, groups[None])] if None in groups else []
    )


def entry_prefix(entry: Entry, language: str) -> str:
    """``• <@U1>: `` plus the closing-round question the text answers, if any."""
    label = PROMPT_LABELS.get(entry.prompt or "")
    question = f"_{label.render(language)}:_ " if label else ""
    return f"• <@{entry.author_id}>: {question}"


def _entry_pieces(entry: Entry, language: str) -> list[str]:
    prefix = entry_prefix(entry, language)
    pieces = split_escaped(entry.text, SECTION_LIMIT - len(prefix))
    return [prefix + pieces[0], *pieces[1:]]


def _pack(items: Sequence[_Item], language: str) -> list[list[str]]:
    """Items into sections (≤ 3,000 characters) into messages: at most 49 sections (a part
    line may follow) and the budget of block text, less room for that part line.

    A take-home's first piece joins the section before it when that stays within 3,000
    characters; its other pieces (the rest of a long text) are sections of their own.
    """
    budget = MESSAGE_TEXT_BUDGET - part_room(language)
    most = MESSAGE_BLOCKS - 1
    messages: list[list[str]] = [[]]
    used = 0
    for item in items:
        need = sum(len(text) for text in (*item.headings, *item.pieces)) + 1
        count = len(item.headings) + len(item.pieces)
        if messages[-1] and (used + need > budget or len(messages[-1]) + count > most):
            messages.append([])
            used = 0
        for index, text in enumerate([*item.headings, *item.pieces]):
            sections = messages[-1]
            joins = index == len(item.headings)  # the take-home's first piece
            if (
                joins
                and sections
                and len(sections[-1]) + 1 + len(text) <= SECTION_LIMIT
                and used + 1 + len(text) <= budget
            ):
                sections[-1] += "\n" + text
                used += 1 + len(text)
                continue
            if sections and (used + len(text) > budget or len(sections) >= most):
                messages.append([])  # only inside a take-home longer than a whole message
                used = 0
            messages[-1].append(text)
            used += len(text)
    return [sections for sections in messages if sections]


def _messages(packed: Sequence[list[str]], language: str) -> list[SlackMessage]:
    messages = [[section(piece) for piece in sections] for sections in packed]
    parts = numbered_parts(messages, language)
    return [
        SlackMessage(text=fallback_text(sections), blocks=blocks)
        for sections, (blocks, _) in zip(packed, parts, strict=True)
    ]


def preview(text: str, limit: int = 200) -> str:
    """The first ``limit`` characters of ``text`` on one line (for lists; never for summaries)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


# --- settings input -----------------------------------------------------------------------------


def parse_followup_days(text: str) -> int | None:
    """``4w``, ``28d``, ``4 weeks``, ``4 uger`` -> days; None when it is not such a delay."""
    match = _FOLLOWUP.fullmatch(text.strip())
    if match is None:
        return None
    amount = int(match.group(1))
    unit = match.group(2).lower()
    return amount * 7 if unit[0] in "wu" else amount


def emoji_name(text: str) -> str | None:
    """``:house:`` or ``house`` -> ``house`` (skin tones dropped); None when not an emoji name."""
    name = text.strip().strip(":").split("::")[0].lower()
    return name if _EMOJI.fullmatch(name) else None


def reaction_base(reaction: str) -> str:
    """A reaction's emoji without its skin tone: ``thumbsup::skin-tone-2`` -> ``thumbsup``."""
    return reaction.split("::")[0].lower()
