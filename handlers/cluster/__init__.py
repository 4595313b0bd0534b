"""``/klynge help``, ``setup`` and ``coordinator add|remove|list``."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_bolt.async_app import AsyncApp
from sqlalchemy.exc import IntegrityError

from bot.commands import FlagKind, mention_user_id
from bot.errors import UserError
from bot.i18n import LANGUAGES, Text
from bot.members import is_human, refresh_members
from handlers.cluster import members
from handlers.router import CommandContext, Subcommand, coordinators_only
from handlers.wiring import Wiring
from storage import clusters as store

log = logging.getLogger(__name__)

# --- help ---------------------------------------------------------------------------------------

HELP_TITLE = Text(
    en="*klyngebot* runs your quality cluster's meetings. Everything starts with `/klynge`:",
    da="*klyngebot* styrer jeres kvalitetsklynges møder. Alt starter med `/klynge`:",
)
HELP_COORDINATOR_MARK = Text(en="(coordinators)", da="(koordinatorer)")
HELP_FOOTER = Text(
    en="Quotes may be straight or curly. Times are in the cluster's time zone ({timezone}).",
    da="Anførselstegn må være lige eller krumme. Tider er i klyngens tidszone ({timezone}).",
)


async def show_help(ctx: CommandContext) -> None:
    """Privately list every sub-command with its form and what it does."""
    lines = [ctx.t(HELP_TITLE)]
    for subcommand in ctx.router.subcommands:
        mark = f" _{ctx.t(HELP_COORDINATOR_MARK)}_" if subcommand.coordinator_only else ""
        lines.append(f"• `{ctx.t(subcommand.usage)}` — {ctx.t(subcommand.summary)}{mark}")
    lines.append(ctx.t(HELP_FOOTER, timezone=ctx.timezone.key))
    await ctx.reply("\n".join(lines))


# --- setup --------------------------------------------------------------------------------------

SETUP_DONE = Text(
    en=":wave: This channel is now the quality cluster *{name}*. {coordinator} is its first "
    "coordinator. Meetings, breakout groups, facilitator duty, topic polls and take-home messages "
    "all run from here — type `/klynge help` to see how.",
    da=":wave: Denne kanal er nu kvalitetsklyngen *{name}*. {coordinator} er den første "
    "koordinator. Møder, grupper, ordstyrer-tjans, emneafstemninger og take-home-beskeder "
    "styres herfra — skriv `/klynge help` for at se hvordan.",
)
SETUP_CONFIRM = Text(
    en="Done: you are the coordinator of *{name}* (time zone {timezone}, language {language}). "
    "Next: add co-coordinators with `/klynge coordinator add @name` and plan a meeting with "
    "`/klynge meeting add`.",
    da="Klar: du er koordinator for *{name}* (tidszone {timezone}, sprog {language}). "
    "Næste skridt: tilføj medkoordinatorer med `/klynge coordinator add @navn` og planlæg et "
    "møde med `/klynge meeting add`.",
)
ALREADY_SET_UP = Text(
    en="This channel is already the quality cluster *{name}*; nothing was changed. "
    "`/klynge help` shows what you can do.",
    da="Denne kanal er allerede kvalitetsklyngen *{name}*; intet blev ændret. "
    "`/klynge help` viser, hvad du kan.",
)
SETUP_UPDATED = Text(
    en="*{name}* is already set up; updated: {changes}.",
    da="*{name}* er allerede oprettet; opdateret: {changes}.",
)
SETUP_NOT_IN_DM = Text(
    en="Run `/klynge setup` in the cluster's own channel, not in a direct message.",
    da="Kør `/klynge setup` i klyngens egen kanal, ikke i en direkte besked.",
)
BAD_LANGUAGE = Text(
    en="`--language` must be `en` or `da`, not `{value}`.",
    da="`--language` skal være `en` eller `da`, ikke `{value}`.",
)
BAD_TIMEZONE = Text(
    en="`{value}` is not a time zone. Use a name like `Europe/Copenhagen`.",
    da="`{value}` er ikke en tidszone. Brug et navn som `Europe/Copenhagen`.",
)
SETUP_TAKES_NO_WORDS = Text(
    en="`/klynge setup` takes only options: `/klynge setup [--language da] "
    "[--timezone Europe/Copenhagen]`.",
    da="`/klynge setup` tager kun tilvalg: `/klynge setup [--language da] "
    "[--timezone Europe/Copenhagen]`.",
)
LANGUAGE_NAMES = {"en": Text(en="English", da="engelsk"), "da": Text(en="Danish", da="dansk")}


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
    try:
        return ZoneInfo(value).key
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(BAD_TIMEZONE, value=value[:60]) from None


async def setup(ctx: CommandContext) -> None:
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
    except IntegrityError:  # set up by someone else a moment ago
        async with ctx.deps.db.session() as session:
            existing = await store.get_cluster(
                session, team_id=ctx.team_id, channel_id=ctx.channel_id
            )
        raise UserError(ALREADY_SET_UP, name=existing.name if existing else name) from None
    ctx.cluster = cluster
    await ctx.announce(ctx.t(SETUP_DONE, name=cluster.name, coordinator=f"<@{ctx.user_id}>"))
    await ctx.reply(
        ctx.t(
            SETUP_CONFIRM,
            name=cluster.name,
            timezone=cluster.timezone,
            language=ctx.t(LANGUAGE_NAMES[cluster.language]),
        )
    )
    _refresh_in_background(ctx)


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
    described = ", ".join(f"{key} = {value}" for key, value in changes.items())
    await ctx.reply(ctx.t(SETUP_UPDATED, name=stored.name, changes=described))


def _refresh_in_background(ctx: CommandContext) -> None:
    """Fill the member cache now so the first breakout or rotation doesn't wait for Slack."""
    cluster = ctx.require_cluster()

    async def refresh() -> None:
        try:
            await refresh_members(ctx.deps, cluster)
        except Exception:  # a later command refreshes again
            log.warning("could not read the members of %s", cluster.channel_id, exc_info=True)

    ctx.deps.background(refresh())


