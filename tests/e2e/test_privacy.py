"""No patient data: free text holding a CPR number is refused in every field, nothing is stored,
and the person is told why (never shown the number back). Other numbers doctors write pass."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import SQLModel, col, select

from bot.fakeslack.model import Message
from storage.breakouts import MemberClinic, Subcluster
from storage.meetings import Meeting
from storage.polls import Poll, PollOption
from storage.takeaways import Takeaway
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, Harness

CPR = "150372-1234"
REFUSED_EN = "seems to hold a CPR number"
REFUSED_DA = "Skriv ikke CPR-numre eller andre patientoplysninger i Slack"
OTHER = DOCTORS[2]


@pytest.fixture
async def h(harness: Harness) -> Harness:
    await harness.setup_cluster()
    return harness


async def rows(h: Harness, table: type[SQLModel]) -> list[Any]:
    async with h.db.session() as session:
        return list((await session.exec(select(table))).all())


def refused(text: str) -> bool:
    return REFUSED_EN in text and "150372" not in text


def opened_view(h: Harness) -> dict[str, Any]:
    calls = h.slack.calls_to("views.open")
    assert calls, "no modal was opened"
    view = calls[-1].args["view"]
    assert isinstance(view, dict)
    return view


def private_buttons(h: Harness, user: str) -> Message:
    for item in reversed(h.slack.ephemerals_for(user)):
        if any(block.get("type") == "actions" for block in item.blocks):
            return Message(channel=CHANNEL, ts="0.0", text=item.text, blocks=item.blocks)
    raise AssertionError(f"{user} got no private message with buttons")


async def running_meeting(h: Harness) -> None:
    await h.command("start --unplanned")


# --- take-home messages, decisions and instructions ----------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        f"takeaway Ring til pt. {CPR} om HbA1c",
        "takeaway Pt. 1503721234 skal have ny tid",
        "takeaway Pt. 150372 1234 skal have ny tid",
        f"decision Vi ringer til {CPR}",
        f"instruction Book {CPR} til kontrol",
    ],
)
async def test_commands_refuse_a_cpr_number_and_store_nothing(h: Harness, typed: str) -> None:
    await running_meeting(h)

    await h.command(typed, user=MEMBER)

    assert refused(h.last_whisper(MEMBER))
    assert await rows(h, Takeaway) == []


async def test_other_numbers_doctors_write_are_saved(h: Harness) -> None:
    text = "Ring 12345678 før 01-01-2027 kl. 16.00; mål HbA1c 53 mmol/mol, møde nr. 12"

    await h.command(f"takeaway {text}", user=MEMBER)

    [saved] = await rows(h, Takeaway)
    assert saved.text == text


async def test_closing_round_modal_marks_the_answer_with_a_cpr_number(h: Harness) -> None:
    await running_meeting(h)
    agenda = h.last_post()
    await h.click(agenda, "takeaway_open", user=MEMBER)

    reply = await h.submit(
        opened_view(h),
        {
            "take": {"text": {"value": "Struktur på årskontroller"}},
            "use": {"text": {"value": f"Som hos {CPR}"}},
        },
        user=MEMBER,
    )

    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["use"]
    assert refused(answer["errors"]["use"])
    assert await rows(h, Takeaway) == []  # not even the good answer: nothing half-saved


async def test_editing_a_take_home_to_hold_a_cpr_number_is_refused(h: Harness) -> None:
    await h.command("takeaway Ren tekst", user=MEMBER)
    await h.click(private_buttons(h, MEMBER), "takeaway_edit", user=MEMBER)

    reply = await h.submit(opened_view(h), {"text": {"text": {"value": CPR}}}, user=MEMBER)

    assert reply.json()["response_action"] == "errors"
    assert refused(reply.json()["errors"]["text"])
    assert [t.text for t in await rows(h, Takeaway)] == ["Ren tekst"]


async def test_message_shortcut_refuses_and_asks_to_remove_the_message(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, f"Husk {CPR} i morgen")

    await h.shortcut("save_takeaway", message, user=MEMBER)

    text = h.last_whisper(MEMBER)
    assert refused(text)
    assert "still in the channel" in text
    assert await rows(h, Takeaway) == []


async def test_emoji_reaction_refuses_and_asks_to_remove_the_message(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, f"Pt. {CPR} fik antibiotika")
    event = {
        "type": "reaction_added",
        "user": MEMBER,
        "reaction": "house",
        "item_user": OTHER,
        "item": {"type": "message", "channel": CHANNEL, "ts": message.ts},
    }

    await h.event(event)

    assert refused(h.last_whisper(MEMBER))
    assert await rows(h, Takeaway) == []


# --- meetings ------------------------------------------------------------------------------------


async def test_meeting_title_with_a_cpr_number_plans_nothing(h: Harness) -> None:
    posts = len(h.posts())

    await h.command(f"meeting add 2027-12-02 16:00 Sagen {CPR}")

    assert refused(h.last_whisper())
    assert await rows(h, Meeting) == []
    assert len(h.posts()) == posts


@pytest.mark.parametrize("field", ["title", "topic", "agenda", "prep", "emne", "dagsorden"])
async def test_meeting_set_refuses_a_cpr_number_in_any_text(h: Harness, field: str) -> None:
    await h.command("meeting add 2027-12-02 16:00 Diabetes")

    await h.command(f"meeting set 1 {field} 1. Velkomst\n2. Sagen om {CPR}")

    assert refused(h.last_whisper())
    [meeting] = await rows(h, Meeting)
    assert (meeting.title, meeting.topic, meeting.agenda, meeting.preparation) == (
        "Diabetes",
        None,
        None,
        None,
    )


async def test_home_new_meeting_modal_marks_a_title_with_a_cpr_number(h: Harness) -> None:
    await h.event({"type": "app_home_opened", "user": COORDINATOR, "tab": "home", "channel": "D1"})
    await h.click_in_view(h.slack.home_views[COORDINATOR], "home_new_meeting", user=COORDINATOR)
    view = list(h.slack.views.values())[-1]

    reply = await h.submit(
        view,
        {
            "date": {"value": {"type": "datepicker", "selected_date": "2027-12-02"}},
            "time": {"value": {"type": "timepicker", "selected_time": "16:00"}},
            "title": {"value": {"type": "plain_text_input", "value": f"Sagen {CPR}"}},
            "zoom": {"value": {"type": "plain_text_input", "value": None}},
        },
        user=COORDINATOR,
    )

    assert refused(reply.json()["errors"]["title"])
    assert await rows(h, Meeting) == []


# --- polls ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [f'poll "Hvad gør vi med {CPR}?" "A" "B"', f'poll "Hvad nu?" "Ring til {CPR}" "Vent"'],
)
async def test_poll_command_refuses_a_cpr_number_in_question_or_option(
    h: Harness, typed: str
) -> None:
    posts = len(h.posts())

    await h.command(typed)

    assert refused(h.last_whisper())
    assert await rows(h, Poll) == []
    assert len(h.posts()) == posts


async def test_poll_modal_marks_the_field_with_a_cpr_number(h: Harness) -> None:
    await h.command("poll", user=MEMBER)

    reply = await h.submit(
        opened_view(h),
        {
            "question": {"value": {"type": "plain_text_input", "value": "Hvilket emne?"}},
            "options": {"value": {"type": "plain_text_input", "value": f"KOL\n{CPR}\nDemens"}},
            "kind": {"value": {"type": "radio_buttons", "selected_option": {"value": "single"}}},
        },
        user=MEMBER,
    )

    assert refused(reply.json()["errors"]["options"])
    assert await rows(h, Poll) == []


async def test_an_added_option_with_a_cpr_number_is_refused(h: Harness) -> None:
    await h.command('poll "Emne?" "A" "B" --open')
    poll = h.find_post(lambda m: any("poll:" in str(b.get("block_id")) for b in m.blocks))
    await h.click(poll, "poll_add_option", user=MEMBER)

    reply = await h.submit(
        opened_view(h),
        {"option": {"value": {"type": "plain_text_input", "value": f"Sagen {CPR}"}}},
        user=MEMBER,
    )

    assert refused(reply.json()["errors"]["option"])
    async with h.db.session() as session:
        options = (await session.exec(select(PollOption).order_by(col(PollOption.id)))).all()
    assert [option.text for option in options] == ["A", "B"]


# --- names ---------------------------------------------------------------------------------------


async def test_sub_cluster_and_clinic_names_refuse_a_cpr_number(h: Harness) -> None:
    await h.command(f'subcluster create "Nord {CPR}" <@{DOCTORS[1]}>')
    assert refused(h.last_whisper())

    await h.command(f"clinic Lægehuset {CPR}", user=MEMBER)
    assert refused(h.last_whisper(MEMBER))

    assert await rows(h, Subcluster) == []
    assert await rows(h, MemberClinic) == []


# --- in Danish, and the prompts ------------------------------------------------------------------


async def test_the_refusal_is_danish_in_a_danish_cluster(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        await h.setup_cluster()

        await h.command(f"takeaway Ring til {CPR}", user=MEMBER)

        text = h.last_whisper(MEMBER)
        assert "ser ud til at indeholde et CPR-nummer" in text
        assert REFUSED_DA in text
        assert "150372" not in text
        assert await rows(h, Takeaway) == []


async def test_the_prompts_that_invite_cases_ask_for_no_patient_data(h: Harness) -> None:
    await running_meeting(h)
    agenda = str(h.last_post().blocks)
    await h.click(h.last_post(), "takeaway_open", user=MEMBER)
    await h.command("breakout 3")

    assert "patient-identifiable data" in agenda
    assert "patient-identifiable data" in str(opened_view(h)["blocks"])
    notes = [m.text for m in h.slack.channel_messages(CHANNEL) if m.thread_ts is not None]
    assert notes
    assert all("patient-identifiable data" in note for note in notes)


# --- a member's own data --------------------------------------------------------------------------


async def test_my_data_sends_the_member_everything_stored_about_them(h: Harness) -> None:
    await h.command("clinic Lægehuset Nord", user=MEMBER)
    await h.command(f"subcluster create Nord <@{MEMBER}>")
    await h.command("takeaway Ring diabetespatienter op & book kontrol", user=MEMBER)
    await h.command("takeaway Noget fra en anden", user=OTHER)

    await h.command("my data", user=MEMBER)

    assert "direct message" in h.last_whisper(MEMBER)
    [summary] = [m for m in h.slack.channel_messages(f"D{MEMBER}") if "stores about you" in m.text]
    text = summary.text + str(summary.blocks)
    assert "klynge-nord" in text
    assert "your clinic: Lægehuset Nord" in text
    assert "your sub-cluster: Nord" in text
    assert "you wrote: 1" in text
    [export] = [f for f in h.slack.files.values() if f.channel == f"D{MEMBER}"]
    data = json.loads(export.content.decode())
    assert data["slack_user_id"] == MEMBER
    [cluster] = data["clusters"]
    assert cluster["clinic"] == "Lægehuset Nord"
    assert [t["text"] for t in cluster["texts"]] == ["Ring diabetespatienter op & book kontrol"]
    assert "Noget fra en anden" not in export.content.decode()


async def test_mine_data_in_danish(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        await h.setup_cluster()

        await h.command("mine data", user=MEMBER)

        assert "direkte besked" in h.last_whisper(MEMBER)
        texts = [m.text for m in h.slack.channel_messages(f"D{MEMBER}")]
        assert any("Det gemmer klyngebot om dig" in text for text in texts)
