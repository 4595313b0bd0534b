"""Slack's text format both ways: read once where text comes in, escaped once where it goes out."""

from __future__ import annotations

import pytest

from bot.fakeslack.rules import escape_typed
from bot.mrkdwn import escape, escape_keeping_mentions, unescape


@pytest.mark.parametrize(
    ("sent", "written"),
    [
        ("HbA1c &lt; 53 &amp; BT &gt; 140?", "HbA1c < 53 & BT > 140?"),
        ("a &amp;lt; b", "a &lt; b"),  # the person typed "&lt;": read once, not twice
        ("<https://zoom.us/j/1?pwd=a&amp;b=c>", "https://zoom.us/j/1?pwd=a&b=c"),
        ("<http://zoom.us/j/1|zoom.us/j/1>", "http://zoom.us/j/1"),
        ("<mailto:lene@klinik.dk|lene@klinik.dk>", "lene@klinik.dk"),
        (
            "se <https://dsam.dk/kol|vejledningen &amp; skemaet>",
            "se vejledningen & skemaet (https://dsam.dk/kol)",
        ),
        ("<https://x.dk/?q=&amp;lt;>", "https://x.dk/?q=&lt;"),
        (
            "spørg <@U0DOC03|bo> i <#C0CLUSTER|klynge-nord> <!here>",
            "spørg <@U0DOC03|bo> i <#C0CLUSTER|klynge-nord> <!here>",
        ),
    ],
)
def test_unescape_reads_slacks_form_once(sent: str, written: str) -> None:
    assert unescape(sent) == written


@pytest.mark.parametrize(
    "typed",
    ["HbA1c < 53 & BT?", "&amp; <b> &lt;", "Spørg <@U0DOC03> om <skemaet> & mere", "a > b"],
)
def test_what_a_person_types_comes_back_as_typed_and_goes_out_escaped_once(typed: str) -> None:
    read = unescape(escape_typed(typed))

    assert read == typed
    assert escape_keeping_mentions(read) == escape_typed(typed)


def test_escape_is_the_inverse_of_unescape_for_plain_text() -> None:
    text = "1 < 2 && 3 > 2; &amp; stays written"

    assert unescape(escape(text)) == text
