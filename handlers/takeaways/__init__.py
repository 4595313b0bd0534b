"""Take-home messages: capture (command, agenda button, message shortcut, emoji reaction),
editing, ``/klynge summary``, the decisions and staff instructions of the closing round, the
decision minutes (posted and uploaded as a PDF at ``end``; ``/klynge export``) and the follow-up.

Joins the meetings feature through its hooks: ``meeting_ended`` posts the summary and the
minutes and schedules the follow-up, ``meeting_planned`` and ``meeting_changed`` move
follow-ups not sent yet so they land a week before the next meeting, ``agenda_blocks`` adds the
"Take-home message" button, ``reminder_blocks`` and ``start_sections`` show the counted
follow-up answers of the previous meeting ("Follow-up on last time") in the next meeting's
reminders and start post.

This module wires the feature up; the listeners live in its parts (each imports only the ones
before it):
  common    helpers: texts in the cluster's language, dates, button and modal values
  capture   command, message shortcut, the closing-round modal
  reactions the take-home emoji: reactions and ``takeaway emoji``
  edit      a member's own take-homes: list, Edit, Undo/Delete
  record    /klynge decision and /klynge instruction (the closing round's other answers)
  summary   /klynge summary
  minutes   the decision minutes: a post and a PDF at the end, /klynge export
  followup_plan  when the follow-up jobs run (``timing``: the pure rule), moving them
  followup  meeting-ended hook, follow-up DMs (and the second one) and answers, reminder lines
  digest    the coordinators' digest before the next meeting
  texts     every text
and the pure modules: blocks, summary_blocks, minutes_model, minutes_blocks, minutes_pdf, timing
"""

from __future__ import annotations

import re

from slack_bolt.async_app import AsyncApp

from bot.deps import Deps
from bot.i18n import Text
from bot.outbox import OUTCOME_ATTEMPTS
from handlers.router import HelpTopic, Subcommand
from handlers.takeaways import blocks as kit
from handlers.takeaways.capture import (
    agenda_blocks,
    on_closing_round_submit,
    on_open_modal,
    on_shortcut,
    takeaway_command,
)
from handlers.takeaways.digest import send_digest
from handlers.takeaways.edit import on_edit, on_edit_submit, on_undo, takeaway_list
from handlers.takeaways.followup import (
    MINUTES_JOB,
    SUMMARY_JOB,
    on_answer,
    on_meeting_ended,
    post_end_record,
    reminder_blocks,
    send_followups,
    send_followups_again,
    start_sections,
    takeaway_followup,
)
from handlers.takeaways.followup_plan import AGAIN_JOB, DIGEST_JOB, FOLLOWUP_JOB, on_plan_changed
from handlers.takeaways.minutes import export_command
from handlers.takeaways.reactions import (
    on_reaction_added,
    on_reaction_removed,
    read_job,
    takeaway_emoji,
)
from handlers.takeaways.reading import READ_JOB
from handlers.takeaways.record import decision_command, instruction_command
from handlers.takeaways.summary import summary_command
from handlers.wiring import Wiring
from storage.jobs import Job

SHORTCUT = "save_takeaway"


TOPIC = HelpTopic(
    name=Text(en="takeaway", da="pointe"),
    summary=Text(
        en="take-home messages, decisions, the summary and the minutes",
        da="pointer, beslutninger, referatet og beslutningsreferatet",
    ),
    words=("takeaways", "pointer", "summary", "referat", "take-home"),
)


