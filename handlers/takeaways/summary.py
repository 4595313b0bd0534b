"""``/klynge summary``: the take-homes posted by breakout group (also at ``end``)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.deps import Deps
from bot.errors import UserError
from bot.mrkdwn import escape as escape_plain
from bot.numbers import is_number
from bot.outbox import post_once
from handlers.router import CommandContext, announce
from handlers.takeaways import summary_blocks as pure
from handlers.takeaways.common import meeting_date, render
from handlers.takeaways.texts import (
    LOOSE_WHAT,
    MEETING_ID_FORM,
    MEETING_WHAT,
    NO_SUCH_MEETING,
    NOTHING_TO_SUMMARISE,
)
from storage import takeaways as store
from storage.clusters import Cluster
from storage.meetings import (
    Meeting,
    get_meeting,
    latest_ended_meeting,
    running_meeting,
)


async def chosen_meeting(ctx: CommandContext) -> Meeting | None:
    """The meeting named by id, else the running or latest ended one; None: loose take-homes."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.args.words
    if len(words) > 1 or (words and not is_number(words[0].lstrip("#"))):
        raise UserError(
            MEETING_ID_FORM,
            value=escape_plain(" ".join(words)[:40]),
            command=ctx.subcommand.name_in(ctx.language),
        )
    async with ctx.deps.db.session() as session:
        if words:
            number = words[0].lstrip("#")
            meeting = None
            if len(number) <= 9:
                meeting = await get_meeting(session, cluster_id=cluster.id, meeting_id=int(number))
            if meeting is None:
                raise UserError(NO_SUCH_MEETING, id=number[:12])
            return meeting
        return await running_meeting(session, cluster_id=cluster.id) or await latest_ended_meeting(
            session, cluster_id=cluster.id
        )


async def entries(
    deps: Deps, cluster: Cluster, meeting: Meeting | None, *, kind: str = store.KIND_TAKEAWAY
) -> list[pure.Entry]:
    """The take-homes (or the decisions, staff instructions: ``kind``) as summary entries, each
    with its author's breakout group; outside a meeting there are only take-homes."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        if meeting is None:
            if kind != store.KIND_TAKEAWAY:
                return []
            rows = await store.loose_takeaways(session, cluster_id=cluster.id)
            seats: dict[str, int] = {}
        else:
            assert meeting.id is not None
            rows = await store.takeaways_of_meeting(session, meeting_id=meeting.id, kinds=(kind,))
            seats = await store.seats_of_latest_round(session, meeting_id=meeting.id)
    return [
        pure.Entry(
            author_id=row.author_id,
            text=row.text,
            group=row.group_number if row.group_number is not None else seats.get(row.author_id),
            prompt=row.prompt,
        )
        for row in rows
    ]


def summary_title(cluster: Cluster, meeting: Meeting | None) -> str:
    if meeting is None:
        return render(cluster, pure.LOOSE_TITLE)
    title = f"{escape_plain(meeting.title)} ({meeting_date(cluster, meeting)})"
    return render(cluster, pure.SUMMARY_TITLE, title=title)


async def post_messages(
    deps: Deps, channel: str, messages: Sequence[pure.SlackMessage], *, key: str | None = None
) -> None:
    """Post ``messages`` in order; with ``key`` (an outcome's job) each one once only, so a
    retry after a failure part-way posts only the rest."""
    for number, message in enumerate(messages):
        if key is None:
            await announce(deps, channel, message.text, blocks=message.blocks)
        else:
            await post_once(
                deps,
                key=f"{key}:{number}",
                channel=channel,
                text=message.text,
                blocks=message.blocks,
            )


async def post_summary(
    deps: Deps, cluster: Cluster, meeting: Meeting | None, *, key: str | None = None
) -> int:
    """Post the summary in the cluster's channel (once, with ``key``: ``post_messages``);
    returns how many take-homes it holds."""
    found = await entries(deps, cluster, meeting)
    if not found:
        return 0
    messages = pure.summary_messages(
        title=summary_title(cluster, meeting), entries=found, language=cluster.language
    )
    await post_messages(deps, cluster.channel_id, messages, key=key)
    return len(found)


async def summary_command(ctx: CommandContext) -> None:
    """``/klynge summary [<meeting id>]``: post every take-home message, by breakout group."""
    cluster = ctx.require_cluster()
    meeting = await chosen_meeting(ctx)
    if not await post_summary(ctx.deps, cluster, meeting):
        what = (
            MEETING_WHAT.bind(title=escape_plain(meeting.title)) if meeting else LOOSE_WHAT.bind()
        )
        raise UserError(NOTHING_TO_SUMMARISE, what=what)
