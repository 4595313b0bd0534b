"""Rituals: the check-in question that opens every meeting and the energiser its facilitators
are given, from a small built-in library (Danish and English) that a cluster can add to, with
nothing repeated within a year.

Joins the other features through hooks: ``start_sections`` puts the check-in question in the
start post, right under the agenda; ``checklist_lines`` puts an energiser in the facilitators'
checklist.

- ``library``    the built-in questions and energisers, and which comes next (pure)
- ``picking``    choosing them for a meeting and remembering what was used; the hooks
- ``questions``  ``/klynge checkin add | list | remove``
- ``texts``      every text
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.i18n import Text
from handlers.rituals.picking import checkin_section, energiser_lines
from handlers.rituals.questions import checkin_add, checkin_list, checkin_remove
from handlers.router import HelpTopic, Subcommand
from handlers.wiring import Wiring

TOPIC = HelpTopic(
    name=Text(en="checkin", da="checkin"),
    summary=Text(
        en="the check-in questions that open the meetings",
        da="check-in-spørgsmålene, møderne åbner med",
    ),
    words=("check-in", "energiser", "energizer"),
)


def register(app: AsyncApp, wiring: Wiring) -> None:
    wiring.hooks.start_sections.append(checkin_section)
    wiring.hooks.checklist_lines.append(energiser_lines)
    wiring.commands.add(
        Subcommand(
            words=("checkin", "add"),
            run=checkin_add,
            usage=Text(
                en="/klynge checkin add [question]", da="/klynge checkin tilføj [spørgsmål]"
            ),
            summary=Text(
                en="add a check-in question of the cluster's own (meetings open with one)",
                da="tilføj klyngens eget check-in-spørgsmål (møderne åbner med et)",
            ),
            free_text=True,
            da=("checkin", "tilføj"),
            aliases=(("check-in", "add"), ("check-in", "tilføj")),
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("checkin", "list"),
            run=checkin_list,
            usage=Text(en="/klynge checkin list", da="/klynge checkin liste"),
            summary=Text(
                en="the check-in questions: the cluster's own and the built-in ones",
                da="check-in-spørgsmålene: klyngens egne og de indbyggede",
            ),
            da=("checkin", "liste"),
            aliases=(("checkin",), ("check-in", "list"), ("check-in", "liste")),
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("checkin", "remove"),
            run=checkin_remove,
            usage=Text(en="/klynge checkin remove [number]", da="/klynge checkin fjern [nummer]"),
            summary=Text(
                en="remove one of the cluster's own check-in questions",
                da="fjern et af klyngens egne check-in-spørgsmål",
            ),
            da=("checkin", "fjern"),
            aliases=(("check-in", "remove"), ("check-in", "fjern")),
            destructive=True,
            topic=TOPIC,
        )
    )
