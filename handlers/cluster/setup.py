"""``/klynge setup``: make the channel a cluster, or change its language and time zone."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError

from bot.errors import UserError
from bot.i18n import LANGUAGES
from bot.members import refresh_members
from bot.mrkdwn import escape
from bot.slack import error_code
from bot.when import find_zone
from handlers.cluster.texts import (
    ALREADY_SET_UP,
    BAD_LANGUAGE,
    BAD_TIMEZONE,
    CHANGED_LANGUAGE,
    CHANGED_TIMEZONE,
    LANGUAGE_NAMES,
    SETUP_CONFIRM,
    SETUP_DONE,
    SETUP_NOT_IN_DM,
    SETUP_TAKES_NO_WORDS,
    SETUP_UPDATED,
)
from handlers.router import NOT_IN_CHANNEL, CommandContext, coordinators_only
from storage import clusters as store

log = logging.getLogger(__name__)


def _language_option(ctx: CommandContext) -> str | None:
    value = ctx.args.value("language")
    if value is None:
        return None
    value = value.lower()
    if value not in LANGUAGES:
        raise UserError(BAD_LANGUAGE, value=value[:40])
    return value


def _timezone_option(ctx: CommandContext) -> str | None:
    value = ctx.args.value("timezone")
    if value is None:
        return None
    zone = find_zone(value)
    if zone is None:
        raise UserError(BAD_TIMEZONE, value=escape(value[:60]))
    return zone.key


async def setup_cluster(ctx: CommandContext) -> None:
    """Register the channel as a cluster (caller becomes coordinator); harmless to repeat."""
    if ctx.channel_id.startswith("D"):
        raise UserError(SETUP_NOT_IN_DM)
    if ctx.args.positional:
        raise UserError(SETUP_TAKES_NO_WORDS)
    language = _language_option(ctx)
    timezone = _timezone_option(ctx)
    if ctx.cluster is not None:
        await _setup_again(ctx, language=language, timezone=timezone)
        return
    await _require_membership(ctx)
    name = str(ctx.body.get("channel_name") or ctx.channel_id)
    settings = ctx.deps.settings
    try:
        async with ctx.deps.db.session() as session:
            cluster = await store.create_cluster(
                session,
                team_id=ctx.team_id,
                channel_id=ctx.channel_id,
                name=name,
                timezone=timezone or settings.timezone,
                language=language or settings.language,
                coordinator_id=ctx.user_id,
            )
            ctx.cluster = cluster
            # Welcomed inside the transaction: if the bot can't post, no cluster is left behind
            # and the retry after ``/invite`` is a first setup with the full welcome.
            await ctx.announce(
                ctx.t(SETUP_DONE, name=cluster.name, coordinator=f"<@{ctx.user_id}>")
            )
    except IntegrityError:  # set up by someone else a moment ago
        async with ctx.deps.db.session() as session:
            existing = await store.get_cluster(
                session, team_id=ctx.team_id, channel_id=ctx.channel_id
            )
        raise UserError(ALREADY_SET_UP, name=existing.name if existing else name) from None
    await ctx.reply(
        ctx.t(
            SETUP_CONFIRM,
            name=cluster.name,
            timezone=cluster.timezone,
            language=ctx.t(LANGUAGE_NAMES[cluster.language]),
        )
    )
    _refresh_in_background(ctx)


async def _require_membership(ctx: CommandContext) -> None:
    """Refuse before storing anything when the bot is not in the channel (it could not post).

    A private channel the bot is not in is invisible to it (``channel_not_found``). Any other
    failure to ask is no answer: posting the welcome will tell."""
    try:
        info = await ctx.deps.client.conversations_info(channel=ctx.channel_id)
    except SlackApiError as error:
        if error_code(error) == "channel_not_found":
            raise UserError(NOT_IN_CHANNEL) from None
        log.info("could not check the bot's membership of %s: %s", ctx.channel_id, error)
        return
    channel = info.get("channel") or {}
    if channel.get("is_member") is False:
        raise UserError(NOT_IN_CHANNEL)


async def _setup_again(ctx: CommandContext, *, language: str | None, timezone: str | None) -> None:
    cluster = ctx.require_cluster()
    changes = {"language": language, "timezone": timezone}
    changes = {key: value for key, value in changes.items() if value is not None}
    if not changes:
        await ctx.reply(ctx.t(ALREADY_SET_UP, name=cluster.name))
        return
    if not ctx.is_coordinator:
        raise await coordinators_only(ctx)
    async with ctx.deps.db.session() as session:
        stored = await session.get(store.Cluster, cluster.id)
        assert stored is not None
        for key, value in changes.items():
            setattr(stored, key, value)
        session.add(stored)
    ctx.cluster = stored
    described = []  # in the cluster's language, which may just have changed
    if language is not None:
        described.append(ctx.t(CHANGED_LANGUAGE, language=LANGUAGE_NAMES[language]))
    if timezone is not None:
        described.append(ctx.t(CHANGED_TIMEZONE, timezone=timezone))
    await ctx.reply(ctx.t(SETUP_UPDATED, name=stored.name, changes=", ".join(described)))


def _refresh_in_background(ctx: CommandContext) -> None:
    """Fill the member cache now so the first breakout or rotation doesn't wait for Slack.

    It asks Slack only as far as the directory's pace allows right now; the ``member_kinds``
    job checks the rest of a large channel a minute at a time."""
    cluster = ctx.require_cluster()

    async def refresh() -> None:
        try:
            await refresh_members(ctx.deps, cluster, wait=0.0)
        except Exception:  # a later command refreshes again
            log.warning("could not read the members of %s", cluster.channel_id, exc_info=True)

    ctx.deps.background(refresh())
