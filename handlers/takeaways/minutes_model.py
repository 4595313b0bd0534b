"""What a meeting's decision minutes hold, for the Slack post (``minutes_blocks``) and the PDF
(``minutes_pdf``): plain values with the names already looked up, and the labels both show.
Pure: no Slack, no database, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.i18n import Text
from handlers.takeaways.summary_blocks import Entry

TITLE = Text(en="Decision minutes — {title}", da="Beslutningsreferat — {title}")
LOOSE_TITLE = Text(
    en="Take-home messages written outside a meeting",
    da="Pointer skrevet uden for et møde",
)
MEETING = Text(en="Meeting", da="Møde")
DATE = Text(en="Date", da="Dato")
TOPIC = Text(en="Topic", da="Emne")
FACILITATOR = Text(en="Facilitator", da="Tovholder")
NOTE_TAKER = Text(en="Note-taker", da="Referent")
ATTENDANCE = Text(en="Attendance", da="Fremmøde")
CHECKED_IN = Text(en="{count} checked in", da="{count} tjekket ind")
DECISIONS = Text(en="Decisions and agreements", da="Beslutninger og aftaler")
INSTRUCTIONS = Text(en="Instructions for the clinic staff", da="Instrukser til personalet")
TAKEAWAYS = Text(en="Take-home messages", da="Pointer")
POLLS = Text(en="Poll results", da="Afstemninger")
FOLLOWUP = Text(en="Follow-up on {title} ({date})", da="Opfølgning på {title} ({date})")
FOLLOWUP_COUNTS = Text(
    en="Take-home messages and staff instructions: {done} done, {progress} in progress, "
    "{irrelevant} not relevant, {unanswered} not answered.",
    da="Pointer og instrukser: {done} gennemført, {progress} i gang, "
    "{irrelevant} ikke relevant, {unanswered} ikke besvaret.",
)
NONE = Text(en="None.", da="Ingen.")
NOT_SET = Text(en="not set", da="ikke angivet")
GROUP = Text(en="Group {number}", da="Gruppe {number}")
NO_GROUP = Text(en="Not in a breakout group", da="Ikke i en gruppe")
BY = Text(en="({name})", da="({name})")
PAGE = Text(en="Page {page} of {pages}", da="Side {page} af {pages}")
MADE_BY = Text(en="Written by klyngebot", da="Skrevet af klyngebot")


@dataclass(frozen=True)
class FollowUp:
    """How the previous meeting's take-homes were followed up (counted answers)."""

    title: str
    date: str
    done: int = 0
    progress: int = 0
    irrelevant: int = 0
    unanswered: int = 0


@dataclass(frozen=True)
class Record:
    """One meeting's decision minutes (``meeting_id`` None: the loose take-homes).

    Texts are verbatim as people wrote them (not escaped); ``names`` maps Slack ids to the
    names a document shows (the Slack post shows mentions instead).
    """

    language: str
    title: str
    meeting_id: int | None = None
    date: str | None = None
    topic: str | None = None
    facilitator_id: str | None = None
    facilitator_group: str | None = None
    note_taker_id: str | None = None
    attendees: Sequence[str] = ()
    decisions: Sequence[Entry] = ()
    instructions: Sequence[Entry] = ()
    takeaways: Sequence[Entry] = ()
    poll_lines: Sequence[str] = ()
    followup: FollowUp | None = None
    names: Mapping[str, str] = field(default_factory=dict)

    @property
    def for_meeting(self) -> bool:
        return self.meeting_id is not None

    def t(self, text: Text, **values: object) -> str:
        return text.render(self.language, **values)

    def heading(self) -> str:
        """The document's title: "Decision minutes — <title>" (or the loose title)."""
        return self.t(TITLE, title=self.title) if self.for_meeting else self.t(LOOSE_TITLE)

    def name(self, user_id: str) -> str:
        return self.names.get(user_id) or user_id

    def people(self) -> set[str]:
        """Everyone the minutes name, for looking up their names."""
        found = set(self.attendees)
        for entry in (*self.decisions, *self.instructions, *self.takeaways):
            found.add(entry.author_id)
        found.update(user for user in (self.facilitator_id, self.note_taker_id) if user)
        return found

    def takeaway_groups(self) -> list[tuple[int | None, list[Entry]]]:
        """The take-homes by breakout group (numbered groups first); one unnamed group when
        nobody was in a breakout group."""
        if all(entry.group is None for entry in self.takeaways):
            return [(None, list(self.takeaways))] if self.takeaways else []
        numbers: list[int | None] = [
            *sorted({number for e in self.takeaways if (number := e.group) is not None}),
            None,
        ]
        grouped = [(n, [e for e in self.takeaways if e.group == n]) for n in numbers]
        return [(number, entries) for number, entries in grouped if entries]

    def grouped(self) -> bool:
        return any(entry.group is not None for entry in self.takeaways)


def poll_parts(line: str) -> tuple[str, str]:
    """A Markdown line of the ``minutes_sections`` hook as (kind, text): ``heading`` for
    ``### …``, ``bullet`` for ``- …``, ``text`` otherwise, ``blank`` for an empty line."""
    stripped = line.strip()
    if not stripped:
        return "blank", ""
    if stripped.startswith("#"):
        return "heading", stripped.lstrip("#").strip()
    if stripped.startswith(("- ", "* ")):
        return "bullet", stripped[2:].strip()
    return "text", stripped
