"""Meetings: plan (one-off or repeating), list, show, move, cancel, calendar files, reminders
with RSVP, and running a meeting (``start`` with check-in, ``end`` with the closing round).

- ``planning``: ``meeting add``, one-off or repeating
- ``listing``: ``meeting list``, ``show`` and ``ics``
- ``changes``: ``meeting cancel``, ``move`` and ``remind defaults``
- ``editing``: ``meeting set`` (what ``fields`` reads: title, Zoom, topic, … of one or a series)
- ``agenda``: ``agenda default``, the agenda meetings follow when they have none of their own
  (``shape``: the built-in one, pure)
- ``reminders``: reminder jobs, the reminder post (the full card or a short one) and its RSVP
  buttons
- ``live``: ``start``, ``end`` and the check-in button
- ``unplanned``: asking before ``start`` begins a meeting nobody planned
- ``calendar_files``: meetings as ``.ics`` calendar files
- ``clicks``: what RSVP and check-in clicks share (the clicked meeting, the count refresh)
- ``common``: helpers the others share
"""

from __future__ import annotations

from bot.commands import FlagKind
from bot.deps import Deps
from bot.guard import KlyngeApp
from bot.i18n import Text
from bot.outbox import OUTCOME_ATTEMPTS
from handlers.meetings import blocks as ui
from handlers.meetings.agenda import agenda_default
from handlers.meetings.changes import meeting_cancel, meeting_move, remind_defaults
from handlers.meetings.editing import meeting_set
from handlers.meetings.listing import meeting_ics, meeting_list, meeting_show, on_calendar
from handlers.meetings.live import (
    CLOSING_JOB,
    end_meeting,
    on_check_in,
    post_closing,
    start_meeting,
)
from handlers.meetings.planning import ANNOUNCE_JOB, announce_planned, meeting_add
from handlers.meetings.reminders import REMINDER_JOB, on_rsvp_no, on_rsvp_yes, send_reminder
from handlers.meetings.unplanned import UNPLANNED_FLAG, on_cancel, on_confirm
from handlers.router import HelpTopic, Subcommand
from handlers.wiring import Wiring
from storage.jobs import Job

# --- registration -------------------------------------------------------------------------------

ADD_FLAGS = {
    "zoom": FlagKind.VALUE,
    "remind": FlagKind.VALUE,
    "duration": FlagKind.VALUE,
    "every": FlagKind.WORDS,
    "until": FlagKind.WORDS,
    "count": FlagKind.VALUE,
}
TOPIC = HelpTopic(
    name=Text(en="meeting", da="møde"),
    summary=Text(
        en="plan, move and cancel meetings, reminders; start and end a meeting",
        da="planlæg, flyt og aflys møder, påmindelser; start og afslut et møde",
    ),
    words=("meetings", "møder", "start", "end", "slut"),
)


