"""The attendance registers (CSV) and the Home line. Pure."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from handlers.attendance import rules, sheets

PEOPLE = sheets.people(
    ["U3", "U1", "U2"],
    names={"U1": "Åse Ærø", "U2": "bo Jensen", "U3": "Anne Holm"},
    clinics={"U2": "Lægerne i Ølstykke"},
)


def read(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_people_are_sorted_by_name_as_people_read() -> None:
    assert [person.user_id for person in PEOPLE] == ["U3", "U2", "U1"]


def test_meeting_register_in_danish() -> None:
    rows = read(sheets.meeting_register(PEOPLE, {"U1"}, "da"))

    assert rows == [
        ["Navn", "Slack-id", "Klinik", "Tjekket ind"],
        ["Anne Holm", "U3", "", "nej"],
        ["bo Jensen", "U2", "Lægerne i Ølstykke", "nej"],
        ["Åse Ærø", "U1", "", "ja"],
    ]


def test_year_register_counts_each_members_meetings() -> None:
    meetings = [sheets.Held(1, date(2026, 3, 5), "Forår"), sheets.Held(2, date(2026, 9, 3), "KOL")]

    rows = read(sheets.year_register(PEOPLE, meetings, {1: {"U1", "U3"}, 2: {"U1"}}, "en"))

    assert rows[0] == [
        "Name",
        "Slack ID",
        "Clinic",
        "2026-03-05 Forår",
        "2026-09-03 KOL",
        "Attended (of 2)",
    ]
    assert rows[1] == ["Anne Holm", "U3", "", "yes", "no", "1"]
    assert rows[3] == ["Åse Ærø", "U1", "", "yes", "yes", "2"]


@pytest.mark.parametrize("value", ["=1+1", "+45 1234", "-2", "@SUM(A1)", "\tx"])
def test_cells_that_look_like_formulas_stay_text(value: str) -> None:
    assert sheets.cell(value) == "'" + value
    assert sheets.cell("Lægehuset") == "Lægehuset"


def test_home_line_only_once_a_meeting_was_held() -> None:
    assert sheets.home_attendance(0, 0, "en") == []
    [block] = sheets.home_attendance(2, 3, "da")
    assert "du tjekkede ind til 2 af 3 møder" in block["elements"][0]["text"]


# --- the attendance rule ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("3 of 4", rules.Rule(3, 4)),
        ("3 af 4", rules.Rule(3, 4)),
        ("3/4", rules.Rule(3, 4)),
        ("2 ud af 6", rules.Rule(2, 6)),
        ("off", None),
        ("Fra", None),
    ],
)
def test_rules_are_read_as_people_write_them(typed: str, rule: rules.Rule | None) -> None:
    assert rules.parse_rule(typed) == rule


@pytest.mark.parametrize("typed", ["", "3", "5 of 4", "0 of 4", "3 of 25", "most", "3 of 4 x"])
def test_bad_rules_are_refused(typed: str) -> None:
    with pytest.raises(rules.RuleError):
        rules.parse_rule(typed)


RULE = rules.Rule(2, 3)


@pytest.mark.parametrize(
    ("history", "dropped"),
    [
        ([False, False], False),  # too few meetings to measure
        ([True, False, False], True),  # the first full window is below
        ([True, True, False], False),  # 2 of 3: fine
        ([True, True, True, False, False], True),  # was 2 of 3, now 1 of 3
        ([True, False, False, False], False),  # was below already: told once
        ([False, False, False, True], False),  # still below, but no new drop
    ],
)
def test_a_member_is_told_once_when_they_drop_below(history: list[bool], dropped: bool) -> None:
    assert rules.dropped_below(history, RULE) is dropped
