"""Take-home summaries and decision minutes: pure text and Block Kit, no Slack, no database.

Take-home texts are kept verbatim and shown whole: a summary is split into sections of at most
3,000 characters and messages of at most 50 blocks (Slack's limits), cutting a long text at a
line break or space where it can, never inside ``&amp;`` and the like.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.blocks import SECTION_LIMIT, context, section
from bot.i18n import Text
from bot.mrkdwn import escape_keeping_mentions

MESSAGE_BLOCKS = 50
# A message's plain ``text`` repeats its sections (for notifications and screen readers);
# Slack cuts ``text`` above 40,000 characters, so a message carries at most this much.
MESSAGE_CHARS = 36_000
MAX_FOLLOWUP_DAYS = 365

SUMMARY_TITLE = Text(
    en=":house: *Take-home messages — {title}*",
    da=":house: *Take-home-beskeder — {title}*",
)
LOOSE_TITLE = Text(
    en=":house: *Take-home messages written outside a meeting*",
    da=":house: *Take-home-beskeder skrevet uden for et møde*",
)
GROUP_HEADING = Text(en="*Group {number}*", da="*Gruppe {number}*")
NO_GROUP_HEADING = Text(en="*Not in a breakout group*", da="*Ikke i en gruppe*")
PART = Text(en="Part {number} of {total}", da="Del {number} af {total}")
PROMPT_LABELS = {
    "take": Text(en="What I take with me", da="Det tager jeg med mig"),
    "use": Text(en="What I can use", da="Det kan jeg bruge"),
    "work": Text(en="What I will work on in my clinic", da="Det vil jeg arbejde med i min klinik"),
    "decision": Text(en="What we decided or agreed", da="Det besluttede eller aftalte vi"),
    "instruction": Text(
        en="Instruction for my clinic staff", da="Instruks til personalet i min klinik"
    ),
}

_ESCAPED_LENGTH = {"&": 5, "<": 4, ">": 4}
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


def from_slack(text: str) -> str:
    """Undo Slack's escaping of ``&``, ``<`` and ``>`` in text Slack sends us."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def split_escaped(text: str, first_limit: int, limit: int = SECTION_LIMIT) -> list[str]:
    """``text`` escaped for Slack, in pieces: the first at most ``first_limit`` characters long,
    the others at most ``limit``. Joined together they are exactly
    ``escape_keeping_mentions(text)`` whenever no piece boundary falls inside a mention; pieces
    end at a line break or space where possible."""
    pieces: list[str] = []
    rest = text
    budget = max(1, first_limit)
    while rest:
        cut = _cut_point(rest, budget)
        pieces.append(escape_keeping_mentions(rest[:cut]))
        rest = rest[cut:]
        budget = limit
    return pieces or [""]


def _cut_point(text: str, budget: int) -> int:
    """How many characters of ``text`` fit in ``budget`` once escaped, ending at a break."""
    used = 0
    fits = 0
    for index, char in enumerate(text):
        used += _ESCAPED_LENGTH.get(char, 1)
        if used > budget:
            break
        fits = index + 1
    else:
        return len(text)
    fits = max(fits, 1)
    window = text[:fits]
    for separator in ("\n", " "):
        at = window.rfind(separator)
        if at >= fits // 2:
            return at + 1
    return fits


# --- summaries ----------------------------------------------------------------------------------


@dataclass
class _Unit:
    text: str
    continues: bool = False  # the rest of the previous unit's take-home (no separator)
    heading: bool = False


def summary_messages(*, title: str, entries: Sequence[Entry], language: str) -> list[SlackMessage]:
    """The summary of ``entries`` (every text whole), grouped by breakout group, as messages."""
    units = [_Unit(title, heading=True)]
    grouped = any(entry.group is not None for entry in entries)
    for group, members in _by_group(entries) if grouped else [(None, list(entries))]:
        if grouped:
            heading = (
                GROUP_HEADING.render(language, number=group)
                if group is not None
                else NO_GROUP_HEADING.render(language)
            )
            units.append(_Unit(heading, heading=True))
        for entry in members:
            units.extend(_entry_units(entry, language))
    return _pack(units, language)


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


def _entry_units(entry: Entry, language: str) -> list[_Unit]:
    prefix = entry_prefix(entry, language)
    pieces = split_escaped(entry.text, SECTION_LIMIT - len(prefix))
    units = [_Unit(prefix + pieces[0])]
    units.extend(_Unit(piece, continues=True) for piece in pieces[1:])
    return units


def _pack(units: list[_Unit], language: str) -> list[SlackMessage]:
    """Units into sections (≤ 3,000 chars) into messages (≤ 49 blocks + a part line)."""
    messages: list[list[str]] = [[]]
    texts: list[str] = [""]
    for unit in units:
        sections = messages[-1]
        joined = f"{sections[-1]}\n{unit.text}" if sections else ""
        can_join = (
            sections
            and not unit.continues
            and not unit.heading
            and len(joined) <= SECTION_LIMIT
            and len(texts[-1]) + 1 + len(unit.text) <= MESSAGE_CHARS
        )
        if can_join:
            sections[-1] = joined
            texts[-1] += "\n" + unit.text
            continue
        full = len(sections) >= MESSAGE_BLOCKS - 1 or (
            len(texts[-1]) + 1 + len(unit.text) > MESSAGE_CHARS
        )
        if full and sections:
            messages.append([])
            texts.append("")
            sections = messages[-1]
        sections.append(unit.text)
        separator = "" if unit.continues or not texts[-1] else "\n"
        texts[-1] += separator + unit.text
    total = len(messages)
    result = []
    for number, (sections, text) in enumerate(zip(messages, texts, strict=True), start=1):
        blocks: list[dict[str, Any]] = [section(piece) for piece in sections]
        if total > 1:
            blocks.append(context(PART.render(language, number=number, total=total)))
        result.append(SlackMessage(text=text, blocks=blocks))
    return result


def text_sections(text: str, *, intro: str = "") -> list[dict[str, Any]]:
    """``intro`` followed by ``text`` (escaped, whole) as section blocks of at most 3,000 chars."""
    pieces = split_escaped(text, SECTION_LIMIT - len(intro))
    pieces[0] = intro + pieces[0]
    return [section(piece) for piece in pieces]


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
