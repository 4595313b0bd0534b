"""Take-home summaries: escaping, splitting within Block Kit's limits, grouping."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks import (
    MESSAGE_BLOCKS,
    MESSAGE_TEXT_BUDGET,
    SECTION_LIMIT,
    split_escaped,
    text_length,
)
from bot.mrkdwn import escape_keeping_mentions
from handlers.takeaways import summary_blocks as summary
from handlers.takeaways.summary_blocks import Entry


def all_sections(messages: list[summary.SlackMessage]) -> list[str]:
    return [
        block["text"]["text"]
        for message in messages
        for block in message.blocks
        if block["type"] == "section"
    ]


def test_escape_escapes_ampersand_and_angle_brackets() -> None:
    assert escape_keeping_mentions("a < b & c > d") == "a &lt; b &amp; c &gt; d"


def test_escape_keeps_mentions_working() -> None:
    text = "Spørg <@U0DOC03> om <skemaet> i <#C0CLUSTER|klynge-nord>"

    assert escape_keeping_mentions(text) == (
        "Spørg <@U0DOC03> om &lt;skemaet&gt; i <#C0CLUSTER|klynge-nord>"
    )


def test_split_prefers_line_breaks_and_spaces() -> None:
    text = "første linje med mere\n" + "ord " * 20

    pieces = split_escaped(text, 30, 30)

    assert pieces[0] == "første linje med mere\n"
    assert all(len(piece) <= 30 for piece in pieces)
    assert "".join(pieces) == escape_keeping_mentions(text)


def test_split_never_cuts_inside_an_escaped_character() -> None:
    pieces = split_escaped("&" * 10, 12, 12)

    assert pieces == ["&amp;&amp;", "&amp;&amp;", "&amp;&amp;", "&amp;&amp;", "&amp;&amp;"]


@settings(max_examples=200)
@given(
    text=st.text(alphabet=st.sampled_from("ab æø&<>\n😀"), max_size=400),
    first=st.integers(min_value=5, max_value=60),
    rest=st.integers(min_value=5, max_value=60),
)
def test_split_pieces_fit_and_rejoin_to_the_escaped_text(text: str, first: int, rest: int) -> None:
    pieces = split_escaped(text, first, rest)

    assert "".join(pieces) == escape_keeping_mentions(text)
    assert len(pieces[0]) <= first
    assert all(len(piece) <= rest for piece in pieces[1:])


def test_summary_groups_by_breakout_group_then_the_ungrouped() -> None:
    entries = [
        Entry("U3", "ingen gruppe"),
        Entry("U2", "to", group=2),
        Entry("U1", "en", group=1),
        Entry("U4", "også to", group=2),
    ]

    [message] = summary.summary_messages(title="*T*", entries=entries, language="en")

    assert message.text.split("\n") == [
        "*T*",
        "*Group 1*",
        "• <@U1>: en",
        "*Group 2*",
        "• <@U2>: to",
        "• <@U4>: også to",
        "*Not in a breakout group*",
        "• <@U3>: ingen gruppe",
    ]


def test_summary_without_any_group_has_no_group_headings() -> None:
    entries = [Entry("U1", "a"), Entry("U2", "b")]

    [message] = summary.summary_messages(title="T", entries=entries, language="da")

    assert "Gruppe" not in message.text
    assert "• <@U1>: a\n• <@U2>: b" in message.text


def test_summary_labels_closing_round_answers() -> None:
    [message] = summary.summary_messages(
        title="T", entries=[Entry("U1", "recall", prompt="work")], language="da"
    )

    assert "• <@U1>: _Det vil jeg arbejde med i min klinik:_ recall" in message.text


def test_huge_summary_is_split_into_messages_within_block_kit_limits() -> None:
    entries = [
        Entry(f"U{n}", f"tekst {n} " + "x" * (n * 37 % 2900), group=n % 7) for n in range(300)
    ]
    entries.append(Entry("UBIG", "stor & lang " * 9000))  # ~108,000 characters escaped

    messages = summary.summary_messages(title="T", entries=entries, language="en")

    assert len(messages) > 3
    for message in messages:
        assert len(message.blocks) <= MESSAGE_BLOCKS
        assert text_length(message.blocks) <= MESSAGE_TEXT_BUDGET
        assert len(message.text) < 4000
    assert all(len(section) <= SECTION_LIMIT for section in all_sections(messages))
    everything = "\n".join(all_sections(messages))
    for entry in entries[:-1]:
        assert escape_keeping_mentions(entry.text) in everything
    assert escape_keeping_mentions(entries[-1].text) in "".join(all_sections(messages))


def test_long_take_home_continues_without_extra_characters_in_the_sections() -> None:
    text = "ord " * 2000

    [message] = summary.summary_messages(title="T", entries=[Entry("U1", text)], language="en")

    assert len(message.blocks) >= 3
    assert f"• <@U1>: {text}" in "".join(all_sections([message]))
    assert message.text.startswith("T\n• <@U1>: ord ord")
    assert len(message.text) < 4000


def test_part_numbers_are_shown_only_when_split() -> None:
    one = summary.summary_messages(title="T", entries=[Entry("U1", "kort")], language="en")
    many = summary.summary_messages(title="T", entries=[Entry("U1", "y " * 60_000)], language="en")

    assert all(block["type"] == "section" for block in one[0].blocks)
    assert many[0].blocks[-1]["elements"][0]["text"] == f"Part 1 of {len(many)}"


def test_followup_delays_in_days_and_weeks_in_both_languages() -> None:
    assert summary.parse_followup_days("4w") == 28
    assert summary.parse_followup_days("4 uger") == 28
    assert summary.parse_followup_days("10d") == 10
    assert summary.parse_followup_days("3 dage") == 3
    assert summary.parse_followup_days("soon") is None
    assert summary.parse_followup_days("-3d") is None
    assert summary.parse_followup_days("") is None


def test_emoji_names_are_normalised() -> None:
    assert summary.emoji_name(":House:") == "house"
    assert summary.emoji_name("thumbsup::skin-tone-2") == "thumbsup"
    assert summary.emoji_name("🏠") is None
    assert summary.emoji_name("to ord") is None
    assert summary.reaction_base("hus::skin-tone-3") == "hus"
