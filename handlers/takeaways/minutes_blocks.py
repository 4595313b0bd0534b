"""The decision minutes as a Slack post: the meeting's facts, the decisions and agreements, the
instructions for the clinic staff, poll results and the follow-up of the previous meeting. The
take-homes are in the summary posted just before and in the PDF, so the post only counts them.
Pure: no Slack, no database.

Every text is shown whole, escaped once (mentions kept), in sections of at most 3,000
characters, packed into messages within ``bot.blocks.MESSAGE_TEXT_BUDGET`` (Slack refuses a
message above roughly 12,000 characters of block text).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bot.blocks import (
    MESSAGE_BLOCKS,
    MESSAGE_TEXT_BUDGET,
    SECTION_LIMIT,
    context,
    numbered_parts,
    pack,
    part_room,
    section,
    split_escaped,
)
from bot.i18n import Text
from bot.mrkdwn import escape, mention
from handlers.takeaways.minutes_model import (
    ATTENDANCE,
    CHECKED_IN,
    DATE,
    DECISIONS,
    FACILITATOR,
    FOLLOWUP,
    FOLLOWUP_COUNTS,
    INSTRUCTIONS,
    NONE,
    NOT_SET,
    NOTE_TAKER,
    POLLS,
    TITLE,
    TOPIC,
    Record,
    poll_parts,
)
from handlers.takeaways.summary_blocks import SlackMessage

NO_TAKEAWAYS = Text(
    en=":house: No take-home messages yet. Anything added later: `/klynge export` makes the "
    "minutes again.",
    da=":house: Ingen pointer endnu. Kommer der flere til, laver `/klynge eksport` "
    "beslutningsreferatet igen.",
)
TAKEAWAYS_COUNTED = Text(
    en=":house: {count:take-home message|take-home messages}: by breakout group in the summary "
    "above and in the PDF. Anything added later: `/klynge export` makes the minutes again.",
    da=":house: Pointer: {count}, gruppe for gruppe i oversigten ovenfor og i PDF'en. "
    "Kommer der flere til, laver `/klynge eksport` beslutningsreferatet igen.",
)


@dataclass(frozen=True)
class _Unit:
    """A line of the post, unescaped: mrkdwn markup and mentions as they are, user text raw."""

    raw: str
    heading: bool = False


def _facts(record: Record) -> Iterator[_Unit]:
    t = record.t
    yield _Unit(f":page_facing_up: *{t(TITLE, title=record.title)}*", heading=True)
    if record.date:
        yield _Unit(f"*{t(DATE)}:* {record.date}")
    yield _Unit(f"*{t(TOPIC)}:* {record.topic or t(NOT_SET)}")
    if record.facilitator_id:
        facilitator = mention(record.facilitator_id)
    else:
        facilitator = record.facilitator_group or t(NOT_SET)
    yield _Unit(f"*{t(FACILITATOR)}:* {facilitator}")
    if record.note_taker_id:
        yield _Unit(f"*{t(NOTE_TAKER)}:* {mention(record.note_taker_id)}")
    count = t(CHECKED_IN, count=len(record.attendees))
    people = ", ".join(mention(user) for user in record.attendees)
    yield _Unit(f"*{t(ATTENDANCE)}:* {count}" + (f": {people}" if people else ""))


def _body(record: Record) -> Iterator[_Unit]:
    t = record.t
    yield _Unit(f"*{t(DECISIONS)}*", heading=True)
    for entry in record.decisions:
        yield _Unit(f"• {entry.text} — {mention(entry.author_id)}")
    if not record.decisions:
        yield _Unit(f"_{t(NONE)}_")
    yield _Unit(f"*{t(INSTRUCTIONS)}*", heading=True)
    for entry in record.instructions:
        yield _Unit(f"• {mention(entry.author_id)}: {entry.text}")
    if not record.instructions:
        yield _Unit(f"_{t(NONE)}_")
    if record.poll_lines:
        yield _Unit(f"*{t(POLLS)}*", heading=True)
    for line in record.poll_lines:
        kind, text = poll_parts(line)
        if kind == "heading":
            yield _Unit(f"*{text}*")
        elif kind != "blank":
            yield _Unit(f"• {text}" if kind == "bullet" else text)
    if record.followup is not None:
        followup = record.followup
        yield _Unit(f"*{t(FOLLOWUP, title=followup.title, date=followup.date)}*", heading=True)
        yield _Unit(
            t(
                FOLLOWUP_COUNTS,
                done=followup.done,
                progress=followup.progress,
                irrelevant=followup.irrelevant,
                unanswered=followup.unanswered,
            )
        )


def _sections(units: Iterator[_Unit]) -> list[str]:
    """Units as section texts (escaped): a heading starts a section, lines join it while it
    stays within 3,000 characters, a long line fills sections of its own."""
    sections: list[str] = []
    for unit in units:
        for index, piece in enumerate(split_escaped(unit.raw, SECTION_LIMIT)):
            fits = bool(sections) and len(sections[-1]) + 1 + len(piece) <= SECTION_LIMIT
            if fits and index == 0 and not unit.heading:
                sections[-1] += "\n" + piece
            else:
                sections.append(piece)
    return sections


def minutes_messages(record: Record) -> list[SlackMessage]:
    """The post (more than one message when it is long), in the record's language."""
    sections = _sections(iter([*_facts(record), *_body(record)]))
    count = len(record.takeaways)
    closing = context(
        TAKEAWAYS_COUNTED.render(record.language, count=count)
        if count
        else NO_TAKEAWAYS.render(record.language)
    )
    groups = [[section(text)] for text in sections] + [[closing]]
    budget = MESSAGE_TEXT_BUDGET - part_room(record.language)
    parts = pack(groups, budget=budget, max_blocks=MESSAGE_BLOCKS - 1)
    heading = escape(record.t(TITLE, title=record.title))
    return [
        SlackMessage(text=f"{heading} ({part})" if part else heading, blocks=blocks)
        for blocks, part in numbered_parts(parts, record.language)
    ]
