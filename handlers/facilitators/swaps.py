"""Swapping turns: the request, and the other side's Accept / Decline buttons.

Members swap with members; babyklynger (sub-cluster rotation) swap with babyklynger, and any
member of the babyklynge asked may accept or decline for it (the question goes to them
together).
"""

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
    group_message,
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
    SWAP_OUTDATED,
    SWAP_QUESTION,
    SWAP_QUESTION_PLACE,
    SWAP_SAME_GROUP,
    SWAP_USAGE,
)
from handlers.router import CommandContext
from storage import facilitators as store
from storage.breakouts import Subcluster, subcluster_member_ids
from storage.clusters import Cluster, get_cluster_by_id

SWAP_ACCEPT = "facilitator_swap_accept"
SWAP_DECLINE = "facilitator_swap_decline"


def _sides(plan: Plan, key: str, user: str) -> bool:
    """Whether ``user`` is on the side of rotation key ``key`` (the member, or in the group)."""
    return user == key or user in plan.subcluster_members.get(key, [])


async def facilitator_swap(ctx: CommandContext) -> None:
    """Ask the other side to confirm swapping two turns (two members', or the turns of the two
    people's babyklynger)."""
    cluster = cluster_of(ctx)
    users = [mention_user_id(word) for word in ctx.args.words]
    if len(users) != 2 or None in users or users[0] == users[1]:
        raise UserError(SWAP_USAGE)
    plan = await replan(ctx.deps, cluster)
    first, _ = await rotation_target(ctx, plan, f"<@{users[0]}>")
    second, _ = await rotation_target(ctx, plan, f"<@{users[1]}>")
    if first == second:
        raise UserError(SWAP_SAME_GROUP, a=f"<@{users[0]}>", b=f"<@{users[1]}>")
    if not (ctx.is_coordinator or any(_sides(plan, key, ctx.user_id) for key in (first, second))):
        raise UserError(SWAP_NOT_ALLOWED)
    confirmer = first if _sides(plan, second, ctx.user_id) else second
    asked = await ask_for_swap(
        ctx.deps, cluster, plan, keys=(first, second), requested_by=ctx.user_id, confirmer=confirmer
    )
    await ctx.reply(ctx.t(SWAP_ASKED, confirmer=asked))


async def ask_for_swap(
    deps: Deps,
    cluster: Cluster,
    plan: Plan,
    *,
    keys: tuple[str, str],
    requested_by: str,
    confirmer: str,
) -> str:
    """Store the request to swap the turns of ``keys`` and ask ``confirmer`` (a member, or a
    babyklynge's members together); returns the confirmer's name. ``UserError`` when neither
    side has a turn to swap."""
    assert cluster.id is not None
    language = cluster.language
    from_key, to_key = keys
    if plan.next_turn_of(from_key) is None:
        from_key, to_key = to_key, from_key
    from_meeting = plan.next_turn_of(from_key)
    if from_meeting is None or from_meeting.id is None:
        raise UserError(
            SWAP_NO_TURNS, a=plan.name(keys[0], language), b=plan.name(keys[1], language)
        )
    to_meeting = plan.next_turn_of(to_key)
    async with deps.db.session() as session:
        request = await store.add_swap_request(
            session,
            store.SwapRequest(
                cluster_id=cluster.id,
                from_key=from_key,
                to_key=to_key,
                from_meeting_id=from_meeting.id,
                to_meeting_id=to_meeting.id if to_meeting else None,
                requested_by=requested_by,
                confirmer=confirmer,
            ),
        )
    question = (SWAP_QUESTION if to_meeting else SWAP_QUESTION_PLACE).render(
        language,
        requester=f"<@{requested_by}>",
        a=plan.name(from_key, language),
        when_a=meeting_time(from_meeting, cluster),
        b=plan.name(to_key, language),
        when_b=meeting_time(to_meeting, cluster) if to_meeting else "",
    )
    blocks = swap_question_blocks(question, request.id or 0, language)
    if confirmer in plan.subcluster_members:
        await group_message(deps, cluster, plan.subcluster_members[confirmer], question, blocks)
    else:
        await direct_message(deps, confirmer, question, blocks)
    return plan.name(confirmer, language)


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
        confirmers = [request.confirmer] if request else []
        group_id = store.subcluster_id_of(request.confirmer) if request else None
        group = await session.get(Subcluster, group_id) if group_id is not None else None
        if group is not None:
            confirmers = await subcluster_member_ids(session, subcluster_id=group_id or 0)
    if request is None or request.id is None or cluster is None:
        await tell_privately(deps, body, GONE)
        return
    if user not in confirmers:
        name = f"*{group.name}*" if group is not None else f"<@{request.confirmer}>"
        text = SWAP_ONLY_CONFIRMER.render(cluster.language, confirmer=name)
        await tell_privately(deps, body, text)
        return
    if accepted:
        await _accept_swap(deps, body, cluster, request)
    else:
        await _decline_swap(deps, body, cluster, request, user)


async def _decline_swap(
    deps: Deps, body: dict[str, Any], cluster: Cluster, request: store.SwapRequest, user: str
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
    notice = SWAP_DECLINED_NOTICE.render(cluster.language, confirmer=f"<@{user}>")
    await direct_message(deps, request.requested_by, notice)


async def _accept_swap(
    deps: Deps, body: dict[str, Any], cluster: Cluster, request: store.SwapRequest
) -> None:
    """Pin each one to the other's turn (or hand over the place in the queue), then replan.

    The answer is taken first, atomically: a second delivery of the same click stops there,
    before it could replan and so take the changes the first one is about to announce."""
    assert request.id is not None
    language = cluster.language
    async with deps.db.session() as session:
        answered = await store.answer_swap_request(
            session, request_id=request.id, status=store.ACCEPTED
        )
    if not answered:
        await tell_privately(deps, body, SWAP_ALREADY_ANSWERED.render(language))
        return
    plan = await replan(deps, cluster)
    still = {m.id: plan.holder(m) for m in plan.upcoming}
    valid = (
        still.get(request.from_meeting_id) == request.from_key
        and request.to_key in plan.candidate_keys()
        and (request.to_meeting_id is None or still.get(request.to_meeting_id) == request.to_key)
    )
    async with deps.db.session() as session:
        if not valid:
            await store.answer_swap_request(
                session, request_id=request.id, status=store.DECLINED, was=store.ACCEPTED
            )
        else:
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
    if not valid:
        await update_message(deps, body, SWAP_OUTDATED.render(language))
        return
    plan = await replan(deps, cluster)
    a, b = plan.name(request.to_key, language), plan.name(request.from_key, language)
    await update_message(deps, body, SWAP_ACCEPTED.render(language, a=a, b=b))
    await announce_changes(deps, cluster, plan, REASON_SWAP.render(language, a=a, b=b))


def _waiting_since(plan: Plan, key: str) -> datetime:
    candidate = next(c for c in plan.facilitators if c.key == key)
    return rotation.waited_since(candidate, plan.last_turns)
