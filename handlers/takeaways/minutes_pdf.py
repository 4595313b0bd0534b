"""The decision minutes as a PDF document, to forward to the clinic staff or print. Pure.

Built with fpdf2 and its built-in Helvetica, so no font file is shipped: the built-in fonts
write Windows-1252, which holds Danish (æ ø å), dashes, curly quotes and bullets. Any other
character is made safe first (``printable``): a letter with an accent the font lacks loses the
accent, emoji and other pictures are left out, anything else becomes ``?``. A big meeting takes
the better part of a second to lay out, so callers run ``minutes_pdf`` in a thread.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from fpdf import FPDF

from handlers.takeaways.minutes_model import (
    ATTENDANCE,
    BY,
    CHECKED_IN,
    DATE,
    DECISIONS,
    FACILITATOR,
    FOLLOWUP,
    FOLLOWUP_COUNTS,
    GROUP,
    INSTRUCTIONS,
    MADE_BY,
    MEETING,
    NO_GROUP,
    NONE,
    NOT_SET,
    NOTE_TAKER,
    PAGE,
    POLLS,
    TAKEAWAYS,
    TOPIC,
    Record,
    poll_parts,
)
from handlers.takeaways.summary_blocks import PROMPT_LABELS, Entry
from storage.takeaways import KIND_DECISION, KIND_INSTRUCTION, KIND_TAKEAWAY

ENCODING = "windows-1252"
FONT = "Helvetica"
LINE = 5.5  # mm per line of body text
INDENT = 5.0  # mm: a bullet's hanging indent
MARGIN = 20.0  # mm

# Characters people type that Windows-1252 lacks, with what the PDF shows instead.
_REPLACEMENTS = {
    "\t": "    ",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2015": "\u2014",
    "\u2212": "-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2713": "v",
    "\u2714": "v",
    "\u2717": "x",
}


def _encodable(char: str) -> bool:
    try:
        char.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def printable(text: str) -> str:
    """``text`` with every character the PDF's font can show (see the module's docstring)."""
    kept: list[str] = []
    for char in unicodedata.normalize("NFC", text.replace("\r\n", "\n")):
        category = unicodedata.category(char)
        if char == "\n":
            kept.append(char)
        elif char in _REPLACEMENTS:
            kept.append(_REPLACEMENTS[char])
        elif category[0] in "CM" or category in {"So", "Sk"}:
            continue  # control and format characters, joiners, emoji and pictures
        elif _encodable(char):
            kept.append(char)
        else:
            plain = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in plain if _encodable(c) and unicodedata.category(c)[0] != "M")
            kept.append(base or "?")
    return "".join(kept)


class _Document(FPDF):
    """A4 pages with the page number and the bot's name at the foot."""

    def __init__(self, record: Record) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.record = record
        self.core_fonts_encoding = ENCODING
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "I", 8)
        self.set_text_color(110)
        page = self.record.t(PAGE, page=self.page_no(), pages="{nb}")
        self.cell(0, 5, printable(f"{page} · {self.record.t(MADE_BY)}"), align="C")
        self.set_text_color(0)


