"""Attendance registers as CSV files, the member's own attendance on the Home tab, and the
year's overview. Pure: no Slack, no database, no clock.

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

from bot.blocks import SECTION_LIMIT, context, section
from bot.i18n import Text
from bot.mrkdwn import escape, mention

NAME = Text(en="Name", da="Navn")
SLACK_ID = Text(en="Slack ID", da="Slack-id")
CLINIC = Text(en="Clinic", da="Klinik")
CHECKED_IN = Text(en="Checked in", da="Tjekket ind")
ATTENDED = Text(en="Attended (of {count})", da="Deltog (af {count})")
YES = Text(en="yes", da="ja")
NO = Text(en="no", da="nej")
HOME_ATTENDANCE = Text(
    en=":bar_chart: *Your attendance:* you checked in at {attended} of the {held} meeting(s) "
    "of the last 12 months.",
    da=":bar_chart: *Dit fremmøde:* du tjekkede ind til {attended} af de {held} møde(r) de "
    "seneste 12 måneder.",
)
YEAR_TITLE = Text(
    en=":calendar: *{cluster} — {period}:* {count} meeting(s) held",
    da=":calendar: *{cluster} — {period}:* {count} møde(r) holdt",
)
LAST_12_MONTHS = Text(en="the last 12 months", da="de seneste 12 måneder")
YEAR_LINE = Text(
    en="• {date} — *{title}*{topic} — run by {facilitator} — {count} checked in",
    da="• {date} — *{title}*{topic} — tovholder {facilitator} — {count} tjekket ind",
)
TOPIC = Text(en=" ({topic})", da=" ({topic})")
NOBODY = Text(en="nobody named", da="ingen angivet")
YEAR_NONE = Text(
    en="No meeting was held in this period.", da="Der blev ikke holdt møder i perioden."
)
YEAR_MORE = Text(en="…and {count} more.", da="… og {count} til.")
YEAR_HINT = Text(
    en="Coordinators get the attendance of every member as a file: `/klynge attendance year`.",
    da="Koordinatorer får hvert medlems fremmøde som fil: `/klynge fremmøde år`.",
)
MAX_YEAR_LINES = 40
YEAR_TEXT = 9_000  # of Slack's ~12,000 characters of block text in one message
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Person:
    """A row of a register: a member (or someone who checked in and has left since)."""

    user_id: str
    name: str
    clinic: str = ""


@dataclass(frozen=True)
class Held:
    """A meeting that was held, as a column of the year's register or a line of the overview."""

    meeting_id: int
    day: date
    title: str
    topic: str | None = None
    facilitator: str | None = None  # a mention, or a sub-cluster's name (plain)
    checked_in: int = 0


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


def year_overview(
    *, cluster: str, period: str, meetings: Sequence[Held], language: str, when: Sequence[str]
) -> list[dict[str, Any]]:
    """The year's meetings: date (``when``, formatted by the caller), title, topic, who ran
    it, how many checked in; sections of at most 3,000 characters."""
    title = YEAR_TITLE.render(language, cluster=escape(cluster), period=period, count=len(meetings))
    lines: list[str] = []
    used = len(title)
    for index, (held, date_text) in enumerate(zip(meetings, when, strict=True)):
        topic = TOPIC.render(language, topic=escape(held.topic)) if held.topic else ""
        line = YEAR_LINE.render(
            language,
            date=date_text,
            title=escape(held.title),
            topic=topic,
            facilitator=held.facilitator or NOBODY.render(language),
            count=held.checked_in,
        )
        if index == MAX_YEAR_LINES or used + len(line) > YEAR_TEXT:
            lines.append(YEAR_MORE.render(language, count=len(meetings) - index))
            break
        lines.append(line)
        used += len(line) + 1
    if not meetings:
        lines.append(YEAR_NONE.render(language))
    blocks = [section(title)]
    chunk = ""
    for line in lines:  # each well under a section's 3,000 characters
        if chunk and len(chunk) + 1 + len(line) > SECTION_LIMIT:
            blocks.append(section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    blocks.append(section(chunk))
    blocks.append(context(YEAR_HINT.render(language)))
    return blocks


def facilitator_label(facilitator_id: str | None, subcluster: str | None) -> str | None:
    """Who ran a meeting, for the overview: a mention, or the sub-cluster's name (escaped)."""
    if facilitator_id:
        return mention(facilitator_id)
    return f"*{escape(subcluster)}*" if subcluster else None
