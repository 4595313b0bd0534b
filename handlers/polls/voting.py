"""Voting: option buttons, the ranking modal, and adding options to open polls."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import tell_privately
from bot.i18n import Text
from bot.mrkdwn import escape
from handlers.polls import blocks, modals
from handlers.polls.common import (
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
    MOVED,
    NO_SUBCLUSTER,
    NOT_IN_SUBCLUSTER,
    NOT_OPEN_FOR_OPTIONS,
    OPTION_ADDED,
    OPTION_EXISTS,
    POLL_GONE,
    POLL_IS_CLOSED,
    RANK_DUPLICATE,
    RANKING_SAVED,
    TOO_MANY_CHOICES,
    TOO_MANY_OPTIONS,
    VOTED,
    WITHDRAWN,
)
from storage import polls as store
from storage.breakouts import Subcluster, subcluster_of
from storage.clusters import Cluster
from storage.polls import Outcome, Poll


async def _whisper(
    deps: Deps, body: dict[str, Any], language: str, text: Text, **values: object
) -> None:
    await tell_privately(deps, body, text.render(language, **values))


async def _scope_in(
    session: Any, poll: Poll, cluster: Cluster, user: str
) -> tuple[int | None, Text | None, dict[str, object]]:
    """The voter's sub-cluster, or the refusal when the poll is not theirs to vote in."""
    if not poll.subcluster_id and not poll.by_subcluster:
        return None, None, {}
    group = await subcluster_of(session, cluster_id=cluster.id or 0, user_id=user)
    if poll.subcluster_id and group != poll.subcluster_id:
        scoped = await session.get(Subcluster, poll.subcluster_id)
        return None, NOT_IN_SUBCLUSTER, {"name": escape(scoped.name if scoped else "?")}
    if poll.by_subcluster and group is None:
        return None, NO_SUBCLUSTER, {}
    return group, None, {}


async def _voter_scope(
    deps: Deps, poll: Poll, cluster: Cluster, user: str
) -> tuple[int | None, Text | None, dict[str, object]]:
    async with deps.db.session() as session:
        return await _scope_in(session, poll, cluster, user)


# Votes handled at once per process. More would only queue for a database connection, where a
# long wait is an error (pool timeout, SQLite busy timeout); here a burst simply waits its turn.
VOTES_AT_ONCE = 8
_vote_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _vote_slot() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    slot = _vote_slots.get(loop)
    if slot is None:
        slot = _vote_slots[loop] = asyncio.Semaphore(VOTES_AT_ONCE)
    return slot


@dataclass
class Answer:
    """What to tell the voter privately."""

    text: Text
    values: dict[str, object]
    language: str
    counted: bool = False


async def _cast_vote(deps: Deps, poll_id: int, option_id: int, user: str) -> Answer:
    """Check and count one click in one transaction (the poll held open while it runs)."""
    language: str = deps.settings.language
    async with deps.db.session() as session:
        is_open = await store.lock_open(session, poll_id=poll_id)
        found = await store.poll_with_option(session, poll_id=poll_id, option_id=option_id)
        if found is None:
            return Answer(POLL_GONE, {}, language)
        poll, cluster, option = found
        language = cluster.language
        if poll.kind == store.RANKED:  # ranked polls have no option buttons
            return Answer(POLL_GONE, {}, language)
        if not is_open:
            return Answer(POLL_IS_CLOSED, {}, language)
        group, refusal, values = await _scope_in(session, poll, cluster, user)
        if refusal is not None:
            return Answer(refusal, values, language)
        outcome = await store.toggle_vote(
            session,
            poll_id=poll_id,
            voter=store.voter_key(poll, user, secret=deps.settings.ballot_secret),
            option_id=option_id,
            max_choices=poll.max_choices,
            subcluster_id=group,
            now=deps.clock(),
        )
    if outcome is Outcome.TOO_MANY:
        return Answer(TOO_MANY_CHOICES, {"n": poll.max_choices}, language)
    text = {Outcome.VOTED: VOTED, Outcome.MOVED: MOVED, Outcome.WITHDRAWN: WITHDRAWN}[outcome]
    shown = escape(blocks.shorten(option.text, 120))
    return Answer(text, {"option": shown}, language, counted=True)


async def _home_changed(deps: Deps, poll_id: int, voter: str) -> None:
    """Tell the voter's App Home the poll changed (it lists the polls they have not voted in)."""
    if (loaded := await load_poll(deps, poll_id)) is not None:
        await deps.hooks.changed(deps, loaded[1], only=voter)


