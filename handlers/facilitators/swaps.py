"""Swapping two people's turns: the request, and the other one's Accept / Decline buttons."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.blocks import button, section
from bot.commands import mention_user_id
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import tell_privately
from handlers.facilitators import rotation
from handlers.facilitators.changes import announce_changes
from handlers.facilitators.commands import cluster_of, rotation_target
from handlers.facilitators.messages import (
    Ack,
    action_value,
    direct_message,
    meeting_time,
    update_message,
)
from handlers.facilitators.plan import Plan, replan
from handlers.facilitators.texts import (
    ACCEPT,
    DECLINE,
    GONE,
    REASON_SWAP,
    SWAP_ACCEPTED,
    SWAP_ALREADY_ANSWERED,
    SWAP_ASKED,
    SWAP_DECLINED,
    SWAP_DECLINED_NOTICE,
    SWAP_NO_TURNS,
    SWAP_NOT_ALLOWED,
    SWAP_ONLY_CONFIRMER,
    SWAP_ONLY_MEMBERS,
    SWAP_OUTDATED,
    SWAP_QUESTION,
    SWAP_QUESTION_PLACE,
    SWAP_USAGE,
)
from handlers.router import CommandContext
from storage import facilitators as store
from storage.clusters import Cluster, get_cluster_by_id

SWAP_ACCEPT = "facilitator_swap_accept"
SWAP_DECLINE = "facilitator_swap_decline"


async def facilitator_swap(ctx: CommandContext) -> None:
    """Ask the other person to confirm swapping two people's turns."""
    cluster = cluster_of(ctx)
    assert cluster.id is not None
    users = [mention_user_id(word) for word in ctx.args.words]
    if len(users) != 2 or None in users or users[0] == users[1]:
        raise UserError(SWAP_USAGE)
    first, second = str(users[0]), str(users[1])
    if not (ctx.is_coordinator or ctx.user_id in (first, second)):
        raise UserError(SWAP_NOT_ALLOWED)
    plan = await replan(ctx.deps, cluster)
    if plan.mode != store.MEMBERS:
        raise UserError(SWAP_ONLY_MEMBERS)
    for user in (first, second):
        await rotation_target(ctx, plan, f"<@{user}>")
    from_key, to_key = first, second
    if plan.next_turn_of(from_key) is None:
        from_key, to_key = second, first
    from_meeting = plan.next_turn_of(from_key)
    if from_meeting is None or from_meeting.id is None:
        raise UserError(SWAP_NO_TURNS, a=f"<@{first}>", b=f"<@{second}>")
    to_meeting = plan.next_turn_of(to_key)
    confirmer = second if ctx.user_id != second else first
    async with ctx.deps.db.session() as session:
        request = await store.add_swap_request(
            session,
            store.SwapRequest(
                cluster_id=cluster.id,
                from_key=from_key,
                to_key=to_key,
                from_meeting_id=from_meeting.id,
                to_meeting_id=to_meeting.id if to_meeting else None,
                requested_by=ctx.user_id,
                confirmer=confirmer,
            ),
        )
    question = ctx.t(
        SWAP_QUESTION if to_meeting else SWAP_QUESTION_PLACE,
        requester=f"<@{ctx.user_id}>",
        a=f"<@{from_key}>",
        when_a=meeting_time(from_meeting, cluster),
        b=f"<@{to_key}>",
        when_b=meeting_time(to_meeting, cluster) if to_meeting else "",
    )
    await direct_message(
        ctx.deps,
        confirmer,
        question,
        swap_question_blocks(question, request.id or 0, cluster.language),
    )
    await ctx.reply(ctx.t(SWAP_ASKED, confirmer=f"<@{confirmer}>"))


