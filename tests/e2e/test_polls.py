"""Topic polls end to end: signed commands and clicks against the fake Slack, on both databases."""

from __future__ import annotations

import asyncio
import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.fakeslack.model import Message
from storage.breakouts import Subcluster, SubclusterMember
from storage.clusters import Cluster
from storage.jobs import Job
from storage.meetings import RUNNING, Meeting
from storage.polls import Poll, PollOption
from storage.votes import PollBallot, PollVote
from tests.harness import COORDINATOR, DOCTORS, MEMBER, Harness

CPH = ZoneInfo("Europe/Copenhagen")
_COUNT = re.compile(r"^\*(\d+)\. (.*)\*  `(\d+) ")


# --- helpers --------------------------------------------------------------------------------------


def poll_message(h: Harness) -> Message:
    """The newest poll message in the channel (as it is now, after any updates)."""
    return h.find_post(lambda m: any("poll:" in str(b.get("block_id")) for b in m.blocks))


def shown_counts(message: Message) -> dict[str, int]:
    """Option text -> the count shown in the poll message."""
    found = {}
    for block in message.blocks:
        if block.get("type") == "section":
            match = _COUNT.match(block["text"]["text"])
            if match:
                found[match[2]] = int(match[3])
    return found


def section_text(message: Message, option: str) -> str:
    for block in message.blocks:
        if block.get("type") == "section" and f". {option}*" in block["text"]["text"]:
            return str(block["text"]["text"])
    raise AssertionError(f"no section for {option}")


