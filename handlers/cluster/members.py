"""Keeps the member cache current as people join and leave the cluster's channel and as their
accounts change, and runs the job that checks who among the members is a person
(``bot/members.py``)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.deps import Deps, deps_of
from bot.lookups import profile_of
from bot.members import CHECK_JOB, check_kinds, is_person, note_change
from handlers.cluster.erasure import (
    ERASE_JOB,
    members_came_back,
    members_left,
    on_members_moved,
    run_erase_job,
)
from handlers.wiring import Wiring
from storage.clusters import add_member, get_cluster, remove_member
from storage.jobs import Job

log = logging.getLogger(__name__)


async def on_member_joined(event: dict[str, Any], context: Any) -> None:
    deps = deps_of(context)
    team = event.get("team") or context.get("team_id") or ""
    async with deps.db.session() as session:
        cluster = await get_cluster(session, team_id=team, channel_id=event["channel"])
    if cluster is not None:
        await members_came_back(deps, cluster, [event["user"]])
    # Someone Slack can't check just now counts as a person; the job checks them later.
    if cluster is None or cluster.id is None or await is_person(deps, event["user"]) is False:
        return
    async with deps.db.session() as session:
        await add_member(session, cluster_id=cluster.id, user_id=event["user"])


async def on_member_left(event: dict[str, Any], context: Any) -> None:
    deps = deps_of(context)
    team = event.get("team") or context.get("team_id") or ""
    async with deps.db.session() as session:
        cluster = await get_cluster(session, team_id=team, channel_id=event["channel"])
        if cluster is None or cluster.id is None:
            return
        await remove_member(session, cluster_id=cluster.id, user_id=event["user"])
    await members_left(deps, cluster, [event["user"]])


async def on_user_change(event: dict[str, Any], context: Any) -> None:
    """Someone's account changed: a deactivation or a new e-mail address counts from now on."""
    user = event.get("user")
    if isinstance(user, dict) and isinstance(user.get("id"), str):
        await note_change(deps_of(context), profile_of(user["id"], user))


def register(app: AsyncApp, wiring: Wiring) -> None:
    wiring.hooks.members_moved.append(on_members_moved)
    app.event("member_joined_channel")(on_member_joined)
    app.event("member_left_channel")(on_member_left)
    app.event("user_change")(on_user_change)


def register_jobs(deps: Deps) -> None:
    async def check(job: Job) -> None:
        checked = await check_kinds(deps)
        log.info("checked %d members with Slack", checked)

    async def erase_later(job: Job) -> None:
        await run_erase_job(deps, job)

    deps.scheduler.on(CHECK_JOB, check)
    deps.scheduler.on(ERASE_JOB, erase_later)
