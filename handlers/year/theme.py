"""``/klynge year theme [YYYY] [text | clear]`` (``år tema``): the cluster's theme for a year,
its red thread. Anyone may look; coordinators set and clear it. A meeting belongs to the theme
of the year it is held in (no link to keep up when meetings move)."""

from __future__ import annotations

from bot.errors import UserError
from bot.mrkdwn import escape
from bot.numbers import is_number
from bot.privacy import refuse_cpr
from handlers.router import CommandContext, coordinators_only
from handlers.year.gather import this_year
from handlers.year.overview import read_year
from handlers.year.texts import (
    THEME_CLEARED,
    THEME_NONE,
    THEME_NOTHING_TO_CLEAR,
    THEME_SET,
    THEME_SHOWN,
    THEME_TOO_LONG,
    THEME_YEAR_FORM,
)
from storage import year as store

# The words that remove a theme rather than set one.
CLEAR_WORDS = {"-", "clear", "ryd", "--clear", "--ryd"}
QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "»": "«", "'": "'", "‘": "’"}


def unquote(text: str) -> str:
    """A theme typed in quotes, without them."""
    if len(text) >= 2 and QUOTES.get(text[0]) == text[-1]:
        return text[1:-1].strip()
    return text


async def theme_command(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    assert cluster.id is not None
    first, _, rest = ctx.free_text.partition(" ")
    if is_number(first) and len(first) == 4:
        number = read_year(first)
        if number is None:
            raise UserError(THEME_YEAR_FORM, year=first)
        text = rest.strip()
    else:
        number, text = this_year(ctx.deps, cluster), ctx.free_text.strip()
    theme = " ".join(unquote(text).split())
    if not theme:
        async with ctx.deps.db.session() as session:
            found = await store.get_theme(session, cluster_id=cluster.id, year=number)
        if found is None:
            await ctx.reply(ctx.t(THEME_NONE, year=number))
        else:
            await ctx.reply(ctx.t(THEME_SHOWN, year=number, theme=escape(found)))
        return
    if not ctx.is_coordinator:
        raise await coordinators_only(ctx)
    clear = theme.casefold() in CLEAR_WORDS
    if not clear:
        if len(theme) > store.MAX_THEME:
            raise UserError(THEME_TOO_LONG, limit=store.MAX_THEME, length=len(theme))
        refuse_cpr(theme)
    async with ctx.deps.db.session() as session:
        changed = await store.set_theme(
            session,
            cluster_id=cluster.id,
            year=number,
            text=None if clear else theme,
            now=ctx.deps.clock(),
        )
    if not changed:
        await ctx.reply(ctx.t(THEME_NOTHING_TO_CLEAR, year=number))
        return
    by = f"<@{ctx.user_id}>"
    if clear:
        await ctx.announce(ctx.t(THEME_CLEARED, year=number, by=by))
    else:
        await ctx.announce(ctx.t(THEME_SET, year=number, theme=escape(theme), by=by))
    await ctx.deps.hooks.changed(ctx.deps, cluster)
