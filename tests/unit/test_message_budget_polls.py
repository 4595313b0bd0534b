"""Poll messages and results keep within Slack's budget however many long options and voters."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.mrkdwn import escape
from handlers.polls import blocks as polls
from handlers.polls import results
from handlers.polls.breakdown import breakdown
from handlers.polls.tally import instant_runoff, plurality
from tests.unit.message_budget_helpers import (
    CPH,
    SLACK_IDS,
    START,
    accepted,
    long_text,
    sections,
)

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
