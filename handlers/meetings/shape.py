"""The fixed shape of a meeting: the agenda a meeting follows when it has none of its own. Pure.

Every cluster has a default agenda: the built-in one below (from the clusters' own experience:
check in, follow up on last time, the day's topic, small groups, plenary, a closing round with
something to take home), or its own (``/klynge agenda default``). A meeting with an agenda of
its own shows that instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Text

BUILT_IN_AGENDA = Text(
    en="1. Check-in\n2. Follow-up on last time\n3. Today's topic\n4. Small groups\n"
    "5. Plenary\n6. Closing round: what do we take home?",
    da="1. Check-in\n2. Opfølgning på sidste møde\n3. Dagens emne\n4. Små grupper\n"
    "5. Plenum\n6. Afrunding: hvad tager vi med hjem?",
)
# How long a default agenda may be (the same as a meeting's own: one section of a message).
AGENDA_LIMIT = 2900
# How much of the agenda the one-line preview (a post's notification text) holds.
PREVIEW_LIMIT = 300


@dataclass(frozen=True)
class Agenda:
    """The agenda a meeting shows: its text, and whether it is the cluster's default."""

    text: str
    is_default: bool


def default_agenda(cluster_default: str | None, language: str) -> str:
    """The cluster's own default agenda, else the built-in one in the cluster's language."""
    return cluster_default if cluster_default else BUILT_IN_AGENDA.render(language)


def agenda_of(meeting_agenda: str | None, cluster_default: str | None, language: str) -> Agenda:
    """What a meeting follows: its own agenda, else the cluster's default one."""
    if meeting_agenda:
        return Agenda(meeting_agenda, is_default=False)
    return Agenda(default_agenda(cluster_default, language), is_default=True)


def one_line(agenda: str) -> str:
    """The agenda on one line, its items joined by `·` (cut with an ellipsis when long)."""
    items = [line.strip() for line in agenda.splitlines() if line.strip()]
    line = " · ".join(items)
    return line if len(line) <= PREVIEW_LIMIT else line[: PREVIEW_LIMIT - 1].rstrip() + "…"


def written_agenda(text: str) -> str:
    """An agenda as typed in a slash command: kept as written when it has several lines; one
    line with items separated by `;`, `·` or `|` becomes a numbered list."""
    if "\n" in text:
        return text.strip()
    for separator in (";", "·", "|"):
        items = [item.strip() for item in text.split(separator) if item.strip()]
        if len(items) > 1:
            return "\n".join(f"{number}. {item}" for number, item in enumerate(items, start=1))
    return text.strip()
