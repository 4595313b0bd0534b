"""Block Kit building blocks, clipped to Slack's limits (used by every feature's builders).

Besides the per-block limits, every message keeps within one shared budget of block text
(``MESSAGE_TEXT_BUDGET``): builders that hold much user text split it over several messages
(``pack``) or show less of it (``fit``), and their top-level ``text`` stays a short preview
(``fallback_text``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

from bot.i18n import Text
from bot.mrkdwn import escape_keeping_mentions

Block = dict[str, Any]

SECTION_LIMIT: Final = 3000
HEADER_LIMIT: Final = 150
BUTTON_LIMIT: Final = 75
CONTEXT_LIMIT: Final = 2000
MESSAGE_BLOCKS: Final = 50
# Slack refuses a message whose blocks hold more than roughly 12,000 characters of text in all,
# with msg_blocks_too_long. The limit is undocumented: slackapi/bolt-js issues 2509 and 2867
# report it, one message failing at about 11,300 characters (docs/fake-slack.md; the fake
# refuses above 11,000). Every message the bot builds keeps its block text within this budget.
MESSAGE_TEXT_BUDGET: Final = 10_000
# Slack recommends keeping a message's top-level ``text`` under 4,000 characters (it truncates
# long ones; chat.postMessage refuses above 40,000). With blocks, ``text`` is only the preview
# in notifications, so it is cut to this.
FALLBACK_LIMIT: Final = 3_900

_ESCAPED_LENGTH = {"&": 5, "<": 4, ">": 4}
_ENTITY = re.compile(r"&(?:amp|lt|gt);")


# --- text ---------------------------------------------------------------------------------------


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when something was cut.

    The cut never falls inside ``&amp;`` and the like or inside a ``<…>`` mention or link, so
    what is left is still valid Slack markup.
    """
    if len(text) <= limit:
        return text
    return text[: _safe_cut(text, max(0, limit - 1))] + "…"


def _safe_cut(text: str, at: int) -> int:
    """``at`` moved back so that ``text[:at]`` ends outside an entity and a ``<…>`` sequence."""
    amp = text.rfind("&", max(0, at - 4), at)
    if amp != -1 and (entity := _ENTITY.match(text, amp)) and entity.end() > at:
        at = amp
    opening = text.rfind("<", 0, at)
    if opening != -1 and text.find(">", opening, at) == -1 and text.find(">", at) != -1:
        at = opening
    return at


def text_length(node: Any) -> int:
    """All the characters of text in ``node`` (blocks, a block, a view), counted the way Slack
    adds them up for msg_blocks_too_long: every ``mrkdwn`` and ``plain_text`` object's text."""
    return sum(len(item["text"]) for item in _text_objects(node))


def _text_objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") in {"mrkdwn", "plain_text"} and isinstance(node.get("text"), str):
            yield node
        for value in node.values():
            yield from _text_objects(value)
    elif isinstance(node, list):
        for item in node:
            yield from _text_objects(item)


def fallback_text(pieces: Iterable[str], limit: int = FALLBACK_LIMIT) -> str:
    """``pieces`` (whole mrkdwn texts) on lines of their own, cut (safely, with an ellipsis)
    where they pass ``limit`` characters: the preview a notification shows."""
    text = ""
    for piece in pieces:
        joined = f"{text}\n{piece}" if text else piece
        if len(joined) > limit:
            return clip(joined, limit)
        text = joined
    return text


def lines_within(lines: Sequence[str], limit: int = FALLBACK_LIMIT) -> int:
    """How many of ``lines``, from the first, fit in ``limit`` characters joined by newlines."""
    used = -1
    for count, line in enumerate(lines):
        used += 1 + len(line)
        if used > limit:
            return count
    return len(lines)


def split_escaped(text: str, first_limit: int, limit: int = SECTION_LIMIT) -> list[str]:
    """``text`` escaped for Slack, in pieces: the first at most ``first_limit`` characters long,
    the others at most ``limit``. Joined together they are exactly
    ``escape_keeping_mentions(text)`` whenever no piece boundary falls inside a mention; pieces
    end at a line break or space where possible, never inside ``&amp;`` and the like."""
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


# --- blocks -------------------------------------------------------------------------------------


def plain_text(text: str, limit: int | None = None) -> Block:
    return {"type": "plain_text", "text": clip(text, limit) if limit else text, "emoji": True}


def mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": text}


def section(text: str, *, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(clip(text, SECTION_LIMIT))}
    if block_id:
        block["block_id"] = block_id
    return block


def header(text: str) -> Block:
    return {"type": "header", "text": plain_text(text, HEADER_LIMIT)}


def context(text: str, *, block_id: str | None = None) -> Block:
    block: Block = {"type": "context", "elements": [mrkdwn(clip(text, CONTEXT_LIMIT))]}
    if block_id:
        block["block_id"] = block_id
    return block


