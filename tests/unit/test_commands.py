"""The /klynge text parser: quotes as people type them, mentions, flags; never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.commands import (
    ArgumentError,
    FlagKind,
    Token,
    mention_user_id,
    parse_arguments,
    tokenize,
)

POLL_FLAGS = {"multi": FlagKind.VALUE, "anonymous": FlagKind.SWITCH, "closes": FlagKind.VALUE}


def _texts(text: str) -> list[str]:
    return [token.text for token in tokenize(text)]


def test_straight_quotes_keep_words_together() -> None:
    assert _texts('poll "Which topic?" "Type 2 diabetes" KOL') == [
        "poll",
        "Which topic?",
        "Type 2 diabetes",
        "KOL",
    ]


def test_curly_quotes_from_a_mac_work_like_straight_ones() -> None:
    assert _texts("poll “Hvilket emne?” ‘Demens’ “KOL”") == [
        "poll",
        "Hvilket emne?",
        "Demens",
        "KOL",
    ]


def test_danish_low_high_quotes_work() -> None:
    assert _texts("poll „Næste emne?“ „Søvn“") == ["poll", "Næste emne?", "Søvn"]


def test_apostrophe_inside_a_word_is_not_a_quote() -> None:
    assert _texts("takeaway don't forget") == ["takeaway", "don't", "forget"]


def test_unclosed_quote_runs_to_the_end() -> None:
    assert _texts('poll "Which topic') == ["poll", "Which topic"]


def test_quoted_tokens_are_marked() -> None:
    assert tokenize('"--multi"') == [Token("--multi", quoted=True)]


def test_em_dash_from_autocorrect_is_read_as_double_dash() -> None:
    arguments = parse_arguments(tokenize("—anonymous –multi 2"), POLL_FLAGS)

    assert arguments.switch("anonymous")
    assert arguments.value("multi") == "2"


@pytest.mark.parametrize(
    ("token", "user"),
    [
        ("<@U012ABC>", "U012ABC"),
        ("<@U012ABC|anne>", "U012ABC"),
        ("<@W0123ABCD|anne.holm>", "W0123ABCD"),
        ("U012ABCDEF", "U012ABCDEF"),
        ("@anne", None),
        ("<#C012ABC|general>", None),
        ("", None),
    ],
)
def test_mentions_are_read_from_slack_escapes(token: str, user: str | None) -> None:
    assert mention_user_id(token) == user


def test_flags_with_values_and_switches_are_separated_from_words() -> None:
    arguments = parse_arguments(
        tokenize('"Q?" "A" "B" --multi 2 --anonymous --closes=2027-01-05'), POLL_FLAGS
    )

    assert arguments.words == ["Q?", "A", "B"]
    assert arguments.flags == {"multi": "2", "anonymous": True, "closes": "2027-01-05"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("--colour red", "--colour"),
        ("--multi", "needs a value"),
        ("--multi --anonymous", "needs a value"),
        ("--anonymous=yes", "takes no value"),
        ("--multi 2 --multi 3", "twice"),
    ],
)
def test_bad_flags_are_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(ArgumentError) as refused:
        parse_arguments(tokenize(text), POLL_FLAGS)

    assert message in refused.value.render("en")
    assert refused.value.render("da") != refused.value.render("en")


def test_command_without_flags_names_that_in_its_refusal() -> None:
    with pytest.raises(ArgumentError) as refused:
        parse_arguments(tokenize("--zoom x"), {})

    assert "takes no options" in refused.value.render("en")


@given(st.text(max_size=300))
def test_tokenize_never_crashes_and_never_yields_blank_unquoted_tokens(text: str) -> None:
    for token in tokenize(text):
        assert token.quoted or token.text.strip()


@given(st.text(alphabet=st.sampled_from(list(" \"“”„‘’'-—–=abc@<>|U12")), max_size=80))
def test_parse_arguments_only_ever_refuses_with_an_argument_error(text: str) -> None:
    try:
        arguments = parse_arguments(tokenize(text), POLL_FLAGS)
    except ArgumentError as error:
        messages = [error.render("en"), error.render("da")]
    else:
        assert set(arguments.flags) <= set(POLL_FLAGS)
        return
    assert all(messages)


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_characters="\"“”„‘’'«»"), min_size=1, max_size=20),
        max_size=8,
    )
)
def test_quoted_words_come_back_exactly(words: list[str]) -> None:
    text = " ".join(f'"{word}"' for word in words)

    assert _texts(text) == words
