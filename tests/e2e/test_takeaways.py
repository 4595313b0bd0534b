"""Take-home messages end to end: every capture path, retries, summaries, export, follow-up.

Meetings and breakout rounds belong to other features; tests insert their rows as set-up and
drive this feature through signed requests and the hooks the meetings feature calls.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlmodel import col, select

from bot.blocks import MESSAGE_TEXT_BUDGET
from bot.fakeslack.model import Message
from bot.fakeslack.rules import block_errors, block_text_length, escape_typed, message_text_errors
from bot.i18n import format_datetime
from bot.mrkdwn import escape
from storage import takeaways as store
from storage.breakouts import BreakoutRound, BreakoutSeat
from storage.clusters import Cluster, get_cluster
from storage.jobs import Job
from storage.meetings import ENDED, PLANNED, RUNNING, CheckIn, Meeting
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, OTHER_CHANNEL, Harness

OTHER = DOCTORS[2]
THIRD = DOCTORS[3]


# --- set-up helpers ----------------------------------------------------------------------------


async def cluster_of(h: Harness, channel: str = CHANNEL) -> Cluster:
    async with h.db.session() as session:
        cluster = await get_cluster(session, team_id=h.slack.team_id, channel_id=channel)
    assert cluster is not None
    return cluster


async def add_meeting(
    h: Harness,
    *,
    status: str = RUNNING,
    title: str = "Diabetes i almen praksis",
    started: timedelta = timedelta(hours=1),
    ended: timedelta | None = None,
    channel: str = CHANNEL,
    **fields: Any,
) -> Meeting:
    """A meeting that started ``started`` ago (and ended ``ended`` ago, if given)."""
    cluster = await cluster_of(h, channel)
    now = h.clock()
    meeting = Meeting(
        cluster_id=cluster.id or 0,
        title=title,
        starts_at=now - started,
        status=ENDED if ended is not None else status,
        started_at=now - started if status != PLANNED else None,
        ended_at=now - ended if ended is not None else None,
        created_by=COORDINATOR,
        **fields,
    )
    async with h.db.session() as session:
        session.add(meeting)
    return meeting


async def add_round(h: Harness, meeting: Meeting, groups: Sequence[Sequence[str]]) -> None:
    cluster = await cluster_of(h)
    async with h.db.session() as session:
        breakout = BreakoutRound(
            cluster_id=cluster.id or 0,
            meeting_id=meeting.id,
            group_size=3,
            created_by=COORDINATOR,
            created_at=h.clock(),
        )
        session.add(breakout)
        await session.flush()
        for number, members in enumerate(groups, start=1):
            for user in members:
                session.add(
                    BreakoutSeat(round_id=breakout.id or 0, user_id=user, group_number=number)
                )


async def takeaways(h: Harness) -> list[store.Takeaway]:
    async with h.db.session() as session:
        result = await session.exec(select(store.Takeaway).order_by(col(store.Takeaway.id)))
        return list(result.all())


def ephemeral_message(h: Harness, user: str) -> Message:
    """The latest private message ``user`` got with buttons, as a clickable message."""
    for item in reversed(h.slack.ephemerals_for(user)):
        if any(block.get("type") == "actions" for block in item.blocks):
            return Message(channel=CHANNEL, ts="0.0", text=item.text, blocks=item.blocks)
    raise AssertionError(f"{user} got no private message with buttons")


def opened_view(h: Harness) -> dict[str, Any]:
    calls = h.slack.calls_to("views.open")
    assert calls, "no modal was opened"
    view = calls[-1].args["view"]
    assert isinstance(view, dict)
    return view


def reaction(user: str, message: Message, name: str = "house") -> dict[str, Any]:
    return {
        "type": "reaction_added",
        "user": user,
        "reaction": name,
        "item_user": message.user,
        "item": {"type": "message", "channel": message.channel, "ts": message.ts},
    }


def unreaction(user: str, message: Message, name: str = "house") -> dict[str, Any]:
    return {**reaction(user, message, name), "type": "reaction_removed"}


def all_summary_text(h: Harness, since: int = 0) -> str:
    """The text of every section posted since post number ``since`` (a message's top-level
    text is only its notification preview)."""
    return "\n".join(section_texts(h.posts()[since:]))


def section_texts(messages: Sequence[Message]) -> list[str]:
    return [
        block["text"]["text"]
        for message in messages
        for block in message.blocks
        if block.get("type") == "section"
    ]


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


@pytest.fixture
async def h(harness: Harness) -> Harness:
    await harness.setup_cluster()
    return harness


# --- /klynge takeaway ----------------------------------------------------------------------------


async def test_takeaway_command_saves_and_confirms_privately_with_undo(h: Harness) -> None:
    await h.command("takeaway Ring diabetespatienter op inden for 3 måneder", user=MEMBER)

    [saved] = await takeaways(h)
    assert saved.text == "Ring diabetespatienter op inden for 3 måneder"
    assert saved.author_id == MEMBER
    assert saved.meeting_id is None
    confirmation = ephemeral_message(h, MEMBER)
    assert "Ring diabetespatienter op" in section_texts([confirmation])[0]
    assert any(
        element["action_id"] == "takeaway_undo"
        for block in confirmation.blocks
        for element in block.get("elements", [])
    )
    assert len(h.posts()) == 1  # only the setup announcement: nothing public


async def test_takeaway_without_text_shows_usage_and_saves_nothing(h: Harness) -> None:
    await h.command("takeaway   ", user=MEMBER)

    assert "/klynge takeaway [what you take home]" in h.last_whisper(MEMBER)
    assert await takeaways(h) == []


async def test_takeaway_keeps_sql_emoji_danish_letters_and_spacing_exactly(h: Harness) -> None:
    written = "Robert'); DROP TABLE takeaway;-- 🏠 Æblegrød på Ørsted  <b>& “citat”\nlinje 2"

    await h.command(f"takeaway {written}", user=MEMBER)  # Slack sends < and & escaped

    [saved] = await takeaways(h)
    assert saved.text == written
    assert escape(written) in h.last_whisper(MEMBER)
    await h.command("summary")
    assert f"<@{MEMBER}>: {escape(written)}" in h.last_post().text


async def test_takeaway_text_with_double_dash_words_is_saved_whole(h: Harness) -> None:
    await h.command("takeaway Husk --dosis og —ring til patienten --", user=MEMBER)

    [saved] = await takeaways(h)
    assert saved.text == "Husk --dosis og —ring til patienten --"


async def test_takeaway_over_3000_characters_is_stored_whole_and_shown_split(h: Harness) -> None:
    text = ("Lang refleksion om behandling. " * 120).strip()
    assert 3000 < len(text) < 4000

    await h.command(f"takeaway {text}", user=MEMBER)

    [saved] = await takeaways(h)
    assert saved.text == text
    sections = section_texts([ephemeral_message(h, MEMBER)])
    assert len(sections) >= 2
    assert all(len(section) <= 3000 for section in sections)


async def test_takeaway_of_5000_characters_is_refused_kindly_and_nothing_stored(h: Harness) -> None:
    await h.command("takeaway " + "x" * 5000, user=MEMBER)

    assert "at most" in h.last_whisper(MEMBER)
    assert await takeaways(h) == []


async def test_undo_removes_the_take_home(h: Harness) -> None:
    await h.command("takeaway Fortryd mig", user=MEMBER)

    await h.click(ephemeral_message(h, MEMBER), "takeaway_undo", user=MEMBER)

    assert await takeaways(h) == []
    assert "removed" in h.last_whisper(MEMBER)


async def test_only_the_author_can_undo(h: Harness) -> None:
    await h.command("takeaway Min egen", user=MEMBER)

    await h.click(ephemeral_message(h, MEMBER), "takeaway_undo", user=OTHER)

    assert len(await takeaways(h)) == 1
    assert "only its author" in h.last_whisper(OTHER)


async def test_author_edits_the_text_in_a_modal(h: Harness) -> None:
    await h.command("takeaway Første udkast", user=MEMBER)
    await h.click(ephemeral_message(h, MEMBER), "takeaway_edit", user=MEMBER)
    view = opened_view(h)
    assert view["blocks"][0]["element"]["initial_value"] == "Første udkast"

    # Modal input arrives as typed (Slack does not escape it): stored as is, escaped once out.
    edited = "Endelig udgave 🎉 <b> & mere"
    await h.submit(view, {"text": {"text": {"value": edited}}}, user=MEMBER)

    [saved] = await takeaways(h)
    assert saved.text == edited
    assert saved.edited_at is not None
    await h.command("summary")
    assert "Endelig udgave 🎉 &lt;b&gt; &amp; mere" in h.last_post().text


async def test_editing_to_empty_text_shows_a_field_error_and_keeps_the_text(h: Harness) -> None:
    await h.command("takeaway Bliver", user=MEMBER)
    await h.click(ephemeral_message(h, MEMBER), "takeaway_edit", user=MEMBER)

    reply = await h.submit(opened_view(h), {"text": {"text": {"value": "  "}}}, user=MEMBER)

    assert reply.json()["response_action"] == "errors"
    assert (await takeaways(h))[0].text == "Bliver"


async def test_someone_else_cannot_edit(h: Harness) -> None:
    await h.command("takeaway Min tekst", user=MEMBER)

    await h.click(ephemeral_message(h, MEMBER), "takeaway_edit", user=OTHER)

    assert h.slack.calls_to("views.open") == []
    assert "only its author" in h.last_whisper(OTHER)


async def test_takeaway_list_shows_own_take_homes_with_delete(h: Harness) -> None:
    await h.command("takeaway Min første", user=MEMBER)
    await h.command("takeaway Andens", user=OTHER)
    await h.command("takeaway list", user=MEMBER)

    listing = ephemeral_message(h, MEMBER)
    shown = "\n".join(section_texts([listing]))
    assert "Min første" in shown
    assert "Andens" not in shown
    await h.click(listing, "takeaway_undo", user=MEMBER)
    assert [t.text for t in await takeaways(h)] == ["Andens"]


# --- where a take-home belongs -------------------------------------------------------------------


async def test_take_home_belongs_to_running_meeting_with_authors_breakout_group(
    h: Harness,
) -> None:
    meeting = await add_meeting(h)
    await add_round(h, meeting, [[COORDINATOR, OTHER], [MEMBER, THIRD]])

    await h.command("takeaway I gruppen", user=MEMBER)

    [saved] = await takeaways(h)
    assert saved.meeting_id == meeting.id
    assert saved.group_number == 2
    assert "Diabetes i almen praksis" in h.last_whisper(MEMBER)


async def test_group_comes_from_the_latest_round(h: Harness) -> None:
    meeting = await add_meeting(h)
    await add_round(h, meeting, [[MEMBER], [OTHER]])
    h.clock.advance(timedelta(minutes=20))
    await add_round(h, meeting, [[OTHER], [THIRD], [MEMBER]])

    await h.command("takeaway Runde to", user=MEMBER)

    assert (await takeaways(h))[0].group_number == 3


async def test_take_home_belongs_to_meeting_that_ended_within_12_hours(h: Harness) -> None:
    meeting = await add_meeting(h, started=timedelta(hours=13), ended=timedelta(hours=11))

    await h.command("takeaway Lige efter mødet", user=MEMBER)

    assert (await takeaways(h))[0].meeting_id == meeting.id


async def test_take_home_is_loose_when_the_last_meeting_ended_over_12_hours_ago(
    h: Harness,
) -> None:
    await add_meeting(h, started=timedelta(hours=15), ended=timedelta(hours=13))

    await h.command("takeaway For sent", user=MEMBER)

    assert (await takeaways(h))[0].meeting_id is None


# --- agenda button and closing-round modal ------------------------------------------------------


async def agenda_message(h: Harness, meeting: Meeting) -> Message:
    cluster = await cluster_of(h)
    blocks = await h.deps.hooks.blocks(h.deps.hooks.agenda_blocks, h.deps, cluster, meeting)
    answer = await h.deps.client.chat_postMessage(channel=CHANNEL, text="Agenda", blocks=blocks)
    return h.slack.message(CHANNEL, answer["ts"])


async def test_agenda_button_opens_closing_round_modal_and_saves_each_answer(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.click(await agenda_message(h, meeting), "takeaway_open", user=MEMBER)
    view = opened_view(h)
    assert [block.get("block_id") for block in view["blocks"][1:]] == [
        "take",
        "use",
        "work",
        "decision",
        "instruction",
    ]

    await h.submit(
        view,
        {
            "take": {"text": {"value": "Struktur på årskontroller"}},
            "use": {"text": {"value": ""}},
            "work": {"text": {"value": "Indføre recall-liste i klinikken"}},
        },
        user=MEMBER,
    )

    saved = await takeaways(h)
    assert [(t.prompt, t.text) for t in saved] == [
        ("take", "Struktur på årskontroller"),
        ("work", "Indføre recall-liste i klinikken"),
    ]
    assert all(t.meeting_id == meeting.id and t.author_id == MEMBER for t in saved)
    assert "Saved 2 take-home" in h.last_whisper(MEMBER)


async def test_closing_round_modal_with_no_answers_asks_for_one(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.click(await agenda_message(h, meeting), "takeaway_open", user=MEMBER)

    reply = await h.submit(opened_view(h), {"take": {"text": {"value": " "}}}, user=MEMBER)

    assert reply.json()["response_action"] == "errors"
    assert await takeaways(h) == []


# --- message shortcut ----------------------------------------------------------------------------


async def test_message_shortcut_saves_the_message_text_for_the_clicker(h: Harness) -> None:
    meeting = await add_meeting(h)
    message = h.slack.post_as_user(CHANNEL, OTHER, "Vi bør måle HbA1c hver 3. måned")

    await h.shortcut("save_takeaway", message, user=MEMBER)

    [saved] = await takeaways(h)
    assert (saved.text, saved.author_id, saved.meeting_id) == (
        "Vi bør måle HbA1c hver 3. måned",
        MEMBER,
        meeting.id,
    )
    assert saved.message_ts == message.ts
    assert "Vi bør måle HbA1c" in h.last_whisper(MEMBER)


async def test_message_shortcut_reads_slacks_escaped_text_once(h: Harness) -> None:
    typed = "HbA1c < 53 & BT > 140: se https://dsam.dk/kol?a=1&b=2 og spørg <@U0DOC04>"
    message = h.slack.post_as_user(CHANNEL, OTHER, escape_typed(typed))
    assert "&lt; 53 &amp; BT &gt; 140" in message.text  # as Slack keeps it
    assert "<https://dsam.dk/kol?a=1&amp;b=2>" in message.text

    await h.shortcut("save_takeaway", message, user=MEMBER)

    [saved] = await takeaways(h)
    assert saved.text == typed
    assert (
        "HbA1c &lt; 53 &amp; BT &gt; 140: se https://dsam.dk/kol?a=1&amp;b=2 og spørg <@U0DOC04>"
        in (h.last_whisper(MEMBER))
    )


async def test_message_shortcut_twice_does_not_double(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Én gang")

    await h.shortcut("save_takeaway", message, user=MEMBER)
    await h.shortcut("save_takeaway", message, user=MEMBER)

    assert len(await takeaways(h)) == 1
    assert "already saved" in h.last_whisper(MEMBER)


async def test_message_shortcut_outside_a_cluster_explains(h: Harness) -> None:
    message = h.slack.post_as_user(OTHER_CHANNEL, OTHER, "Ikke en klynge")

    await h.shortcut("save_takeaway", message, user=MEMBER)

    assert await takeaways(h) == []
    assert "not a quality cluster" in h.last_whisper(MEMBER)


# --- emoji reaction ------------------------------------------------------------------------------


async def test_house_reaction_marks_a_message_and_reads_only_that_message(h: Harness) -> None:
    h.slack.post_as_user(CHANNEL, THIRD, "En ældre besked, der ikke må læses")
    # Slack keeps (and returns) a message's text escaped: "Tjekliste &lt;før&gt; &amp; efter".
    message = h.slack.post_as_user(CHANNEL, OTHER, escape_typed("Tjekliste <før> & efter"))
    h.slack.post_as_user(CHANNEL, THIRD, "En nyere besked")

    await h.event(reaction(MEMBER, message))

    [saved] = await takeaways(h)
    assert (saved.text, saved.author_id, saved.source) == (
        "Tjekliste <før> & efter",
        MEMBER,
        "reaction",
    )
    [history] = h.slack.calls_to("conversations.history")
    assert history.args["latest"] == message.ts
    assert int(history.args["limit"]) == 1
    assert "Tjekliste &lt;før&gt; &amp; efter" in h.last_whisper(MEMBER)


async def test_reaction_on_a_thread_reply_saves_the_reply(h: Harness) -> None:
    parent = h.slack.post_as_user(CHANNEL, OTHER, "Tråd")
    reply = h.slack.post_as_user(CHANNEL, THIRD, "Svar i tråden", thread_ts=parent.ts)

    await h.event(reaction(MEMBER, reply))

    assert [t.text for t in await takeaways(h)] == ["Svar i tråden"]


async def test_removing_the_reaction_unmarks_the_message(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Midlertidig")
    await h.event(reaction(MEMBER, message))

    await h.event(unreaction(MEMBER, message))

    assert await takeaways(h) == []


async def test_duplicate_reactions_and_event_retries_never_double(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Kun én gang")

    await h.event(reaction(MEMBER, message), event_id="Ev0001")
    await h.event(reaction(MEMBER, message), event_id="Ev0001", retry=1)
    await h.event(reaction(MEMBER, message), event_id="Ev0002")

    assert len(await takeaways(h)) == 1


async def test_a_late_retry_of_the_added_event_does_not_bring_back_an_unmarked_message(
    h: Harness,
) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Væk igen")
    await h.event(reaction(MEMBER, message), event_id="EvAdd")
    await h.event(unreaction(MEMBER, message), event_id="EvRemove")

    await h.event(reaction(MEMBER, message), event_id="EvAdd", retry=2)

    assert await takeaways(h) == []


async def test_a_message_the_bot_cannot_read_is_explained_not_crashed(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Hemmelig")
    h.slack.fail("conversations.history", error="not_in_channel")

    await h.event(reaction(MEMBER, message))

    assert await takeaways(h) == []
    assert "couldn't read that message" in h.last_whisper(MEMBER)


async def test_other_emoji_are_ignored(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Tommel op")

    await h.event(reaction(MEMBER, message, "thumbsup"))

    assert await takeaways(h) == []
    assert h.slack.calls_to("conversations.history") == []


async def test_coordinator_chooses_another_emoji(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Med hus-emoji")

    await h.command("takeaway emoji :hus:")
    await h.event(reaction(MEMBER, message, "house"))
    await h.event(reaction(MEMBER, message, "hus::skin-tone-2"))

    [saved] = await takeaways(h)
    assert saved.text == "Med hus-emoji"
    assert ":hus:" in h.last_post().text


async def test_only_coordinators_choose_the_emoji_and_bad_names_are_refused(h: Harness) -> None:
    await h.command("takeaway emoji :hus:", user=MEMBER)
    assert "Only the cluster's coordinators" in h.last_whisper(MEMBER)

    await h.command("takeaway emoji to ord")
    assert "/klynge takeaway emoji :house:" in h.last_whisper()

    cluster = await cluster_of(h)
    async with h.db.session() as session:
        assert (await store.get_settings(session, cluster_id=cluster.id or 0)).emoji == "house"


async def test_reacting_to_the_bots_own_post_is_not_saved(h: Harness) -> None:
    await h.event(reaction(MEMBER, h.last_post()))

    assert await takeaways(h) == []
    assert "not my own posts" in h.last_whisper(MEMBER)


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


# --- end of meeting, follow-up, reminder ----------------------------------------------------------


async def end_meeting(h: Harness, meeting: Meeting) -> None:
    """What ``/klynge end`` does: mark the meeting ended, then call the meeting_ended hook."""
    async with h.db.session() as session:
        stored = await session.get(Meeting, meeting.id)
        assert stored is not None
        stored.status = ENDED
        stored.ended_at = h.clock()
        session.add(stored)
    cluster = await cluster_of(h)
    await h.deps.hooks.run(h.deps.hooks.meeting_ended, h.deps, cluster, stored)
    await h.settle()


async def test_meeting_end_posts_closing_round_button_and_summary(h: Harness) -> None:
    day = (h.clock() + timedelta(days=2)).astimezone(ZoneInfo("Europe/Copenhagen")).date()
    await h.command(f"meeting add {day:%Y-%m-%d} 16:00 Dagens møde")
    h.clock.set(datetime.combine(day, time(16, 0), ZoneInfo("Europe/Copenhagen")))
    await h.command("start")
    await h.command("takeaway Dagens læring", user=MEMBER)

    await h.command("end")

    closing, summary, minutes = h.posts()[-3:]
    assert f"<@{MEMBER}>: Dagens læring" in summary.text
    assert "Decision minutes — Dagens møde" in minutes.text
    assert "What did you take with you" in str(closing.blocks)
    await h.click(closing, "takeaway_open", user=OTHER)
    assert [b.get("block_id") for b in opened_view(h)["blocks"][1:4]] == ["take", "use", "work"]


async def test_follow_up_round_trip_into_the_next_meetings_reminder(h: Harness) -> None:
    meeting = await add_meeting(h, title="Forløbsprogram for KOL")
    await h.command("takeaway Spirometri til alle rygere", user=MEMBER)
    await h.command("takeaway Inhalationsteknik ved hver kontrol", user=MEMBER)
    await h.command("takeaway Revidere medicinlisten", user=OTHER)
    await end_meeting(h, meeting)

    h.clock.advance(timedelta(days=27))
    await h.run_jobs()
    assert not [m for m in h.slack.messages if m.channel.startswith("D")]
    h.clock.advance(timedelta(days=1, minutes=1))
    await h.run_jobs()

    dm = h.slack.channel_messages(f"D{MEMBER}")
    assert len(dm) == 1
    assert "Did you implement" in dm[0].text
    assert "Spirometri til alle rygere" in "\n".join(section_texts(dm))
    [first, second] = [
        block for block in dm[0].blocks if str(block.get("block_id", "")).startswith("followup:")
    ]
    await h.click(dm[0], "takeaway_followup:done", user=MEMBER, value=first["elements"][0]["value"])
    await h.click(
        dm[0], "takeaway_followup:progress", user=MEMBER, value=second["elements"][1]["value"]
    )
    [other_dm] = h.slack.channel_messages(f"D{OTHER}")
    await h.click(other_dm, "takeaway_followup:irrelevant", user=OTHER)

    assert "Your answer: *Done*" in str(h.slack.channel_messages(f"D{MEMBER}")[0].blocks)
    next_meeting = await add_meeting(
        h, status=PLANNED, title="Næste møde", started=-timedelta(days=7)
    )
    cluster = await cluster_of(h)
    blocks = await h.deps.hooks.blocks(h.deps.hooks.reminder_blocks, h.deps, cluster, next_meeting)
    text = "\n".join(block["text"]["text"] for block in blocks)
    assert "Forløbsprogram for KOL" in text
    assert "1 done" in text
    assert "1 in progress" in text
    assert "1 not relevant" in text
    assert "0 not answered yet" in text


async def test_follow_up_is_sent_once_even_if_the_job_runs_again(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.command("takeaway Kun én DM", user=MEMBER)
    await end_meeting(h, meeting)
    h.clock.advance(timedelta(days=29))
    await h.run_jobs()

    assert meeting.id is not None
    await h.deps.scheduler.schedule(
        kind="takeaway_followup",
        key="again",
        due_at=h.clock(),
        payload={"meeting_id": meeting.id},
    )
    await h.run_jobs()

    assert len(h.slack.channel_messages(f"D{MEMBER}")) == 1


async def test_a_failed_follow_up_dm_is_retried_without_asking_anyone_twice(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.command("takeaway Første forfatter", user=MEMBER)
    await h.command("takeaway Anden forfatter", user=OTHER)
    await end_meeting(h, meeting)
    h.clock.advance(timedelta(days=29))
    h.slack.fail("chat.postMessage", error="internal_error", channel=MEMBER)  # asked first

    await h.run_jobs()
    assert h.slack.channel_messages(f"D{MEMBER}") == []
    assert len(h.slack.channel_messages(f"D{OTHER}")) == 1
    h.clock.advance(timedelta(minutes=5))
    await h.run_jobs()

    assert len(h.slack.channel_messages(f"D{MEMBER}")) == 1
    assert len(h.slack.channel_messages(f"D{OTHER}")) == 1


async def test_an_author_who_left_slack_does_not_block_the_follow_up(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.command("takeaway Forladt", user=MEMBER)
    await h.command("takeaway Stadig her", user=OTHER)
    await end_meeting(h, meeting)
    h.clock.advance(timedelta(days=29))
    h.slack.fail("chat.postMessage", error="channel_not_found", channel=MEMBER)

    await h.run_jobs()

    assert len(h.slack.channel_messages(f"D{OTHER}")) == 1
    async with h.db.session() as session:  # the question is not retried
        assert (await session.exec(select(Job).where(Job.kind == "takeaway_followup"))).all() == []


async def test_only_the_author_answers_the_follow_up(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.command("takeaway Mit svar", user=MEMBER)
    await end_meeting(h, meeting)
    h.clock.advance(timedelta(days=29))
    await h.run_jobs()
    [dm] = h.slack.channel_messages(f"D{MEMBER}")

    await h.click(dm, "takeaway_followup:done", user=OTHER)

    assert (await takeaways(h))[0].followup_answer is None
    assert "only its author" in h.last_whisper(OTHER)


async def test_follow_up_delay_is_a_cluster_setting(h: Harness) -> None:
    await h.command("takeaway followup 2w")
    meeting = await add_meeting(h)
    await h.command("takeaway Hurtig opfølgning", user=MEMBER)
    await end_meeting(h, meeting)

    async with h.db.session() as session:
        job = (await session.exec(select(Job).where(Job.kind == "takeaway_followup"))).one()
    assert job.due_at - (h.clock()) == timedelta(days=14)
    assert "14 days" in h.posts()[1].text


async def test_changing_the_delay_moves_follow_ups_not_sent_yet(h: Harness) -> None:
    meeting = await add_meeting(h)
    await h.command("takeaway Flyttes", user=MEMBER)
    await end_meeting(h, meeting)

    await h.command("takeaway followup 1w")
    h.clock.advance(timedelta(days=7, minutes=1))
    await h.run_jobs()

    assert len(h.slack.channel_messages(f"D{MEMBER}")) == 1


async def test_takeaway_starting_with_the_word_list_is_saved_not_listed(h: Harness) -> None:
    await h.command("takeaway list patienter til årskontrol", user=MEMBER)

    assert [t.text for t in await takeaways(h)] == ["list patienter til årskontrol"]


@pytest.mark.parametrize("words", ["", "0w", "-3d", "99999999w", "soon", "4 måneder"])
async def test_bad_follow_up_delays_are_refused_and_nothing_changes(h: Harness, words: str) -> None:
    await h.command(f"takeaway followup {words}")

    assert "/klynge takeaway followup 4w" in h.last_whisper()
    cluster = await cluster_of(h)
    async with h.db.session() as session:
        settings = await store.get_settings(session, cluster_id=cluster.id or 0)
    assert settings.followup_days == 28


async def test_reminder_without_a_previous_meeting_adds_nothing(h: Harness) -> None:
    planned = await add_meeting(h, status=PLANNED, started=-timedelta(days=3))
    cluster = await cluster_of(h)

    blocks = await h.deps.hooks.blocks(h.deps.hooks.reminder_blocks, h.deps, cluster, planned)

    assert blocks == []


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


# --- Danish --------------------------------------------------------------------------------------


async def test_danish_cluster_gets_danish_confirmation(harness: Harness) -> None:
    await harness.setup_cluster("--language da")

    await harness.command("takeaway Hej", user=MEMBER)

    assert "Din pointe er gemt" in harness.last_whisper(MEMBER)