# --- coordinators -------------------------------------------------------------------------------

COORDINATOR_USAGE_NEEDS_MENTION = Text(
    en="Name the person with an @-mention: `/klynge coordinator {action} @name`.",
    da="Nævn personen med et @-mention: `/klynge coordinator {action} @navn`.",
)
COORDINATOR_ADDED = Text(
    en=":busts_in_silhouette: {users} can now plan and run this cluster's meetings "
    "(coordinator, added by {by}).",
    da=":busts_in_silhouette: {users} kan nu planlægge og lede klyngens møder "
    "(koordinator, tilføjet af {by}).",
)
ALREADY_COORDINATOR = Text(
    en="{user} is already a coordinator; nothing changed.",
    da="{user} er allerede koordinator; intet blev ændret.",
)
NOT_A_PERSON = Text(
    en="{user} is a bot or a deactivated account and can't be a coordinator.",
    da="{user} er en bot eller en deaktiveret konto og kan ikke være koordinator.",
)
COORDINATOR_REMOVED = Text(
    en="{user} is no longer a coordinator of this cluster (removed by {by}).",
    da="{user} er ikke længere koordinator for klyngen (fjernet af {by}).",
)
NOT_COORDINATOR = Text(
    en="{user} is not a coordinator, so there was nothing to remove.",
    da="{user} er ikke koordinator, så der var intet at fjerne.",
)
LAST_COORDINATOR = Text(
    en="{user} is the last coordinator; a cluster needs at least one. "
    "Add someone else first with `/klynge coordinator add @name`.",
    da="{user} er den sidste koordinator, og en klynge skal have mindst én. "
    "Tilføj en anden først med `/klynge coordinator add @navn`.",
)
COORDINATOR_LIST = Text(
    en="Coordinators of *{name}*: {users}",
    da="Koordinatorer for *{name}*: {users}",
)


