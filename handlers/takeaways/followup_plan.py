"""Scheduling the follow-up on a meeting's take-homes so that it lands before the next meeting.

When a meeting ends, three jobs are planned (``timing.followup_times``): the question to the
authors (``takeaway-followup:<meeting>``), the coordinators' digest (``takeaway-digest:…``) and
the second question, half a year on, for what was in progress (``takeaway-followup-again:…``).
While the first two wait, they follow the cluster's plan: a meeting planned, moved or
cancelled, or a new delay, moves them (``reschedule_pending``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.deps import Deps
from bot.numbers import is_number
from handlers.takeaways.timing import STALE_AFTER, FollowupTimes, followup_times
from storage import takeaways as store
from storage.clusters import Cluster
from storage.jobs import pending_keys
from storage.meetings import Meeting, upcoming_meetings

log = logging.getLogger(__name__)

FOLLOWUP_JOB = "takeaway_followup"
FOLLOWUP_KEY_PREFIX = "takeaway-followup:"
DIGEST_JOB = "takeaway_digest"
DIGEST_KEY_PREFIX = "takeaway-digest:"
AGAIN_JOB = "takeaway_followup_again"
AGAIN_KEY_PREFIX = "takeaway-followup-again:"


async def _times(deps: Deps, cluster: Cluster, meeting: Meeting) -> FollowupTimes:
    assert cluster.id is not None
    async with deps.db.session() as session:
        settings = await store.get_settings(session, cluster_id=cluster.id)
        upcoming = await upcoming_meetings(
            session, cluster_id=cluster.id, now=deps.clock(), limit=1
        )
    ended = meeting.ended_at or deps.clock()
    next_start = upcoming[0].starts_at if upcoming else None
    return followup_times(ended, next_start, delay=timedelta(days=settings.followup_days))


# (job kind, key prefix, which of the times) for each job of a meeting's follow-up.
_JOBS = (
    (FOLLOWUP_JOB, FOLLOWUP_KEY_PREFIX, "ask"),
    (DIGEST_JOB, DIGEST_KEY_PREFIX, "digest"),
    (AGAIN_JOB, AGAIN_KEY_PREFIX, "ask_again"),
)
# The jobs that follow the plan while they wait (the second question is half a year on).
_MOVING = _JOBS[:2]


async def _schedule(
    deps: Deps, job: tuple[str, str, str], meeting: Meeting, times: FollowupTimes
) -> None:
    kind, prefix, which = job
    due: datetime = getattr(times, which)
    await deps.scheduler.schedule(
        kind=kind,
        key=f"{prefix}{meeting.id}",
        due_at=due,
        payload={"meeting_id": meeting.id},
        expires_at=due + STALE_AFTER,
    )


async def schedule_followup(deps: Deps, cluster: Cluster, meeting: Meeting) -> None:
    """Plan the meeting's follow-up: the question, the digest and the second question."""
    times = await _times(deps, cluster, meeting)
    for job in _JOBS:
        await _schedule(deps, job, meeting, times)


async def _waiting_meetings(deps: Deps, cluster: Cluster, prefix: str) -> list[Meeting]:
    """The cluster's meetings with a job under ``prefix`` still waiting."""
    async with deps.db.session() as session:
        keys = await pending_keys(session, prefix=prefix)
        found = []
        for key in keys:
            number = key.removeprefix(prefix)
            meeting = (
                await session.get(Meeting, int(number)) if is_number(number, digits=12) else None
            )
            if meeting is not None and meeting.cluster_id == cluster.id:
                found.append(meeting)
    return found


async def reschedule_pending(deps: Deps, cluster: Cluster) -> None:
    """Move the cluster's follow-up questions and digests not sent yet to what the plan (and
    the delay) now say."""
    for job in _MOVING:
        for meeting in await _waiting_meetings(deps, cluster, job[1]):
            await _schedule(deps, job, meeting, await _times(deps, cluster, meeting))


async def on_plan_changed(deps: Deps, cluster: Cluster, meeting: Meeting) -> None:
    """Hook (``meeting_planned``, ``meeting_changed``): waiting follow-ups follow the plan."""
    try:
        await reschedule_pending(deps, cluster)
    except Exception:  # the meeting command that called must not fail over this
        log.exception("could not move the follow-ups after meeting %s changed", meeting.id)
