"""Take-home messages keep within Slack's budget: the summary keeps every take-home, verbatim,
exactly once, and follow-up DMs and confirmations of very long take-homes fit.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.blocks import (
    MESSAGE_TEXT_BUDGET,
    pack,
    section,
)
from bot.mrkdwn import escape, escape_keeping_mentions
from handlers.takeaways import blocks as takeaways
from handlers.takeaways.summary_blocks import Entry, summary_messages
from tests.unit.message_budget_helpers import (
    SLACK_IDS,
    TYPED,
    accepted,
    long_text,
    sections,
)

# --- the take-home summary -----------------------------------------------------------------------

ENTRIES = st.lists(
    st.tuples(
        st.text(TYPED, max_size=4000),
        st.one_of(st.none(), st.integers(1, 12)),
        st.sampled_from([None, "take", "use", "work"]),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=ENTRIES, language=st.sampled_from(["en", "da"]))
def test_summary_keeps_every_take_home_verbatim_once_within_the_budget(
    raw: list[tuple[str, int | None, str | None]], language: str
) -> None:
    entries = [
        Entry(SLACK_IDS[number % 36], f"({number}) {text}", group=group, prompt=prompt)
        for number, (text, group, prompt) in enumerate(raw)
    ]

    title = f"*{escape('Møde & <ting>')}*"
    messages = summary_messages(title=title, entries=entries, language=language)

    for message in messages:
        accepted(message.text, message.blocks)
    shown = ["".join(sections(message.blocks)) for message in messages]
    everything = "".join(shown)
    for entry in entries:
        escaped = escape_keeping_mentions(entry.text)
        assert everything.count(escaped) == 1
        if len(escaped) <= MESSAGE_TEXT_BUDGET // 2:  # a take-home of a few thousand characters
            assert sum(escaped in one for one in shown) == 1  # whole in one message


def test_twelve_doctors_with_three_long_take_homes_each_need_several_whole_messages() -> None:
    entries = [
        Entry(doctor, long_text(1000, f"{doctor} nr. {number}: "), group=index % 4 + 1)
        for index, doctor in enumerate(SLACK_IDS[:12])
        for number in (1, 2, 3)
    ]

    messages = summary_messages(title="T", entries=entries, language="da")

    assert len(messages) >= 4
    for message in messages:
        accepted(message.text, message.blocks)
    shown = ["".join(sections(message.blocks)) for message in messages]
    for entry in entries:
        assert [one.count(escape(entry.text)) for one in shown if escape(entry.text) in one] == [1]


def test_follow_up_dms_and_confirmations_of_very_long_take_homes_fit() -> None:
    questions = [
        takeaways.followup_question("da", takeaway_id=n, text=long_text(40_000), prompt="work")
        for n in range(5)
    ]
    for blocks in pack([[section("Intro")], *questions]):
        accepted("Opfølgning", blocks)
    confirmation = takeaways.confirmation(
        takeaway_id=1, text=long_text(40_000), intro="Gemt:\n", hint="hint", language="da"
    )
    accepted("Gemt", confirmation)
    lines = [takeaways.Line(n, SLACK_IDS[n], long_text(3000), where="Møde") for n in range(40)]
    accepted("Dine", takeaways.own_list("da", lines))
