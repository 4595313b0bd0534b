"""Topic polls: ``/klynge poll ...``, voting buttons, ranking and add-option modals, closing.

The feature's one entry: ``register(app, wiring)`` and ``register_jobs(deps)``. The parts:

- ``spec``      what a poll is made of: the question, options and flags, validated
- ``message``   counting a poll and refreshing its message (coalesced across replicas)
- ``creating``  ``/klynge poll "Q" "A" "B" --flags`` and the creation modal
- ``voting``    option buttons, the ranking modal, adding options
- ``ballot_box`` clicks kept before they are acknowledged, counted in batches after
- ``closing``   closing and results, the deadline nudge, "make it the topic", decision minutes
- ``common``    helpers the listeners share;  ``texts``  the user-facing texts
- ``blocks``, ``results``, ``modals``  pure Block Kit: the poll message, its results, the
  modals;  ``tally``  the counting

Deadlines (``poll_close:<id>``), nudges (``poll_nudge:<id>``), trailing refreshes
(``poll_refresh:<id>``) and counting clicks a stopped process left (``poll_fold:<id>``) are
scheduler jobs.
"""

from __future__ import annotations

import re

from bot.commands import FlagKind
from bot.deps import Deps
from bot.guard import KlyngeApp
from bot.i18n import Text
from bot.outbox import OUTCOME_ATTEMPTS
from handlers.polls import blocks, modals, results
from handlers.polls.ballot_box import RECOVERY_JOB, BallotBox, recover
from handlers.polls.closing import (
    RESULTS_JOB,
    close_poll,
    minutes_lines,
    nudge_non_voters,
    on_topic,
    poll_close_command,
    post_results,
)
from handlers.polls.common import privately_on_user_error
from handlers.polls.creating import on_create_submit, poll_command
from handlers.polls.message import refresh_open_polls, request_refresh
from handlers.polls.texts import POLL_USAGE
from handlers.polls.voting import (
    on_add_option_button,
    on_add_option_submit,
    on_rank_button,
    on_rank_submit,
    vote_listeners,
)
from handlers.router import HelpTopic, Subcommand
from handlers.wiring import Wiring
from storage.jobs import Job

# --- jobs ---------------------------------------------------------------------------------------


def _poll_id(job: Job) -> int:
    return int(job.payload["poll_id"])


def register_jobs(deps: Deps) -> None:
    async def close_job(job: Job) -> None:
        await close_poll(deps, _poll_id(job))

    async def refresh_job(job: Job) -> None:
        await request_refresh(deps, _poll_id(job))

    async def nudge_job(job: Job) -> None:
        await nudge_non_voters(deps, _poll_id(job))

    async def recovery_job(job: Job) -> None:
        await recover(deps, _poll_id(job))

    deps.scheduler.on(RECOVERY_JOB, recovery_job)

    async def results_job(job: Job) -> None:
        await post_results(deps, _poll_id(job))

    deps.scheduler.on("poll_close", close_job)
    deps.scheduler.on(RESULTS_JOB, results_job, max_attempts=OUTCOME_ATTEMPTS)
    deps.scheduler.on("poll_refresh", refresh_job)
    deps.scheduler.on("poll_nudge", nudge_job)


# --- wiring -------------------------------------------------------------------------------------


TOPIC = HelpTopic(
    name=Text(en="poll", da="afstemning"),
    summary=Text(en="polls, e.g. on the next topic", da="afstemninger, fx om næste emne"),
    words=("polls", "afstemninger"),
)


def register(app: KlyngeApp, wiring: Wiring) -> None:
    box = BallotBox()  # this process's clicks on their way into the database
    keep, on_vote = vote_listeners(box)
    app.busy_action(re.compile(rf"^{blocks.VOTE_ACTION}:"), middleware=[keep])(
        privately_on_user_error(on_vote)
    )
    app.action(blocks.RANK_ACTION)(privately_on_user_error(on_rank_button))
    app.action(blocks.ADD_OPTION_ACTION)(privately_on_user_error(on_add_option_button))
    app.action(re.compile(rf"^{results.TOPIC_ACTION}:"))(privately_on_user_error(on_topic))
    app.view(modals.CREATE_CALLBACK)(on_create_submit)
    app.view(modals.RANK_CALLBACK)(on_rank_submit)
    app.view(modals.ADD_OPTION_CALLBACK)(on_add_option_submit)
    wiring.hooks.minutes_sections.append(minutes_lines)
    wiring.hooks.member_erased.append(refresh_open_polls)
    poll_flags = {
        "multi": FlagKind.VALUE,
        "anonymous": FlagKind.SWITCH,
        "closes": FlagKind.WORDS,
        "ranked": FlagKind.SWITCH,
        "open": FlagKind.SWITCH,
        "subcluster": FlagKind.VALUE,
        "by-subcluster": FlagKind.SWITCH,
    }
    wiring.commands.add(
        Subcommand(
            words=("poll",),
            da=("afstemning",),
            run=poll_command,
            usage=POLL_USAGE,
            summary=Text(
                en="a poll anyone can make (no arguments: a form)",
                da="en afstemning, alle kan oprette (uden argumenter: en formular)",
            ),
            flags=poll_flags,
            aliases=(("afstem",),),
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("poll", "close"),
            da=("afstemning", "luk"),
            run=poll_close_command,
            usage=Text(en="/klynge poll close [number]", da="/klynge afstemning luk [nummer]"),
            summary=Text(
                en="close a poll and post its results (creator or coordinator)",
                da="luk en afstemning og vis resultatet (opretteren eller en koordinator)",
            ),
            destructive=True,
            topic=TOPIC,
        )
    )
