"""The decision minutes' pure parts: the record, the Slack post within Slack's limits, and the PDF
read back with pypdf (Danish letters included)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from bot.fakeslack.rules import block_errors, block_text_length, message_text_errors
from bot.mrkdwn import escape
from handlers.takeaways.minutes_blocks import minutes_messages
from handlers.takeaways.minutes_model import FollowUp, Record
from handlers.takeaways.minutes_pdf import minutes_pdf, printable
from handlers.takeaways.summary_blocks import Entry, SlackMessage

NAMES = {"U1": "Anne Holm", "U2": "Bo Jensen", "U3": "Åse Ærø", "U4": "Ib Mortensen"}


def record(language: str = "da", **changes: object) -> Record:
    values: dict[str, object] = {
        "language": language,
        "title": "Klyngemøde <marts> & KOL",
        "meeting_id": 7,
        "date": "torsdag den 3. december 2026 kl. 16.00",
        "topic": "Type 2-diabetes",
        "facilitator_id": "U2",
        "note_taker_id": "U3",
        "attendees": ["U1", "U2", "U3"],
        "decisions": [Entry("U3", "Fælles recall-liste fra 1/1 — alle klinikker")],
        "instructions": [Entry("U1", "Sekretæren ringer til KOL-patienter", prompt="instruction")],
        "takeaways": [
            Entry("U2", "Uden gruppe"),
            Entry("U1", "Spirometri til rygere", group=2, prompt="take"),
            Entry("U4", "Struktur på årskontroller", group=1, prompt="work"),
        ],
        "poll_lines": ["### Afstemning: Næste emne?", "- KOL: 5", "- Demens: 2", "Valgt: KOL", ""],
        "followup": FollowUp(title="Septembermødet", date="1. september", done=3, progress=1),
        "names": NAMES,
    }
    values.update(changes)
    return Record(**values)  # type: ignore[arg-type]


def read_back(document: bytes) -> str:
    reader = PdfReader(BytesIO(document))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(re.sub(r"(Side|Page) \d+ (af|of) \d+ · \S+ \S+ klyngebot", " ", text).split())


# --- the record ---------------------------------------------------------------------------------


def test_take_homes_are_grouped_numbered_groups_first() -> None:
    groups = record().takeaway_groups()

    assert [number for number, _ in groups] == [1, 2, None]
    assert [entry.text for _, entries in groups for entry in entries] == [
        "Struktur på årskontroller",
        "Spirometri til rygere",
        "Uden gruppe",
    ]


def test_people_are_everyone_the_minutes_name() -> None:
    assert record().people() == {"U1", "U2", "U3", "U4"}


# --- the PDF ------------------------------------------------------------------------------------


def test_pdf_holds_every_part_in_danish_with_the_danish_letters() -> None:
    document = minutes_pdf(record())

    assert document.startswith(b"%PDF")
    text = read_back(document)
    assert text.startswith("Beslutningsreferat — Klyngemøde <marts> & KOL")
    assert "Dato: torsdag den 3. december 2026 kl. 16.00" in text
    assert "Tovholder: Bo Jensen" in text
    assert "Referent: Åse Ærø" in text
    assert "Fremmøde: 3 tjekket ind: Anne Holm, Bo Jensen, Åse Ærø" in text
    assert "Fælles recall-liste fra 1/1 — alle klinikker (Åse Ærø)" in text
    assert "Anne Holm: Sekretæren ringer til KOL-patienter" in text
    assert "Gruppe 1 • Ib Mortensen: Det vil jeg arbejde med i min klinik: Struktur" in text
    assert text.index("Gruppe 2") < text.index("Ikke i en gruppe")
    assert "• KOL: 5" in text
    assert "Opfølgning på Septembermødet (1. september)" in text
    assert "3 gennemført, 1 i gang" in text
    reader = PdfReader(BytesIO(document))
    assert reader.metadata is not None
    assert reader.metadata.title == "Beslutningsreferat — Klyngemøde <marts> & KOL"


def test_pdf_in_english_says_none_where_nothing_was_written() -> None:
    text = read_back(
        minutes_pdf(record("en", decisions=[], instructions=[], takeaways=[], poll_lines=[]))
    )

    assert "Decisions and agreements None." in text
    assert "Instructions for the clinic staff None." in text
    assert "Take-home messages None." in text
    assert "Poll results" not in text


def test_loose_pdf_holds_only_the_take_homes() -> None:
    loose = Record(
        language="en",
        title="Take-home messages written outside a meeting",
        takeaways=[Entry("U1", "Løst råd")],
        names=NAMES,
    )

    text = read_back(minutes_pdf(loose))

    assert (
        text
        == "Take-home messages written outside a meeting Take-home messages • Anne Holm: Løst råd"
    )


def test_texts_the_font_cannot_show_are_made_safe_not_refused() -> None:
    text = read_back(
        minutes_pdf(record(decisions=[Entry("U1", "Godt 😀 – “citat” … ≥ 3 mål, Łódź, naïve\x07")]))
    )

    assert "Godt – “citat” … >= 3 mål, ?ódz, naïve (Anne Holm)" in text


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("æøå ÆØÅ é ü", "æøå ÆØÅ é ü"),
        ("tab\there", "tab    here"),
        ("emoji 🏠\u200d👩 gone", "emoji  gone"),
        ("ā ő", "a o"),
        ("π", "?"),
        ("line\r\nbreak", "line\nbreak"),
    ],
)
def test_printable_keeps_what_the_font_has(typed: str, shown: str) -> None:
    assert printable(typed) == shown


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_makes_a_pdf(text: str) -> None:
    document = minutes_pdf(record(decisions=[Entry("U1", text)], takeaways=[Entry("U2", text)]))

    assert document.startswith(b"%PDF")


# --- the Slack post -----------------------------------------------------------------------------


def _shown(messages: Sequence[SlackMessage]) -> str:
    return "\n".join(
        block["elements"][0]["text"] if block["type"] == "context" else block["text"]["text"]
        for message in messages
        for block in message.blocks
    )


def _sections_joined(messages: Sequence[SlackMessage]) -> str:
    """Every section's text, back to back: a text split over sections reads whole again."""
    return "".join(
        block["text"]["text"]
        for message in messages
        for block in message.blocks
        if block["type"] == "section"
    )


