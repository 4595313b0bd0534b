"""``/klynge year [YYYY]`` (``år``): the year at a glance, privately: the theme, then every
meeting held or planned with its topic, who ran it, how many checked in and the implementation
rate of its take-homes (this calendar year, or the one named)."""

from __future__ import annotations

from bot.errors import UserError
from bot.numbers import is_number
from handlers.router import CommandContext
from handlers.year.blocks import year_overview
from handlers.year.gather import this_year, year_of
from handlers.year.texts import YEAR_FORM

FIRST_YEAR, LAST_YEAR = 2000, 2100


def read_year(word: str) -> int | None:
    """A calendar year the bot keeps (``2027``), or None."""
    if is_number(word) and len(word) == 4 and FIRST_YEAR <= int(word) <= LAST_YEAR:
        return int(word)
    return None


async def year_command(ctx: CommandContext) -> None:
    cluster = ctx.require_cluster()
    words = ctx.args.words
    if not words:
        number = this_year(ctx.deps, cluster)
    elif len(words) == 1 and (chosen := read_year(words[0])) is not None:
        number = chosen
    else:
        raise UserError(YEAR_FORM)
    found = await year_of(ctx.deps, cluster, number)
    blocks = year_overview(
        cluster=cluster.name,
        year=number,
        theme=found.theme,
        meetings=found.meetings,
        language=ctx.language,
        coordinator=ctx.is_coordinator,
    )
    await ctx.reply(blocks[0]["text"]["text"], blocks=blocks)