def button(label: str, action_id: str, value: str, *, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": plain_text(label, BUTTON_LIMIT),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


MODAL_TITLE_LIMIT: Final = 24  # a modal's title, submit and close labels


def modal(
    callback_id: str,
    *,
    title: str,
    submit: str,
    close: str,
    blocks: Sequence[Block],
    metadata: str = "",
) -> Block:
    """A modal view: its labels clipped to Slack's 24 characters, ``metadata`` kept for the
    submission (``private_metadata``, at most 3,000 characters)."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": metadata,
        "title": plain_text(title, MODAL_TITLE_LIMIT),
        "submit": plain_text(submit, MODAL_TITLE_LIMIT),
        "close": plain_text(close, MODAL_TITLE_LIMIT),
        "blocks": list(blocks),
    }


def text_sections(text: str, *, intro: str = "", budget: int | None = None) -> list[Block]:
    """``intro`` followed by ``text`` (escaped) as sections of at most 3,000 characters.

    With a ``budget`` the sections hold at most that many characters in all: a longer text is
    cut at a break with an ellipsis (only ever for a text longer than a message can hold).
    """
    if budget is not None:
        cut = _cut_point(text, max(1, budget - len(intro) - 1))
        if cut < len(text):
            text = text[:cut].rstrip() + "…"
    pieces = split_escaped(text, SECTION_LIMIT - len(intro))
    pieces[0] = intro + pieces[0]
    return [section(piece) for piece in pieces]


def line_sections(lines: Iterable[str], *, block_id: str = "") -> list[Block]:
    """``lines`` packed into as few sections as fit Slack's 3,000 characters each (a line
    longer than a section is clipped); ``block_id`` numbered ``0``, ``1``… when given."""
    texts: list[str] = []
    for line in lines:
        line = clip(line, SECTION_LIMIT)
        if texts and len(texts[-1]) + 1 + len(line) <= SECTION_LIMIT:
            texts[-1] += "\n" + line
        else:
            texts.append(line)
    return [
        section(text, block_id=f"{block_id}{number}" if block_id else None)
        for number, text in enumerate(texts)
    ]


def lines_message(lines: Sequence[str]) -> tuple[str, list[Block]]:
    """A list of lines as one message: (a preview under 4,000 characters, sections holding
    them all, within the budget)."""
    return fallback_text(lines), fit(line_sections(lines))


# --- messages within the budget ----------------------------------------------------------------


def pack(
    groups: Iterable[Sequence[Block]],
    *,
    budget: int = MESSAGE_TEXT_BUDGET,
    max_blocks: int = MESSAGE_BLOCKS,
) -> list[list[Block]]:
    """``groups`` of blocks in as few messages as hold them, in order, each message within
    ``budget`` characters of text and ``max_blocks`` blocks.

    A group is never split when it fits in one message: it moves to the next message instead.
    A group larger than a whole message starts a message of its own and goes on in the next.
    """
    messages: list[list[Block]] = [[]]
    used = 0
    for group in groups:
        size = text_length(list(group))
        fits_alone = size <= budget and len(group) <= max_blocks
        current = messages[-1]
        if current and (
            not fits_alone or used + size > budget or len(current) + len(group) > max_blocks
        ):
            messages.append([])
            used = 0
        for block in group:
            length = text_length(block)
            if messages[-1] and (used + length > budget or len(messages[-1]) >= max_blocks):
                messages.append([])
                used = 0
            messages[-1].append(block)
            used += length
    return [message for message in messages if message]


PART = Text(en="Part {number} of {total}", da="Del {number} af {total}")


def part_room(language: str) -> int:
    """Characters of block text to keep free in each message for its "Part 2 of 3" line."""
    return len(PART.render(language, number=9999, total=9999))


def numbered_parts(
    messages: Sequence[list[Block]], language: str
) -> list[tuple[list[Block], str | None]]:
    """The messages of one post with a "Part 2 of 3" line at the end of each when there are
    several (packed with ``part_room`` and one block to spare), and that line for the fallback
    text; a post of one message as it is, with None."""
    total = len(messages)
    if total == 1:
        return [(list(messages[0]), None)]
    numbered: list[tuple[list[Block], str | None]] = []
    for number, blocks in enumerate(messages, start=1):
        line = PART.render(language, number=number, total=total)
        numbered.append(([*blocks, context(line)], line))
    return numbered


def fit(blocks: Sequence[Block], budget: int = MESSAGE_TEXT_BUDGET) -> list[Block]:
    """``blocks`` within ``budget`` characters of text, for a message that must stay one.

    Only when the blocks hold more: the longest section and context texts are shortened (at a
    safe point, with an ellipsis) until the message fits, evenly, so that no one text loses
    everything while others stay whole; buttons, headers and ids stay whole.
    """
    fitted = [dict(block) for block in blocks]
    excess = text_length(fitted) - budget
    while excess > 0:
        texts = [item for block in fitted for item in _shortenable(block)]
        if not texts:
            break
        lengths = sorted((len(item["text"]) for item in texts), reverse=True)
        longest = max(texts, key=lambda item: len(item["text"]))
        length = lengths[0]
        if length <= 1:
            break
        tied = lengths.count(length)
        below = next((other for other in lengths if other < length), 0)
        # Down to the next longest at most; texts equally long share the cut.
        cut = min(excess, length - below) if tied == 1 else -(-excess // tied)
        longest["text"] = clip(longest["text"], max(1, length - cut))
        excess = text_length(fitted) - budget
    return fitted


def _shortenable(block: Block) -> Iterator[dict[str, Any]]:
    """The mrkdwn text objects of a section or context block, copied so they can change."""
    if block.get("type") == "section" and isinstance(block.get("text"), dict):
        block["text"] = dict(block["text"])
        yield block["text"]
    elif block.get("type") == "context":
        block["elements"] = [dict(element) for element in block.get("elements") or []]
        yield from (item for item in block["elements"] if item.get("type") == "mrkdwn")
