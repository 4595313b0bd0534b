"""``/klynge attendance rule [3 of 4 | off]`` (``fremmøde regel``): the cluster's attendance
rule, and after each meeting (the ``meeting_ended`` hook) a private, friendly note to each
member whose attendance has just dropped below it."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackClientError

from bot.deps import Deps
from bot.errors import UserError
from bot.members import current_members
from bot.mrkdwn import escape, mentions
from handlers.attendance.rules import Rule, RuleError, dropped_below, parse_rule
from handlers.attendance.texts import (
    BELOW_RULE,
    RULE_FORM,
    RULE_NONE,
    RULE_NOW,
    RULE_OFF,
    RULE_SET,
)
from handlers.router import CommandContext
from storage import attendance as store
from storage.clusters import Cluster, coordinator_ids
from storage.meetings import Meeting

log = logging.getLogger(__name__)


async def rule_command(ctx: CommandContext) -> None:
    """Show, set or remove the rule; a change is announced in the channel."""
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    typed = ctx.args.text()
    if not typed:
        async with ctx.deps.db.session() as session:
            rule = await store.get_rule(session, cluster_id=cluster.id)
        if rule is None:
            await ctx.reply(ctx.t(RULE_NONE))
        else:
            await ctx.reply(ctx.t(RULE_NOW, required=rule.required, out_of=rule.out_of))
        return
    try:
        wanted = parse_rule(typed)
    except RuleError:
        raise UserError(RULE_FORM) from None
    async with ctx.deps.db.session() as session:
        await store.set_rule(
            session,
            cluster_id=cluster.id,
            required=wanted.required if wanted else None,
            out_of=wanted.out_of if wanted else None,
        )
    by = f"<@{ctx.user_id}>"
    if wanted is None:
        await ctx.announce(ctx.t(RULE_OFF, by=by))
    else:
        await ctx.announce(ctx.t(RULE_SET, required=wanted.required, out_of=wanted.out_of, by=by))


async def on_meeting_ended(deps: Deps, cluster: Cluster, meeting: Meeting) -> None:
    """Hook: tell each member who has just dropped below the rule, privately."""
    assert cluster.id is not None
    async with deps.db.session() as session:
        stored = await store.get_rule(session, cluster_id=cluster.id)
        if stored is None:
            return
        rule = Rule(stored.required, stored.out_of)
        held = await store.latest_held(session, cluster_id=cluster.id, limit=rule.out_of + 1)
        if not held or held[-1].id != meeting.id:
            return  # an older meeting ended late: the windows are about the latest ones
        check_ins = await store.check_ins(
            session, meeting_ids=[item.id for item in held if item.id is not None]
        )
        since = await store.joined(session, cluster_id=cluster.id)
        coordinators = await coordinator_ids(session, cluster_id=cluster.id)
    for member in await current_members(deps, cluster):
        joined = since.get(member)
        history = [
            member in check_ins.get(item.id or 0, set())
            for item in held
            if joined is None or item.started_at is None or item.started_at >= joined
        ]
        if dropped_below(history, rule):
            attended = sum(history[-rule.out_of :])
            text = BELOW_RULE.render(
                cluster.language,
                cluster=escape(cluster.name),
                attended=attended,
                out_of=rule.out_of,
                required=rule.required,
                coordinators=mentions(coordinators),
            )
            await _tell(deps, member, text)


async def _tell(deps: Deps, member: str, text: str) -> None:
    try:
        opened = await deps.client.conversations_open(users=member)
        await deps.client.chat_postMessage(channel=str(opened["channel"]["id"]), text=text)
    except (SlackClientError, OSError, TimeoutError) as error:
        log.info("could not send the attendance note to %s: %s", member, error)
