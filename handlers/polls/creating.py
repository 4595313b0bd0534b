"""Creating a poll: ``/klynge poll "Q" "A" "B" --flags`` and the creation modal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import view_metadata
from bot.i18n import format_datetime, quoted
from bot.mrkdwn import escape
from handlers.polls import modals
from handlers.polls.breakdown import MIN_GROUP_BALLOTS
from handlers.polls.common import (
    post_ephemeral,
    view_state,
)
from handlers.polls.message import render_poll
from handlers.polls.spec import (
    PollSpec,
    clean_options,
    clean_question,
    nudge_time,
    parse_closes,
    parse_multi,
    spec_from_command,
)
from handlers.polls.texts import (
    BY_SUBCLUSTER_FLAG,
    NO_SUBCLUSTERS,
    NOT_A_CLUSTER_CHANNEL,
    POLL_CREATED,
    POLL_CREATED_CLOSES,
    SMALL_SUBCLUSTERS,
    SUBCLUSTER_FLAG,
    UNKNOWN_SUBCLUSTER,
)
from handlers.router import CommandContext, announce
from storage import polls as store
from storage.breakouts import Subcluster, subcluster_members, subclusters
from storage.clusters import Cluster, get_cluster
from storage.meetings import running_meeting
from storage.polls import Poll


async def _resolve_subcluster(deps: Deps, cluster: Cluster, spec: PollSpec) -> int | None:
    if not spec.subcluster and not spec.by_subcluster:
        return None
    assert cluster.id is not None
    shows_each = spec.subcluster is None and spec.anonymous  # anonymous, by sub-cluster
    async with deps.db.session() as session:
        known = list(await subclusters(session, cluster_id=cluster.id))
        members = await subcluster_members(session, cluster_id=cluster.id) if shows_each else {}
    flag = SUBCLUSTER_FLAG if spec.subcluster else BY_SUBCLUSTER_FLAG
    if not known:
        raise UserError(NO_SUBCLUSTERS, flag=flag.bind())
    if spec.subcluster is None:
        if shows_each:
            _refuse_small_subclusters(known, members)
        return None
    wanted = store.normalize(spec.subcluster)
    for subcluster in known:
        if store.normalize(subcluster.name) == wanted:
            return subcluster.id
    names = ", ".join(quoted(escape(s.name), cluster.language) for s in known)
    raise UserError(UNKNOWN_SUBCLUSTER, name=escape(spec.subcluster[:80]), names=names)


def _refuse_small_subclusters(
    known: Sequence[Subcluster], members: Mapping[int, Sequence[str]]
) -> None:
    """An anonymous poll by sub-cluster shows each one's choice: in a sub-cluster of fewer
    than ``MIN_GROUP_BALLOTS`` members that could point at a person, so it is refused."""
    small = [s for s in known if len(members.get(s.id or 0, [])) < MIN_GROUP_BALLOTS]
    if small:
        names = ", ".join(f"*{escape(s.name)}*" for s in small)
        raise UserError(SMALL_SUBCLUSTERS, minimum=MIN_GROUP_BALLOTS, names=names)


async def create_poll(
    deps: Deps, cluster: Cluster, *, channel: str, user: str, spec: PollSpec
) -> Poll:
    """Store the poll, post it in the channel, and schedule its deadline and nudge."""
    assert cluster.id is not None
    subcluster_id = await _resolve_subcluster(deps, cluster, spec)
    now = deps.clock()
    async with deps.db.session() as session:
        meeting = await running_meeting(session, cluster_id=cluster.id)
        poll = await store.create_poll(
            session,
            poll=Poll(
                cluster_id=cluster.id,
                channel_id=channel,
                question=spec.question,
                kind=spec.kind,
                max_choices=spec.max_choices,
                anonymous=spec.anonymous,
                open_options=spec.open_options,
                subcluster_id=subcluster_id,
                by_subcluster=spec.by_subcluster,
                closes_at=spec.closes_at,
                meeting_id=meeting.id if meeting else None,
                created_by=user,
                created_at=now,
                last_refreshed_at=now,
            ),
            options=spec.options,
        )
        text, message_blocks = await render_poll(session, deps, cluster, poll)
        # Posting inside the transaction: if the bot can't post, no poll is left behind.
        posted = await announce(deps, channel, text, blocks=message_blocks)
        poll.message_ts = str(posted.get("ts"))
        session.add(poll)
    assert poll.id is not None
    if poll.closes_at is not None:
        await deps.scheduler.schedule(
            kind="poll_close",
            key=f"poll_close:{poll.id}",
            due_at=poll.closes_at,
            payload={"poll_id": poll.id},
        )
        nudge_at = nudge_time(now, poll.closes_at)
        if nudge_at > now:
            await deps.scheduler.schedule(
                kind="poll_nudge",
                key=f"poll_nudge:{poll.id}",
                due_at=nudge_at,
                payload={"poll_id": poll.id},
                expires_at=poll.closes_at,
            )
    await deps.hooks.changed(deps, cluster)
    return poll


async def poll_command(ctx: CommandContext) -> None:
    """``/klynge poll "Q" "A" "B" ...``, or the creation modal when nothing follows."""
    cluster = ctx.require_cluster()
    if not ctx.args.positional and not ctx.args.flags:
        await ctx.client.views_open(
            trigger_id=ctx.trigger_id, view=modals.create_modal(ctx.channel_id, ctx.language)
        )
        return
    spec = spec_from_command(
        ctx.args.positional, ctx.args.flags, now=ctx.deps.clock(), tz=ctx.timezone
    )
    poll = await create_poll(ctx.deps, cluster, channel=ctx.channel_id, user=ctx.user_id, spec=spec)
    await ctx.reply(ctx.t(POLL_CREATED, id=poll.id, closes=_closes_phrase(poll, cluster)))


def _closes_phrase(poll: Poll, cluster: Cluster) -> str:
    if poll.closes_at is None:
        return ""
    local = poll.closes_at.astimezone(ZoneInfo(cluster.timezone))
    return POLL_CREATED_CLOSES.render(
        cluster.language, when=format_datetime(local, cluster.language)
    )


# --- creating by modal --------------------------------------------------------------------------


def _field(state: dict[str, Any], block_id: str) -> dict[str, Any]:
    return dict((state.get(block_id) or {}).get("value") or {})


async def on_create_submit(
    ack: Callable[..., Awaitable[None]], body: dict[str, Any], context: Any
) -> None:
    """The creation modal: the same rules as the command, shown as field errors."""
    deps = deps_of(context)
    state = view_state(body)
    metadata = view_metadata(body["view"])
    channel = str(metadata.get("channel", ""))
    team = str((body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id"))
    user = str(body["user"]["id"])
    async with deps.db.session() as session:
        cluster = await get_cluster(session, team_id=team, channel_id=channel)
    language = cluster.language if cluster else deps.settings.language
    if cluster is None:
        error = NOT_A_CLUSTER_CHANNEL.render(language)
        await ack(response_action="errors", errors={"question": error})
        return
    tz = ZoneInfo(cluster.timezone)
    block = "question"
    try:
        question = clean_question(str(_field(state, "question").get("value") or ""))
        block = "options"
        lines = str(_field(state, "options").get("value") or "").splitlines()
        spec = PollSpec(question=question, options=clean_options([x for x in lines if x.strip()]))
        if isinstance(metadata.get("subcluster"), str):  # opened for one babyklynge
            spec.subcluster = metadata["subcluster"]
        kind = str((_field(state, "kind").get("selected_option") or {}).get("value") or "single")
        block = "max_choices"
        if kind == store.RANKED:
            spec.kind = store.RANKED
        elif kind == store.MULTI:
            raw_max = str(_field(state, "max_choices").get("value") or "").strip()
            spec.max_choices = (
                parse_multi(raw_max, len(spec.options)) if raw_max else len(spec.options)
            )
            spec.kind = store.MULTI if spec.max_choices > 1 else store.SINGLE
        chosen = {
            str(option.get("value"))
            for option in _field(state, "settings").get("selected_options") or []
        }
        spec.anonymous = "anonymous" in chosen
        spec.open_options = "open" in chosen
        block = "closes"
        closes = str(_field(state, "closes").get("value") or "").strip()
        if closes:
            spec.closes_at = parse_closes(closes, now=deps.clock(), tz=tz)
    except UserError as error:
        await ack(response_action="errors", errors={block: error.render(language)})
        return
    await ack()
    try:
        poll = await create_poll(deps, cluster, channel=channel, user=user, spec=spec)
    except UserError as error:
        await post_ephemeral(deps, channel, user, error.render(language))
        return
    await post_ephemeral(
        deps,
        channel,
        user,
        POLL_CREATED.render(language, id=poll.id, closes=_closes_phrase(poll, cluster)),
    )
