"""Block Kit for the Home tab's feature sections: open polls, take-homes awaiting follow-up,
the rotation plan, the coordinator's action buttons and the "New meeting" modal. Pure.

A Home hook's blocks whose ``block_id`` starts with ``COORDINATOR_BLOCK`` are shown in the
coordinator part of the cluster (after "For coordinators"); the rest in the member part.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import button, plain_text, section
from bot.i18n import Text, format_datetime
from bot.mrkdwn import escape
from handlers.takeaways.blocks import answer_buttons
from handlers.takeaways.summary_blocks import PROMPT_LABELS, preview

COORDINATOR_BLOCK = "coordinator:"

# action_ids and callback_ids the home actions listen for
NEW_MEETING_ACTION = "home_new_meeting"
NEW_POLL_ACTION = "home_new_poll"
START_MEETING_ACTION = "home_start_meeting"
NEW_MEETING_VIEW = "home_new_meeting_submit"

# Block ids of the "New meeting" modal's fields (field errors are keyed by them).
DATE_FIELD = "date"
TIME_FIELD = "time"
TITLE_FIELD = "title"
ZOOM_FIELD = "zoom"
MAX_TITLE = 200

OPEN_POLLS = Text(
    en="*Open polls you have not voted in*", da="*Åbne afstemninger, du ikke har stemt i*"
)
POLL_LINE = Text(
    en="*{question}* (#{id}) in <#{channel}>", da="*{question}* (nr. {id}) i <#{channel}>"
)
POLL_CLOSES = Text(en="closes {when}", da="lukker {when}")
VOTE_BUTTON = Text(en="Vote", da="Stem")
AWAITING_FOLLOWUP = Text(
    en="*Your take-home messages awaiting follow-up* — did you implement them?",
    da="*Dine pointer, der venter på opfølgning* — fik du dem ført ud i livet?",
)
ROTATION_PLAN = Text(en="*Rotation plan*", da="*Tovholdere*")
ROTATION_LINE = Text(
    en="• {when} — *{title}*: facilitator {who}, note-taker {note_taker}",
    da="• {when} — *{title}*: tovholder {who}, referent {note_taker}",
)
ROTATION_EMPTY = Text(en="No meetings planned.", da="Ingen møder planlagt.")
NOBODY = Text(en="nobody yet", da="ingen endnu")
NEW_MEETING = Text(en="New meeting", da="Nyt møde")
NEW_POLL = Text(en="New poll", da="Ny afstemning")
START_MEETING = Text(en="Start meeting", da="Start mødet")
MODAL_SUBMIT = Text(en="Plan", da="Planlæg")
MODAL_CLOSE = Text(en="Cancel", da="Annullér")
DATE_LABEL = Text(en="Date", da="Dato")
TIME_LABEL = Text(en="Time", da="Klokkeslæt")
TIME_HINT = Text(
    en="24-hour clock, in the cluster's time zone ({zone}).",
    da="24-timers ur, i klyngens tidszone ({zone}).",
)
TITLE_LABEL = Text(en="Title", da="Titel")
ZOOM_LABEL = Text(en="Zoom link", da="Zoom-link")


@dataclass(frozen=True)
class OpenPoll:
    """An open poll the member has not voted in, and where to find it."""

    poll_id: int
    question: str
    channel_id: str
    permalink: str | None = None
    closes_at: datetime | None = None


@dataclass(frozen=True)
class PendingTakeaway:
    """A take-home message whose follow-up question is still unanswered."""

    takeaway_id: int
    text: str
    prompt: str | None = None


@dataclass(frozen=True)
class RotationEntry:
    """One upcoming meeting in the rotation plan; holders already rendered (mention or name)."""

    starts_at: datetime
    title: str
    facilitator: str | None
    note_taker: str | None


def open_polls(
    polls: Sequence[OpenPoll], language: str, timezone: str, *, cluster_id: int
) -> list[dict[str, Any]]:
    """A heading, then each poll with where it is and a link button to its message."""
    if not polls:
        return []
    zone = ZoneInfo(timezone)
    blocks = [section(OPEN_POLLS.render(language))]
    for poll in polls:
        text = POLL_LINE.render(
            language,
            question=escape(preview(poll.question, 150)),
            id=poll.poll_id,
            channel=poll.channel_id,
        )
        if poll.closes_at is not None:
            when = format_datetime(poll.closes_at.astimezone(zone), language)
            text += " · " + POLL_CLOSES.render(language, when=when)
        block = section(text, block_id=f"home-poll:{cluster_id}:{poll.poll_id}")
        if poll.permalink:
            block["accessory"] = {
                "type": "button",
                "action_id": f"link:home-poll:{poll.poll_id}",
                "text": plain_text(VOTE_BUTTON.render(language), 75),
                "url": poll.permalink,
            }
        blocks.append(block)
    return blocks


def awaiting_followup(takeaways: Sequence[PendingTakeaway], language: str) -> list[dict[str, Any]]:
    """A heading, then each take-home (a preview) with Done / In progress / Not relevant."""
    if not takeaways:
        return []
    blocks = [section(AWAITING_FOLLOWUP.render(language))]
    for takeaway in takeaways:
        label = PROMPT_LABELS.get(takeaway.prompt or "")
        intro = f"_{label.render(language)}:_ " if label else ""
        blocks.append(section(f"• {intro}{escape(preview(takeaway.text, 300))}"))
        # The follow-up DM's own buttons: the takeaways feature answers them from here too.
        blocks.append(
            {
                "type": "actions",
                "block_id": f"home-followup:{takeaway.takeaway_id}",
                "elements": answer_buttons(language, takeaway.takeaway_id),
            }
        )
    return blocks


def rotation_plan(
    entries: Sequence[RotationEntry], language: str, timezone: str, *, cluster_id: int
) -> list[dict[str, Any]]:
    """The next meetings with their facilitator and note-taker (coordinator part)."""
    zone = ZoneInfo(timezone)
    nobody = NOBODY.render(language)
    lines = [ROTATION_PLAN.render(language)]
    for entry in entries:
        lines.append(
            ROTATION_LINE.render(
                language,
                when=format_datetime(entry.starts_at.astimezone(zone), language),
                title=escape(preview(entry.title, 150)),
                who=entry.facilitator or nobody,
                note_taker=entry.note_taker or nobody,
            )
        )
    if not entries:
        lines.append(ROTATION_EMPTY.render(language))
    return [section("\n".join(lines), block_id=f"{COORDINATOR_BLOCK}rotation:{cluster_id}")]


def coordinator_actions(cluster_id: int, language: str) -> list[dict[str, Any]]:
    """New meeting, New poll, Start meeting — each carrying the cluster's id."""
    value = str(cluster_id)
    return [
        {
            "type": "actions",
            "block_id": f"{COORDINATOR_BLOCK}actions:{cluster_id}",
            "elements": [
                button(NEW_MEETING.render(language), NEW_MEETING_ACTION, value, style="primary"),
                button(NEW_POLL.render(language), NEW_POLL_ACTION, value),
                button(START_MEETING.render(language), START_MEETING_ACTION, value),
            ],
        }
    ]


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = ""
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain_text(label, 2000),
        "element": {**element, "action_id": "value"},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain_text(hint, 2000)
    return block


