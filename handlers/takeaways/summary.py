"""``/klynge summary`` (the take-homes posted by breakout group) and ``/klynge export``
(the decision minutes as a Markdown file)."""

from __future__ import annotations

from bot.deps import Deps
from bot.directory import COMMAND_WAIT
from bot.errors import UserError
from bot.mrkdwn import escape as escape_plain
from handlers.router import CommandContext, announce
from handlers.takeaways import summary_blocks as pure
from handlers.takeaways.common import local_time, meeting_date, render
from handlers.takeaways.texts import (
    EXPORT_COMMENT,
    EXPORTED,
    LOOSE_WHAT,
    MEETING_ID_FORM,
    NO_SUCH_MEETING,
    NOTHING_TO_EXPORT,
    NOTHING_TO_SUMMARISE,
)
from storage import takeaways as store
from storage.breakouts import Subcluster
from storage.clusters import Cluster
from storage.meetings import (
    Meeting,
    checked_in_ids,
    get_meeting,
    latest_ended_meeting,
    running_meeting,
)


async def _chosen_meeting(ctx: CommandContext) -> Meeting | None:
    """The meeting named by id, else the running or latest ended one; None: loose take-homes."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    words = ctx.args.words
    if len(words) > 1 or (words and not words[0].lstrip("#").isdigit()):
        raise UserError(
            MEETING_ID_FORM, value=escape_plain(" ".join(words)[:40]), command=ctx.subcommand.name
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


async def _entries(deps: Deps, cluster: Cluster, meeting: Meeting | None) -> list[pure.Entry]:
    """The take-homes as summary entries, each with its author's breakout group."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        if meeting is None:
            rows = await store.loose_takeaways(session, cluster_id=cluster.id)
            seats: dict[str, int] = {}
        else:
            assert meeting.id is not None
            rows = await store.takeaways_of_meeting(session, meeting_id=meeting.id)
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


async def post_summary(deps: Deps, cluster: Cluster, meeting: Meeting | None) -> int:
    """Post the summary in the cluster's channel; returns how many take-homes it holds."""
    entries = await _entries(deps, cluster, meeting)
    if not entries:
        return 0
    messages = pure.summary_messages(
        title=summary_title(cluster, meeting), entries=entries, language=cluster.language
    )
    for message in messages:
        await announce(deps, cluster.channel_id, message.text, blocks=message.blocks)
    return len(entries)


async def summary_command(ctx: CommandContext) -> None:
    """``/klynge summary [<meeting id>]``: post every take-home message, by breakout group."""
    cluster = ctx.require_cluster()
    meeting = await _chosen_meeting(ctx)
    if not await post_summary(ctx.deps, cluster, meeting):
        what = f"*{escape_plain(meeting.title)}*" if meeting else ctx.t(LOOSE_WHAT)
        raise UserError(NOTHING_TO_SUMMARISE, what=what)


async def _names(deps: Deps, user_ids: set[str]) -> dict[str, str]:
    """Real names for the minutes (Markdown can't show Slack mentions); the id if unknown."""
    found = await deps.directory.look_up(sorted(user_ids), wait=COMMAND_WAIT)
    return {user: found[user].name if user in found else user for user in sorted(user_ids)}


async def build_minutes(deps: Deps, cluster: Cluster, meeting: Meeting | None) -> tuple[str, str]:
    """(file name, Markdown) of the decision minutes of ``meeting`` (None: loose take-homes)."""
    entries = await _entries(deps, cluster, meeting)
    language = cluster.language
    people = {entry.author_id for entry in entries}
    if meeting is None:
        minutes = pure.Minutes(
            title=pure.MINUTES_LOOSE_TITLE.render(language),
            meeting_label=pure.MINUTES_LOOSE_TITLE.render(language),
            date=None,
            topic=None,
            facilitator=None,
            attendance=None,
            groups=[],
            poll_lines=[],
            entries=entries,
        )
        loose_names = await _names(deps, people)
        day = local_time(cluster, deps.clock()).date().isoformat()
        markdown = pure.minutes_markdown(
            minutes, language=language, name_of=lambda user: loose_names.get(user) or user
        )
        return f"take-home-messages-{day}.md", markdown
    assert meeting.id is not None
    async with deps.db.session() as session:
        attendance = len(await checked_in_ids(session, meeting_id=meeting.id))
        seats = await store.seats_of_latest_round(session, meeting_id=meeting.id)
        subcluster = (
            await session.get(Subcluster, meeting.facilitator_subcluster_id)
            if meeting.facilitator_subcluster_id is not None
            else None
        )
    groups: dict[int, list[str]] = {}
    for user, number in sorted(seats.items(), key=lambda pair: (pair[1], pair[0])):
        groups.setdefault(number, []).append(user)
    people |= set(seats)
    if meeting.facilitator_id:
        people.add(meeting.facilitator_id)
    names = await _names(deps, people)
    facilitator = (
        names.get(meeting.facilitator_id, meeting.facilitator_id)
        if meeting.facilitator_id
        else (subcluster.name if subcluster else None)
    )
    polls = await deps.hooks.lines(deps.hooks.minutes_sections, deps, cluster, meeting)
    minutes = pure.Minutes(
        title=pure.MINUTES_TITLE.render(language, title=meeting.title),
        meeting_label=f"{meeting.title} (#{meeting.id})",
        date=meeting_date(cluster, meeting),
        topic=meeting.topic,
        facilitator=facilitator,
        attendance=attendance,
        groups=sorted(groups.items()),
        poll_lines=polls,
        entries=entries,
    )
    day = local_time(cluster, meeting.started_at or meeting.starts_at).date().isoformat()
    markdown = pure.minutes_markdown(
        minutes, language=language, name_of=lambda user: names.get(user) or user
    )
    return f"minutes-{day}-meeting-{meeting.id}.md", markdown


async def export_command(ctx: CommandContext) -> None:
    """``/klynge export [<meeting id>]``: upload the decision minutes as a Markdown file."""
    cluster = ctx.require_cluster()
    meeting = await _chosen_meeting(ctx)
    if meeting is None and not await _entries(ctx.deps, cluster, None):
        raise UserError(NOTHING_TO_EXPORT)
    filename, markdown = await build_minutes(ctx.deps, cluster, meeting)
    title = meeting.title if meeting else pure.MINUTES_LOOSE_TITLE.render(cluster.language)
    await ctx.deps.client.files_upload_v2(
        channel=cluster.channel_id,
        content=markdown,
        filename=filename,
        title=pure.MINUTES_TITLE.render(cluster.language, title=title)[:250],
        initial_comment=ctx.t(EXPORT_COMMENT, title=escape_plain(title), by=f"<@{ctx.user_id}>"),
    )
    await ctx.reply(ctx.t(EXPORTED, filename=filename))