def buttons(message: Message) -> list[dict[str, Any]]:
    """The buttons of a message: each option's beside it (the accessory), then the others."""
    accessories = [block["accessory"] for block in message.blocks if "accessory" in block]
    return accessories + [
        element
        for block in message.blocks
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def result_count(text: str, option: str) -> str:
    """The first number after ``option``'s text on its own line of a results post."""
    for line in text.splitlines():
        if f". {option}:" in line:
            after = line.split(f". {option}:", 1)[1]
            match = re.search(r"\d+(?:\.\d+)?", after)
            assert match, line
            return match[0]
    raise AssertionError(f"{option} has no line in {text!r}")


async def make_poll(h: Harness, text: str, *, user: str = COORDINATOR) -> Message:
    await h.command(f"poll {text}", user=user)
    return poll_message(h)


async def flush(h: Harness) -> None:
    """Let the coalesced message refreshes that are waiting run (the clock moves 2 s)."""
    h.clock.advance(timedelta(seconds=2))
    await h.run_jobs()


async def vote(h: Harness, message: Message, position: int, user: str) -> None:
    await h.click(message, f"poll_vote:{position}", user=user)


async def rows(h: Harness, model: Any) -> list[Any]:
    async with h.db.session() as session:
        return list((await session.exec(select(model))).all())


async def add_subclusters(h: Harness, groups: dict[str, list[str]]) -> None:
    async with h.db.session() as session:
        cluster_id = 1
        for name, members in groups.items():
            subcluster = Subcluster(cluster_id=cluster_id, name=name)
            session.add(subcluster)
            await session.flush()
            for user in members:
                session.add(
                    SubclusterMember(
                        cluster_id=cluster_id, user_id=user, subcluster_id=subcluster.id or 0
                    )
                )


# --- creation -------------------------------------------------------------------------------------


async def test_poll_command_posts_one_button_per_option(harness: Harness) -> None:
    await harness.setup_cluster()

    message = await make_poll(harness, '"Next topic?" "Diabetes" "COPD" "Dementia"', user=MEMBER)

    labels = [b["text"]["text"] for b in buttons(message)]
    assert len(labels) == 3
    for option, label in zip(["Diabetes", "COPD", "Dementia"], labels, strict=True):
        assert option in label
    assert "Next topic?" in message.blocks[0]["text"]["text"]
    assert shown_counts(message) == {"Diabetes": 0, "COPD": 0, "Dementia": 0}
    assert "poll #1" in harness.last_whisper(MEMBER).lower()


async def test_question_and_options_with_markup_characters_are_escaped_once(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    # Slack sends the command with &, < and > as entities; the bot reads them once.
    message = await make_poll(
        harness, '"HbA1c < 53 & BT > 140?" "Under <53" "53 & over" "<b>ikke fed</b>"', user=MEMBER
    )

    [poll] = await rows(harness, Poll)
    assert poll.question == "HbA1c < 53 & BT > 140?"
    assert sorted(option.text for option in await rows(harness, PollOption)) == [
        "53 & over",
        "<b>ikke fed</b>",
        "Under <53",
    ]
    assert "*HbA1c &lt; 53 &amp; BT &gt; 140?*" in message.blocks[0]["text"]["text"]
    assert set(shown_counts(message)) == {
        "Under &lt;53",
        "53 &amp; over",
        "&lt;b&gt;ikke fed&lt;/b&gt;",
    }
    assert [b["text"]["text"] for b in buttons(message)][1].endswith("53 & over")  # plain text

    await vote(harness, message, 2, DOCTORS[3])
    await flush(harness)
    assert shown_counts(message)["53 &amp; over"] == 1  # the message shows it; no whisper
    await harness.command("poll close", user=MEMBER)

    results = harness.last_post().text
    assert "HbA1c &lt; 53 &amp; BT &gt; 140?" in results
    assert result_count(results, "53 &amp; over") == "1"
    assert result_count(results, "Under &lt;53") == "0"
    for shown in (results, message.text, str(message.blocks)):
        assert "&amp;amp;" not in shown
        assert "&amp;lt;" not in shown


async def test_curly_quotes_work_like_straight_quotes(harness: Harness) -> None:
    await harness.setup_cluster()

    message = await make_poll(harness, "“Næste emne?” “Hjertesvigt ❤️” ‘KOL’")

    assert set(shown_counts(message)) == {"Hjertesvigt ❤️", "KOL"}


async def test_long_options_are_shortened_on_buttons_and_shown_in_full(harness: Harness) -> None:
    await harness.setup_cluster()
    long_option = "Opfølgning på " + "medicingennemgang for ældre patienter " * 4

    message = await make_poll(harness, f'"Topic?" "{long_option.strip()}" "Short"')

    label = buttons(message)[0]["text"]["text"]
    assert len(label) <= 75
    assert label.startswith("1. Opfølgning på")
    assert long_option.strip() in section_text(message, long_option.strip())


async def test_twenty_options_each_have_their_button_beside_them(harness: Harness) -> None:
    await harness.setup_cluster()
    options = " ".join(f'"Option {n}"' for n in range(1, 21))

    message = await make_poll(harness, f'"Which?" {options}')

    assert [b for b in message.blocks if b["type"] == "actions"] == []
    assert [b["text"]["text"] for b in buttons(message)] == [
        f"{n}. Option {n}" for n in range(1, 21)
    ]
    assert len(message.blocks) <= 50


async def test_refused_option_lists_store_nothing(harness: Harness) -> None:
    await harness.setup_cluster()
    too_many = " ".join(f'"Option {n}"' for n in range(1, 22))
    cases = {
        '"Only one option?" "A"': "at least 2",
        f'"Too many?" {too_many}': "at most 20",
        '"Empty?" "A" ""': "empty",
        '"Twice?" "Pizza" " pizza "': "twice",
        "Lunch? Pizza Sushi": "quotes",
        '"' + "x" * 5000 + '" "A" "B"': "characters",
        '"Drop?" "A\'; DROP TABLE poll; --" "B" --multi -3': "--multi",
        '"Huge?" "A" "B" --multi 99999999999': "--multi",
    }
    for text, expected in cases.items():
        await harness.command(f"poll {text}", user=MEMBER)
        assert expected in harness.last_whisper(MEMBER), text

    assert await rows(harness, Poll) == []
    assert harness.posts()[1:] == []


async def test_closing_time_in_the_past_is_refused(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command('poll "Q?" "A" "B" --closes 2020-01-01 12:00', user=MEMBER)

    assert "already passed" in harness.last_whisper(MEMBER)
    assert await rows(harness, Poll) == []


async def test_poll_without_arguments_opens_a_modal_that_creates_it(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("poll", user=MEMBER)
    view = harness.slack.calls_to("views.open")[-1].args["view"]
    await harness.submit(
        view,
        {
            "question": {"value": {"type": "plain_text_input", "value": "Which topic?"}},
            "options": {"value": {"type": "plain_text_input", "value": "Diabetes\n\nCOPD\n"}},
            "kind": {"value": {"type": "radio_buttons", "selected_option": {"value": "single"}}},
            "max_choices": {"value": {"type": "plain_text_input", "value": None}},
            "settings": {
                "value": {"type": "checkboxes", "selected_options": [{"value": "anonymous"}]}
            },
            "closes": {"value": {"type": "plain_text_input", "value": None}},
        },
        user=MEMBER,
    )

    message = poll_message(harness)
    assert shown_counts(message) == {"Diabetes": 0, "COPD": 0}
    polls = await rows(harness, Poll)
    assert polls[0].anonymous
    assert polls[0].created_by == MEMBER


async def test_modal_with_one_option_answers_with_a_field_error(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command("poll", user=MEMBER)
    view = harness.slack.calls_to("views.open")[-1].args["view"]

    reply = await harness.submit(
        view,
        {
            "question": {"value": {"type": "plain_text_input", "value": "Which topic?"}},
            "options": {"value": {"type": "plain_text_input", "value": "Only this"}},
            "kind": {"value": {"type": "radio_buttons", "selected_option": {"value": "single"}}},
        },
        user=MEMBER,
    )

    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert "at least 2" in answer["errors"]["options"]
    assert await rows(harness, Poll) == []


# --- voting ---------------------------------------------------------------------------------------


async def test_single_choice_counts_moves_and_withdraws_votes(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "Diabetes" "COPD"')

    await vote(harness, message, 1, MEMBER)
    await vote(harness, message, 1, DOCTORS[2])
    await flush(harness)
    assert shown_counts(poll_message(harness)) == {"Diabetes": 2, "COPD": 0}
    assert f"<@{MEMBER}>" in section_text(poll_message(harness), "Diabetes")

    await vote(harness, message, 2, MEMBER)
    await vote(harness, message, 1, DOCTORS[2])
    await flush(harness)

    final = poll_message(harness)
    assert shown_counts(final) == {"Diabetes": 0, "COPD": 1}
    assert f"<@{MEMBER}>" in section_text(final, "COPD")
    assert f"<@{DOCTORS[2]}>" not in str(final.blocks)
    assert len(await rows(harness, PollVote)) == 1
    # A poll that shows names confirms a vote in the message itself, not privately.
    assert harness.whispers(MEMBER) == harness.whispers(DOCTORS[2]) == []


async def test_multi_choice_allows_n_choices_and_refuses_one_more(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topics?" "A" "B" "C" --multi 2')

    await vote(harness, message, 1, MEMBER)
    await vote(harness, message, 2, MEMBER)
    await vote(harness, message, 3, MEMBER)

    assert "at most 2" in harness.last_whisper(MEMBER)
    await flush(harness)
    assert shown_counts(poll_message(harness)) == {"A": 1, "B": 1, "C": 0}


async def test_anonymous_poll_stores_no_user_ids_and_shows_no_names(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" --anonymous')

    for user in DOCTORS[:4]:
        await vote(harness, message, 1, user)
    await flush(harness)

    stored = [repr(row) for row in await rows(harness, PollVote) + await rows(harness, PollBallot)]
    assert stored
    for user in DOCTORS:
        assert all(user not in row for row in stored)
    final = poll_message(harness)
    assert shown_counts(final)["A"] == 4
    assert "<@" not in str(final.blocks)


async def test_vote_on_closed_poll_is_refused_privately(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B"')
    await harness.command("poll close")

    await vote(harness, message, 1, MEMBER)

    assert "closed" in harness.last_whisper(MEMBER)
    assert await rows(harness, PollVote) == []


# --- closing and results --------------------------------------------------------------------------


async def test_close_posts_each_option_with_its_count_and_the_winner(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "Diabetes 2" "COPD"', user=MEMBER)
    for user in DOCTORS[:3]:
        await vote(harness, message, 1, user)
    await vote(harness, message, 2, DOCTORS[5])

    await harness.command("poll close", user=MEMBER)

    results = harness.last_post().text
    assert result_count(results, "Diabetes 2") == "3"
    assert result_count(results, "COPD") == "1"
    assert "Winner" in results
    await flush(harness)
    assert buttons(poll_message(harness)) == []


async def test_tie_is_shown_as_a_tie(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" "C"')
    await vote(harness, message, 1, DOCTORS[1])
    await vote(harness, message, 2, DOCTORS[2])

    await harness.command("poll close 1")

    results = harness.last_post().text
    assert "Tie" in results
    assert "*A*" in results
    assert "*B*" in results


async def test_only_creator_or_coordinator_may_close(harness: Harness) -> None:
    await harness.setup_cluster()
    await make_poll(harness, '"Topic?" "A" "B"', user=MEMBER)

    await harness.command("poll close", user=DOCTORS[3])
    assert "Only the poll's creator" in harness.last_whisper(DOCTORS[3])
    assert (await rows(harness, Poll))[0].status == "open"

    await harness.command("poll close 1")
    assert (await rows(harness, Poll))[0].status == "closed"


async def test_close_of_unknown_or_bad_id_is_refused(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("poll close 42")
    assert "no poll #42" in harness.last_whisper()
    await harness.command("poll close 1; DROP TABLE poll")
    assert "not a poll number" in harness.last_whisper()
    await harness.command("poll close")
    assert "no open poll" in harness.last_whisper()


async def test_winner_button_sets_topic_of_next_meeting_for_coordinators_only(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    async with harness.db.session() as session:
        session.add(
            Meeting(
                cluster_id=1,
                title="Spring meeting",
                starts_at=harness.clock() + timedelta(days=10),
                created_by=COORDINATOR,
            )
        )
    message = await make_poll(harness, '"Topic?" "Diabetes" "COPD"')
    await vote(harness, message, 2, MEMBER)
    await harness.command("poll close")
    results = harness.last_post()

    await harness.click(results, "poll_topic:0", user=MEMBER)
    assert "Only a coordinator" in harness.last_whisper(MEMBER)
    assert (await rows(harness, Meeting))[0].topic is None

    await harness.click(results, "poll_topic:0", user=COORDINATOR)
    assert (await rows(harness, Meeting))[0].topic == "COPD"
    assert "Spring meeting" in harness.last_post().text


# --- ranked ---------------------------------------------------------------------------------------


def _ranking(view: dict[str, Any], choices: list[int]) -> dict[str, Any]:
    """Modal values choosing option ids (as shown in the view) by place."""
    values: dict[str, Any] = {}
    options = next(b for b in view["blocks"] if b["type"] == "input")["element"]["options"]
    for place, position in enumerate(choices, start=1):
        values[f"rank_{place}"] = {
            "option": {
                "type": "static_select",
                "selected_option": options[position - 1],
            }
        }
    return values


async def rank(h: Harness, message: Message, user: str, choices: list[int]) -> Any:
    await h.click(message, "poll_rank", user=user)
    view = h.slack.calls_to("views.open")[-1].args["view"]
    return await h.submit(view, _ranking(view, choices), user=user)


async def test_ranked_poll_is_decided_by_instant_runoff_with_rounds(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" "C" --ranked')
    # First choices: A 2, B 2, C 1. C goes out; its voter's next choice B wins 3 to 2.
    await rank(harness, message, DOCTORS[1], [1, 2])
    await rank(harness, message, DOCTORS[2], [1])
    await rank(harness, message, DOCTORS[3], [2, 1])
    await rank(harness, message, DOCTORS[4], [2])
    await rank(harness, message, DOCTORS[5], [3, 2])

    await harness.command("poll close")

    results = harness.last_post().text
    assert "Winner:* *B*" in results
    assert "Round 1" in results
    assert "Round 2" in results
    assert result_count(results, "B") == "3"
    assert "out in round 1" in results.split(". C:")[1].splitlines()[0]


async def test_ranking_modal_refuses_the_same_option_twice(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" --ranked')

    reply = await rank(harness, message, MEMBER, [1, 1])

    assert reply.json()["response_action"] == "errors"
    assert "rank_2" in reply.json()["errors"]
    assert await rows(harness, PollVote) == []


# --- open polls -----------------------------------------------------------------------------------


async def test_members_may_add_an_option_to_an_open_poll(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" --open')

    await harness.click(message, "poll_add_option", user=MEMBER)
    view = harness.slack.calls_to("views.open")[-1].args["view"]
    duplicate = await harness.submit(
        view, {"option": {"value": {"type": "plain_text_input", "value": " a "}}}, user=MEMBER
    )
    assert duplicate.json()["response_action"] == "errors"
    await harness.submit(
        view,
        {"option": {"value": {"type": "plain_text_input", "value": "Søvn <script>"}}},
        user=MEMBER,
    )
    await flush(harness)

    updated = poll_message(harness)
    assert "Søvn &lt;script&gt;" in shown_counts(updated)
    assert len(buttons(updated)) == 4  # three options and "Add an option"


# --- deadlines and nudges -------------------------------------------------------------------------


async def test_deadline_closes_the_poll_once_and_posts_results(harness: Harness) -> None:
    harness.clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" --closes 2026-11-05 12:00')
    await vote(harness, message, 2, MEMBER)

    harness.clock.set(datetime(2026, 11, 5, 10, 59, tzinfo=UTC))
    await harness.run_jobs()
    assert (await rows(harness, Poll))[0].status == "open"
    harness.clock.set(datetime(2026, 11, 5, 11, 0, tzinfo=UTC))  # 12:00 in Copenhagen
    await harness.run_jobs()
    await harness.command("poll close 1")
    await harness.run_jobs()

    result_posts = [m for m in harness.posts() if "Results" in m.text]
    assert len(result_posts) == 1
    assert result_count(result_posts[0].text, "B") == "1"
    assert "already closed" in harness.last_whisper()


async def test_members_who_have_not_voted_get_a_direct_message_nudge_a_day_before(
    harness: Harness,
) -> None:
    harness.clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" --closes 2026-11-05 12:00 --anonymous')
    await vote(harness, message, 1, MEMBER)
    assert not any(harness.dms(user) for user in DOCTORS)

    harness.clock.set(datetime(2026, 11, 4, 11, 0, tzinfo=UTC))
    await harness.run_jobs()

    nudged = [user for user in DOCTORS if harness.dms(user)]
    assert set(nudged) == set(DOCTORS) - {MEMBER}
    assert all(len(harness.dms(user)) == 1 for user in nudged)
    assert "haven't voted" in harness.dms(DOCTORS[4])[0]
    assert "<#C0CLUSTER>" in harness.dms(DOCTORS[4])[0]  # which channel the poll is in


@pytest.mark.parametrize(
    ("language", "nudge"),
    [("en", "You haven't voted yet"), ("da", "Du har ikke stemt endnu")],
)
async def test_the_nudge_reaches_a_member_who_has_not_been_in_the_channel_since(
    harness: Harness, language: str, nudge: str
) -> None:
    harness.clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    await harness.command(f"setup --language {language}")
    await make_poll(harness, '"Topic?" "A" "B" --closes 2026-11-05 12:00')

    # A day before the deadline; nobody has looked at the channel for two days.
    harness.clock.set(datetime(2026, 11, 4, 11, 0, tzinfo=UTC))
    await harness.run_jobs()

    [dm] = harness.dms(MEMBER)
    assert nudge in dm
    assert "Topic?" in dm
    assert harness.slack.ephemerals_for(MEMBER, unseen=True) == []  # nothing sent unseen
    assert harness.slack.rate_limited == []


async def test_short_poll_nudges_halfway(harness: Harness) -> None:
    harness.clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    await harness.setup_cluster()
    await make_poll(harness, '"Topic?" "A" "B" --closes 2026-11-02 14:00')  # 13:00 UTC

    harness.clock.set(datetime(2026, 11, 2, 10, 59, tzinfo=UTC))
    await harness.run_jobs()
    assert harness.dms(MEMBER) == []
    harness.clock.set(datetime(2026, 11, 2, 11, 0, tzinfo=UTC))
    await harness.run_jobs()
    assert "haven't voted" in harness.dms(MEMBER)[-1]


# --- sub-clusters ---------------------------------------------------------------------------------


async def test_subcluster_poll_refuses_outsiders_privately(harness: Harness) -> None:
    await harness.setup_cluster()
    await add_subclusters(harness, {"Nord": DOCTORS[:4], "Syd": DOCTORS[4:8]})
    message = await make_poll(harness, '"Topic?" "A" "B" --subcluster nord')

    await vote(harness, message, 1, DOCTORS[5])
    assert "Only the sub-cluster *Nord*" in harness.last_whisper(DOCTORS[5])
    await vote(harness, message, 1, DOCTORS[1])

    votes = await rows(harness, PollVote)
    assert [v.voter for v in votes] == [DOCTORS[1]]


async def test_unknown_subcluster_is_refused_with_the_known_names(harness: Harness) -> None:
    await harness.setup_cluster()
    await add_subclusters(harness, {"Nord": DOCTORS[:4]})

    await harness.command('poll "Q?" "A" "B" --subcluster Øst', user=MEMBER)

    assert "Nord" in harness.last_whisper(MEMBER)
    assert await rows(harness, Poll) == []


async def test_by_subcluster_counts_each_subcluster_as_one_vote(harness: Harness) -> None:
    await harness.setup_cluster()
    await add_subclusters(harness, {"Nord": DOCTORS[:4], "Syd": DOCTORS[4:6], "Vest": DOCTORS[6:8]})
    message = await make_poll(harness, '"Topic?" "A" "B" --by-subcluster')
    for user in DOCTORS[:4]:  # Nord: 4 votes for A
        await vote(harness, message, 1, user)
    for user in DOCTORS[4:8]:  # Syd and Vest: 2 votes each for B
        await vote(harness, message, 2, user)
    await vote(harness, message, 1, DOCTORS[10])  # in no sub-cluster
    assert "not in a sub-cluster" in harness.last_whisper(DOCTORS[10])

    await harness.command("poll close")

    results = harness.last_post().text
    assert "*Nord*" in results
    assert "*Syd*" in results
    assert "*Vest*" in results
    overall = results.split("Overall")[1]
    assert result_count(overall, "A") == "1"
    assert result_count(overall, "B") == "2"
    assert "Winner:* *B*" in results


# --- minutes hook ---------------------------------------------------------------------------------


async def test_minutes_hook_lists_results_of_polls_made_during_the_meeting(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    async with harness.db.session() as session:
        meeting = Meeting(
            cluster_id=1,
            title="Autumn",
            starts_at=harness.clock(),
            status=RUNNING,
            started_at=harness.clock(),
            created_by=COORDINATOR,
        )
        session.add(meeting)
    message = await make_poll(harness, '"Topic?" "Diabetes" "COPD"')
    await vote(harness, message, 1, MEMBER)
    await harness.command("poll close")

    deps = harness.deps
    async with harness.db.session() as session:
        cluster = await session.get(Cluster, 1)
        stored_meeting = await session.get(Meeting, meeting.id)
    lines = await deps.hooks.lines(deps.hooks.minutes_sections, deps, cluster, stored_meeting)

    assert any("Topic?" in line for line in lines)
    assert "- Diabetes: 1" in lines
    assert any("Chosen: Diabetes" in line for line in lines)


# --- under load -----------------------------------------------------------------------------------


async def test_45_simultaneous_clicks_on_two_replicas_are_counted_exactly_and_coalesced(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" "C"')
    harness.slack.clock = lambda: harness.clock().timestamp()
    harness.clock.advance(timedelta(seconds=5))
    async with harness.replica() as (replica, second):
        assert harness.driver is not None
        voters = harness.add_doctors(45)  # only the channel's members may click
        expected = {"A": 0, "B": 0, "C": 0}
        clicks = []
        for n, user in enumerate(voters):
            position = n % 3 + 1
            expected["ABC"[position - 1]] += 1
            driver = harness.driver if n % 2 else second
            clicks.append(driver.click(message, f"poll_vote:{position}", user=user))
        replies = await asyncio.gather(*clicks)
        await harness.settle()
        await replica.settle()
        assert {reply.status for reply in replies} == {200}

        harness.clock.advance(timedelta(seconds=1))
        while await harness.run_jobs():
            harness.clock.advance(timedelta(seconds=1))

    async with harness.db.session() as session:
        counted = {
            option.text: len(
                (await session.exec(select(PollVote).where(PollVote.option_id == option.id))).all()
            )
            for option in (await session.exec(select(PollOption))).all()
        }
    assert counted == expected
    assert shown_counts(poll_message(harness)) == expected
    updates = [c.at for c in harness.slack.calls_to("chat.update") if c.args["ts"] == message.ts]
    assert updates
    assert all(later - earlier >= 1.0 for earlier, later in itertools.pairwise(updates))
    jobs = await rows(harness, Job)
    assert not [job for job in jobs if job.key.startswith("poll_refresh")]


async def test_one_voter_clicking_fast_keeps_a_single_vote(harness: Harness) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topic?" "A" "B" "C"')
    assert harness.driver is not None

    await asyncio.gather(
        *(harness.driver.click(message, f"poll_vote:{n % 3 + 1}", user=MEMBER) for n in range(10))
    )
    await harness.settle()

    votes = await rows(harness, PollVote)
    assert len(votes) <= 1
    ballots = await rows(harness, PollBallot)
    assert len(ballots) == len(votes)


async def test_multi_choice_limit_holds_when_one_voter_clicks_everything_at_once(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    message = await make_poll(harness, '"Topics?" "A" "B" "C" "D" --multi 2')
    assert harness.driver is not None

    await asyncio.gather(
        *(harness.driver.click(message, f"poll_vote:{n}", user=MEMBER) for n in (1, 2, 3, 4))
    )
    await harness.settle()

    assert len(await rows(harness, PollVote)) == 2


async def test_closing_time_may_be_quoted_and_needs_a_time(harness: Harness) -> None:
    harness.clock.set(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    await harness.setup_cluster()

    await harness.command('poll "Q?" "A" "B" --closes 2026-11-05', user=MEMBER)
    assert "After the date (Thursday 5 November 2026) comes the time" in harness.last_whisper(
        MEMBER
    )
    await harness.command('poll "Q?" "A" "B" --closes "5.11.2026 16.30"', user=MEMBER)

    polls = await rows(harness, Poll)
    assert len(polls) == 1
    assert polls[0].closes_at == datetime(2026, 11, 5, 15, 30, tzinfo=UTC)
    assert "closes" in harness.last_whisper(MEMBER)


async def test_poll_in_danish_cluster_speaks_danish(harness: Harness) -> None:
    await harness.command("setup --language da")

    message = await make_poll(harness, '"Emne?" "A" "B"', user=MEMBER)

    assert "Din afstemning nr. 1" in harness.last_whisper(MEMBER)
    assert "Vælg én mulighed" in str(message.blocks)
    assert "`0 stemmer`" in str(message.blocks)
