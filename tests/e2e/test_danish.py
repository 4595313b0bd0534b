"""Danish first: the Danish command words work in every cluster, dates and times as Danes write
them, suggestions by meaning, and help in the cluster's own words — through the fake Slack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from storage.jobs import Job
from storage.meetings import CANCELLED, PLANNED, Meeting
from storage.polls import Poll
from tests.harness import COORDINATOR, MEMBER, Harness

# Sunday 22 November 2026, 13:00 in Copenhagen.
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
DEC_3_16H = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


async def _ready(h: Harness, extra: str = "") -> None:
    h.clock.set(NOW)
    await h.setup_cluster(extra)


async def _meetings(h: Harness) -> list[Meeting]:
    async with h.db.session() as session:
        return list((await session.exec(select(Meeting).order_by(col(Meeting.id)))).all())


def _help_text(h: Harness, user: str) -> str:
    answer = h.slack.ephemerals_for(user)[-1]
    return "\n".join(block["text"]["text"] for block in answer.blocks)


# --- the words the product brief promises, in every cluster -------------------------------------


@pytest.mark.parametrize("language", ["en", "da"])
async def test_the_promised_danish_words_work_in_every_cluster(
    database_url: str, language: str
) -> None:
    async with Harness(database_url, language=language) as h:
        await _ready(h)

        await h.command("hjælp", user=MEMBER)
        assert "/klynge" in h.last_whisper(MEMBER)

        await h.command("møde tilføj 3. december kl. 16 Julemøde")
        [meeting] = await _meetings(h)
        assert (meeting.title, meeting.starts_at) == ("Julemøde", DEC_3_16H)

        await h.command("møde liste", user=MEMBER)
        assert "Julemøde" in h.last_whisper(MEMBER)
        await h.command(f"møde vis {meeting.id}", user=MEMBER)
        assert "Julemøde" in h.last_whisper(MEMBER)

        await h.command('afstemning "Næste emne?" "KOL" "Demens"', user=MEMBER)
        assert "Næste emne?" in h.last_post().text

        h.clock.set(DEC_3_16H)
        await h.command("start")
        await h.command("grupper 3")
        assert any("<@" in post.text for post in h.posts()[-2:])
        await h.command("slut")
        async with h.db.session() as session:
            ended = await session.get(Meeting, meeting.id)
        assert ended is not None
        assert ended.status == "ended"

        await h.command(f"fremmøde {meeting.id}")
        assert h.slack.files, "the attendance register was sent"


@pytest.mark.parametrize("word", ["slut", "afslut", "end"])
async def test_slut_and_afslut_end_the_meeting(harness: Harness, word: str) -> None:
    await _ready(harness)
    await harness.command("møde tilføj 3/12 16.00 Klyngemøde")
    harness.clock.set(DEC_3_16H)
    await harness.command("start")

    await harness.command(word)

    [meeting] = await _meetings(harness)
    assert meeting.status == "ended"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("mode tilfoj 3/12 16.00 Uden æøå", "æ ø å typed as plain letters"),
        ("MØDE TILFØJ 3/12 16.00 Store bogstaver", "capitals"),
        ("møde planlæg 3/12 16.00 Synonym", "an alias"),
    ],
)
async def test_danish_words_are_found_however_they_are_typed(
    harness: Harness, typed: str, words: str
) -> None:
    await _ready(harness)

    await harness.command(typed)

    assert len(await _meetings(harness)) == 1, words


# --- options in Danish --------------------------------------------------------------------------


async def test_danish_options_plan_length_reminders_and_a_series(harness: Harness) -> None:
    await _ready(harness)

    await harness.command(
        "møde tilføj 3/12 16.00 Klyngemøde --varighed 90m --påmind 1u,1t "
        "--gentag hver 4. uge --antal 3"
    )

    meetings = await _meetings(harness)
    assert [m.starts_at for m in meetings] == [DEC_3_16H + timedelta(weeks=4 * i) for i in range(3)]
    assert {m.duration_minutes for m in meetings} == {90}
    async with harness.db.session() as session:
        keys = {job.key for job in (await session.exec(select(Job))).all()}
    assert f"reminder:{meetings[0].id}:7d" in keys
    assert f"reminder:{meetings[0].id}:1h" in keys


async def test_a_time_range_sets_the_meetings_length_and_its_calendar_file(
    harness: Harness,
) -> None:
    await _ready(harness)

    await harness.command("møde tilføj torsdag den 3. december 16.00-17.30 Kort møde")

    [meeting] = await _meetings(harness)
    assert (meeting.starts_at, meeting.duration_minutes) == (DEC_3_16H, 90)
    ics = next(iter(harness.slack.files.values()))
    assert b"DTEND:20261203T163000Z" in ics.content


async def test_a_danish_poll_with_danish_options(harness: Harness) -> None:
    await _ready(harness)

    await harness.command(
        'afstemning "Næste emne?" "KOL" "Demens" "Søvn" --flere 2 --anonym --lukker 3. dec. kl. 16',
        user=MEMBER,
    )

    async with harness.db.session() as session:
        [poll] = (await session.exec(select(Poll))).all()
    assert (poll.max_choices, poll.anonymous, poll.closes_at) == (2, True, DEC_3_16H)

    await harness.command("afstemning luk", user=MEMBER)

    async with harness.db.session() as session:
        closed = await session.get(Poll, poll.id)
    assert closed is not None
    assert closed.status == "closed"


async def test_the_poll_form_asks_for_the_closing_time_as_danes_write_it(
    harness: Harness,
) -> None:
    await _ready(harness, "--language da")

    await harness.command("afstemning", user=MEMBER)
    view = harness.slack.calls_to("views.open")[-1].args["view"]
    [closes] = [block for block in view["blocks"] if block.get("block_id") == "closes"]
    assert closes["label"]["text"] == "Lukker"
    assert "»3. dec. kl. 12«" in closes["hint"]["text"]
    assert "ÅÅÅÅ" not in str(view)

    await harness.submit(
        view,
        {
            "question": {"value": {"type": "plain_text_input", "value": "Næste emne?"}},
            "options": {"value": {"type": "plain_text_input", "value": "KOL\nDemens"}},
            "kind": {"value": {"type": "radio_buttons", "selected_option": {"value": "single"}}},
            "closes": {"value": {"type": "plain_text_input", "value": "3. dec. kl. 16"}},
        },
        user=MEMBER,
    )

    async with harness.db.session() as session:
        [poll] = (await session.exec(select(Poll))).all()
    assert poll.closes_at == DEC_3_16H


async def test_an_unknown_babyklynge_is_answered_with_the_names_in_danish_quotes(
    harness: Harness,
) -> None:
    await _ready(harness, "--language da")
    await harness.command(f"babyklynge opret Nord <@{MEMBER}>")

    await harness.command('afstemning "Emne?" "A" "B" --babyklynge Øst', user=MEMBER)

    answer = harness.last_whisper(MEMBER)
    assert "Der er ingen babyklynge, der hedder »Øst«. Babyklynger her: »Nord«." in answer
    assert "“" not in answer


async def test_an_unknown_danish_option_is_answered_in_danish_with_the_danish_names(
    database_url: str,
) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)

        await h.command("møde tilføj 3/12 16.00 Titel --farve rød")

        answer = h.last_whisper()
        assert "`--farve`" in answer
        assert "`--påmind`" in answer
        assert "`--remind`" not in answer
        assert await _meetings(h) == []


# --- dates as Danes write them ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "3. december kl. 16",
        "3. dec. kl. 16.00",
        "3/12-2026 16.00",
        "3/12-26 16",
        "3.12 kl. 16",
        "torsdag den 3. december kl. 16",
        "Dec 3 4pm",
        "December 3rd 2026 at 4:00 pm",
    ],
)
async def test_meeting_add_reads_dates_as_people_write_them(harness: Harness, typed: str) -> None:
    await _ready(harness)

    await harness.command(f"meeting add {typed} Klyngemøde om KOL")

    [meeting] = await _meetings(harness)
    assert (meeting.starts_at, meeting.title) == (DEC_3_16H, "Klyngemøde om KOL")


async def test_a_relative_date_is_confirmed_in_words_so_a_slip_shows(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)

        await h.command("møde tilføj næste torsdag kl. 16 Klyngemøde")

        answer = h.last_whisper()
        # Sunday 22 November: next week's Thursday is 26 November.
        assert "»næste torsdag kl. 16« læste jeg som torsdag den 26. november 2026 kl. 16.00" in (
            answer
        )


async def test_i_morgen_and_tomorrow(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("møde tilføj i morgen kl. 9.30 Morgenmøde")
    await harness.command("meeting add tomorrow 10:30 Morning meeting")

    starts = [m.starts_at for m in await _meetings(harness)]
    assert starts == [
        datetime(2026, 11, 23, 8, 30, tzinfo=UTC),
        datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    ]
    assert "I read “tomorrow 10:30” as Monday 23 November 2026 at 10:30" in harness.last_whisper()


async def test_a_past_date_is_refused_with_the_date_read_in_words(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)

        await h.command("møde tilføj 21/11-2026 kl. 16 For sent")

        answer = h.last_whisper()
        assert "lørdag den 21. november 2026 kl. 16.00 er allerede forbi" in answer
        assert "/klynge møde tilføj [dato] [tid]" in answer  # the right form, in Danish
        assert await _meetings(h) == []


async def test_a_misspelt_month_blames_that_word(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)

        await h.command("møde tilføj 3. decembr kl. 16 Julemøde")

        assert "»decembr« er ikke en måned" in h.last_whisper()
        assert await _meetings(h) == []


async def test_meeting_move_reads_danish_dates_and_a_range(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("møde tilføj 3/12 16.00 Klyngemøde")
    [meeting] = await _meetings(harness)

    await harness.command(f"møde flyt {meeting.id} 10. december kl. 15-16.30")

    [moved] = await _meetings(harness)
    assert moved.starts_at == datetime(2026, 12, 10, 14, 0, tzinfo=UTC)
    assert moved.duration_minutes == 90


# --- suggestions by meaning, never a destructive one by spelling -------------------------------


async def test_stop_suggests_end_and_runs_nothing(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)

        await h.command("stop")

        answer = h.last_whisper()
        assert "Mente du `/klynge slut`?" in answer
        assert "opret" not in answer


async def test_removing_a_meeting_suggests_cancel_and_cancels_nothing(harness: Harness) -> None:
    await _ready(harness)
    await harness.command("meeting add 3/12 16:00 Klyngemøde")
    [meeting] = await _meetings(harness)

    await harness.command(f"meeting remove {meeting.id}")

    assert f"Did you mean `/klynge meeting cancel {meeting.id}`?" in harness.last_whisper()
    assert "meeting move" not in harness.last_whisper()
    [still] = await _meetings(harness)
    assert still.status == PLANNED
    await harness.command(f"møde slet {meeting.id}")
    assert f"`/klynge meeting cancel {meeting.id}`" in harness.last_whisper()
    [still] = await _meetings(harness)
    assert still.status != CANCELLED


@pytest.mark.parametrize("typed", ["stp", "remov", "cancl 3", "delet", "setp"])
async def test_a_misspelt_word_never_suggests_a_destructive_command(
    harness: Harness, typed: str
) -> None:
    await _ready(harness)

    await harness.command(typed)

    answer = harness.last_whisper()
    for destructive in ("cancel", "remove", "delete", "`/klynge end", "poll close", "setup"):
        assert destructive not in answer.split("I don't know")[1].split("`/klynge help")[0]


async def test_a_known_group_with_an_unknown_word_lists_the_group(database_url: str) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)

        await h.command("møde frobniker")

        answer = h.last_whisper()
        assert "Efter `/klynge møde` kan der stå:" in answer
        assert "`tilføj`" in answer
        assert "`aflys`" in answer


# --- help in the cluster's words ---------------------------------------------------------------


async def test_danish_help_is_a_menu_and_a_topic_shows_the_danish_commands(
    database_url: str,
) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)

        await h.command("hjælp", user=MEMBER)
        menu = _help_text(h, MEMBER)
        assert "`/klynge hjælp møde`" in menu
        assert "/klynge møde tilføj" not in menu

        await h.command("hjælp møde", user=MEMBER)
        topic = _help_text(h, MEMBER)
        for words in ("møde tilføj", "møde liste", "møde vis", "møde flyt", "møde aflys", "slut"):
            assert f"/klynge {words}" in topic
        assert "/klynge meeting" not in topic
        assert "3. december kl. 16" in topic  # how to write a date

        await h.command("hjælp møde tilføj", user=MEMBER)
        assert _help_text(h, MEMBER).startswith("• `/klynge møde tilføj [dato] [tid]")


async def test_english_help_shows_english_commands(harness: Harness) -> None:
    await _ready(harness)

    await harness.command("help facilitator", user=MEMBER)

    text = _help_text(harness, MEMBER)
    assert "/klynge facilitator list" in text
    assert "tovholder" not in text


async def test_a_coordinator_only_refusal_names_the_command_in_the_clusters_words(
    database_url: str,
) -> None:
    async with Harness(database_url, language="da") as h:
        await _ready(h)

        await h.command("meeting add 3/12 16.00 Titel", user=MEMBER)

        assert "`/klynge møde tilføj`" in h.last_whisper(MEMBER)
        assert f"<@{COORDINATOR}>" in h.last_whisper(MEMBER)
