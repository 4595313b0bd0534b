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
# Seconds between two publishes of one person's Home tab (views.publish is Tier 4).
HOME_INTERVAL = 2.0
# One change often comes with others (a meeting planned, then its rotation): gather them first.
HOME_GATHER = 0.25
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
        own_group = await breakouts.subcluster_of(session, cluster_id=cluster.id, user_id=user_id)
    group_name = next((group.name for group in subclusters if group.id == own_group), None)
    shown = [running, *upcoming] if running else list(upcoming)
    extra = await deps.hooks.home(deps, cluster, user_id, is_coordinator)
    return ClusterHome(
        name=cluster.name,
        language=cluster.language,
        timezone=cluster.timezone,
        meetings=[
            _line(meeting, group_name if meeting.facilitator_subcluster_id == own_group else None)
            for meeting in shown[:MAX_MEETINGS]
        ],
        is_coordinator=is_coordinator,
        member_count=member_count,
        coordinator_ids=coordinator_ids,
        subcluster_names=[subcluster.name for subcluster in subclusters],
        extra_blocks=[block for block in extra if not _for_coordinators(block)],
        coordinator_blocks=[block for block in extra if _for_coordinators(block)],
    )


def _for_coordinators(block: dict[str, Any]) -> bool:
    return str(block.get("block_id", "")).startswith(COORDINATOR_BLOCK)


def _line(meeting: Meeting, own_group: str | None) -> MeetingLine:
    """``own_group``: the name of the member's babyklynge when it runs the meeting."""
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
        your_group=own_group,
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
    """Republishes Home tabs after a change, each person's at most every ``HOME_INTERVAL``:
    a burst of changes ends in one publish per person that shows the last state, and a change
    that concerns some people (their votes) republishes only theirs."""

    def __init__(self) -> None:
        self._pending: dict[tuple[str, str], None] = {}
        self._published: dict[tuple[str, str], float] = {}
        self._draining = False

    async def changed(
        self, deps: Deps, cluster: Cluster, only: frozenset[str] | None = None
    ) -> None:
        """Queue the Home tabs that show ``cluster`` (only those of ``only``, if given)."""
        deps.background(self._queue(deps, cluster, only))

    async def _queue(self, deps: Deps, cluster: Cluster, only: frozenset[str] | None) -> None:
        try:
            async with deps.db.session() as session:
                viewers = await store.recent_viewers(
                    session, cluster=cluster, since=deps.clock() - RECENT_VIEWERS
                )
        except Exception:  # a stale Home tab must not break the change itself
            log.warning("could not find the Home viewers of %s", cluster.channel_id, exc_info=True)
            return
        for user_id in viewers:
            if only is None or user_id in only:
                self._pending[(cluster.team_id, user_id)] = None
        if self._pending and not self._draining:
            self._draining = True
            await self._drain(deps)

    async def _drain(self, deps: Deps) -> None:
        """Publish what is queued, each person's tab at most once per ``HOME_INTERVAL``."""
        loop = asyncio.get_running_loop()
        try:
            await asyncio.sleep(HOME_GATHER)
            while self._pending:
                now = loop.time()
                self._published = {
                    key: at for key, at in self._published.items() if at > now - HOME_INTERVAL
                }
                due = [key for key in self._pending if key not in self._published]
                if not due:
                    await asyncio.sleep(min(self._published.values()) + HOME_INTERVAL - now)
                    continue
                for key in due:
                    del self._pending[key]
                    self._published[key] = loop.time()
                    await self._publish(deps, *key)
        finally:
            self._draining = False

    @staticmethod
    async def _publish(deps: Deps, team_id: str, user_id: str) -> None:
        try:
            await publish_home(deps, team_id=team_id, user_id=user_id)
        except Exception:  # a stale Home tab must not break the change itself
            log.warning("could not refresh the Home tab of %s", user_id, exc_info=True)


def register(app: AsyncApp, wiring: Wiring) -> None:
    app.event("app_home_opened")(on_home_opened)
    refresher = HomeRefresher()
    wiring.hooks.cluster_changed.append(refresher.changed)

    async def meeting_changed(deps: Deps, cluster: Cluster, meeting: Meeting) -> None:
        await refresher.changed(deps, cluster, None)

    for hook in (
        wiring.hooks.meeting_planned,
        wiring.hooks.meeting_changed,
        wiring.hooks.meeting_started,
        wiring.hooks.meeting_ended,
    ):
        hook.append(meeting_changed)
    sections.register(app, wiring)
    actions.register(app, wiring)