async def on_vote(ack: Callable[[], Awaitable[None]], body: dict[str, Any], context: Any) -> None:
    """A click on an option button: count it, answer privately, refresh the message (coalesced)."""
    await ack()
    deps = deps_of(context)
    ids = parse_ids(str(body["actions"][0].get("value", "")))
    if ids is None:
        await tell_privately(deps, body, POLL_GONE)
        return
    async with _vote_slot():
        answer = await _cast_vote(deps, ids[0], ids[1], str(body["user"]["id"]))
        if answer.counted:
            await request_refresh(deps, ids[0])
    if answer.counted:
        await _home_changed(deps, ids[0], str(body["user"]["id"]))
    await _whisper(deps, body, answer.language, answer.text, **answer.values)


async def on_rank_button(
    ack: Callable[[], Awaitable[None]], body: dict[str, Any], client: Any, context: Any
) -> None:
    """Open the ranking modal, pre-filled with the voter's ranking so far."""
    await ack()
    deps = deps_of(context)
    value = str(body["actions"][0].get("value", ""))
    loaded = await load_poll(deps, int(value)) if value.isdigit() else None
    if loaded is None:
        await tell_privately(deps, body, POLL_GONE)
        return
    poll, cluster = loaded
    if poll.status != store.OPEN:
        await _whisper(deps, body, cluster.language, POLL_IS_CLOSED)
        return
    user = str(body["user"]["id"])
    _, refusal, values = await _voter_scope(deps, poll, cluster, user)
    if refusal is not None:
        await _whisper(deps, body, cluster.language, refusal, **values)
        return
    voter = store.voter_key(poll, user, secret=deps.settings.ballot_secret)
    async with deps.db.session() as session:
        options = await store.options_of(session, poll_id=poll.id or 0)
        ranking = await store.choices_of(session, poll_id=poll.id or 0, voter=voter)
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
    metadata = str(body["view"].get("private_metadata", ""))
    loaded = await load_poll(deps, int(metadata)) if metadata.isdigit() else None
    if loaded is None:
        await ack()
        return
    poll, cluster = loaded
    language = cluster.language
    state = view_state(body)
    ranking: list[int] = []
    errors: dict[str, str] = {}
    for block_id in sorted(
        (key for key in state if key.startswith("rank_")), key=lambda key: int(key[5:])
    ):
        selected = (state[block_id].get("option") or {}).get("selected_option") or {}
        value = str(selected.get("value", ""))
        if not value.isdigit():
            continue
        if int(value) in ranking:
            errors[block_id] = RANK_DUPLICATE.render(language)
        ranking.append(int(value))
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    await ack()
    user = str(body["user"]["id"])
    if poll.status != store.OPEN:
        await post_ephemeral(deps, poll.channel_id, user, POLL_IS_CLOSED.render(language))
        return
    group, refusal, values = await _voter_scope(deps, poll, cluster, user)
    if refusal is not None:
        await post_ephemeral(deps, poll.channel_id, user, refusal.render(language, **values))
        return
    voter = store.voter_key(poll, user, secret=deps.settings.ballot_secret)
    async with deps.db.session() as session:
        if not await store.lock_open(session, poll_id=poll.id or 0):
            await post_ephemeral(deps, poll.channel_id, user, POLL_IS_CLOSED.render(language))
            return
        options = {o.id: o for o in await store.options_of(session, poll_id=poll.id or 0)}
        ranking = [option_id for option_id in ranking if option_id in options]
        await store.replace_ranking(
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
    value = str(body["actions"][0].get("value", ""))
    loaded = await load_poll(deps, int(value)) if value.isdigit() else None
    if loaded is None:
        await tell_privately(deps, body, POLL_GONE)
        return
    poll, cluster = loaded
    if poll.status != store.OPEN or not poll.open_options:
        text = POLL_IS_CLOSED if poll.status != store.OPEN else NOT_OPEN_FOR_OPTIONS
        await _whisper(deps, body, cluster.language, text)
        return
    await client.views_open(
        trigger_id=body["trigger_id"],
        view=modals.add_option_modal(poll.id or 0, poll.question, cluster.language),
    )


async def on_add_option_submit(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    deps = deps_of(context)
    metadata = str(body["view"].get("private_metadata", ""))
    loaded = await load_poll(deps, int(metadata)) if metadata.isdigit() else None
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