def register(app: AsyncApp, wiring: Wiring) -> None:
    commands: tuple[Subcommand, ...] = (
        Subcommand(
            words=("takeaway",),
            da=("pointe",),
            run=takeaway_command,
            usage=Text(en="/klynge takeaway [text]", da="/klynge pointe [tekst]"),
            summary=Text(
                en="save your take-home message (also: the button, the message shortcut, or a "
                ":house: reaction)",
                da="gem din pointe, det du tager med hjem (også: knappen, beskedgenvejen eller "
                "en :house:-reaktion)",
            ),
            free_text=True,
            aliases=(("takehome",), ("take-home",), ("take", "home")),
            topic=TOPIC,
        ),
        Subcommand(
            words=("takeaway", "list"),
            da=("pointe", "liste"),
            run=takeaway_list,
            usage=Text(en="/klynge takeaway list", da="/klynge pointe liste"),
            summary=Text(
                en="your take-home messages, to edit or delete",
                da="dine pointer, til at rette eller slette",
            ),
            aliases=(("take", "home", "liste"), ("take", "home", "list")),
            topic=TOPIC,
        ),
        Subcommand(
            words=("takeaway", "emoji"),
            da=("pointe", "emoji"),
            run=takeaway_emoji,
            usage=Text(en="/klynge takeaway emoji :house:", da="/klynge pointe emoji :house:"),
            summary=Text(
                en="the reaction that marks a message as a take-home message",
                da="reaktionen, der markerer en besked som en pointe",
            ),
            coordinator_only=True,
            topic=TOPIC,
        ),
        Subcommand(
            words=("takeaway", "followup"),
            da=("pointe", "opfølgning"),
            run=takeaway_followup,
            usage=Text(en="/klynge takeaway followup 4w", da="/klynge pointe opfølgning 4u"),
            summary=Text(
                en="when to ask members whether they implemented their take-homes if no next "
                "meeting is planned (else: a week before it)",
                da="hvornår medlemmerne spørges, om de har ført deres pointer ud i livet, hvis "
                "der ikke er planlagt et næste møde (ellers: en uge før det)",
            ),
            coordinator_only=True,
            topic=TOPIC,
        ),
        Subcommand(
            words=("decision",),
            da=("beslutning",),
            run=decision_command,
            usage=Text(en="/klynge decision [text]", da="/klynge beslutning [tekst]"),
            summary=Text(
                en="record a decision or agreement of the meeting (for the decision minutes)",
                da="skriv en beslutning eller aftale fra mødet (til beslutningsreferatet)",
            ),
            free_text=True,
            topic=TOPIC,
        ),
        Subcommand(
            words=("instruction",),
            da=("instruks",),
            run=instruction_command,
            usage=Text(en="/klynge instruction [text]", da="/klynge instruks [tekst]"),
            summary=Text(
                en="your instruction for the clinic staff (in the minutes, followed up later)",
                da="din instruks til personalet i klinikken (i referatet, følges op senere)",
            ),
            free_text=True,
            topic=TOPIC,
        ),
        Subcommand(
            words=("summary",),
            da=("referat",),
            run=summary_command,
            usage=Text(en="/klynge summary [meeting number]", da="/klynge referat [mødenummer]"),
            summary=Text(
                en="post the take-home messages, by breakout group",
                da="del pointerne, gruppe for gruppe",
            ),
            coordinator_only=True,
            aliases=(("opsummering",),),
            topic=TOPIC,
        ),
        Subcommand(
            words=("export",),
            da=("eksport",),
            run=export_command,
            usage=Text(en="/klynge export [meeting number]", da="/klynge eksport [mødenummer]"),
            summary=Text(
                en="upload the meeting's decision minutes as a PDF",
                da="læg mødets beslutningsreferat op som PDF",
            ),
            coordinator_only=True,
            aliases=(("beslutningsreferat",),),
            topic=TOPIC,
        ),
    )
    for command in commands:
        wiring.commands.add(command)
    app.shortcut(SHORTCUT)(on_shortcut)
    app.action(kit.OPEN_MODAL)(on_open_modal)
    app.action(kit.EDIT)(on_edit)
    app.action(kit.UNDO)(on_undo)
    app.action(re.compile("^" + re.escape(kit.ANSWER_PREFIX)))(on_answer)
    app.view(kit.CLOSING_ROUND_VIEW)(on_closing_round_submit)
    app.view(kit.EDIT_VIEW)(on_edit_submit)
    app.event("reaction_added")(on_reaction_added)
    app.event("reaction_removed")(on_reaction_removed)
    wiring.hooks.meeting_ended.append(on_meeting_ended)
    wiring.hooks.agenda_blocks.append(agenda_blocks)
    wiring.hooks.reminder_blocks.append(reminder_blocks)
    wiring.hooks.start_sections.append(start_sections)
    wiring.hooks.meeting_planned.append(on_plan_changed)
    wiring.hooks.meeting_changed.append(on_plan_changed)


def register_jobs(deps: Deps) -> None:
    async def followup(job: Job) -> None:
        await send_followups(deps, job)

    async def again(job: Job) -> None:
        await send_followups_again(deps, job)

    async def digest(job: Job) -> None:
        await send_digest(deps, job)

    async def record(job: Job) -> None:
        await post_end_record(deps, job)

    async def read(job: Job) -> None:
        await read_job(deps, job)

    deps.scheduler.on(FOLLOWUP_JOB, followup)
    deps.scheduler.on(AGAIN_JOB, again)
    deps.scheduler.on(DIGEST_JOB, digest)
    deps.scheduler.on(READ_JOB, read)
    for kind in (SUMMARY_JOB, MINUTES_JOB):
        deps.scheduler.on(kind, record, max_attempts=OUTCOME_ATTEMPTS)
