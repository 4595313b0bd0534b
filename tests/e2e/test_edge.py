"""Input hardened at the edge: the signature before anything is read, control characters out of
every text, numbers in ASCII digits, flag values refused in plain words, no channel-wide pings
from a member's text, clicks only from the cluster's members, unknown buttons acknowledged."""

from __future__ import annotations

import asyncio
import copy
import logging
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.fakeslack.model import Message
from storage.meetings import Meeting
from storage.polls import Poll
from storage.takeaways import Takeaway
from storage.votes import PollVote
from tests.e2e.polls_helpers import ranking
from tests.e2e.test_modal_faults import poll_form, poll_values
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, Harness

OUTSIDER = "U0OUTSIDE"


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert not [record for record in caplog.records if record.exc_info]


# --- the signature first ------------------------------------------------------------------------

GARBAGE = {
    "binary": b"\xff\xfe\x00\x01garbage",
    "broken payload": b"payload=%7Bnot+json",
    "empty": b"",
    "json": b'{"type": "event_callback"}',
}


@pytest.mark.parametrize("body", GARBAGE.values(), ids=GARBAGE.keys())
async def test_unsigned_garbage_gets_401_and_one_log_line(
    harness: Harness, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    assert harness.bot is not None
    assert harness._session is not None

    with caplog.at_level(logging.INFO):
        async with harness._session.post(
            harness.bot.url + "/slack/events",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ) as response:
            status, text = response.status, await response.text()

    assert status == 401
    assert "Traceback" not in text
    assert len(text) < 100
    mine = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(mine) == 1
    assert "signature" in mine[0].getMessage()
    no_tracebacks(caplog)
    assert harness.slack.calls == []


async def test_signed_but_unreadable_body_gets_400_without_a_traceback(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    assert harness.driver is not None

    with caplog.at_level(logging.INFO):
        reply = await harness.driver.post(
            "payload=%7Bnot+json", content_type="application/x-www-form-urlencoded"
        )

    assert reply.status == 400
    no_tracebacks(caplog)


async def test_a_signature_with_a_timestamp_that_is_no_number_gets_401(harness: Harness) -> None:
    assert harness.driver is not None

    reply = await harness.driver.command(
        "help", user=COORDINATOR, headers={"X-Slack-Request-Timestamp": "yesterday"}
    )

    assert reply.status == 401


# --- control characters -------------------------------------------------------------------------


async def test_nul_and_control_characters_never_reach_the_database_or_a_message(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.setup_cluster()
    day = (harness.clock() + timedelta(days=9)).date()

    with caplog.at_level(logging.WARNING):
        await harness.command(f"meeting add {day:%Y-%m-%d} 16:00 Dia\x00betes\x1b[31m")
        await harness.command("takeaway Spiro\x00metri\x07 til alle", user=MEMBER)
        await harness.command('poll "Em\x00ne?" "A\x00" "B\x08"', user=MEMBER)

    async with harness.db.session() as session:
        titles = [m.title for m in (await session.exec(select(Meeting))).all()]
        texts = [t.text for t in (await session.exec(select(Takeaway))).all()]
        questions = [p.question for p in (await session.exec(select(Poll))).all()]
    assert titles == ["Diabetes[31m"]
    assert texts == ["Spirometri til alle"]
    assert questions == ["Emne?"]
    for message in harness.slack.messages:
        assert "\x00" not in message.text
    no_tracebacks(caplog)


async def test_a_modal_submission_with_nul_is_stored_without_it(harness: Harness) -> None:
    view = await poll_form(harness)

    await harness.submit(
        view,
        poll_values("Hvad\x00 nu?", "A\x00\nB"),
        user=MEMBER,
    )

    async with harness.db.session() as session:
        assert [p.question for p in (await session.exec(select(Poll))).all()] == ["Hvad nu?"]


# --- numbers and flags --------------------------------------------------------------------------

NOT_ASCII_NUMBERS = ["poll close ²", "poll close ٣", "meeting show ①", "summary ²", "year ２０２６"]


@pytest.mark.parametrize("text", NOT_ASCII_NUMBERS)
async def test_numbers_are_ascii_digits_only(
    harness: Harness, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    await harness.setup_cluster()

    with caplog.at_level(logging.WARNING):
        reply = await harness.command(text)

    assert reply.status == 200
    assert "/klynge" in harness.last_whisper() or "number" in harness.last_whisper()
    assert "something went wrong" not in harness.last_whisper()
    no_tracebacks(caplog)


async def test_poll_buttons_and_forms_with_superscript_numbers_are_refused_kindly(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.setup_cluster()
    await harness.command('poll "Emne?" "A" "B" --ranked --anonymous')
    message = harness.last_post()
    forged = copy.deepcopy(message)
    for block in forged.blocks:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("action_id") == "poll_rank":
                element["value"] = "²"

    with caplog.at_level(logging.WARNING):
        reply = await harness.click(forged, "poll_rank", user=MEMBER)
        assert reply.status == 200
        assert "can't find this poll" in harness.last_whisper(MEMBER)
        await harness.click(message, "poll_rank", user=MEMBER)
        view = harness.slack.calls_to("views.open")[-1].args["view"]
        values = ranking(view, [1])
        reply = await harness.submit({**view, "private_metadata": "²"}, values, user=MEMBER)
        assert reply.status == 200
        values["rank_²"] = values.pop("rank_1")
        reply = await harness.submit(view, values, user=MEMBER)
        assert reply.status == 200

    async with harness.db.session() as session:
        assert (await session.exec(select(PollVote))).all() == []
    no_tracebacks(caplog)


BAD_FLAGS = [
    'poll "Q" "A" "B" --closes',
    'poll "Q" "A" "B" --closes tomorrow',
    'poll "Q" "A" "B" --closes 2026-13-01 10:00',
    'poll "Q" "A" "B" --closes 2026-12-01 25:00',
    'poll "Q" "A" "B" --closes ² ³',
    'poll "Q" "A" "B" --closes 31.02.2027 10:00',
    'poll "Q" "A" "B" --closes 2027-03-28 02:30',
    'poll "Q" "A" "B" --multi ²',
    "meeting add 2027-01-05 16:00 T --remind ²d",
    "meeting add 2027-01-05 16:00 T --every ²w --count 2",
    "meeting add 2027-01-05 16:00 T --every 2w --count ²",
    "meeting add 2027-01-05 16:00 T --every 2w --until 2027-13-01",
    "setup --timezone " + "Europe/" + "x" * 300,
    "setup --timezone ../../etc/passwd",
]


@pytest.mark.parametrize("text", BAD_FLAGS)
async def test_every_malformed_flag_value_gets_a_clear_answer(
    harness: Harness, caplog: pytest.LogCaptureFixture, text: str
) -> None:
    await harness.setup_cluster()
    posts = len(harness.posts())

    with caplog.at_level(logging.WARNING):
        reply = await harness.command(text)

    assert reply.status == 200
    answer = harness.last_whisper()
    assert "something went wrong" not in answer
    assert "database" not in answer
    assert len(harness.posts()) == posts
    no_tracebacks(caplog)


# --- channel-wide mentions ----------------------------------------------------------------------

PINGS = "<!channel> <!here> <!everyone> <!subteam^S0DOCS>"


async def test_a_members_text_never_pings_the_channel_or_a_group(harness: Harness) -> None:
    await harness.setup_cluster()
    day = (harness.clock() + timedelta(days=9)).date()

    await harness.command(f"takeaway Husk {PINGS} og <@{COORDINATOR}>", user=MEMBER)
    await harness.command("summary")
    await harness.command(f'poll "Emne {PINGS}?" "A {PINGS}" "B"', user=MEMBER)
    await harness.command(f"meeting add {day:%Y-%m-%d} 16:00 Møde {PINGS}")

    sent = [m.text + mrkdwn(m.blocks) for m in harness.slack.messages]
    sent += [e.text + mrkdwn(e.blocks) for e in harness.slack.ephemerals]
    sent += [str(f.initial_comment) for f in harness.slack.files.values()]
    assert any("&lt;!channel&gt;" in text for text in sent)
    for text in sent:
        for ping in ("<!channel>", "<!here>", "<!everyone>", "<!subteam^"):
            assert ping not in text
    summary = next(m for m in harness.posts() if "Husk" in m.text)
    assert f"<@{COORDINATOR}>" in summary.text + mrkdwn(summary.blocks)


def mrkdwn(value: object) -> str:
    """Every mrkdwn text in ``value`` (blocks), where Slack would read a mention; plain_text
    (buttons, headers) never notifies anyone."""
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn":
            return str(value.get("text", "")) + " "
        return "".join(mrkdwn(item) for item in value.values())
    if isinstance(value, list):
        return "".join(mrkdwn(item) for item in value)
    return ""


# --- who may click ------------------------------------------------------------------------------


async def test_someone_outside_the_channel_is_refused_politely_and_nothing_changes(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    harness.slack.add_user(OUTSIDER, "Udefra")
    await harness.command('poll "Emne?" "A" "B"', user=MEMBER)
    poll = harness.last_post()

    reply = await harness.click(poll, "poll_vote:1", user=OUTSIDER)

    assert reply.status == 200
    assert "only its members can use it" in harness.last_whisper(OUTSIDER)
    async with harness.db.session() as session:
        assert (await session.exec(select(PollVote))).all() == []


async def test_an_unknown_button_is_acknowledged(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.setup_cluster()
    message = Message(
        channel=CHANNEL,
        ts="1700000000.000009",
        text="an old message",
        blocks=[
            {"type": "actions", "elements": [{"type": "button", "action_id": "retired:thing"}]}
        ],
    )

    with caplog.at_level(logging.INFO):
        reply = await harness.click(message, "retired:thing", user=MEMBER)

    assert reply.status == 200
    assert any("retired:thing" in record.getMessage() for record in caplog.records)
    no_tracebacks(caplog)


async def test_a_swap_accepted_twice_at_once_is_applied_once(harness: Harness) -> None:
    from tests.e2e.facilitators_helpers import _dm, _facilitators, _plan_meetings, _start

    a, c = DOCTORS[0], DOCTORS[2]
    await _start(harness, DOCTORS[:4])
    await _plan_meetings(harness, 6)
    await harness.command(f"facilitator swap <@{a}> <@{c}>", user=a)
    question = _dm(harness, c)
    assert harness.driver is not None

    replies = await asyncio.gather(
        harness.driver.click(question, "facilitator_swap_accept", user=c),
        harness.driver.click(question, "facilitator_swap_accept", user=c),
    )
    await harness.settle()

    assert {reply.status for reply in replies} == {200}
    assert (await _facilitators(harness))[:3] == [c, DOCTORS[1], a]
    swapped = [m for m in harness.posts() if "swapped turns" in m.text]
    assert len(swapped) == 1
