"""What every listener and job needs, built once per process and handed down.

``Hooks`` are the points where one feature lets others add to what it does without importing
them: the meetings feature calls them at the right moments; the rotation, breakout, take-home
and Home features register into them. Each hook is a list of async callables run in order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.directory import Directory
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.tasks import Background
from storage.db import Database

if TYPE_CHECKING:
    from storage.clusters import Cluster
    from storage.erasure import ReleasedTurns
    from storage.meetings import Meeting


MeetingHook = Callable[["Deps", "Cluster", "Meeting"], Awaitable[None]]
ClusterHook = Callable[["Deps", "Cluster"], Awaitable[None]]
# Upcoming turns freed by people who left or were erased: (deps, cluster, the turns).
ReleasedHook = Callable[["Deps", "Cluster", "ReleasedTurns"], Awaitable[None]]
# A refresh of a channel's members found people gone from it or back in it without an event
# saying so: (deps, cluster, who left, who came back).
MembersHook = Callable[["Deps", "Cluster", frozenset[str], frozenset[str]], Awaitable[None]]
# Something a Home tab shows changed in a cluster: for everyone (None), or only for some people.
ChangeHook = Callable[["Deps", "Cluster", frozenset[str] | None], Awaitable[None]]
# Extra Block Kit blocks for a reminder or an agenda post, in the cluster's language.
BlocksHook = Callable[["Deps", "Cluster", "Meeting"], Awaitable[list[dict[str, Any]]]]
# Blocks for one member's App Home in one cluster: (deps, cluster, user id, is coordinator).
HomeHook = Callable[["Deps", "Cluster", str, bool], Awaitable[list[dict[str, Any]]]]
# Markdown lines for a meeting's decision minutes (e.g. the poll results of that meeting).
LinesHook = Callable[["Deps", "Cluster", "Meeting"], Awaitable[list[str]]]


@dataclass
class Hooks:
    """Registered by features at start-up; called by the meetings feature."""

    # After meetings were added (each occurrence): e.g. plan their facilitators.
    meeting_planned: list[MeetingHook] = field(default_factory=list)
    # After a meeting was cancelled or moved: e.g. recompute the rotation plan.
    meeting_changed: list[MeetingHook] = field(default_factory=list)
    # After `/klynge start` posted the agenda.
    meeting_started: list[MeetingHook] = field(default_factory=list)
    # After `/klynge end` closed the meeting: e.g. post the summary, schedule follow-ups.
    meeting_ended: list[MeetingHook] = field(default_factory=list)
    # Sections added to every reminder: e.g. follow-up on the previous meeting's take-homes.
    reminder_blocks: list[BlocksHook] = field(default_factory=list)
    # Buttons or sections added to the agenda post: e.g. "Take-home message".
    agenda_blocks: list[BlocksHook] = field(default_factory=list)
    # Sections of the start post right under the agenda, in the agenda's order: e.g. the
    # check-in question, then the follow-up on last time's take-homes.
    start_sections: list[BlocksHook] = field(default_factory=list)
    # Lines for the facilitator's checklist before a meeting: e.g. a suggested energiser.
    checklist_lines: list[LinesHook] = field(default_factory=list)
    # Sections of the exported decision minutes: e.g. the results of the meeting's polls.
    minutes_sections: list[LinesHook] = field(default_factory=list)
    # Sections of a member's App Home: e.g. open polls they have not voted in.
    home_blocks: list[HomeHook] = field(default_factory=list)
    # After something a Home tab shows has changed in a cluster (the home feature registers).
    cluster_changed: list[ChangeHook] = field(default_factory=list)
    # After sub-clusters were made, changed or deleted: e.g. replan a sub-cluster rotation.
    subclusters_changed: list[ClusterHook] = field(default_factory=list)
    # After members' upcoming duties were released (they left the channel, or their data was
    # erased): e.g. hand the facilitator and note-taker turns on, telling the channel.
    duties_released: list[ReleasedHook] = field(default_factory=list)
    # After a refresh of the channel's members found people who left or came back unannounced
    # (a missed member_left/joined_channel event): e.g. treat them as the events would.
    members_moved: list[MembersHook] = field(default_factory=list)
    # After a member's data was erased in a cluster: e.g. show open polls' counts without them.
    member_erased: list[ClusterHook] = field(default_factory=list)

    async def run(
        self, hooks: list[MeetingHook], deps: Deps, cluster: Cluster, meeting: Meeting
    ) -> None:
        for hook in hooks:
            await hook(deps, cluster, meeting)

    async def changed(
        self, deps: Deps, cluster: Cluster, *, only: str | Iterable[str] | None = None
    ) -> None:
        """Tell listeners (the App Home) that something about ``cluster`` changed: for
        everyone, or with ``only`` just for that person or those people (their votes)."""
        people = None if only is None else frozenset([only] if isinstance(only, str) else only)
        for hook in self.cluster_changed:
            await hook(deps, cluster, people)

    async def subclusters_changed_in(self, deps: Deps, cluster: Cluster) -> None:
        """Tell listeners that ``cluster``'s sub-clusters changed (and the Home tabs too)."""
        for hook in self.subclusters_changed:
            await hook(deps, cluster)
        await self.changed(deps, cluster)

    async def home(
        self, deps: Deps, cluster: Cluster, user_id: str, is_coordinator: bool
    ) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for hook in self.home_blocks:
            found.extend(await hook(deps, cluster, user_id, is_coordinator))
        return found

    async def lines(
        self, hooks: list[LinesHook], deps: Deps, cluster: Cluster, meeting: Meeting
    ) -> list[str]:
        found: list[str] = []
        for hook in hooks:
            found.extend(await hook(deps, cluster, meeting))
        return found

    async def blocks(
        self, hooks: list[BlocksHook], deps: Deps, cluster: Cluster, meeting: Meeting
    ) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for hook in hooks:
            found.extend(await hook(deps, cluster, meeting))
        return found


@dataclass(frozen=True)
class Deps:
    """Settings, database, scheduler, the bot's Web API client, the directory of people (its
    own client, paced and cached), the clock, background work."""

    settings: Settings
    db: Database
    scheduler: Scheduler
    client: AsyncWebClient
    directory: Directory
    clock: Callable[[], datetime]
    tasks: Background
    hooks: Hooks = field(default_factory=Hooks)
    # Each cluster's language as last read, by (team id, channel id): what a person is told in
    # when the database is the very thing that failed (see ``bot.feedback``).
    languages: dict[tuple[str, str], str] = field(default_factory=dict)

    def background(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run ``work`` after the current request, tracked so shutdown waits for it."""
        self.tasks.spawn(work)


def deps_of(context: Any) -> Deps:
    """The ``Deps`` that the app's middleware put into a Bolt listener's ``context``."""
    deps = context["deps"]
    assert isinstance(deps, Deps)
    return deps