class _Writer:
    """Writes a record onto a ``_Document``, top to bottom."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.pdf = _Document(record)

    def title(self, text: str) -> None:
        self.pdf.set_font(FONT, "B", 16)
        self.pdf.multi_cell(0, 8, printable(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def fact(self, label: str, value: str) -> None:
        self.pdf.set_font(FONT, "B", 11)
        self.pdf.write(LINE, printable(f"{label}: "))
        self.pdf.set_font(FONT, "", 11)
        self.pdf.write(LINE, printable(value))
        self.pdf.ln(LINE)

    def heading(self, text: str, *, size: int = 13) -> None:
        self.pdf.ln(3 if size > 11 else 1)
        self.pdf.set_font(FONT, "B", size)
        self.pdf.multi_cell(0, LINE + 1, printable(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def paragraph(self, text: str) -> None:
        self.pdf.set_font(FONT, "", 11)
        self.pdf.multi_cell(0, LINE, printable(text), new_x="LMARGIN", new_y="NEXT")

    def item(self, text: str, *, lead: str = "", label: str = "") -> None:
        """A bullet with a hanging indent: ``lead`` in bold, ``label`` in italics, then text."""
        pdf = self.pdf
        left = pdf.l_margin
        pdf.set_font(FONT, "", 11)
        pdf.set_x(left)
        pdf.cell(INDENT, LINE, "\u2022")
        pdf.set_left_margin(left + INDENT)
        try:
            for style, part in (("B", lead), ("I", label), ("", text)):
                if part:
                    pdf.set_font(FONT, style, 11)
                    pdf.write(LINE, printable(part))
            pdf.ln(LINE)
        finally:
            pdf.set_left_margin(left)
        pdf.set_x(left)

    def nothing(self) -> None:
        self.paragraph(self.record.t(NONE))


def _label(entry: Entry, language: str) -> str:
    label = PROMPT_LABELS.get(entry.prompt or "")
    return f"{label.render(language)}: " if label else ""


def _facts(writer: _Writer) -> None:
    record = writer.record
    t = record.t
    unknown = t(NOT_SET)
    writer.fact(t(MEETING), f"{record.title} (#{record.meeting_id})")
    if record.date:
        writer.fact(t(DATE), record.date)
    writer.fact(t(TOPIC), record.topic or unknown)
    facilitator = (
        record.name(record.facilitator_id) if record.facilitator_id else record.facilitator_group
    )
    writer.fact(t(FACILITATOR), facilitator or unknown)
    if record.note_taker_id:
        writer.fact(t(NOTE_TAKER), record.name(record.note_taker_id))
    count = t(CHECKED_IN, count=len(record.attendees))
    names = ", ".join(sorted((record.name(user) for user in record.attendees), key=str.lower))
    writer.fact(t(ATTENDANCE), f"{count}: {names}" if names else count)


def _entries(writer: _Writer, entries: Sequence[Entry], *, kind: str) -> None:
    """Decisions as "text (name)"; instructions and take-homes as "name: [question:] text"."""
    record = writer.record
    if not entries:
        writer.nothing()
    for entry in entries:
        name = record.name(entry.author_id)
        if kind == KIND_DECISION:
            writer.item(f"{entry.text} {record.t(BY, name=name)}")
        else:
            label = _label(entry, record.language) if kind == KIND_TAKEAWAY else ""
            writer.item(entry.text, lead=f"{name}: ", label=label)


def _takeaways(writer: _Writer) -> None:
    record = writer.record
    writer.heading(record.t(TAKEAWAYS))
    if not record.takeaways:
        writer.nothing()
    for number, entries in record.takeaway_groups():
        if record.grouped():
            name = record.t(GROUP, number=number) if number is not None else record.t(NO_GROUP)
            writer.heading(name, size=11)
        _entries(writer, entries, kind=KIND_TAKEAWAY)


def _polls(writer: _Writer) -> None:
    if not writer.record.poll_lines:
        return
    writer.heading(writer.record.t(POLLS))
    for line in writer.record.poll_lines:
        kind, text = poll_parts(line)
        if kind == "heading":
            writer.heading(text, size=11)
        elif kind == "bullet":
            writer.item(text)
        elif kind == "text":
            writer.paragraph(text)


def _followup(writer: _Writer) -> None:
    record = writer.record
    followup = record.followup
    if followup is None:
        return
    writer.heading(record.t(FOLLOWUP, title=followup.title, date=followup.date))
    writer.paragraph(
        record.t(
            FOLLOWUP_COUNTS,
            done=followup.done,
            progress=followup.progress,
            irrelevant=followup.irrelevant,
            unanswered=followup.unanswered,
        )
    )


def minutes_pdf(record: Record) -> bytes:
    """The whole record as a PDF: facts, decisions, staff instructions, take-homes by group,
    poll results and the follow-up of the previous meeting (a loose record: take-homes)."""
    writer = _Writer(record)
    pdf = writer.pdf
    pdf.set_title(printable(record.heading()))
    pdf.set_lang("da-DK" if record.language == "da" else "en")
    pdf.set_creator("klyngebot")
    pdf.add_page()
    writer.title(record.heading())
    if record.for_meeting:
        _facts(writer)
        writer.heading(record.t(DECISIONS))
        _entries(writer, record.decisions, kind=KIND_DECISION)
        writer.heading(record.t(INSTRUCTIONS))
        _entries(writer, record.instructions, kind=KIND_INSTRUCTION)
    _takeaways(writer)
    if record.for_meeting:
        _polls(writer)
        _followup(writer)
    return bytes(pdf.output())
