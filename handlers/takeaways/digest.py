"""The coordinators' digest: shortly before the next meeting, a DM to each coordinator with how
the members answered the follow-up on the last meeting's take-homes (counted, then the
take-homes themselves, short), and the implementation rate with its trend since the meeting
before."""

from __future__ import annotations

import logging

from bot.blocks import section
from bot.deps import Deps
from bot.mrkdwn import escape
from bot.slack import direct_messages
from handlers.takeaways.common import render
from handlers.takeaways.followup import followup_of
from handlers.takeaways.rates import change, rate_line, series, trend_line
from handlers.takeaways.texts import DIGEST_FALLBACK, DIGEST_INTRO, DIGEST_RATE
from storage.clusters import Cluster, coordinator_ids, get_cluster_by_id
from storage.jobs import Job
from storage.meetings import ENDED, Meeting
from storage.takeaway_followups import previous_ended_meeting
from storage.year import implementation_counts

log = logging.getLogger(__name__)

DIGEST_LIMIT = 1500  # characters of take-homes: a digest, not the summary


async def send_digest(deps: Deps, job: Job) -> None:
    """Job: DM the coordinators how the members followed up on the meeting's take-homes."""
    meeting_id = int(job.payload["meeting_id"])
    async with deps.db.session() as session:
        meeting = await session.get(Meeting, meeting_id)
        cluster = await get_cluster_by_id(session, meeting.cluster_id) if meeting else None
        coordinators = await coordinator_ids(session, cluster_id=cluster.id or 0) if cluster else []
    if meeting is None or cluster is None or meeting.status != ENDED or not coordinators:
        return
    followup = await followup_of(deps, cluster, meeting, limit=DIGEST_LIMIT)
    if not followup:
        log.info("digest for meeting %s skipped: no take-home messages", meeting_id)
        return
    blocks = [
        section(render(cluster, DIGEST_INTRO)),
        *followup,
        section(await _rate(deps, cluster, meeting)),
    ]
    text = render(cluster, DIGEST_FALLBACK, title=escape(meeting.title))
    await direct_messages(deps.client, coordinators, text, blocks=blocks)


async def _rate(deps: Deps, cluster: Cluster, meeting: Meeting) -> str:
    """The meeting's implementation rate, and how it compares with the meeting before."""
    assert meeting.id is not None
    async with deps.db.session() as session:
        previous = await previous_ended_meeting(session, meeting=meeting)
        ids = [previous.id, meeting.id] if previous and previous.id else [meeting.id]
        points = series(ids, await implementation_counts(session, meeting_ids=ids))
    text = render(cluster, DIGEST_RATE, rate=rate_line(points[-1], cluster.language))
    difference = change(points, meeting.id)
    if difference is not None:
        text += "\n" + trend_line(*difference, cluster.language)
    return text
