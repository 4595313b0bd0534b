"""Meeting posts keep within Slack's limits with every detail at its longest: the reminder, the
start post, breakout posts and the Home tab.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks import (
    section,
    text_length,
)
from bot.fakeslack.rules import (
    block_errors,
    message_text_errors,
)
from bot.mrkdwn import escape
from handlers.breakouts import blocks as breakouts
from handlers.home import blocks as home_sections
from handlers.home.view import MAX_BLOCKS, ClusterHome, MeetingLine, home_view
from handlers.meetings import blocks as meetings
from handlers.meetings.shape import agenda_of
from handlers.takeaways import blocks as takeaways
from storage.meetings import Meeting
from tests.unit.message_budget_helpers import (
    CPH,
    SLACK_IDS,
    START,
    accepted,
    long_text,
    sections,
)

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
