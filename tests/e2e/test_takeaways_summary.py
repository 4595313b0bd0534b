"""Take-home messages end to end: summaries and export."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from bot.blocks import MESSAGE_TEXT_BUDGET
from bot.fakeslack.model import Message
from bot.fakeslack.rules import block_errors, block_text_length, message_text_errors
from bot.i18n import format_datetime
from bot.mrkdwn import escape
from storage.meetings import CheckIn
from tests.e2e.takeaways_helpers import (
    OTHER,
    THIRD,
    add_meeting,
    add_round,
    h_fixture,  # noqa: F401  (provides the `h` fixture)
    section_texts,
    takeaways,
)
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, OTHER_CHANNEL, Harness


def all_summary_text(h: Harness, since: int = 0) -> str:
    """The text of every section posted since post number ``since`` (a message's top-level
    text is only its notification preview)."""
    return "\n".join(section_texts(h.posts()[since:]))


def assert_every_post_within_slacks_limits(h: Harness, since_call: int = 0) -> None:
    """Every chat.postMessage since call number ``since_call`` is one Slack would accept."""
    calls = [call for call in h.slack.calls[since_call:] if call.method == "chat.postMessage"]
    assert calls
    for call in calls:
        blocks, text = call.args.get("blocks"), str(call.args.get("text") or "")
        assert block_errors(blocks) == []
        assert block_text_length(blocks) <= MESSAGE_TEXT_BUDGET
        assert len(text) < 4000
        assert message_text_errors(text, blocks) == []


def assert_whole_in_one_message_once(messages: Sequence[Message], text: str) -> None:
    """``text``, escaped, is in exactly one of ``messages`` (whole, its sections rejoined),
    exactly once."""
    shown = ["".join(section_texts([message])) for message in messages]
    assert [one.count(escape(text)) for one in shown if escape(text) in one] == [1]


# --- summary -------------------------------------------------------------------------------------


async def test_summary_groups_by_breakout_group_with_authors_and_escapes(h: Harness) -> None:
    meeting = await add_meeting(h)
    await add_round(h, meeting, [[MEMBER, OTHER], [THIRD]])
    await h.command("takeaway Gruppe 1: <script> & mere", user=MEMBER)
    await h.command("takeaway Gruppe 2 siger", user=THIRD)
    await h.command("takeaway Uden gruppe", user=COORDINATOR)
    before = len(h.posts())

    await h.command("summary")

    text = all_summary_text(h, before)
    assert f"<@{MEMBER}>: Gruppe 1: &lt;script&gt; &amp; mere" in text
    assert f"<@{THIRD}>: Gruppe 2 siger" in text
    assert text.index("*Group 1*") < text.index("Gruppe 1: &lt;") < text.index("*Group 2*")
    assert text.index("*Group 2*") < text.index("Gruppe 2 siger")
    assert text.index("*Not in a breakout group*") < text.index("Uden gruppe")


async def test_summary_of_many_long_take_homes_is_split_within_limits_and_loses_nothing(
    h: Harness,
) -> None:
    meeting = await add_meeting(h)
    texts = [
        f"Take-home nummer {n}: " + "ræsonnement & <evidens> " * (10 + n) + "slut"
        for n in range(0, 70, 5)
    ]
    long_text = "Meget lang besked om forløbsprogrammer. " * 200  # ~8,000 characters
    texts.append(long_text.strip())
    for number, text in enumerate(texts):
        message = h.slack.post_as_user(CHANNEL, OTHER, text)
        await h.shortcut("save_takeaway", message, user=DOCTORS[number % len(DOCTORS)])
    assert len(await takeaways(h)) == len(texts)
    before, since_call = len(h.posts()), len(h.slack.calls)

    await h.command(f"summary {meeting.id}")

    posted = h.posts()[before:]
    assert len(posted) >= 2
    for message in posted:
        assert len(message.blocks) <= 50
        assert all(len(section) <= 3000 for section in section_texts([message]))
    assert_every_post_within_slacks_limits(h, since_call)
    for text in texts:
        assert_whole_in_one_message_once(posted, text)


async def test_summary_of_twelve_doctors_three_long_take_homes_each_keeps_every_one_whole(
    h: Harness,
) -> None:
    """12 members × 3 take-homes of 1,000 characters: more than one message holds."""
    await add_meeting(h)
    texts = {
        (doctor, number): (
            f"{doctor} take-home {number}: HbA1c < 53 & BT > 130/80 hos type 2-patienter. "
            + "Vi ringer til dem & aftaler <årskontrol> med sygeplejersken. " * 16
        )[:995]
        + f" #{number}"
        for doctor in DOCTORS
        for number in range(1, 4)
    }
    for (doctor, _), text in texts.items():
        await h.command(f"takeaway {text}", user=doctor)
    assert len(await takeaways(h)) == 36
    before, since_call = len(h.posts()), len(h.slack.calls)

    await h.command("summary")

    summary = h.posts()[before:]
    assert len(summary) >= 4  # 36 × 1,000 characters do not fit in one message
    assert h.slack.refused == []
    assert h.slack.rate_limited == []
    assert_every_post_within_slacks_limits(h, since_call)
    for text in texts.values():
        assert_whole_in_one_message_once(summary, text)
    assert [block["elements"][0]["text"] for block in (m.blocks[-1] for m in summary)] == [
        f"Part {number} of {len(summary)}" for number in range(1, len(summary) + 1)
    ]
    assert not any("went wrong" in whisper for whisper in h.whispers(COORDINATOR))


async def test_summary_without_meeting_posts_the_loose_take_homes(h: Harness) -> None:
    await h.command("takeaway Løs tanke", user=MEMBER)

    await h.command("summary")

    assert "outside a meeting" in h.last_post().text
    assert "Løs tanke" in h.last_post().text


async def test_summary_is_for_coordinators_only(h: Harness) -> None:
    await h.command("takeaway Noget", user=MEMBER)
    before = len(h.posts())

    await h.command("summary", user=MEMBER)

    assert len(h.posts()) == before
    assert "Only the cluster's coordinators" in h.last_whisper(MEMBER)


@pytest.mark.parametrize("words", ["abc", "12 13", "-1", "'; DROP TABLE meeting;--"])
async def test_summary_with_a_bad_meeting_id_explains_the_form(h: Harness, words: str) -> None:
    before = len(h.posts())

    await h.command(f"summary {words}")

    assert "/klynge summary [meeting number]" in h.last_whisper()
    assert len(h.posts()) == before


async def test_summary_of_another_clusters_meeting_is_refused(h: Harness) -> None:
    await h.command("setup", channel=OTHER_CHANNEL, user=DOCTORS[0])
    foreign = await add_meeting(h, channel=OTHER_CHANNEL)

    await h.command(f"summary {foreign.id}")
    await h.command("summary 999999999999999")

    assert "no meeting number" in h.whispers()[-2]
    assert "no meeting number" in h.whispers()[-1]


async def test_summary_with_no_take_homes_says_so_privately(h: Harness) -> None:
    await add_meeting(h)
    before = len(h.posts())

    await h.command("summary")

    assert "no take-home messages" in h.last_whisper()
    assert len(h.posts()) == before


# --- export --------------------------------------------------------------------------------------


async def test_export_uploads_the_decision_minutes_as_a_pdf(h: Harness) -> None:
    meeting = await add_meeting(
        h, topic="Type 2-diabetes", facilitator_id=OTHER, title="Klyngemøde <marts>"
    )
    await add_round(h, meeting, [[MEMBER, OTHER], [THIRD, COORDINATOR]])
    async with h.db.session() as session:
        for user in (MEMBER, OTHER, THIRD):
            session.add(CheckIn(meeting_id=meeting.id or 0, user_id=user))

    async def poll_results(deps: Any, cluster: Any, meeting: Any) -> list[str]:
        return ["- Næste emne: KOL — 5 stemmer"]

    h.deps.hooks.minutes_sections.append(poll_results)
    await h.command("takeaway Brug <skabelonen> & del den 😀", user=MEMBER)

    await h.command("export")

    [uploaded] = h.slack.files.values()
    reader = PdfReader(BytesIO(uploaded.content))
    content = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    assert uploaded.channel == CHANNEL
    assert uploaded.filename.endswith(".pdf")
    assert "Decision minutes — Klyngemøde <marts>" in content
    assert "Type 2-diabetes" in content
    assert "Facilitator: Camilla Ørsted" in content
    assert "3 checked in: Bo Jensen, Camilla Ørsted, Dorte Lund" in content
    assert "Group 1 • Bo Jensen: Brug <skabelonen> & del den" in content
    assert "Næste emne: KOL — 5 stemmer" in content
    assert meeting.started_at is not None
    local = meeting.started_at.astimezone(ZoneInfo("Europe/Copenhagen"))
    assert f"Date: {format_datetime(local, 'en')}" in content
    assert uploaded.filename in h.last_whisper()


async def test_export_with_nothing_to_export_says_so(h: Harness) -> None:
    await h.command("export")

    assert "no meeting and no take-home message to export" in h.last_whisper()
    assert h.slack.files == {}


async def test_export_is_for_coordinators_only(h: Harness) -> None:
    await add_meeting(h)

    await h.command("export", user=MEMBER)

    assert h.slack.files == {}
    assert "Only the cluster's coordinators" in h.last_whisper(MEMBER)
