"""The follow-up: when a meeting ends, its summary is posted and jobs are planned
(``followup_plan``): a week before the next meeting each author gets a DM "Did you implement
…?" (with no next meeting planned: after the cluster's delay, ``/klynge takeaway followup``),
and half a year on whoever answered "in progress" is asked again. The answers are counted in
the next meeting's reminders and its start post ("Follow-up on last time": the
``reminder_blocks`` and ``start_sections`` hooks)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.blocks import SECTION_LIMIT, pack, section
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import tell_privately
from bot.mrkdwn import escape as escape_plain
from bot.outbox import post_once
from handlers.router import CommandContext
from handlers.takeaways import blocks as kit
from handlers.takeaways import summary_blocks as pure
from handlers.takeaways.common import action_value, meeting_date, render
from handlers.takeaways.followup_plan import reschedule_pending, schedule_followup
from handlers.takeaways.minutes import post_minutes
from handlers.takeaways.summary import post_summary
from handlers.takeaways.texts import (
    FOLLOWUP_AGAIN_INTRO,
    FOLLOWUP_FALLBACK,
    FOLLOWUP_INTRO,
    FOLLOWUP_SET,
    FOLLOWUP_USAGE,
    NOT_YOURS,
)
from storage import takeaway_followups as followups_store
from storage import takeaways as store
from storage.clusters import Cluster, get_cluster_by_id
from storage.jobs import Job
from storage.meetings import Meeting, meeting_and_cluster

log = logging.getLogger(__name__)

# How much of the follow-up on last time the start post shows (reminders: a whole section).
START_POST_LIMIT = 1200
SUMMARY_JOB = "takeaway_summary"
MINUTES_JOB = "takeaway_minutes"


async def on_meeting_ended(deps: Deps, cluster: Cluster, meeting: Meeting) -> None:
    """Hook: schedule the follow-up DMs, post the summary, then the decision minutes (a post
    and a PDF).

    (The meetings feature's closing-round post carries the take-home button: ``agenda_blocks``.)
    """
    # Scheduled first: a channel the bot was removed from must not cost the follow-up.
    await schedule_followup(deps, cluster, meeting)
    # Each its own outcome job, retried until Slack takes it (``bot.outbox``): a summary Slack
    # refuses must not cost the minutes, nor they the rest.
    for kind in (SUMMARY_JOB, MINUTES_JOB):
        key = f"{kind}:{meeting.id}"
        await deps.scheduler.schedule(
            kind=kind, key=key, due_at=deps.clock(), payload={"meeting_id": meeting.id}
        )
        await deps.scheduler.run_now(key)


async def post_end_record(deps: Deps, job: Job) -> None:
    """The jobs ``takeaway_summary`` and ``takeaway_minutes``: post them for the meeting that
    ended, each message once."""
    async with deps.db.session() as session:
        found = await meeting_and_cluster(session, meeting_id=int(job.payload["meeting_id"]))
    if found is None:
        return
    meeting, cluster = found
    if job.kind == SUMMARY_JOB:
        await post_summary(deps, cluster, meeting, key=job.key)
    else:
        await post_minutes(deps, cluster, meeting, key=job.key)


async def send_followups(deps: Deps, job: Job) -> None:
    """Job: DM each author of the meeting's take-homes "Did you implement …?"."""
    await _ask_authors(deps, job, again=False)


async def send_followups_again(deps: Deps, job: Job) -> None:
    """Job, half a year on: ask again about what the authors answered "in progress"."""
    await _ask_authors(deps, job, again=True)


async def _ask_authors(deps: Deps, job: Job, *, again: bool) -> None:
    meeting_id = int(job.payload["meeting_id"])
    async with deps.db.session() as session:
        meeting = await session.get(Meeting, meeting_id)
        cluster = await get_cluster_by_id(session, meeting.cluster_id) if meeting else None
        pending = await followups_store.followups_to_send(
            session, meeting_id=meeting_id, again=again
        )
    if meeting is None or cluster is None:
        return
    by_author: dict[str, list[store.Takeaway]] = {}
    for takeaway in pending:
        by_author.setdefault(takeaway.author_id, []).append(takeaway)
    title = escape_plain(meeting.title)
    opening = FOLLOWUP_AGAIN_INTRO if again else FOLLOWUP_INTRO
    intro = render(cluster, opening, title=title, date=meeting_date(cluster, meeting))
    failed: list[str] = []
    for author, takeaways in by_author.items():
        try:
            await _ask_author(
                deps,
                cluster,
                author,
                takeaways,
                intro=intro,
                title=title,
                key=f"{job.key}:{author}",  # the first question or the second
            )
        except SlackApiError as error:
            if error.response.get("error") not in UNREACHABLE_USER:
                log.warning("follow-up to %s failed, will retry: %s", author, error)
                failed.append(author)
                continue
            log.info("follow-up to %s not possible: %s", author, error)
        # Marked per author, so a retry after a failure asks nobody twice.
        async with deps.db.session() as session:
            await followups_store.mark_followups_sent(
                session,
                takeaway_ids=[takeaway.id for takeaway in takeaways if takeaway.id is not None],
                now=deps.clock(),
                again=again,
            )
    await deps.hooks.changed(deps, cluster)  # the App Home lists unanswered follow-ups
    if failed:
        raise RuntimeError(f"follow-up DMs failed for {len(failed)} author(s); retrying")


# A DM to someone who left Slack: posting to their user id gives channel_not_found.
UNREACHABLE_USER = {
    "user_not_found",
    "account_inactive",
    "user_disabled",
    "cannot_dm_bot",
    "channel_not_found",
}


async def _ask_author(
    deps: Deps,
    cluster: Cluster,
    author: str,
    takeaways: Sequence[store.Takeaway],
    *,
    intro: str,
    title: str,
    key: str,
) -> None:
    """One DM (more if needed for Block Kit's limits) asking about each of the author's texts;
    each DM once (``key``), so a retry after a failure part-way sends only the rest.

    Posting to the user id posts in the app's DM with them: no conversations.open (Tier 3)."""
    fallback = render(cluster, FOLLOWUP_FALLBACK, title=title)
    questions = [
        kit.followup_question(
            cluster.language, takeaway_id=takeaway.id, text=takeaway.text, prompt=takeaway.prompt
        )
        for takeaway in takeaways
        if takeaway.id is not None
    ]
    for number, blocks in enumerate(pack([[section(intro)], *questions])):
        await post_once(deps, key=f"{key}:{number}", channel=author, text=fallback, blocks=blocks)


async def on_answer(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    """Done / In progress / Not relevant on a follow-up DM."""
    await ack()
    deps = deps_of(context)
    action = (body.get("actions") or [{}])[0]
    answer = str(action.get("action_id") or "").removeprefix(kit.ANSWER_PREFIX)
    takeaway_id = action_value(body)
    user = str(body["user"]["id"])
    if answer not in store.ANSWERS or takeaway_id is None:
        await tell_privately(deps, body, NOT_YOURS)
        return
    async with deps.db.session() as session:
        takeaway = await store.get_takeaway(session, takeaway_id)
        cluster = await get_cluster_by_id(session, takeaway.cluster_id) if takeaway else None
        answered = await followups_store.answer_followup(
            session, takeaway_id=takeaway_id, author_id=user, answer=answer, now=deps.clock()
        )
    if not answered or cluster is None:
        await tell_privately(deps, body, NOT_YOURS)
        return
    await deps.hooks.changed(deps, cluster, only=user)  # their Home lists unanswered follow-ups
    container = body.get("container") or {}
    message = body.get("message") or {}
    blocks = kit.answered(
        cluster.language, message.get("blocks") or [], takeaway_id=takeaway_id, answer=answer
    )
    if container.get("channel_id") and container.get("message_ts") and blocks:
        await deps.client.chat_update(
            channel=container["channel_id"],
            ts=container["message_ts"],
            text=str(message.get("text") or ""),
            blocks=blocks,
        )


async def reminder_blocks(deps: Deps, cluster: Cluster, meeting: Meeting) -> list[dict[str, Any]]:
    """Hook: "Follow-up on last time": the previous meeting's take-homes and their follow-up
    answers, counted."""
    return await followup_on_last_time(deps, cluster, meeting)


async def start_sections(deps: Deps, cluster: Cluster, meeting: Meeting) -> list[dict[str, Any]]:
    """Hook: the same in the start post, shorter."""
    return await followup_on_last_time(deps, cluster, meeting, limit=START_POST_LIMIT)


async def followup_on_last_time(
    deps: Deps, cluster: Cluster, meeting: Meeting, *, limit: int = SECTION_LIMIT
) -> list[dict[str, Any]]:
    """The follow-up on the take-homes of the meeting before ``meeting``."""
    async with deps.db.session() as session:
        previous = await followups_store.previous_ended_meeting(session, meeting=meeting)
    if previous is None:
        return []
    return await followup_of(deps, cluster, previous, limit=limit)


async def followup_of(
    deps: Deps, cluster: Cluster, meeting: Meeting, *, limit: int = SECTION_LIMIT
) -> list[dict[str, Any]]:
    """The follow-up on ``meeting``'s take-homes: the answers counted, then the take-homes in up
    to ``limit`` characters (nothing when it had none)."""
    assert meeting.id is not None
    async with deps.db.session() as session:
        takeaways = await store.takeaways_of_meeting(
            session, meeting_id=meeting.id, kinds=store.FOLLOWED_UP
        )
        counts = await followups_store.answer_counts(session, meeting_id=meeting.id)
    if not takeaways:
        return []
    lines = [
        kit.Line(
            takeaway_id=takeaway.id or 0,
            author_id=takeaway.author_id,
            text=takeaway.text,
            answer=takeaway.followup_answer,
        )
        for takeaway in takeaways
    ]
    return kit.reminder_followup(
        cluster.language,
        title=meeting.title,
        date=meeting_date(cluster, meeting),
        counts=counts,
        lines=lines,
        limit=limit,
    )


# --- the follow-up delay --------------------------------------------------------------------------


async def takeaway_followup(ctx: CommandContext) -> None:
    """``/klynge takeaway followup 4w``: how long after a meeting to ask about implementation."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.free_text
    days = pure.parse_followup_days(words)
    if days is None or not 1 <= days <= pure.MAX_FOLLOWUP_DAYS:
        async with ctx.deps.db.session() as session:
            current = await store.get_settings(session, cluster_id=cluster.id)
        raise UserError(FOLLOWUP_USAGE, days=current.followup_days)
    async with ctx.deps.db.session() as session:
        await store.update_settings(session, cluster_id=cluster.id, followup_days=days)
    await reschedule_pending(ctx.deps, cluster)  # follow-ups not sent yet follow the new delay
    await ctx.announce(ctx.t(FOLLOWUP_SET, days=days, by=f"<@{ctx.user_id}>"))
