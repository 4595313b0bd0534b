"""``/klynge facilitator ...``: who facilitates and who takes notes, fairly and a year ahead.

Every change (a meeting planned, cancelled or moved; a skip, an absence, a confirmed swap, a
new member) *replans*: the upcoming meetings' facilitators and note-takers are computed again
by ``rotation.plan`` from the history (past meetings) and the rules, and written onto the
meetings. The channel is told what changed; the facilitator's checklist DM follows the plan.

In sub-cluster rotation the babyklynge in charge runs the meeting: one message to its members
together, four weeks ahead, with buttons to poll for or set the topic and to ask another
babyklynge to swap (``duty``); its note-taker is one of its members.
"""

from __future__ import annotations

from collections.abc import Sequence

from slack_bolt.async_app import AsyncApp

from bot.deps import Deps
from bot.i18n import Text
from handlers.facilitators import duty_blocks
from handlers.facilitators.changes import (
    on_duties_released,
    on_meeting_changed,
    on_meeting_planned,
    on_subclusters_changed,
)
from handlers.facilitators.checklist import (
    CHECKLIST_CONFIRM,
    CHECKLIST_SWAP,
    on_checklist_confirm,
    on_checklist_swap,
    send_checklist,
)
from handlers.facilitators.commands import (
    facilitator_away,
    facilitator_list,
    facilitator_list_all,
    facilitator_mode,
    facilitator_next,
    facilitator_skip,
)
from handlers.facilitators.duty import (
    on_ask_swap,
    on_poll_all,
    on_poll_group,
    on_set_topic,
    on_swap_submit,
    on_topic_submit,
)
from handlers.facilitators.plan import CHECKLIST_JOB
from handlers.facilitators.swaps import SWAP_ACCEPT, SWAP_DECLINE, facilitator_swap, on_swap_answer
from handlers.router import HelpTopic, Subcommand
from handlers.wiring import Wiring
from storage import jobs as job_store

TOPIC = HelpTopic(
    name=Text(en="facilitator", da="tovholder"),
    summary=Text(
        en="who runs each meeting and takes notes, in turn",
        da="hvem er tovholder og referent, på skift",
    ),
    words=("facilitators", "tovholdere"),
)


def register(app: AsyncApp, wiring: Wiring) -> None:
    wiring.hooks.meeting_planned.append(on_meeting_planned)
    wiring.hooks.meeting_changed.append(on_meeting_changed)
    wiring.hooks.subclusters_changed.append(on_subclusters_changed)
    wiring.hooks.duties_released.append(on_duties_released)
    app.action(SWAP_ACCEPT)(on_swap_answer)
    app.action(SWAP_DECLINE)(on_swap_answer)
    app.action(CHECKLIST_CONFIRM)(on_checklist_confirm)
    app.action(CHECKLIST_SWAP)(on_checklist_swap)
    app.action(duty_blocks.POLL_GROUP)(on_poll_group)
    app.action(duty_blocks.POLL_ALL)(on_poll_all)
    app.action(duty_blocks.SET_TOPIC)(on_set_topic)
    app.action(duty_blocks.ASK_SWAP)(on_ask_swap)
    app.view(duty_blocks.TOPIC_VIEW)(on_topic_submit)
    app.view(duty_blocks.SWAP_VIEW)(on_swap_submit)
    commands: Sequence[Subcommand] = (
        Subcommand(
            words=("facilitator", "next"),
            da=("tovholder", "næste"),
            run=facilitator_next,
            usage=Text(en="/klynge facilitator next", da="/klynge tovholder næste"),
            summary=Text(
                en="give the next meeting its facilitator and announce it",
                da="giv næste møde en tovholder og meld det ud",
            ),
            coordinator_only=True,
            takes_words=False,
            topic=TOPIC,
        ),
        Subcommand(
            words=("facilitator", "list"),
            da=("tovholder", "liste"),
            run=facilitator_list,
            usage=Text(en="/klynge facilitator list", da="/klynge tovholder liste"),
            summary=Text(
                en="who facilitates and takes notes at the next few meetings",
                da="hvem er tovholder og referent på de næste møder",
            ),
            aliases=(("facilitator",), ("facilitators",), ("tovholder",), ("tovholdere",)),
            takes_words=False,
            topic=TOPIC,
        ),
        Subcommand(
            words=("facilitator", "list", "all"),
            da=("tovholder", "liste", "alle"),
            run=facilitator_list_all,
            usage=Text(en="/klynge facilitator list all", da="/klynge tovholder liste alle"),
            summary=Text(
                en="every planned turn, and everyone in turn order",
                da="alle planlagte ture og alle i turordningen",
            ),
            aliases=(("facilitators", "all"), ("tovholdere", "alle")),
            takes_words=False,
            topic=TOPIC,
        ),
        Subcommand(
            words=("facilitator", "skip"),
            da=("tovholder", "spring", "over"),
            run=facilitator_skip,
            usage=Text(
                en="/klynge facilitator skip @name", da="/klynge tovholder spring over @navn"
            ),
            summary=Text(
                en="pass someone's next turn on; they keep their place",
                da="spring nogens næste tur over; de beholder deres plads",
            ),
            coordinator_only=True,
            aliases=(("tovholder", "spring"),),
            topic=TOPIC,
        ),
        Subcommand(
            words=("facilitator", "away"),
            da=("tovholder", "væk"),
            run=facilitator_away,
            usage=Text(
                en="/klynge facilitator away @name until [date]",
                da="/klynge tovholder væk @navn til [dato]",
            ),
            summary=Text(
                en="leave someone out of the rotation until a date",
                da="lad nogen være ude af turen til en dato",
            ),
            coordinator_only=True,
            topic=TOPIC,
        ),
        Subcommand(
            words=("facilitator", "swap"),
            da=("tovholder", "byt"),
            run=facilitator_swap,
            usage=Text(
                en="/klynge facilitator swap @name @name", da="/klynge tovholder byt @navn @navn"
            ),
            summary=Text(
                en="swap two people's turns, or their babyklyngers' (the other side confirms)",
                da="byt to personers ture, eller deres babyklyngers (den anden part bekræfter)",
            ),
            topic=TOPIC,
        ),
        Subcommand(
            words=("facilitator", "mode"),
            da=("tovholder", "tilstand"),
            run=facilitator_mode,
            usage=Text(
                en="/klynge facilitator mode members|subclusters",
                da="/klynge tovholder tilstand medlemmer|babyklynger",
            ),
            summary=Text(
                en="rotate over members or over sub-clusters",
                da="skift mellem medlemmer eller mellem babyklynger",
            ),
            coordinator_only=True,
            topic=TOPIC,
        ),
    )
    for command in commands:
        wiring.commands.add(command)


def register_jobs(deps: Deps) -> None:
    async def handler(job: job_store.Job) -> None:
        await send_checklist(deps, job)

    deps.scheduler.on(CHECKLIST_JOB, handler)