def swap_question_blocks(question: str, request_id: int, language: str) -> list[dict[str, Any]]:
    """The DM asking to confirm a swap: the question and Accept / Decline buttons."""
    return [
        section(question),
        {
            "type": "actions",
            "block_id": f"facilitator_swap:{request_id}",
            "elements": [
                button(ACCEPT.render(language), SWAP_ACCEPT, str(request_id), style="primary"),
                button(DECLINE.render(language), SWAP_DECLINE, str(request_id)),
            ],
        },
    ]


async def on_swap_answer(ack: Ack, body: dict[str, Any], context: Any) -> None:
    await ack()
    deps = deps_of(context)
    user = str((body.get("user") or {}).get("id"))
    accepted = ((body.get("actions") or [{}])[0]).get("action_id") == SWAP_ACCEPT
    request_id = action_value(body)
    async with deps.db.session() as session:
        request = (
            await store.get_swap_request(session, request_id=request_id)
            if request_id is not None
            else None
        )
        cluster = await get_cluster_by_id(session, request.cluster_id) if request else None
    if request is None or request.id is None or cluster is None:
        await tell_privately(deps, body, GONE)
        return
    if user != request.confirmer:
        text = SWAP_ONLY_CONFIRMER.render(cluster.language, confirmer=f"<@{request.confirmer}>")
        await tell_privately(deps, body, text)
        return
    if accepted:
        await _accept_swap(deps, body, cluster, request)
    else:
        await _decline_swap(deps, body, cluster, request)


async def _decline_swap(
    deps: Deps, body: dict[str, Any], cluster: Cluster, request: store.SwapRequest
) -> None:
    assert request.id is not None
    async with deps.db.session() as session:
        answered = await store.answer_swap_request(
            session, request_id=request.id, status=store.DECLINED
        )
    if not answered:
        await tell_privately(deps, body, SWAP_ALREADY_ANSWERED.render(cluster.language))
        return
    await update_message(deps, body, SWAP_DECLINED.render(cluster.language))
    notice = SWAP_DECLINED_NOTICE.render(cluster.language, confirmer=f"<@{request.confirmer}>")
    await direct_message(deps, request.requested_by, notice)


async def _accept_swap(
    deps: Deps, body: dict[str, Any], cluster: Cluster, request: store.SwapRequest
) -> None:
    """Pin each one to the other's turn (or hand over the place in the queue), then replan."""
    assert request.id is not None
    language = cluster.language
    plan = await replan(deps, cluster)
    still = {m.id: plan.holder(m) for m in plan.upcoming}
    valid = (
        still.get(request.from_meeting_id) == request.from_key
        and request.to_key in plan.candidate_keys()
        and (request.to_meeting_id is None or still.get(request.to_meeting_id) == request.to_key)
    )
    async with deps.db.session() as session:
        answered = await store.answer_swap_request(
            session, request_id=request.id, status=store.ACCEPTED if valid else store.DECLINED
        )
        if answered and valid:
            await store.pin(session, meeting_id=request.from_meeting_id, key=request.to_key)
            if request.to_meeting_id is not None:
                await store.pin(session, meeting_id=request.to_meeting_id, key=request.from_key)
            else:  # the other one's turn is not planned yet: take over their place in the queue
                await store.add_manual_turn(
                    session,
                    cluster_id=cluster.id or 0,
                    role=store.FACILITATOR,
                    key=request.from_key,
                    at=_waiting_since(plan, request.to_key),
                    moved=True,
                )
    if not answered:
        await tell_privately(deps, body, SWAP_ALREADY_ANSWERED.render(language))
        return
    if not valid:
        await update_message(deps, body, SWAP_OUTDATED.render(language))
        return
    plan = await replan(deps, cluster)
    a, b = f"<@{request.to_key}>", f"<@{request.from_key}>"
    await update_message(deps, body, SWAP_ACCEPTED.render(language, a=a, b=b))
    await announce_changes(deps, cluster, plan, REASON_SWAP.render(language, a=a, b=b))


def _waiting_since(plan: Plan, key: str) -> datetime:
    candidate = next(c for c in plan.facilitators if c.key == key)
    return rotation.waited_since(candidate, plan.last_turns)
