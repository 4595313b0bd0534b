"""The App Home tab: each member's meetings, duties and open business, per cluster.

Published when a member opens it, and again (for members who looked at it in the last week)
whenever a feature reports that something in their cluster changed.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.deps import Deps, deps_of
from handlers.home import actions, sections
from handlers.home.blocks import COORDINATOR_BLOCK
from handlers.home.view import ClusterHome, MeetingLine, home_view
from handlers.wiring import Wiring
from storage import breakouts, clusters, meetings
from storage import home as store
from storage.clusters import Cluster
from storage.meetings import Meeting

log = logging.getLogger(__name__)

RECENT_VIEWERS = timedelta(days=7)
MAX_CLUSTERS = 5
MAX_MEETINGS = 5


async def cluster_home(deps: Deps, cluster: Cluster, user_id: str) -> ClusterHome:
    """Everything one cluster contributes to ``user_id``'s Home tab."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        coordinator_ids = await clusters.coordinator_ids(session, cluster_id=cluster.id)
        is_coordinator = user_id in coordinator_ids
        running = await meetings.running_meeting(session, cluster_id=cluster.id)
        upcoming = await meetings.upcoming_meetings(
            session, cluster_id=cluster.id, now=deps.clock(), limit=MAX_MEETINGS
        )
        member_count = len(await clusters.member_ids(session, cluster_id=cluster.id))
        subclusters = await breakouts.subclusters(session, cluster_id=cluster.id)
    shown = [running, *upcoming] if running else list(upcoming)
    extra = await deps.hooks.home(deps, cluster, user_id, is_coordinator)
    return ClusterHome(
        name=cluster.name,
        language=cluster.language,
        timezone=cluster.timezone,
        meetings=[_line(meeting) for meeting in shown[:MAX_MEETINGS]],
        is_coordinator=is_coordinator,
        member_count=member_count,
        coordinator_ids=coordinator_ids,
        subcluster_names=[subcluster.name for subcluster in subclusters],
        extra_blocks=[block for block in extra if not _for_coordinators(block)],
        coordinator_blocks=[block for block in extra if _for_coordinators(block)],
    )


def _for_coordinators(block: dict[str, Any]) -> bool:
    return str(block.get("block_id", "")).startswith(COORDINATOR_BLOCK)


def _line(meeting: Meeting) -> MeetingLine:
    assert meeting.id is not None
    return MeetingLine(
        meeting_id=meeting.id,
        title=meeting.title,
        starts_at=meeting.starts_at,
        topic=meeting.topic,
        zoom_url=meeting.zoom_url,
        facilitator_id=meeting.facilitator_id,
        note_taker_id=meeting.note_taker_id,
        running=meeting.status == meetings.RUNNING,
    )


async def publish_home(deps: Deps, *, team_id: str, user_id: str) -> None:
    """Build and publish ``user_id``'s Home tab."""
    async with deps.db.session() as session:
        found = list(await store.clusters_of(session, team_id=team_id, user_id=user_id))
    parts = [await cluster_home(deps, cluster, user_id) for cluster in found[:MAX_CLUSTERS]]
    view = home_view(parts, user_id, deps.settings.language)
    await deps.client.views_publish(user_id=user_id, view=view)


async def on_home_opened(event: dict[str, Any], context: Any) -> None:
    if event.get("tab", "home") != "home":
        return
    deps = deps_of(context)
    team_id = str(context.get("team_id") or "")
    user_id = str(event["user"])
    async with deps.db.session() as session:
        await store.record_opened(session, team_id=team_id, user_id=user_id, at=deps.clock())
    await publish_home(deps, team_id=team_id, user_id=user_id)


class HomeRefresher:
    """Republishes the Home tabs of a cluster's recent viewers after a change, coalescing
    bursts: while one refresh runs, further changes just ask for one more pass."""

    def __init__(self) -> None:
        self._running: dict[int, asyncio.Event] = {}

    async def changed(self, deps: Deps, cluster: Cluster) -> None:
        assert cluster.id is not None
        again = self._running.get(cluster.id)
        if again is not None:
            again.set()
            return
        again = asyncio.Event()
        self._running[cluster.id] = again
        deps.background(self._refresh(deps, cluster, again))

    async def _refresh(self, deps: Deps, cluster: Cluster, again: asyncio.Event) -> None:
        assert cluster.id is not None
        try:
            while True:
                again.clear()
                async with deps.db.session() as session:
                    viewers = await store.recent_viewers(
                        session, cluster=cluster, since=deps.clock() - RECENT_VIEWERS
                    )
                for user_id in viewers:
                    await publish_home(deps, team_id=cluster.team_id, user_id=user_id)
                if not again.is_set():
                    return
        except Exception:  # a stale Home tab must not break the change itself
            log.warning("could not refresh Home tabs of %s", cluster.channel_id, exc_info=True)
        finally:
            self._running.pop(cluster.id, None)


def register(app: AsyncApp, wiring: Wiring) -> None:
    app.event("app_home_opened")(on_home_opened)
    refresher = HomeRefresher()
    wiring.hooks.cluster_changed.append(refresher.changed)

    async def meeting_changed(deps: Deps, cluster: Cluster, meeting: Meeting) -> None:
        await refresher.changed(deps, cluster)

    for hook in (
        wiring.hooks.meeting_planned,
        wiring.hooks.meeting_changed,
        wiring.hooks.meeting_started,
        wiring.hooks.meeting_ended,
    ):
        hook.append(meeting_changed)
    sections.register(app, wiring)
    actions.register(app, wiring)
