"""Erasing a member's data in one cluster (docs/privacy.md).

- ``/klynge my data delete`` (``mine data slet``): the member asks; an ephemeral with Erase and
  Cancel; Erase erases and answers with what went, counted. Someone with no data in the
  cluster is told so instead of being asked.
- ``/klynge member forget @name`` (``medlem glem``): a coordinator erases for a member who asked.
- Leaving the channel: the member's upcoming turns are handed on at once, and their data is
  erased ``GRACE`` later by a job, unless they came back (people leave by accident). Slack's
  member_left/joined_channel events say so, or, when an event was missed, the next refresh of
  the channel's members (``bot/members.py``).

The erasure itself is one transaction (``storage.erasure.erase_member``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from datetime import timedelta
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.blocks import Block, button, section
from bot.commands import mention_user_id
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.i18n import Text, listing
from bot.mrkdwn import escape, mention
from bot.numbers import is_number
from handlers.cluster.texts import (
    ERASE_ASK_MEMBER,
    ERASE_ASK_SELF,
    ERASE_BUTTON,
    ERASE_CANCEL_BUTTON,
    ERASE_CANCELLED,
    ERASE_GONE,
    ERASE_NOT_ALLOWED,
    ERASED_CHECK_INS,
    ERASED_MADE,
    ERASED_MEMBER,
    ERASED_NOTHING_MEMBER,
    ERASED_NOTHING_SELF,
    ERASED_OTHER,
    ERASED_PAST,
    ERASED_RELEASED,
    ERASED_RSVPS,
    ERASED_SEATS,
    ERASED_SELF,
    ERASED_TEXTS,
    ERASED_VOTES,
    FORGET_NEEDS_MENTION,
    NO_DATA_MEMBER,
    NO_DATA_SELF,
    STILL_COORDINATOR,
)
from handlers.router import CommandContext
from storage import jobs as job_store
from storage.clusters import Cluster, Member, get_cluster_by_id, is_coordinator
from storage.erasure import Erased, count_held, erase_member, upcoming_turns
from storage.jobs import Job

log = logging.getLogger(__name__)

ERASE_ACTION = "member_erase_confirm"
ERASE_CANCEL_ACTION = "member_erase_cancel"
ERASE_JOB = "member_erase"
GRACE = timedelta(days=30)

Ack = Callable[..., Awaitable[None]]


# --- asking -------------------------------------------------------------------------------------


def confirmation_blocks(question: str, cluster_id: int, user_id: str, language: str) -> list[Block]:
    """``question`` with Erase and Cancel; the buttons name the cluster and the member."""
    value = f"{cluster_id}:{user_id}"
    return [
        section(question),
        {
            "type": "actions",
            "block_id": "member_erase",
            "elements": [
                button(ERASE_BUTTON.render(language), ERASE_ACTION, value, style="danger"),
                button(ERASE_CANCEL_BUTTON.render(language), ERASE_CANCEL_ACTION, value),
            ],
        },
    ]


async def _holds_data(deps: Deps, cluster: Cluster, user: str) -> bool:
    """Whether erasing ``user``'s data in ``cluster`` would remove or change anything."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        held = await count_held(session, cluster_id=cluster.id, user_id=user, now=deps.clock())
    return held.total > 0


async def ask_to_erase_own(ctx: CommandContext) -> None:
    """``my data delete``: ask the member to confirm erasing their data in this cluster."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    if not await _holds_data(ctx.deps, cluster, ctx.user_id):
        raise UserError(NO_DATA_SELF)
    question = ctx.t(ERASE_ASK_SELF, cluster=escape(cluster.name))
    blocks = confirmation_blocks(question, cluster.id, ctx.user_id, ctx.language)
    await ctx.reply(question, blocks=blocks)


async def ask_to_forget_member(ctx: CommandContext) -> None:
    """``member forget @name`` (coordinators): ask to confirm erasing that member's data."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.args.words
    user = mention_user_id(words[0]) if len(words) == 1 else None
    if user is None:
        raise UserError(FORGET_NEEDS_MENTION)
    if not await _holds_data(ctx.deps, cluster, user):  # a bot, say, or someone never here
        raise UserError(NO_DATA_MEMBER, user=mention(user))
    question = ctx.t(ERASE_ASK_MEMBER, user=mention(user), cluster=escape(cluster.name))
    await ctx.reply(question, blocks=confirmation_blocks(question, cluster.id, user, ctx.language))


# --- the buttons --------------------------------------------------------------------------------


async def _clicked(deps: Deps, body: dict[str, Any]) -> tuple[Cluster, str] | None:
    """The cluster and the member named by the clicked button, if in the clicker's workspace."""
    value = str((body.get("actions") or [{}])[0].get("value") or "")
    cluster_id, _, user = value.partition(":")
    if not is_number(cluster_id, digits=12) or mention_user_id(f"<@{user}>") != user:
        return None
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    async with deps.db.session() as session:
        cluster = await get_cluster_by_id(session, int(cluster_id))
    if cluster is None or cluster.id is None or cluster.team_id != team:
        return None
    return cluster, user


