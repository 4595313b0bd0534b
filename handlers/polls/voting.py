"""Voting: option buttons, the ranking modal, and adding options to open polls."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy.exc import IntegrityError

from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import language_for, tell_privately
from bot.mrkdwn import escape
from bot.numbers import parse_number
from bot.slack import click_time
from handlers.polls import blocks, modals
from handlers.polls.ballot_box import BallotBox, Contact
from handlers.polls.common import (
    Listener,
    load_poll,
    parse_ids,
    post_ephemeral,
    view_state,
)
from handlers.polls.message import request_refresh
from handlers.polls.spec import (
    MAX_OPTIONS,
    clean_option,
)
from handlers.polls.texts import (
    NO_SUBCLUSTER,
    NOT_IN_SUBCLUSTER,
    NOT_OPEN_FOR_OPTIONS,
    OPTION_ADDED,
    OPTION_EXISTS,
    POLL_GONE,
    POLL_IS_CLOSED,
    RANK_DUPLICATE,
    RANKING_SAVED,
    TOO_MANY_OPTIONS,
)
from storage import polls as store
from storage import votes
from storage.breakouts import Subcluster, subcluster_of
from storage.polls import Poll
from storage.votes import Click, Refusal, scope_refusal, voter_key

REFUSED = {
    Refusal.GONE: POLL_GONE,
    Refusal.CLOSED: POLL_IS_CLOSED,
    Refusal.NOT_IN_SUBCLUSTER: NOT_IN_SUBCLUSTER,
    Refusal.NO_SUBCLUSTER: NO_SUBCLUSTER,
}


async def _refusal_text(
    deps: Deps, refusal: Refusal, subcluster_id: int | None, language: str
) -> str:
    """The refusal in ``language``, naming the poll's sub-cluster where it matters."""
    name = "?"
    if refusal is Refusal.NOT_IN_SUBCLUSTER and subcluster_id:
        async with deps.db.session() as session:
            scoped = await session.get(Subcluster, subcluster_id)
        name = scoped.name if scoped else name
    return REFUSED[refusal].render(language, name=escape(name))


async def _voter_scope(deps: Deps, poll: Poll, user: str) -> tuple[int | None, Refusal | None]:
    """The voter's sub-cluster, and why the poll is not theirs to vote in, if it is not."""
    if not poll.subcluster_id and not poll.by_subcluster:
        return None, None
    async with deps.db.session() as session:
        group = await subcluster_of(session, cluster_id=poll.cluster_id, user_id=user)
    return group, scope_refusal(poll, group)


KEPT = "kept_click"  # where the middleware leaves a click's verdict for the listener


class KeepClick(AsyncMiddleware):
    """The option buttons' listener middleware: stores the click (in ``box``) before Bolt runs
    the listener, which then acks at once. So the answer goes out right after the click is
    durable, and Bolt does not poll for the ack every 10 ms meanwhile (for 2,000 waiting clicks
    that polling cost more than the votes). A class, so Bolt builds no keyword arguments for it."""

    def __init__(self, box: BallotBox) -> None:
        self.box = box

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        body, context = req.body, req.context
        deps = deps_of(context)
        ids = parse_ids(str(body["actions"][0].get("value", "")))
        if ids is not None:
            click = Click(
                poll_id=ids[0],
                option_id=ids[1],
                user_id=str(body["user"]["id"]),
                action_ts=click_time(body, fallback=deps.clock()),
            )
            try:
                context[KEPT] = await self.box.keep(deps, click, Contact.of(body))
            except Exception as error:  # noqa: BLE001 - reported by the listener after its ack
                context[KEPT] = error
        return await next()


def vote_listeners(box: BallotBox) -> tuple[KeepClick, Listener]:
    """The option buttons' listener middleware and listener, keeping clicks in ``box``."""

    async def on_vote(
        ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: Any
    ) -> None:
        """A click on an option, already kept: acknowledged; counted in a batch after
        (``ballot_box``). Only a refused click is answered here."""
        await ack()
        deps = deps_of(context)
        kept = context.get(KEPT)
        if isinstance(kept, Exception):
            raise kept  # the guard tells the voter nothing was saved
        if kept is None:
            await tell_privately(deps, body, POLL_GONE)
        elif kept.refusal is not None:
            language = await language_for(deps, body)
            text = await _refusal_text(deps, kept.refusal, kept.subcluster_id, language)
            await tell_privately(deps, body, text)

    return KeepClick(box), on_vote


