"""Poll Block Kit: within Slack's limits whatever the options and voters."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.fakeslack.rules import block_errors
from handlers.polls import blocks as pb
from handlers.polls import modals as pm
from handlers.polls import results as pr
from handlers.polls.tally import instant_runoff, plurality


def _view(
    options: int = 3, *, voters: int = 0, kind: str = "single", **changes: object
) -> pb.PollView:
    values: dict[str, object] = {
        "id": 7,
        "question": "Which topic <b> & why?",
        "kind": kind,
        "max_choices": 1,
        "anonymous": False,
        "open_options": False,
        "closed": False,
        "options": tuple(
            pb.OptionView(
                id=n,
                position=n,
                text=f"Option {n} " + "long text " * 25,
                count=voters if n == 1 else 0,
                voters=tuple(f"U{v:08d}" for v in range(voters)) if n == 1 else (),
            )
            for n in range(1, options + 1)
        ),
        "ballots": voters,
    }
    values.update(changes)
    return pb.PollView(**values)  # type: ignore[arg-type]


def test_button_label_fits_75_characters_and_starts_with_the_option() -> None:
    label = pb.button_label(12, "Opfølgning " * 20)

    assert len(label) == 75
    assert label.startswith("12. Opfølgning")
    assert label.endswith("…")


def test_short_labels_are_kept_whole() -> None:
    assert pb.button_label(1, "KOL") == "1. KOL"


def test_twenty_long_options_and_2000_voters_stay_within_block_kit_limits() -> None:
    text, blocks = pb.poll_message(_view(20, voters=2000, open_options=True), "en")

    assert block_errors(blocks) == []
    options = [b for b in blocks if ":o" in b.get("block_id", "")]
    assert [b["accessory"]["action_id"] for b in options] == [
        f"poll_vote:{n}" for n in range(1, 21)
    ]
    assert [b["accessory"]["value"] for b in options] == [f"7:{n}" for n in range(1, 21)]
    assert not [b for b in blocks if b["type"] == "actions"]  # full: no add-option button
    assert "and 1960 more" in str(blocks)
    assert text


def test_each_option_shows_a_bar_and_its_share_with_its_vote_button_beside_it() -> None:
    view = _view(3, voters=0)
    view = pb.PollView(
        **{
            **view.__dict__,
            "options": (
                pb.OptionView(id=1, position=1, text="KOL", count=3),
                pb.OptionView(id=2, position=2, text="Demens", count=1),
                pb.OptionView(id=3, position=3, text="Søvn", count=0),
            ),
            "ballots": 4,
        }
    )

    _, blocks = pb.poll_message(view, "da")

    options = [b for b in blocks if ":o" in b.get("block_id", "")]
    texts = [b["text"]["text"] for b in options]
    assert texts[0].startswith("*1. KOL*  `3 stemmer`\n`▓▓▓▓▓▓▓▓░░` 75 %")
    assert texts[1].startswith("*2. Demens*  `1 stemme`\n`▓▓▓░░░░░░░` 25 %")
    assert texts[2].startswith("*3. Søvn*  `0 stemmer`\n`░░░░░░░░░░` 0 %")
    assert [b["accessory"]["text"]["text"] for b in options] == ["1. KOL", "2. Demens", "3. Søvn"]
    assert "75%" in str(pb.poll_message(view, "en")[1])
    assert block_errors(blocks) == []


def test_a_multi_choice_bar_is_the_share_of_voters_who_chose_it() -> None:
    assert pb.share_bar(3, 4, "en") == "`▓▓▓▓▓▓▓▓░░` 75%"
    assert pb.share_bar(0, 0, "da") == "`░░░░░░░░░░` 0 %"
    view = _view(3, voters=4, max_choices=2)
    assert pb.share_whole(view) == 4


def test_user_text_is_escaped() -> None:
    _, blocks = pb.poll_message(_view(2), "en")

    assert "&lt;b&gt; &amp; why?" in blocks[0]["text"]["text"]


def test_anonymous_poll_message_names_nobody() -> None:
    view = _view(2, voters=3, anonymous=True)

    _, blocks = pb.poll_message(view, "en")

    assert "<@" not in str(blocks)


def test_closed_poll_has_no_buttons() -> None:
    _, blocks = pb.poll_message(_view(3, closed=True), "en")

    assert not [b for b in blocks if b["type"] == "actions"]
    assert not [b for b in blocks if "accessory" in b]


def test_ranked_poll_has_one_rank_button_instead_of_option_buttons() -> None:
    _, blocks = pb.poll_message(_view(3, kind="ranked"), "da")

    elements = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert [e["action_id"] for e in elements] == [pb.RANK_ACTION]
    assert not [b for b in blocks if "accessory" in b]
    assert "førstevalg" in str(blocks)


def test_closing_time_is_shown_in_the_cluster_language() -> None:
    closes = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)

    _, blocks = pb.poll_message(_view(2, closes_at_local=closes), "da")

    assert "torsdag den 3. december 2026 kl. 16.00" in str(blocks)


def test_results_put_the_count_first_after_each_option_text() -> None:
    view = _view(3)
    result = plurality([1, 2, 3], [[1], [1], [2]])

    text, blocks = pr.results_message(view, result, "en")

    lines = text.splitlines()
    assert any(
        line.startswith("1. Option 1") and ": *2* votes `▓▓▓▓▓▓▓░░░` 67%" in line for line in lines
    )
    assert any(": *0* votes `░░░░░░░░░░` 0%" in line for line in lines)
    assert block_errors(blocks) == []
    assert blocks[-1]["elements"][0]["value"] == "7:1"


def test_results_of_a_tie_offer_one_topic_button_per_tied_option() -> None:
    result = plurality([1, 2, 3], [[1], [2]])

    text, blocks = pr.results_message(_view(3), result, "en")

    assert "*Tie* between" in text
    assert [e["value"] for e in blocks[-1]["elements"]] == ["7:1", "7:2"]


def test_runoff_results_show_rounds_and_when_options_went_out() -> None:
    result = instant_runoff([1, 2, 3], [[1, 2], [1], [2, 1], [2], [3, 2]])

    text, _ = pr.results_message(_view(3), result, "en")

    assert "Round 1:" in text
    assert "Round 2:" in text
    assert "(out in round 1)" in text


def test_rank_modal_prefills_the_earlier_ranking_and_fits_a_modal() -> None:
    view = _view(20)

    modal = pm.rank_modal(7, view.question, view.options, [3, 1], "en")

    selects = [b for b in modal["blocks"] if b["type"] == "input"]
    assert len(selects) == 20
    assert selects[0]["element"]["initial_option"]["value"] == "3"
    assert selects[1]["element"]["initial_option"]["value"] == "1"
    assert "initial_option" not in selects[2]["element"]
    assert not selects[0]["optional"]
    assert selects[1]["optional"]
    assert all(len(o["text"]["text"]) <= 75 for o in selects[0]["element"]["options"])
    assert len(modal["title"]["text"]) <= 24


def test_modal_titles_fit_24_characters_in_both_languages() -> None:
    for language in ("en", "da"):
        for modal in (
            pm.create_modal("C1", language),
            pm.add_option_modal(1, "Q", language),
            pm.rank_modal(1, "Q", [], [], language),
        ):
            assert len(modal["title"]["text"]) <= 24
            assert len(modal["submit"]["text"]) <= 24