def register(app: KlyngeApp, wiring: Wiring) -> None:
    commands = wiring.commands
    commands.add(
        Subcommand(
            words=("meeting", "add"),
            da=("møde", "tilføj"),
            run=meeting_add,
            usage=Text(
                en="/klynge meeting add [date] [time] [title…] [--zoom URL] "
                "[--duration 90m] [--remind 7d,1d,1h] [--every 4w|monthly|first-thursday "
                "--until [date] | --count N]",
                da="/klynge møde tilføj [dato] [tid] [titel…] [--zoom URL] "
                "[--varighed 90m] [--påmind 7d,1d,1t] [--gentag 4u|månedlig|første-torsdag "
                "--indtil [dato] | --antal N]",
            ),
            summary=Text(
                en="plan a meeting (or a repeating series) with reminders; the date as "
                "`2026-12-03 16:00`, `Dec 3 4pm`, `tomorrow 9:30` or `next Thursday 16:00-17:30`",
                da="planlæg et møde (eller en serie) med påmindelser; datoen som "
                "`3. december kl. 16`, `3/12-2026 16.00`, `i morgen kl. 9.30` eller "
                "`næste torsdag 16.00-17.30`",
            ),
            coordinator_only=True,
            flags=ADD_FLAGS,
            aliases=(("møde", "planlæg"), ("meeting", "plan")),
            topic=TOPIC,
        )
    )
    commands.add(
        Subcommand(
            words=("meeting", "list"),
            da=("møde", "liste"),
            run=meeting_list,
            usage=Text(en="/klynge meeting list", da="/klynge møde liste"),
            summary=Text(en="upcoming meetings with their numbers", da="kommende møder med numre"),
            aliases=(("meetings",), ("møder",)),
            takes_words=False,
            topic=TOPIC,
        )
    )
    commands.add(
        Subcommand(
            words=("meeting", "show"),
            da=("møde", "vis"),
            run=meeting_show,
            usage=Text(en="/klynge meeting show [number]", da="/klynge møde vis [nummer]"),
            summary=Text(en="everything about one meeting", da="alt om et møde"),
            topic=TOPIC,
        )
    )
    commands.add(
        Subcommand(
            words=("meeting", "set"),
            da=("møde", "sæt"),
            run=meeting_set,
            usage=Text(
                en="/klynge meeting set [number] title|zoom|topic|agenda|prep|length|remind "
                "[value…] [--series]",
                da="/klynge møde sæt [nummer] titel|zoom|emne|dagsorden|forberedelse|varighed|"
                "påmindelser [værdi…] [--serie]",
            ),
            summary=Text(
                en="change a meeting's title, Zoom link, topic, agenda, preparation note, length "
                "or reminders (`-` clears)",
                da="ret et mødes titel, Zoom-link, emne, dagsorden, forberedelse, varighed eller "
                "påmindelser (`-` rydder)",
            ),
            coordinator_only=True,
            free_text=True,
            topic=TOPIC,
        )
    )
    commands.add(
        Subcommand(
            words=("meeting", "move"),
            da=("møde", "flyt"),
            run=meeting_move,
            usage=Text(
                en="/klynge meeting move [number] [date] [time]",
                da="/klynge møde flyt [nummer] [dato] [tid]",
            ),
            summary=Text(en="move one meeting", da="flyt et møde"),
            coordinator_only=True,
            topic=TOPIC,
        )
    )
    commands.add(
        Subcommand(
            words=("meeting", "cancel"),
            da=("møde", "aflys"),
            run=meeting_cancel,
            usage=Text(en="/klynge meeting cancel [number]", da="/klynge møde aflys [nummer]"),
            summary=Text(en="cancel one meeting", da="aflys et møde"),
            coordinator_only=True,
            destructive=True,
            topic=TOPIC,
        )
    )
    commands.add(
        Subcommand(
            words=("meeting", "ics"),
            da=("møde", "kalender"),
            run=meeting_ics,
            usage=Text(en="/klynge meeting ics [number]", da="/klynge møde kalender [nummer]"),
            summary=Text(
                en="get a meeting's calendar file (.ics) in a direct message",
                da="få et mødes kalenderfil (.ics) i en direkte besked",
            ),
            aliases=(("meeting", "calendar"), ("møde", "ics")),
            topic=TOPIC,
        )
    )
    commands.add(
        Subcommand(
            words=("remind", "defaults"),
            da=("påmindelser", "standard"),
            run=remind_defaults,
            usage=Text(
                en="/klynge remind defaults 7d,1d,1h", da="/klynge påmindelser standard 7d,1d,1t"
            ),
            summary=Text(
                en="the cluster's default reminder times (`none` for none; "
                "d days, h hours, w weeks)",
                da="klyngens standardtider for påmindelser (`ingen` for ingen; "
                "d dage, t timer, u uger)",
            ),
            coordinator_only=True,
            aliases=(("reminders",), ("påmindelser",)),
            topic=TOPIC,
        )
    )
    commands.add(
        Subcommand(
            words=("agenda", "default"),
            da=("dagsorden", "standard"),
            run=agenda_default,
            usage=Text(
                en="/klynge agenda default [text | -]", da="/klynge dagsorden standard [tekst | -]"
            ),
            summary=Text(
                en="the agenda meetings follow when they have none of their own "
                "(`-`: the built-in one, which begins with a check-in)",
                da="den dagsorden, møderne følger, når de ikke har deres egen "
                "(`-`: den indbyggede, som begynder med check-in)",
            ),
            coordinator_only=True,
            free_text=True,
            topic=TOPIC,
        )
    )
    commands.add(
        Subcommand(
            words=("start",),
            run=start_meeting,
            usage=Text(
                en="/klynge start [number] [--unplanned]",
                da="/klynge start [nummer] [--uplanlagt]",
            ),
            summary=Text(
                en="start the current meeting: agenda and check-in",
                da="start det aktuelle møde: dagsorden og check-in",
            ),
            coordinator_only=True,
            flags={UNPLANNED_FLAG: FlagKind.SWITCH},
            topic=TOPIC,
        )
    )
    commands.add(
        Subcommand(
            words=("end",),
            da=("slut",),
            run=end_meeting,
            usage=Text(en="/klynge end", da="/klynge slut"),
            summary=Text(
                en="end the meeting with the closing round",
                da="afslut mødet med afrundingen",
            ),
            coordinator_only=True,
            aliases=(("afslut",),),
            destructive=True,
            topic=TOPIC,
        )
    )
    app.busy_action(ui.RSVP_YES_ACTION)(on_rsvp_yes)
    app.busy_action(ui.RSVP_NO_ACTION)(on_rsvp_no)
    app.busy_action(ui.CHECKIN_ACTION)(on_check_in)
    app.action(ui.CALENDAR_ACTION)(on_calendar)
    app.action(ui.START_UNPLANNED_ACTION)(on_confirm(commands))
    app.action(ui.START_CANCEL_ACTION)(on_cancel)


def register_jobs(deps: Deps) -> None:
    async def reminder(job: Job) -> None:
        await send_reminder(deps, job)

    async def closing(job: Job) -> None:
        await post_closing(deps, int(job.payload["meeting_id"]))

    deps.scheduler.on(REMINDER_JOB, reminder)

    async def announce(job: Job) -> None:
        await announce_planned(deps, [int(i) for i in job.payload["meeting_ids"]])

    deps.scheduler.on(CLOSING_JOB, closing, max_attempts=OUTCOME_ATTEMPTS)
    deps.scheduler.on(ANNOUNCE_JOB, announce, max_attempts=OUTCOME_ATTEMPTS)