def new_meeting_modal(
    cluster_id: int, cluster_name: str, language: str, timezone: str
) -> dict[str, Any]:
    """Date, time, title and Zoom link; submitted like ``/klynge meeting add``."""
    return {
        "type": "modal",
        "callback_id": NEW_MEETING_VIEW,
        "private_metadata": json.dumps({"cluster_id": cluster_id}),
        "title": plain_text(NEW_MEETING.render(language), 24),
        "submit": plain_text(MODAL_SUBMIT.render(language), 24),
        "close": plain_text(MODAL_CLOSE.render(language), 24),
        "blocks": [
            section(f"*{escape(cluster_name)}*"),
            _input(DATE_FIELD, DATE_LABEL.render(language), {"type": "datepicker"}),
            _input(
                TIME_FIELD,
                TIME_LABEL.render(language),
                {"type": "timepicker"},
                hint=TIME_HINT.render(language, zone=timezone),
            ),
            _input(
                TITLE_FIELD,
                TITLE_LABEL.render(language),
                {"type": "plain_text_input", "max_length": MAX_TITLE},
            ),
            _input(
                ZOOM_FIELD,
                ZOOM_LABEL.render(language),
                {"type": "plain_text_input", "placeholder": plain_text("https://…zoom.us/j/…", 75)},
                optional=True,
            ),
        ],
    }