def test_post_shows_facts_decisions_instructions_polls_and_follow_up_with_mentions() -> None:
    [message] = minutes_messages(record())

    shown = _shown([message])
    assert message.text == "Beslutningsreferat — Klyngemøde &lt;marts&gt; &amp; KOL"
    assert "*Beslutningsreferat — Klyngemøde &lt;marts&gt; &amp; KOL*" in shown
    assert "*Tovholder:* <@U2>" in shown
    assert "*Referent:* <@U3>" in shown
    assert "*Fremmøde:* 3 tjekket ind: <@U1>, <@U2>, <@U3>" in shown
    assert "• Fælles recall-liste fra 1/1 — alle klinikker — <@U3>" in shown
    assert "• <@U1>: Sekretæren ringer til KOL-patienter" in shown
    assert "*Afstemning: Næste emne?*\n• KOL: 5" in shown
    assert "*Opfølgning på Septembermødet (1. september)*" in shown
    assert "Pointer: 3, gruppe for gruppe" in shown
    [empty] = minutes_messages(record(takeaways=[]))
    assert "Ingen pointer endnu" in _shown([empty])
    assert message_text_errors(message.text, message.blocks) == []


def test_a_long_post_is_split_within_slacks_limits_and_loses_nothing() -> None:
    texts = [f"Beslutning {n} & <aftale>: " + "ord " * (200 + 150 * (n % 7)) for n in range(40)]
    messages = minutes_messages(record(decisions=[Entry("U1", text) for text in texts]))

    assert len(messages) > 1
    for message in messages:
        assert block_errors(message.blocks) == []
        assert block_text_length(message.blocks) <= 11_000
        assert message_text_errors(message.text, message.blocks) == []
    joined = _sections_joined(messages)
    assert all(escape(text) in joined for text in texts)
    assert "Del 1 af" in _shown(messages)


def test_one_text_longer_than_a_section_is_shown_whole() -> None:
    text = "Meget lang instruks & mere. " * 300
    messages = minutes_messages(record(instructions=[Entry("U1", text)]))

    assert f"• <@U1>: {escape(text)}" in _sections_joined(messages)
    for message in messages:
        assert block_errors(message.blocks) == []
