"""The decision minutes: gathered from the database, posted in the channel and uploaded as a PDF
when a meeting ends (``post_minutes``, from the ``meeting_ended`` hook), and made again with
everything added since by ``/klynge export``.

Names for the PDF come from ``bot.names`` (Slack, cached in the process; never stored); the
Slack post shows mentions. The PDF is laid out in a thread: a big meeting takes most of a second.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.deps import Deps
from bot.errors import UserError
from bot.mrkdwn import escape
from bot.names import display_names
from bot.outbox import mark_sent, sent
from handlers.router import CommandContext
from handlers.takeaways.common import local_time, meeting_date, render
from handlers.takeaways.minutes_blocks import minutes_messages
from handlers.takeaways.minutes_model import LOOSE_TITLE, FollowUp, Record
from handlers.takeaways.minutes_pdf import minutes_pdf
from handlers.takeaways.summary import chosen_meeting, entries, post_messages
from handlers.takeaways.texts import (
    EXPORT_COMMENT,
    EXPORTED,
    MINUTES_PDF_COMMENT,
    NOTHING_TO_EXPORT,
)
from storage import takeaway_followups as followups_store
from storage import takeaways as store
from storage.breakouts import Subcluster
from storage.clusters import Cluster
from storage.meetings import Meeting, checked_in_ids


async def _followup(deps: Deps, cluster: Cluster, meeting: Meeting) -> FollowUp | None:
    """How the previous meeting's take-homes and staff instructions were followed up."""
    async with deps.db.session() as session:
        previous = await followups_store.previous_ended_meeting(session, meeting=meeting)
        if previous is None or previous.id is None:
            return None
        counts = await followups_store.answer_counts(session, meeting_id=previous.id)
    if not counts:
        return None
    return FollowUp(
        title=previous.title,
        date=meeting_date(cluster, previous),
        done=counts.get(store.DONE, 0),
        progress=counts.get(store.IN_PROGRESS, 0),
        irrelevant=counts.get(store.NOT_RELEVANT, 0),
        unanswered=counts.get(None, 0),
    )


async def gather(deps: Deps, cluster: Cluster, meeting: Meeting | None) -> Record:
    """Everything the minutes of ``meeting`` hold (None: the take-homes outside meetings)."""
    language = cluster.language
    takeaways = await entries(deps, cluster, meeting)
    if meeting is None:
        people = {entry.author_id for entry in takeaways}
        return Record(
            language=language,
            title=LOOSE_TITLE.render(language),
            takeaways=takeaways,
            names=await display_names(deps, people),
        )
    assert meeting.id is not None
    async with deps.db.session() as session:
        attendees = await checked_in_ids(session, meeting_id=meeting.id)
        subcluster = (
            await session.get(Subcluster, meeting.facilitator_subcluster_id)
            if meeting.facilitator_subcluster_id is not None
            else None
        )
    record = Record(
        language=language,
        title=meeting.title,
        meeting_id=meeting.id,
        date=meeting_date(cluster, meeting),
        topic=meeting.topic,
        facilitator_id=meeting.facilitator_id,
        facilitator_group=subcluster.name if subcluster else None,
        note_taker_id=meeting.note_taker_id,
        attendees=attendees,
        decisions=await entries(deps, cluster, meeting, kind=store.KIND_DECISION),
        instructions=await entries(deps, cluster, meeting, kind=store.KIND_INSTRUCTION),
        takeaways=takeaways,
        poll_lines=await deps.hooks.lines(deps.hooks.minutes_sections, deps, cluster, meeting),
        followup=await _followup(deps, cluster, meeting),
    )
    return replace(record, names=await display_names(deps, record.people()))


def pdf_name(cluster: Cluster, meeting: Meeting | None, deps: Deps) -> str:
    """``minutes-2026-12-03-meeting-12.pdf`` / ``beslutningsreferat-2026-12-03-moede-12.pdf``."""
    danish = cluster.language == "da"
    if meeting is None:
        day = local_time(cluster, deps.clock()).date().isoformat()
        return f"{'take-home-beskeder' if danish else 'take-home-messages'}-{day}.pdf"
    day = local_time(cluster, meeting.started_at or meeting.starts_at).date().isoformat()
    if danish:
        return f"beslutningsreferat-{day}-moede-{meeting.id}.pdf"
    return f"minutes-{day}-meeting-{meeting.id}.pdf"


async def upload_pdf(
    deps: Deps, record: Record, *, channel: str, filename: str, comment: str
) -> None:
    """Lay the record out as a PDF (in a thread) and upload it to ``channel``."""
    document = await asyncio.to_thread(minutes_pdf, record)
    await deps.client.files_upload_v2(
        channel=channel,
        content=document,
        filename=filename,
        title=record.heading()[:250],
        initial_comment=comment,
    )


async def post_minutes(deps: Deps, cluster: Cluster, meeting: Meeting, *, key: str) -> None:
    """At ``end`` (the outcome job ``key``): the minutes as a post in the channel, then as a
    PDF document, each part once however often the job is retried."""
    record = await gather(deps, cluster, meeting)
    await post_messages(deps, cluster.channel_id, minutes_messages(record), key=key)
    pdf_key = f"{key}:pdf"
    if await sent(deps, pdf_key):
        return
    comment = render(cluster, MINUTES_PDF_COMMENT, title=escape(meeting.title))
    filename = pdf_name(cluster, meeting, deps)
    await upload_pdf(deps, record, channel=cluster.channel_id, filename=filename, comment=comment)
    await mark_sent(deps, pdf_key, channel=cluster.channel_id)


async def export_command(ctx: CommandContext) -> None:
    """``/klynge export [meeting id]``: upload the decision minutes as a PDF, with everything
    added since the meeting ended."""
    cluster = ctx.require_cluster()
    meeting = await chosen_meeting(ctx)
    record = await gather(ctx.deps, cluster, meeting)
    if meeting is None and not record.takeaways:
        raise UserError(NOTHING_TO_EXPORT)
    filename = pdf_name(cluster, meeting, ctx.deps)
    title = meeting.title if meeting else record.title
    comment = ctx.t(EXPORT_COMMENT, title=escape(title), by=f"<@{ctx.user_id}>")
    await upload_pdf(
        ctx.deps, record, channel=cluster.channel_id, filename=filename, comment=comment
    )
    await ctx.reply(ctx.t(EXPORTED, filename=filename))
