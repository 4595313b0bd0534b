"""Babyklynger in charge, end to end: in sub-cluster rotation the babyklynge whose turn it is
gets one message together (a group DM), runs the meeting and chooses its topic (a poll for
itself or the whole cluster, or set straight away), takes its own notes, can ask another
babyklynge to swap, and sees its duty on the Home tab."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from bot.fakeslack.model import Message
from handlers.facilitators import duty_blocks as kit
from storage.breakouts import Subcluster
from storage.meetings import Meeting
from storage.polls import Poll
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, Harness

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)  # Monday 2 November 2026
NORD = DOCTORS[1:4]
SYD = DOCTORS[4:7]


@pytest.fixture
async def h(harness: Harness) -> Harness:
    """A cluster with babyklynger Nord and Syd taking turns, and two meetings a month apart
    (the first in four and a half weeks: its message goes out on the day four weeks before)."""
    harness.clock.set(NOW)
    await harness.setup_cluster()
    await harness.command("subcluster create Nord " + " ".join(f"<@{u}>" for u in NORD))
    await harness.command("subcluster create Syd " + " ".join(f"<@{u}>" for u in SYD))
    await harness.command("facilitator mode subclusters")
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")
    await harness.command("meeting add 2027-01-07 16:00 KOL")
    return harness


async def _meetings(h: Harness) -> list[Meeting]:
    async with h.db.session() as session:
        return list((await session.exec(select(Meeting).order_by(col(Meeting.starts_at)))).all())


async def _group_id(h: Harness, name: str) -> int:
    async with h.db.session() as session:
        group = (await session.exec(select(Subcluster).where(Subcluster.name == name))).one()
    return group.id or 0


def _group_messages(h: Harness, users: list[str]) -> list[Message]:
    return h.slack.channel_messages(h.slack.group_dm(users))


def _opened_view(h: Harness) -> dict[str, Any]:
    view = h.slack.calls_to("views.open")[-1].args["view"]
    assert isinstance(view, dict)
    return view


async def _duty_message(h: Harness) -> Message:
    """Run the jobs due four weeks before the first meeting; Nord's one message."""
    h.clock.set(datetime(2026, 11, 5, 16, 0, tzinfo=UTC))
    await h.run_jobs()
    [message] = _group_messages(h, NORD)
    return message


async def test_the_babyklynge_in_charge_gets_one_message_together_four_weeks_ahead(
    h: Harness,
) -> None:
    first, second = await _meetings(h)
    assert first.facilitator_subcluster_id == await _group_id(h, "Nord")
    assert second.facilitator_subcluster_id == await _group_id(h, "Syd")

    message = await _duty_message(h)

    text = "\n".join(b["text"]["text"] for b in message.blocks if b.get("type") == "section")
    assert "*Nord*" in text
    assert all(f"<@{user}>" in text for user in NORD)
    assert "in charge of *Diabetes*" in text
    assert "choose its topic" in text
    assert ":zap:" in text  # an energiser to use
    buttons = {
        e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]
    }
    assert buttons == {kit.POLL_GROUP, kit.POLL_ALL, kit.SET_TOPIC, kit.ASK_SWAP}
    for user in DOCTORS:  # one message together, not one each
        assert h.slack.channel_messages("D" + user) == []
    assert _group_messages(h, SYD) == []  # Syd's meeting is more than four weeks away


async def test_the_note_taker_comes_from_the_babyklynge_in_charge(h: Harness) -> None:
    first, second = await _meetings(h)

    assert first.note_taker_id in NORD
    assert second.note_taker_id in SYD


async def test_the_babyklynge_sets_the_topic_and_the_channel_and_message_show_it(
    h: Harness,
) -> None:
    message = await _duty_message(h)
    await h.click(message, kit.SET_TOPIC, user=NORD[0])
    view = _opened_view(h)
    assert view["callback_id"] == kit.TOPIC_VIEW

    await h.submit(
        view, {kit.TOPIC_FIELD: {"value": {"value": "  Diabetes & <nyrer>  "}}}, user=NORD[0]
    )

    first, _ = await _meetings(h)
    assert first.topic == "Diabetes & <nyrer>"
    post = h.last_post().text
    assert post.startswith(":dart: Babyklynge *Nord* has chosen the topic of *Diabetes*")
    assert "“Diabetes &amp; &lt;nyrer&gt;”" in post
    updated = h.slack.message(message.channel, message.ts)
    assert "*Topic:* Diabetes &amp; &lt;nyrer&gt;" in str(updated.blocks)


async def test_an_empty_topic_or_a_cpr_number_is_a_field_error_and_others_cannot_use_the_buttons(
    h: Harness,
) -> None:
    message = await _duty_message(h)
    await h.click(message, kit.SET_TOPIC, user=NORD[1])
    view = _opened_view(h)

    reply = await h.submit(view, {kit.TOPIC_FIELD: {"value": {"value": "   "}}}, user=NORD[1])
    assert reply.json()["errors"] == {kit.TOPIC_FIELD: "Write the topic."}
    cpr = {kit.TOPIC_FIELD: {"value": {"value": "Patienten 010190-1234"}}}
    reply = await h.submit(view, cpr, user=NORD[1])
    assert "CPR number" in reply.json()["errors"][kit.TOPIC_FIELD]
    opened = len(h.slack.calls_to("views.open"))
    await h.click(message, kit.SET_TOPIC, user=SYD[0])

    assert len(h.slack.calls_to("views.open")) == opened
    assert "Only the members of the babyklynge in charge" in h.last_whisper(SYD[0])
    assert (await _meetings(h))[0].topic is None


