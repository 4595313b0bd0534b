"""The year (årshjul) as Block Kit: ``/klynge year`` and the Home tab's "The year" section.
Pure: no Slack, no database, no clock.

Each meeting shows its date, title, topic, who ran it (the babyklynge and/or the facilitator),
how many checked in (the Home tab: whether you did) and the implementation rate of its
take-homes (``handlers.takeaways.rates``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks import SECTION_LIMIT, context, section
from bot.i18n import Text
from bot.mrkdwn import escape, mention
from handlers.takeaways.rates import Point, rate_line

YEAR_TITLE = Text(
    en=":calendar: *{cluster} — {year}:* {held:meeting|meetings} held, {planned} planned",
    da=":calendar: *{cluster} — {year}:* {held:møde|møder} holdt, {planned} planlagt",
)
THEME = Text(en=":dart: *Theme:* {theme}", da=":dart: *Tema:* {theme}")
NO_THEME = Text(
    en="_No theme for {year} yet: `/klynge year theme [text]`._",
    da="_Intet tema for {year} endnu: `/klynge år tema [tekst]`._",
)
NO_THEME_FOR_MEMBERS = Text(
    en="_No theme for {year} yet; a coordinator sets one with `/klynge year theme [text]`._",
    da="_Intet tema for {year} endnu; en klyngekoordinator sætter det med `/klynge år tema "
    "[tekst]`._",
)
HELD_LINE = Text(
    en="• {date} — *{title}*{topic} — run by {facilitator} — {count} checked in",
    da="• {date} — *{title}*{topic} — tovholder {facilitator} — {count} tjekket ind",
)
PLANNED_LINE = Text(
    en="• {date} — *{title}*{topic} — run by {facilitator} — planned",
    da="• {date} — *{title}*{topic} — tovholder {facilitator} — planlagt",
)
NOT_HELD_LINE = Text(
    en="• {date} — *{title}*{topic} — run by {facilitator} — not held",
    da="• {date} — *{title}*{topic} — tovholder {facilitator} — ikke holdt",
)
RATE = Text(en="      {rate}", da="      {rate}")
TOPIC = Text(en=" ({topic})", da=" ({topic})")
NOBODY = Text(en="nobody named", da="ingen angivet")
YEAR_NONE = Text(
    en="No meeting was held or planned in {year}.",
    da="Der er ikke holdt eller planlagt møder i {year}.",
)
YEAR_MORE = Text(en="…and {count} more.", da="… og {count} til.")
YEAR_HINT = Text(
    en="Coordinators get the attendance of every member as a file: `/klynge attendance year`.",
    da="Koordinatorer får hvert medlems fremmøde som fil: `/klynge fremmøde år`.",
)
HOME_TITLE = Text(en="*The year {year}*", da="*Året {year}*")
HOME_LINE = Text(
    en="{date} *{title}*{topic} · {facilitator} · {mark}",
    da="{date} *{title}*{topic} · {facilitator} · {mark}",
)
YOU_CAME = Text(en=":white_check_mark: you were there", da=":white_check_mark: du var med")
YOU_MISSED = Text(en=":heavy_minus_sign: not checked in", da=":heavy_minus_sign: ikke tjekket ind")
PLANNED = Text(en=":spiral_calendar_pad: planned", da=":spiral_calendar_pad: planlagt")
NOT_HELD = Text(en=":heavy_minus_sign: not held", da=":heavy_minus_sign: ikke holdt")
HOME_MORE = Text(en="…and {count} more: `/klynge year`", da="… og {count} til: `/klynge år`")
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

MAX_YEAR_LINES = 40
YEAR_TEXT = 9_000  # of Slack's ~12,000 characters of block text in one message
MAX_HOME_LINES = 8
HOME_TOPIC = 60  # characters of a topic on the Home tab


@dataclass(frozen=True)
class YearMeeting:
    """One meeting of the year as shown: held (``checked_in`` counted) or planned."""

    meeting_id: int
    day: date
    when: str  # the date in words, formatted by the caller
    title: str
    topic: str | None = None
    facilitator: str | None = None  # mentions and names, already mrkdwn
    held: bool = True
    passed: bool = False  # not held, and its time has passed: it never took place
    checked_in: int = 0
    point: Point | None = None  # its implementation rate (held meetings)
    you_came: bool = False  # for the Home tab: whether the viewer checked in


def who_ran(facilitator_id: str | None, subcluster: str | None) -> str | None:
    """Who ran (or runs) a meeting: the babyklynge's name and/or the facilitator's mention."""
    named = f"*{escape(subcluster)}*" if subcluster else None
    person = mention(facilitator_id) if facilitator_id else None
    if named and person:
        return f"{named} ({person})"
    return named or person


def _topic(meeting: YearMeeting, language: str, limit: int | None = None) -> str:
    if not meeting.topic:
        return ""
    topic = (
        meeting.topic
        if limit is None or len(meeting.topic) <= limit
        else meeting.topic[: limit - 1] + "…"
    )
    return TOPIC.render(language, topic=escape(topic))


def overview_lines(meeting: YearMeeting, language: str) -> str:
    """A meeting in ``/klynge year``: one line, and its rate under it when it was held."""
    values: dict[str, object] = {
        "date": meeting.when,
        "title": escape(meeting.title),
        "topic": _topic(meeting, language),
        "facilitator": meeting.facilitator or NOBODY.render(language),
    }
    if not meeting.held:
        return (NOT_HELD_LINE if meeting.passed else PLANNED_LINE).render(language, **values)
    line = HELD_LINE.render(language, count=meeting.checked_in, **values)
    if meeting.point is None:
        return line
    return line + "\n" + RATE.render(language, rate=rate_line(meeting.point, language))


def year_overview(
    *,
    cluster: str,
    year: int,
    theme: str | None,
    meetings: Sequence[YearMeeting],
    language: str,
    coordinator: bool = True,
) -> list[dict[str, Any]]:
    """The year: the theme, then each meeting held or planned; sections of at most 3,000
    characters, the whole well under Slack's limit for one message. ``coordinator``: the
    viewer may set the theme."""
    held = sum(1 for meeting in meetings if meeting.held)
    planned = sum(1 for meeting in meetings if not meeting.held and not meeting.passed)
    title = YEAR_TITLE.render(
        language, cluster=escape(cluster), year=year, held=held, planned=planned
    )
    no_theme = NO_THEME if coordinator else NO_THEME_FOR_MEMBERS
    theme_line = (
        THEME.render(language, theme=escape(theme))
        if theme
        else no_theme.render(language, year=year)
    )
    lines: list[str] = []
    used = len(title) + len(theme_line)
    for index, meeting in enumerate(meetings):
        text = overview_lines(meeting, language)
        if index == MAX_YEAR_LINES or used + len(text) > YEAR_TEXT:
            lines.append(YEAR_MORE.render(language, count=len(meetings) - index))
            break
        lines.append(text)
        used += len(text) + 1
    if not meetings:
        lines.append(YEAR_NONE.render(language, year=year))
    blocks = [section(f"{title}\n{theme_line}")]
    chunk = ""
    for line in lines:  # each well under a section's 3,000 characters
        if chunk and len(chunk) + 1 + len(line) > SECTION_LIMIT:
            blocks.append(section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    blocks.append(section(chunk))
    blocks.append(context(YEAR_HINT.render(language)))
    return blocks


def short_date(day: date, language: str) -> str:
    """``3/12`` in Danish, ``3 Dec`` in English."""
    if language == "da":
        return f"{day.day}/{day.month}"
    return f"{day.day} {SHORT_MONTHS[day.month - 1]}"


def home_year(
    *, year: int, theme: str | None, meetings: Sequence[YearMeeting], language: str
) -> list[dict[str, Any]]:
    """The Home tab's "The year": the theme and the year's meetings, one short line each (the
    viewer's own attendance, the rate), at most ``MAX_HOME_LINES``; nothing without either."""
    if not meetings and not theme:
        return []
    lines = [HOME_TITLE.render(language, year=year)]
    if theme:
        lines.append(THEME.render(language, theme=escape(theme)))
    for index, meeting in enumerate(meetings):
        if index == MAX_HOME_LINES:
            lines.append(HOME_MORE.render(language, count=len(meetings) - index))
            break
        if not meeting.held:
            mark = (NOT_HELD if meeting.passed else PLANNED).render(language)
        else:
            mark = (YOU_CAME if meeting.you_came else YOU_MISSED).render(language)
            if meeting.point is not None:
                mark += " · " + rate_line(meeting.point, language, short=True)
        lines.append(
            HOME_LINE.render(
                language,
                date=short_date(meeting.day, language),
                title=escape(meeting.title[:80]),
                topic=_topic(meeting, language, HOME_TOPIC),
                facilitator=meeting.facilitator or NOBODY.render(language),
                mark=mark,
            )
        )
    return [section("\n".join(lines))]
