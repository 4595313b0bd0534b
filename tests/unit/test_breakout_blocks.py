"""The breakout post, conveners, sub-cluster groups and Zoom's CSV, without Slack."""

from __future__ import annotations

import csv
import io
import re

import pytest

from bot.blocks import MESSAGE_TEXT_BUDGET, text_length
from bot.fakeslack.rules import block_errors
from handlers.breakouts import blocks as kit
from handlers.breakouts.zoom import HEADER, pre_assignment_csv, usable_email

MENTION = re.compile(r"<@([A-Z0-9]+)>")


def _people(count: int) -> list[str]:
    return [f"U{number:07d}" for number in range(count)]


def test_post_has_one_section_per_group_in_the_contract_form() -> None:
    groups = [["UA", "UB", "UC"], ["UD", "UE"]]

    [(text, blocks)] = kit.round_messages("en", intro="Intro", groups=groups)

    assert [b["text"]["text"] for b in blocks] == [
        "Intro",
        "Group 1: <@UA>, <@UB>, <@UC>",
        "Group 2: <@UD>, <@UE>",
    ]
    assert text == "Intro\nGroup 1: <@UA>, <@UB>, <@UC>\nGroup 2: <@UD>, <@UE>"


def test_sub_cluster_names_are_escaped_after_the_line() -> None:
    [(_, blocks)] = kit.round_messages(
        "da", intro="i", groups=[["UA", "UB"]], labels=["<Nord> & Syd"]
    )

    assert blocks[1]["text"]["text"] == "Gruppe 1: <@UA>, <@UB> (&lt;Nord&gt; &amp; Syd)"


@pytest.mark.parametrize(("people", "size"), [(1000, 2), (1000, 1000), (300, 3), (98, 2)])
def test_very_many_or_very_large_groups_stay_within_slacks_limits(people: int, size: int) -> None:
    ids = _people(people)
    groups = [ids[start : start + size] for start in range(0, people, size)]

    messages = kit.round_messages("en", intro="Intro", groups=groups)

    for text, blocks in messages:
        assert block_errors(blocks) == []
        assert text_length(blocks) <= MESSAGE_TEXT_BUDGET
        assert len(text) < 4000
    shown = "\n".join(b["text"]["text"] for _, blocks in messages for b in blocks)
    assert MENTION.findall(shown) == ids  # everyone named once, in order, no mention cut
    assert messages[0][1][0]["text"]["text"] == "Intro"


def test_thread_note_names_the_group_and_its_convener() -> None:
    note = kit.thread_note("en", 3, ["UA", "UB"])

    assert note.startswith("*Group 3* — <@UA>, <@UB>")
    assert "<@UA> convenes" in note


def test_convener_is_who_convened_least_and_comes_first() -> None:
    groups = [["UC", "UA", "UB"], ["UD", "UE"]]

    ordered = kit.with_conveners(groups, {"UA": 2, "UB": 1, "UC": 1, "UD": 0}, round_number=0)

    assert ordered == [["UB", "UA", "UC"], ["UD", "UE"]]


def test_ties_between_conveners_rotate_with_the_round() -> None:
    chosen = {kit.with_conveners([["UA", "UB", "UC"]], {}, round_number=r)[0][0] for r in range(3)}

    assert chosen == {"UA", "UB", "UC"}


def test_sub_cluster_groups_take_in_everyone_present() -> None:
    subclusters = [("Nord", ["U1", "U2", "U3", "U9"]), ("Syd", ["U4", "U5"]), ("Øst", ["U6"])]
    present = ["U1", "U2", "U3", "U4", "U5", "U6", "U7"]

    groups = kit.groups_from_subclusters(subclusters, present)

    assert [name for name, _ in groups] == ["Nord", "Syd"]
    assert groups[0][1][:3] == ["U1", "U2", "U3"]
    assert groups[1][1][:2] == ["U4", "U5"]
    # U6 sits alone in Øst and U7 is in no sub-cluster: both join the smallest group first.
    assert sorted(p for _, members in groups for p in members) == sorted(present)
    assert sorted(len(members) for _, members in groups) == [3, 4]


def test_no_sub_cluster_groups_without_two_present_members() -> None:
    assert kit.groups_from_subclusters([("Nord", ["U1"]), ("Syd", ["U2"])], ["U1", "U2"]) == []
    assert kit.groups_from_subclusters([], ["U1", "U2"]) == []


def test_zoom_csv_has_zooms_header_and_one_row_per_person() -> None:
    rooms = [("Group 1", ["UA", "UB"]), ("Group 2", ["UC"])]
    emails = {"UA": "a@klinik.dk", "UB": None, "UC": " c@klinik.dk "}

    content, missing = pre_assignment_csv(rooms, emails)

    assert content == (
        "Pre-assign Room Name,Email Address\r\nGroup 1,a@klinik.dk\r\nGroup 2,c@klinik.dk\r\n"
    )
    assert missing == ["UB"]
    assert tuple(next(csv.reader(io.StringIO(content)))) == HEADER


@pytest.mark.parametrize(
    "value", [None, "", "  ", "no-at-sign", "a@b.dk,c@d.dk", 'x"@y.dk', "a b@c.dk", 42]
)
def test_unusable_emails_are_refused(value: object) -> None:
    assert usable_email(value) is None


def test_room_names_with_commas_are_quoted() -> None:
    content, _ = pre_assignment_csv([("Gruppe 1, Nord", ["UA"])], {"UA": "a@b.dk"})

    assert list(csv.reader(io.StringIO(content)))[1] == ["Gruppe 1, Nord", "a@b.dk"]
