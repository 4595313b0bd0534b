"""The year (årshjul): a theme for each calendar year, and the year's meetings at a glance.

  overview  /klynge year [YYYY]: the theme, then the meetings held and planned, with their
            topics, who ran them, attendance and the implementation rate of their take-homes
  theme     /klynge year theme [YYYY] [text | clear]
  gather    what the year shows, read from the database (also for the Home tab's section)
  blocks    pure: the overview and the Home tab's "The year"
  texts     every text
Like the Home tab, the year shows other features' data: the check-ins (``storage.attendance``)
and the follow-up answers (``storage.takeaways``, counted by ``handlers.takeaways.rates``).
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.i18n import Text
from handlers.attendance import TOPIC as ATTENDANCE_TOPIC
from handlers.router import Subcommand
from handlers.wiring import Wiring
from handlers.year.overview import year_command
from handlers.year.theme import theme_command

# In help, the year sits with attendance ("who came"): the menu stays short enough for a phone.
TOPIC = ATTENDANCE_TOPIC


def register(app: AsyncApp, wiring: Wiring) -> None:
    wiring.commands.add(
        Subcommand(
            words=("year",),
            da=("år",),
            run=year_command,
            usage=Text(en="/klynge year [YYYY]", da="/klynge år [ÅÅÅÅ]"),
            summary=Text(
                en="the year's theme and meetings: topics, who ran them, attendance, "
                "how much of the take-homes was implemented",
                da="årets tema og møder: emner, tovholdere, fremmøde, hvor meget af "
                "pointerne der blev gennemført",
            ),
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("year", "theme"),
            da=("år", "tema"),
            run=theme_command,
            usage=Text(
                en="/klynge year theme [YYYY] [text | clear]",
                da="/klynge år tema [ÅÅÅÅ] [tekst | ryd]",
            ),
            summary=Text(
                en="the cluster's theme for a year (coordinators set it; `clear` removes it)",
                da="klyngens tema for et år (koordinatorer sætter det; `ryd` fjerner det)",
            ),
            free_text=True,
            topic=TOPIC,
        )
    )
