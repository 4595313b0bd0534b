"""``/klynge help``: every sub-command in registration order."""

from __future__ import annotations

from bot.blocks import lines_message
from handlers.cluster.texts import HELP_COORDINATOR_MARK, HELP_FOOTER, HELP_TITLE
from handlers.router import CommandContext


async def show_help(ctx: CommandContext) -> None:
    """Privately list every sub-command with its form and what it does."""
    lines = [ctx.t(HELP_TITLE)]
    for subcommand in ctx.router.subcommands:
        mark = f" _{ctx.t(HELP_COORDINATOR_MARK)}_" if subcommand.coordinator_only else ""
        lines.append(f"• `{ctx.t(subcommand.usage)}` — {ctx.t(subcommand.summary)}{mark}")
    lines.append(ctx.t(HELP_FOOTER, timezone=ctx.timezone.key))
    # In sections: the whole list passes the 4,000 characters a message's text should keep to.
    text, blocks = lines_message(lines)
    await ctx.reply(text, blocks=blocks)