async def on_rank_button(
    ack: Callable[[], Awaitable[None]], body: dict[str, Any], client: Any, context: Any
) -> None:
    """Open the ranking modal, pre-filled with the voter's ranking so far."""
    await ack()
    deps = deps_of(context)
    poll_id = parse_number(str(body["actions"][0].get("value", "")))
    loaded = await load_poll(deps, poll_id) if poll_id is not None else None
    if loaded is None:
        await tell_privately(deps, body, POLL_GONE)
        return
    poll, cluster = loaded
    if poll.status != store.OPEN:
        await tell_privately(deps, body, POLL_IS_CLOSED.render(cluster.language))
        return
    user = str(body["user"]["id"])
    _, refusal = await _voter_scope(deps, poll, user)
    if refusal is not None:
        text = await _refusal_text(deps, refusal, poll.subcluster_id, cluster.language)
        await tell_privately(deps, body, text)
        return
    voter = voter_key(poll, user)
    if voter is None:  # closed since it was read: its salt is gone
        await tell_privately(deps, body, POLL_IS_CLOSED.render(cluster.language))
        return
    async with deps.db.session() as session:
        options = await store.options_of(session, poll_id=poll.id or 0)
        ranking = await votes.choices_of(session, poll_id=poll.id or 0, voter=voter)
    view = modals.rank_modal(
        poll.id or 0,
        poll.question,
        [blocks.OptionView(id=o.id or 0, position=o.position, text=o.text) for o in options],
        ranking,
        cluster.language,
    )
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def on_rank_submit(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    """Store a ranking from the modal; duplicate places are shown as field errors."""
    deps = deps_of(context)
    poll_id = parse_number(str(body["view"].get("private_metadata", "")))
    loaded = await load_poll(deps, poll_id) if poll_id is not None else None
    if loaded is None:
        await ack()
        return
    poll, cluster = loaded
    language = cluster.language
    state = view_state(body)
    ranking: list[int] = []
    errors: dict[str, str] = {}
    places = {
        place: key
        for key in state
        if key.startswith("rank_") and (place := parse_number(key[5:], digits=3)) is not None
    }
    for place in sorted(places):
        block_id = places[place]
        selected = (state[block_id].get("option") or {}).get("selected_option") or {}
        option_id = parse_number(str(selected.get("value", "")))
        if option_id is None:
            continue
        if option_id in ranking:
            errors[block_id] = RANK_DUPLICATE.render(language)
        ranking.append(option_id)
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    await ack()
    user = str(body["user"]["id"])
    if poll.status != store.OPEN:
        await post_ephemeral(deps, poll.channel_id, user, POLL_IS_CLOSED.render(language))
        return
    group, refusal = await _voter_scope(deps, poll, user)
    if refusal is not None:
        text = await _refusal_text(deps, refusal, poll.subcluster_id, language)
        await post_ephemeral(deps, poll.channel_id, user, text)
        return
    voter = voter_key(poll, user)
    async with deps.db.session() as session:
        if voter is None or not await store.lock_open(session, poll_id=poll.id or 0):
            await post_ephemeral(deps, poll.channel_id, user, POLL_IS_CLOSED.render(language))
            return
        options = {o.id: o for o in await store.options_of(session, poll_id=poll.id or 0)}
        ranking = [option_id for option_id in ranking if option_id in options]
        await votes.replace_ranking(
            session,
            poll_id=poll.id or 0,
            voter=voter,
            ranking=ranking,
            subcluster_id=group,
            now=deps.clock(),
        )
    await request_refresh(deps, poll.id or 0)
    await deps.hooks.changed(deps, cluster, only=user)
    shown = " > ".join(escape(blocks.shorten(options[o].text, 60)) for o in ranking)
    await post_ephemeral(
        deps,
        poll.channel_id,
        user,
        RANKING_SAVED.render(
            language, question=escape(blocks.shorten(poll.question, 120)), ranking=shown
        ),
    )


# --- adding options -----------------------------------------------------------------------------


async def on_add_option_button(
    ack: Callable[[], Awaitable[None]], body: dict[str, Any], client: Any, context: Any
) -> None:
    await ack()
    deps = deps_of(context)
    poll_id = parse_number(str(body["actions"][0].get("value", "")))
    loaded = await load_poll(deps, poll_id) if poll_id is not None else None
    if loaded is None:
        await tell_privately(deps, body, POLL_GONE)
        return
    poll, cluster = loaded
    if poll.status != store.OPEN or not poll.open_options:
        text = POLL_IS_CLOSED if poll.status != store.OPEN else NOT_OPEN_FOR_OPTIONS
        await tell_privately(deps, body, text.render(cluster.language))
        return
    await client.views_open(
        trigger_id=body["trigger_id"],
        view=modals.add_option_modal(poll.id or 0, poll.question, cluster.language),
    )


async def on_add_option_submit(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    deps = deps_of(context)
    poll_id = parse_number(str(body["view"].get("private_metadata", "")))
    loaded = await load_poll(deps, poll_id) if poll_id is not None else None
    if loaded is None:
        await ack()
        return
    poll, cluster = loaded
    language = cluster.language
    user = str(body["user"]["id"])
    raw = str(((view_state(body).get("option") or {}).get("value") or {}).get("value") or "")
    try:
        if poll.status != store.OPEN:
            raise UserError(POLL_IS_CLOSED)
        if not poll.open_options:
            raise UserError(NOT_OPEN_FOR_OPTIONS)
        text = clean_option(raw, 1)
        async with deps.db.session() as session:
            count = len(await store.options_of(session, poll_id=poll.id or 0))
            if count >= MAX_OPTIONS:
                raise UserError(TOO_MANY_OPTIONS, maximum=MAX_OPTIONS, count=count + 1)
            try:
                async with session.begin_nested():
                    await store.add_option(session, poll_id=poll.id or 0, text=text, added_by=user)
            except IntegrityError:
                raise UserError(OPTION_EXISTS) from None
    except UserError as error:
        await ack(response_action="errors", errors={"option": error.render(language)})
        return
    await ack()
    await request_refresh(deps, poll.id or 0)
    await post_ephemeral(
        deps,
        poll.channel_id,
        user,
        OPTION_ADDED.render(language, user=f"<@{user}>", option=escape(text), id=poll.id),
    )
