"""Attendance: the register of who checked in, for the coordinators as CSV files in a direct
message, and each member's own attendance on the Home tab (the year's meetings at a glance:
``handlers.year``).

  registers  /klynge attendance [meeting id], /klynge attendance year; the Home section
  alerts     /klynge attendance rule; the private note after a meeting to who dropped below
  sheets     pure: the CSV files, the Home section
  rules      pure: reading the rule, who just dropped below it
  texts      every text
Check-ins are the meetings feature's (``storage.meetings.CheckIn``); ``storage.attendance``
reads them.
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.i18n import Text
from handlers.attendance.alerts import on_meeting_ended, rule_command
from handlers.attendance.registers import (
    attendance_command,
    attendance_year_command,
    home_section,
)
from handlers.router import HelpTopic, Subcommand
from handlers.wiring import Wiring

TOPIC = HelpTopic(
    name=Text(en="attendance", da="fremmøde"),
    summary=Text(
        en="who came: registers as CSV files, the attendance rule, the year and its theme",
        da="hvem kom: fremmødelister som CSV-filer, fremmødereglen, året og dets tema",
    ),
    words=("year", "år", "årshjul", "theme", "tema"),
)


def register(app: AsyncApp, wiring: Wiring) -> None:
    wiring.commands.add(
        Subcommand(
            words=("attendance",),
            run=attendance_command,
            da=("fremmøde",),
            usage=Text(
                en="/klynge attendance [meeting number]", da="/klynge fremmøde [mødenummer]"
            ),
            summary=Text(
                en="who checked in at a meeting, for every member, as a CSV file in your DMs",
                da="hvem der tjekkede ind til et møde, for hvert medlem, som CSV-fil i dine DM'er",
            ),
            coordinator_only=True,
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("attendance", "year"),
            da=("fremmøde", "år"),
            run=attendance_year_command,
            usage=Text(en="/klynge attendance year", da="/klynge fremmøde år"),
            summary=Text(
                en="every member's attendance at the meetings of the last 12 months (CSV)",
                da="hvert medlems fremmøde til møderne de seneste 12 måneder (CSV)",
            ),
            coordinator_only=True,
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("attendance", "rule"),
            da=("fremmøde", "regel"),
            run=rule_command,
            usage=Text(
                en="/klynge attendance rule [3 of 4 | off]",
                da="/klynge fremmøde regel [3 af 4 | fra]",
            ),
            summary=Text(
                en="the attendance the cluster agreed on; members below it are told privately",
                da="det fremmøde klyngen har aftalt; medlemmer under det får besked privat",
            ),
            coordinator_only=True,
            topic=TOPIC,
        )
    )
    wiring.hooks.home_blocks.append(home_section)
    wiring.hooks.meeting_ended.append(on_meeting_ended)