def _mentioned_users(ctx: CommandContext, action: str) -> list[str]:
    users = [mention_user_id(word) for word in ctx.args.words]
    if not users or any(user is None for user in users):
        raise UserError(COORDINATOR_USAGE_NEEDS_MENTION, action=action)
    return list(dict.fromkeys(user for user in users if user))


async def coordinator_add(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    users = _mentioned_users(ctx, "add")
    for user in users:
        if not await is_human(ctx.deps.client, user):
            raise UserError(NOT_A_PERSON, user=f"<@{user}>")
    async with ctx.deps.db.session() as session:
        added = [
            user
            for user in users
            if await store.add_coordinator(session, cluster_id=cluster.id, user_id=user)
        ]
    if not added:
        raise UserError(ALREADY_COORDINATOR, user=", ".join(f"<@{user}>" for user in users))
    mentions = ", ".join(f"<@{user}>" for user in added)
    await ctx.announce(ctx.t(COORDINATOR_ADDED, users=mentions, by=f"<@{ctx.user_id}>"))


async def coordinator_remove(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    users = _mentioned_users(ctx, "remove")
    async with ctx.deps.db.session() as session:
        current = await store.coordinator_ids(session, cluster_id=cluster.id)
        for user in users:
            if user not in current:
                raise UserError(NOT_COORDINATOR, user=f"<@{user}>")
        if not set(current) - set(users):
            raise UserError(LAST_COORDINATOR, user=f"<@{users[-1]}>")
        for user in users:
            await store.remove_coordinator(session, cluster_id=cluster.id, user_id=user)
    mentions = ", ".join(f"<@{user}>" for user in users)
    await ctx.announce(ctx.t(COORDINATOR_REMOVED, user=mentions, by=f"<@{ctx.user_id}>"))


async def coordinator_list(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    async with ctx.deps.db.session() as session:
        ids = await store.coordinator_ids(session, cluster_id=cluster.id)
    await ctx.reply(
        ctx.t(COORDINATOR_LIST, name=cluster.name, users=", ".join(f"<@{u}>" for u in ids))
    )


def register(app: AsyncApp, wiring: Wiring) -> None:
    members.register(app, wiring)
    wiring.commands.add(
        Subcommand(
            words=("help",),
            run=show_help,
            usage=Text(en="/klynge help", da="/klynge help"),
            summary=Text(en="this list", da="denne liste"),
            needs_cluster=False,
            aliases=(("hjælp",),),
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("setup",),
            run=setup,
            usage=Text(
                en="/klynge setup [--language da] [--timezone Europe/Copenhagen]",
                da="/klynge setup [--language da] [--timezone Europe/Copenhagen]",
            ),
            summary=Text(
                en="make this channel a quality cluster; you become its coordinator",
                da="gør kanalen til en kvalitetsklynge; du bliver koordinator",
            ),
            needs_cluster=False,
            flags={"language": FlagKind.VALUE, "timezone": FlagKind.VALUE},
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("coordinator", "add"),
            run=coordinator_add,
            usage=Text(en="/klynge coordinator add @name", da="/klynge coordinator add @navn"),
            summary=Text(en="add a coordinator", da="tilføj en koordinator"),
            coordinator_only=True,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("coordinator", "remove"),
            run=coordinator_remove,
            usage=Text(
                en="/klynge coordinator remove @name", da="/klynge coordinator remove @navn"
            ),
            summary=Text(en="remove a coordinator", da="fjern en koordinator"),
            coordinator_only=True,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("coordinator", "list"),
            run=coordinator_list,
            usage=Text(en="/klynge coordinator list", da="/klynge coordinator list"),
            summary=Text(en="who the coordinators are", da="hvem koordinatorerne er"),
            aliases=(("coordinators",), ("coordinator",)),
        )
    )
