"""Creating topic polls end to end: the poll command and modal, refused input, markup, language."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.polls import Poll, PollOption
from tests.e2e.polls_helpers import (
    buttons,
    flush,
    make_poll,
    poll_message,
    result_count,
    rows,
    section_text,
    shown_counts,
    vote,
)
from tests.harness import DOCTORS, MEMBER, Harness

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
