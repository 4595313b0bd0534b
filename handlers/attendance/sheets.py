"""Attendance registers as CSV files and the member's own attendance on the Home tab. Pure: no
Slack, no database, no clock.

The CSV files are UTF-8 with a byte-order mark, so that Excel shows æ, ø and å; a cell that
starts like a formula (``=``, ``+``, ``-``, ``@``) gets a leading apostrophe, so that a name
or a title can never run as one when the file is opened.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks import context
from bot.i18n import Text

NAME = Text(en="Name", da="Navn")
SLACK_ID = Text(en="Slack ID", da="Slack-id")
CLINIC = Text(en="Clinic", da="Klinik")
CHECKED_IN = Text(en="Checked in", da="Tjekket ind")
ATTENDED = Text(en="Attended (of {count})", da="Deltog (af {count})")
YES = Text(en="yes", da="ja")
NO = Text(en="no", da="nej")
HOME_ATTENDANCE = Text(
    en=":bar_chart: *Your attendance:* you checked in at {attended} of {held:meeting|meetings} "
    "in the last 12 months.",
    da=":bar_chart: *Dit fremmøde:* du tjekkede ind til {attended} af {held:møde|møder} "
    "de seneste 12 måneder.",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Person:
    """A row of a register: a member (or someone who checked in and has left since)."""

    user_id: str
    name: str
    clinic: str = ""


@dataclass(frozen=True)
class Held:
    """A meeting that was held, as a column of the year's register."""

    meeting_id: int
    day: date
    title: str


def people(
    user_ids: Iterable[str], *, names: Mapping[str, str], clinics: Mapping[str, str]
) -> list[Person]:
    """One ``Person`` per id, sorted by name as people read a list."""
    found = [
        Person(user_id=user, name=names.get(user) or user, clinic=clinics.get(user, ""))
        for user in set(user_ids)
    ]
    return sorted(found, key=lambda person: (person.name.casefold(), person.user_id))


def cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def meeting_register(persons: Sequence[Person], checked_in: set[str], language: str) -> bytes:
    """Name, Slack ID, clinic and checked in (yes/no) for every member, as a CSV file."""
    yes, no = YES.render(language), NO.render(language)
    header = [text.render(language) for text in (NAME, SLACK_ID, CLINIC, CHECKED_IN)]
    return _csv(
        [
            header,
            *(
                [p.name, p.user_id, p.clinic, yes if p.user_id in checked_in else no]
                for p in persons
            ),
        ]
    )


def year_register(
    persons: Sequence[Person],
    meetings: Sequence[Held],
    check_ins: Mapping[int, set[str]],
    language: str,
) -> bytes:
    """One row per member, one column per meeting (yes/no) and how many they attended."""
    yes, no = YES.render(language), NO.render(language)
    header: list[object] = [
        *(text.render(language) for text in (NAME, SLACK_ID, CLINIC)),
        *(f"{held.day.isoformat()} {held.title}" for held in meetings),
        ATTENDED.render(language, count=len(meetings)),
    ]
    rows: list[list[object]] = [header]
    for person in persons:
        marks = [person.user_id in check_ins.get(held.meeting_id, set()) for held in meetings]
        rows.append(
            [
                person.name,
                person.user_id,
                person.clinic,
                *(yes if mark else no for mark in marks),
                sum(marks),
            ]
        )
    return _csv(rows)


def home_attendance(attended: int, held: int, language: str) -> list[dict[str, Any]]:
    """The member's own attendance for the Home tab (nothing before the first meeting)."""
    if held == 0:
        return []
    return [context(HOME_ATTENDANCE.render(language, attended=attended, held=held))]