async def on_erase(ack: Ack, body: dict[str, Any], respond: AsyncRespond, context: Any) -> None:
    """Erase: the member themself or a coordinator erases; the answer counts what went."""
    await ack()
    deps = deps_of(context)
    clicked = await _clicked(deps, body)
    if clicked is None:
        text = ERASE_GONE.render(deps.settings.language)
        await respond(text=text, replace_original=True, response_type="ephemeral")
        return
    cluster, user = clicked
    assert cluster.id is not None
    clicker = str(body["user"]["id"])
    language = cluster.language
    async with deps.db.session() as session:
        allowed = clicker == user or await is_coordinator(
            session, cluster_id=cluster.id, user_id=clicker
        )
    if not allowed:
        text = ERASE_NOT_ALLOWED.render(language, user=mention(user))
        await respond(text=text, replace_original=True, response_type="ephemeral")
        return
    erased = await erase(deps, cluster, user)
    if erased.total:
        shown = ERASED_SELF if clicker == user else ERASED_MEMBER
    else:  # erased meanwhile (a second click, the job after leaving)
        shown = ERASED_NOTHING_SELF if clicker == user else ERASED_NOTHING_MEMBER
    text = shown.render(
        language, user=mention(user), cluster=escape(cluster.name), counts=counts(erased, language)
    ) + (STILL_COORDINATOR.render(language, user=mention(user)) if erased.coordinator_kept else "")
    await respond(text=text, replace_original=True, response_type="ephemeral")


async def on_cancel(ack: Ack, body: dict[str, Any], respond: AsyncRespond, context: Any) -> None:
    """Cancel: nothing is erased; the question is replaced by saying so."""
    await ack()
    deps = deps_of(context)
    clicked = await _clicked(deps, body)
    language = clicked[0].language if clicked else deps.settings.language
    text = ERASE_CANCELLED.render(language)
    await respond(text=text, replace_original=True, response_type="ephemeral")


def counts(erased: Erased, language: str) -> str:
    """What went, counted, in ``language``: the parts that are not 0."""
    parts: list[tuple[Text, int]] = [
        (ERASED_RSVPS, erased.rsvps),
        (ERASED_CHECK_INS, erased.check_ins),
        (ERASED_TEXTS, erased.texts),
        (ERASED_VOTES, erased.votes),
        (ERASED_SEATS, erased.seats),
        (ERASED_RELEASED, erased.duties_released),
        (ERASED_PAST, erased.turns_anonymised),
        (ERASED_MADE, erased.made),
        (ERASED_OTHER, erased.other),
    ]
    return listing([text.render(language, n=n) for text, n in parts if n], language)


async def erase(
    deps: Deps,
    cluster: Cluster,
    user: str,
    *,
    remove_coordinator: bool = False,
    leaving_job: bool = True,
) -> Erased:
    """Erase ``user``'s data in ``cluster`` (one transaction, with the erasure a departure
    scheduled, if any: it has nothing left to do), then hand on released turns."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        erased = await erase_member(
            session,
            cluster_id=cluster.id,
            user_id=user,
            now=deps.clock(),
            remove_coordinator=remove_coordinator,
        )
        if leaving_job:
            await job_store.cancel(session, keys=[erase_job_key(cluster.id, user)])
    log.info("erased a member's data in cluster %s: %d records", cluster.id, erased.total)
    if erased.duties_released:
        for hand_on in deps.hooks.duties_released:
            await hand_on(deps, cluster, erased.released)
    if erased.votes:
        for hook in deps.hooks.member_erased:
            await hook(deps, cluster)
    await deps.hooks.changed(deps, cluster)
    return erased


# --- leaving the channel ------------------------------------------------------------------------


def erase_job_key(cluster_id: int, user: str) -> str:
    return f"{ERASE_JOB}:{cluster_id}:{user}"


async def members_left(deps: Deps, cluster: Cluster, users: Collection[str]) -> None:
    """People left (their membership rows already gone): their upcoming turns go to others
    now, the channel told without their names; their data goes after ``GRACE``."""
    assert cluster.id is not None
    now = deps.clock()
    async with deps.db.session() as session:
        released = await upcoming_turns(session, cluster_id=cluster.id, user_ids=users, now=now)
        for user in users:
            await job_store.schedule(
                session,
                kind=ERASE_JOB,
                key=erase_job_key(cluster.id, user),
                due_at=now + GRACE,
                payload={"cluster_id": cluster.id, "user_id": user},
            )
    deps.scheduler.wake()
    for hook in deps.hooks.duties_released:
        await hook(deps, cluster, released)


async def members_came_back(deps: Deps, cluster: Cluster, users: Collection[str]) -> None:
    """People rejoined within ``GRACE``: nothing of theirs is erased."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        await job_store.cancel(session, keys=[erase_job_key(cluster.id, user) for user in users])


async def on_members_moved(
    deps: Deps, cluster: Cluster, left: frozenset[str], back: frozenset[str]
) -> None:
    """A refresh of the members found what a missed event would have said: the same follows."""
    if back:
        await members_came_back(deps, cluster, back)
    if left:
        await members_left(deps, cluster, left)


async def run_erase_job(deps: Deps, job: Job) -> None:
    """``GRACE`` after someone left: erase their data, unless they are a member again."""
    cluster_id, user = job.payload.get("cluster_id"), job.payload.get("user_id")
    if not isinstance(cluster_id, int) or not isinstance(user, str):
        log.warning("erase job %s without a cluster and a member", job.key)
        return
    async with deps.db.session() as session:
        cluster = await get_cluster_by_id(session, cluster_id)
        back = await session.get(Member, (cluster_id, user)) is not None
    if cluster is None or back:
        return
    await erase(deps, cluster, user, remove_coordinator=True, leaving_job=False)
