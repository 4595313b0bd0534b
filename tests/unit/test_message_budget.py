"""Every message the pure builders make is one Slack accepts, however large the input: within the
budget of block text (``bot.blocks.MESSAGE_TEXT_BUDGET``), Block Kit's per-block limits, a short
top-level text and valid markup; and a summary keeps every take-home, verbatim, exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.blocks import (
    MESSAGE_TEXT_BUDGET,
    clip,
    context,
    fit,
    lines_message,
    numbered_parts,
    pack,
    part_room,
    section,
    text_length,
)
from bot.fakeslack.rules import (
    block_errors,
    block_text_length,
    escaping_errors,
    message_text_errors,
)
from bot.mrkdwn import escape, escape_keeping_mentions
from handlers.breakouts import blocks as breakouts
from handlers.home import blocks as home_sections
from handlers.home.view import MAX_BLOCKS, ClusterHome, MeetingLine, home_view
from handlers.meetings import blocks as meetings
from handlers.meetings.shape import agenda_of
from handlers.polls import blocks as polls
from handlers.polls import results
from handlers.polls.breakdown import breakdown
from handlers.polls.tally import instant_runoff, plurality
from handlers.takeaways import blocks as takeaways
from handlers.takeaways.summary_blocks import Entry, summary_messages
from storage.meetings import Meeting

CPH = ZoneInfo("Europe/Copenhagen")
START = datetime(2027, 3, 4, 15, 0, tzinfo=UTC)
# What people type: letters, Danish letters, emoji, line breaks, and what Slack escapes.
TYPED = st.sampled_from("abc æøå 😀\n&<>;#")
SLACK_IDS = [f"U0{number:09d}" for number in range(1000)]  # as long as real user ids


def accepted(text: str, blocks: list[dict[str, Any]], *, most_blocks: int = 50) -> None:
    """Slack (and the strict fake) would take this message as it is."""
    assert block_errors(blocks, limit=most_blocks) == []
    assert text_length(blocks) == block_text_length(blocks)  # the bot counts as Slack does
    assert text_length(blocks) <= MESSAGE_TEXT_BUDGET
    assert len(text) < 4000
    assert message_text_errors(text, blocks) == []


def long_text(length: int, seed: str = "") -> str:
    """``length`` characters of prose full of & < >, starting with ``seed``."""
    return (seed + "HbA1c < 53 & BT > 130/80; ring til <patienten> & aftal tid. " * 100)[:length]


# --- the shared helpers --------------------------------------------------------------------------


@given(text=st.text(TYPED, max_size=300), limit=st.integers(min_value=1, max_value=300))
def test_clip_never_cuts_an_escaped_character_or_a_mention(text: str, limit: int) -> None:
    marked = escape_keeping_mentions(text) + " <@U0123456789> " + escape(text)

    clipped = clip(marked, limit)

    assert len(clipped) <= max(limit, 1)
    assert escaping_errors(clipped) == []


@given(sizes=st.lists(st.lists(st.integers(0, 3000), min_size=1, max_size=8), max_size=40))
def test_pack_keeps_order_and_every_group_that_fits_in_one_message(
    sizes: list[list[int]],
) -> None:
    groups = [[section("x" * size) for size in group] for group in sizes]

    messages = pack(groups)

    assert [block for message in messages for block in message] == [
        block for group in groups for block in group
    ]
    for message in messages:
        assert len(message) <= 50
        assert text_length(message) <= MESSAGE_TEXT_BUDGET
    for group in groups:
        if group and text_length(group) <= MESSAGE_TEXT_BUDGET:
            assert any(all(block in message for block in group) for message in messages)


def test_fit_shortens_the_longest_texts_and_keeps_buttons_whole() -> None:
    blocks = [
        section(escape(long_text(3000))),
        section(escape(long_text(2900))),
        section("kort"),
        {"type": "actions", "elements": [takeaways.button("Knap", "a", "1")]},
    ] * 3

    fitted = fit(blocks)

    accepted("", fitted)
    assert [block["type"] for block in fitted] == [block["type"] for block in blocks]
    assert fitted[2]["text"]["text"] == "kort"
    assert fitted[3] == blocks[3]


def test_a_long_list_of_lines_is_one_message_with_a_short_preview() -> None:
    lines = [f"{n}. <@{SLACK_IDS[n]}> — sidste tur: torsdag 4. marts 2027" for n in range(120)]

    text, blocks = lines_message(lines)

    accepted(text, blocks)
    assert "\n".join(sections(blocks)) == "\n".join(lines)
    assert text.endswith("…")


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


def sections(blocks: Sequence[dict[str, Any]]) -> list[str]:
    return [block["text"]["text"] for block in blocks if block["type"] == "section"]


# --- polls ----------------------------------------------------------------------------------------


def poll_view(options: int, voters: int, length: int, **changes: Any) -> polls.PollView:
    values: dict[str, Any] = {
        "id": 9,
        "question": long_text(300, "Hvilket emne? "),
        "kind": "multi",
        "max_choices": options,
        "anonymous": False,
        "open_options": True,
        "closed": False,
        "options": tuple(
            polls.OptionView(
                id=n,
                position=n,
                text=long_text(length, f"Mulighed {n}: "),
                count=voters,
                voters=tuple(SLACK_IDS[:voters]),
            )
            for n in range(1, options + 1)
        ),
        "ballots": voters,
        "closes_at_local": START.astimezone(CPH),
        "subcluster_name": long_text(80, "Nord "),
    }
    values.update(changes)
    return polls.PollView(**values)


@settings(max_examples=40, deadline=None)
@given(
    options=st.integers(2, 20),
    voters=st.integers(0, 60),
    length=st.integers(1, 200),
    closed=st.booleans(),
)
def test_poll_message_stays_within_the_budget_and_names_as_many_voters_as_fit(
    options: int, voters: int, length: int, closed: bool
) -> None:
    view = poll_view(options, voters, length, closed=closed)

    text, blocks = polls.poll_message(view, "da")

    accepted(text, blocks)
    body = "\n".join(sections(blocks))
    whole = polls.share_whole(view)
    for option in view.options:  # every option, its share and count, whatever else had to go
        bar = polls.share_bar(option.count, whole, "da")
        assert f"*{option.position}. {escape(option.text)}*  `{voters} " in body
        assert bar in body


def test_twenty_long_options_with_forty_voters_each_name_fewer_voters_but_fit() -> None:
    text, blocks = polls.poll_message(poll_view(20, 40, 75), "en")

    accepted(text, blocks)
    named = "\n".join(sections(blocks)).count("<@")
    assert 0 < named < 20 * polls.MENTIONS_SHOWN
    assert "more" in "\n".join(sections(blocks))


def test_results_of_a_ranked_poll_of_twenty_long_options_fit_with_every_round() -> None:
    view = poll_view(20, 40, 200, kind="ranked", closed=True)
    # n voters put option n first, then the options after it: one goes out each round.
    ballots = [list(range(n, 21)) for n in range(1, 21) for _ in range(n)]
    result = instant_runoff(list(range(1, 21)), ballots)
    assert len(result.rounds) > 10

    text, blocks = results.results_message(view, result, "en")

    accepted(text, blocks)
    body = "\n".join(sections(blocks))
    assert all(f"Round {number}:" in body for number in range(1, len(result.rounds) + 1))


def test_results_by_sub_cluster_fit() -> None:
    view = poll_view(20, 40, 200, closed=True)
    groups = [
        (long_text(80, f"Babyklynge {n} "), plurality(list(range(1, 21)), [[n % 20 + 1]]))
        for n in range(30)
    ]
    result = plurality(list(range(1, 21)), [[1], [2], [2]])

    text, blocks = results.results_message(
        view, result, "da", groups=breakdown(groups, anonymous=False)
    )

    accepted(text, blocks)


# --- meetings -------------------------------------------------------------------------------------


def big_meeting() -> Meeting:
    return Meeting(
        id=3,
        cluster_id=1,
        title=long_text(200, "Klyngemøde "),
        starts_at=START,
        created_by="U1",
        topic=long_text(500, "Emne "),
        agenda=long_text(2900, "1. Velkomst\n"),
        preparation=long_text(2900, "Læs "),
        facilitator_id=SLACK_IDS[1],
        note_taker_id=SLACK_IDS[2],
        zoom_url="https://zoom.us/j/123",
    )


def followup_extra() -> list[dict[str, Any]]:
    lines = [
        takeaways.Line(takeaway_id=n, author_id=SLACK_IDS[n], text=long_text(3000), answer=None)
        for n in range(100)
    ]
    return takeaways.reminder_followup(
        "da", title=long_text(200), date="4. marts", counts={None: 100}, lines=lines
    )


def test_reminder_with_every_detail_at_its_longest_and_a_follow_up_fits() -> None:
    meeting = big_meeting()
    now = START - timedelta(days=1)

    blocks = meetings.reminder_blocks(
        meeting,
        CPH,
        "da",
        now=now,
        home="Europe/Copenhagen",
        attending=40,
        absent=2,
        group="x",
        extra=followup_extra(),
    )

    accepted(meetings.reminder_text(meeting, CPH, "da", now=now, home="UTC"), blocks)
    assert any(block.get("block_id") == meetings.RSVP_COUNTS_BLOCK for block in blocks)
    body = "\n".join(sections(blocks))
    assert escape(meeting.agenda or "")[:2000] in body  # neither crowds the other out
    assert escape(meeting.preparation or "")[:2000] in body


# The start post's sections at their longest: a check-in question, the follow-up on last time.
START_SECTIONS = [section("x" * 400), section("y" * 1500)]


def test_start_post_with_agenda_preparation_and_topic_at_their_longest_fits() -> None:
    meeting = big_meeting()
    extra = [takeaways.take_home_button("da", 3), section(escape(long_text(3000)))]

    agenda = agenda_of(meeting.agenda, None, "da")
    blocks = meetings.agenda_blocks(
        meeting,
        CPH,
        "da",
        checked_in=40,
        agenda=agenda,
        sections=START_SECTIONS,
        extra=extra,
    )

    accepted(meetings.agenda_text(meeting, agenda, "da"), blocks)
    body = "\n".join(sections(blocks))
    assert escape(meeting.agenda or "")[:2000] in body
    assert escape(meeting.preparation or "")[:2000] in body
    closing = meetings.closing_blocks(meeting, "da", checked_in=40, extra=extra)
    accepted(meetings.closing_text(meeting, "da"), closing)


# --- breakouts, take-home messages, Home ---------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(people=st.integers(2, 1000), size=st.integers(2, 8), labelled=st.booleans())
def test_breakout_posts_fit_and_name_everyone(people: int, size: int, labelled: bool) -> None:
    ids = SLACK_IDS[:people]
    groups = [ids[start : start + size] for start in range(0, people, size)]
    labels = [long_text(80, f"<Nord {n}> ") for n in range(len(groups))] if labelled else []

    messages = breakouts.round_messages("da", intro="Runde 1", groups=groups, labels=labels)

    for text, blocks in messages:
        accepted(text, blocks)
    named = "".join(text for _, blocks in messages for text in sections(blocks))
    assert all(f"<@{user}>" in named for user in ids)


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


def test_home_tab_with_everything_at_its_longest_stays_within_a_views_limits() -> None:
    polls_shown = [
        home_sections.OpenPoll(n, long_text(300), "C1", "https://x.slack.com/p1") for n in range(5)
    ]
    waiting = [home_sections.PendingTakeaway(n, long_text(4000), "use") for n in range(5)]
    clusters = [
        ClusterHome(
            name=long_text(200, f"Klynge {c} "),
            language="da",
            timezone="Europe/Copenhagen",
            meetings=[
                MeetingLine(n, long_text(200), START, topic=long_text(500), zoom_url="https://z")
                for n in range(5)
            ],
            is_coordinator=True,
            member_count=40,
            coordinator_ids=SLACK_IDS[:5],
            subcluster_names=[long_text(80, f"<{n}> ") for n in range(100)],
            extra_blocks=[
                *home_sections.open_polls(polls_shown, "da", "Europe/Copenhagen", cluster_id=c),
                *home_sections.awaiting_followup(waiting, "da"),
            ],
        )
        for c in range(5)
    ]

    view = home_view(clusters, SLACK_IDS[0], "da")

    assert block_errors(view["blocks"], limit=MAX_BLOCKS) == []
    assert message_text_errors("", view["blocks"]) == []
    assert all(text_length(block) <= 3200 for block in view["blocks"])  # each section bounded


@pytest.mark.parametrize(("language", "line"), [("en", "Part 2 of 3"), ("da", "Del 2 af 3")])
def test_a_post_of_several_messages_numbers_each_part(language: str, line: str) -> None:
    messages = [[section("a")], [section("b")], [section("c")]]

    parts = numbered_parts(messages, language)

    assert [part for _, part in parts][1] == line
    assert parts[1][0] == [section("b"), context(line)]
    assert len(line) <= part_room(language)


def test_a_post_of_one_message_is_not_numbered() -> None:
    assert numbered_parts([[section("a")]], "da") == [([section("a")], None)]