async def test_a_topic_poll_for_the_babyklynge_only_lets_its_members_vote(h: Harness) -> None:
    message = await _duty_message(h)
    await h.click(message, kit.POLL_GROUP, user=NORD[2])
    view = _opened_view(h)
    assert "Only babyklynge *Nord* votes" in str(view["blocks"])
    question = next(b for b in view["blocks"] if b.get("block_id") == "question")
    assert question["element"]["initial_value"] == "Which topic for Diabetes?"

    await h.submit(
        view,
        {
            "question": {"value": {"value": "Which topic for Diabetes?"}},
            "options": {"value": {"value": "Nyrer\nFødder"}},
            "kind": {"value": {"selected_option": {"value": "single"}}},
        },
        user=NORD[2],
    )

    async with h.db.session() as session:
        [poll] = (await session.exec(select(Poll))).all()
    assert poll.subcluster_id == await _group_id(h, "Nord")
    assert poll.channel_id == CHANNEL


async def test_a_topic_poll_for_the_whole_cluster(h: Harness) -> None:
    message = await _duty_message(h)

    await h.click(message, kit.POLL_ALL, user=NORD[0])

    view = _opened_view(h)
    assert json.loads(view["private_metadata"]) == {"channel": CHANNEL}


async def test_another_babyklynge_accepts_a_swap_and_the_plan_changes(h: Harness) -> None:
    message = await _duty_message(h)
    await h.click(message, kit.ASK_SWAP, user=NORD[0])
    view = _opened_view(h)
    syd_key = f"sc:{await _group_id(h, 'Syd')}"

    await h.submit(
        view, {kit.GROUP_FIELD: {"value": {"selected_option": {"value": syd_key}}}}, user=NORD[0]
    )

    assert "asked *Syd* to swap" in _group_messages(h, NORD)[-1].text
    [question] = _group_messages(h, SYD)
    assert "Do you agree?" in question.text
    await h.click(question, "facilitator_swap_accept", user=SYD[2])
    first, second = await _meetings(h)
    assert first.facilitator_subcluster_id == await _group_id(h, "Syd")
    assert second.facilitator_subcluster_id == await _group_id(h, "Nord")
    assert first.note_taker_id in SYD
    assert (
        "*Syd* and *Nord* have swapped turns" in h.slack.message(question.channel, question.ts).text
    )


async def test_a_declined_swap_changes_nothing_and_only_the_asked_babyklynge_answers(
    h: Harness,
) -> None:
    await h.command(f"facilitator swap <@{NORD[0]}> <@{SYD[0]}>", user=NORD[0])
    assert "I asked *Syd* to confirm" in h.last_whisper(NORD[0])
    [question] = _group_messages(h, SYD)

    await h.click(question, "facilitator_swap_accept", user=NORD[1])
    assert "Only *Syd* can answer" in h.last_whisper(NORD[1])
    await h.click(question, "facilitator_swap_decline", user=SYD[1])

    first, _ = await _meetings(h)
    assert first.facilitator_subcluster_id == await _group_id(h, "Nord")
    assert f"<@{SYD[1]}> declined the swap" in h.dms(NORD[0])[-1]


async def test_two_people_of_one_babyklynge_have_nothing_to_swap(h: Harness) -> None:
    await h.command(f"facilitator swap <@{NORD[0]}> <@{NORD[1]}>", user=NORD[0])

    assert "are in the same babyklynge" in h.last_whisper(NORD[0])


async def test_the_home_tab_of_its_members_shows_the_duty(h: Harness) -> None:
    await h.event({"type": "app_home_opened", "user": NORD[0], "tab": "home", "channel": "D1"})
    await h.event({"type": "app_home_opened", "user": SYD[0], "tab": "home", "channel": "D1"})

    nord = str(h.slack.home_views[NORD[0]]["blocks"])
    syd = str(h.slack.home_views[SYD[0]]["blocks"])
    assert "your babyklynge *Nord* runs this meeting and chooses its topic" in nord
    assert "your babyklynge *Syd* runs this meeting" in syd
    assert nord.index("Diabetes") < nord.index("your babyklynge *Nord*") < nord.index("KOL")


async def test_a_babyklynge_too_big_for_a_group_dm_is_told_in_the_channel(
    harness: Harness,
) -> None:
    harness.clock.set(NOW)
    await harness.setup_cluster()
    await harness.command("subcluster create Alle " + " ".join(f"<@{u}>" for u in DOCTORS[:9]))
    await harness.command("facilitator mode subclusters")
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")

    harness.clock.set(datetime(2026, 11, 5, 16, 0, tzinfo=UTC))
    await harness.run_jobs()

    post = harness.last_post()
    assert all(f"<@{user}>" in post.text for user in DOCTORS[:9])
    assert "in charge of *Diabetes*" in str(post.blocks)


async def test_a_danish_babyklynge_gets_its_message_in_danish(harness: Harness) -> None:
    harness.clock.set(NOW)
    await harness.setup_cluster("--language da")
    await harness.command("subcluster create Nord " + " ".join(f"<@{u}>" for u in NORD))
    await harness.command("facilitator mode subclusters")
    await harness.command("meeting add 2026-12-03 16:00 Diabetes")

    harness.clock.set(datetime(2026, 11, 5, 16, 0, tzinfo=UTC) + timedelta(minutes=1))
    await harness.run_jobs()

    [message] = _group_messages(harness, NORD)
    text = str(message.blocks)
    assert "jeres babyklynge er tovholder for *Diabetes*" in text
    assert "referent" in text
    assert "Sæt emnet" in text
    assert COORDINATOR not in NORD
