"""``/klynge my data`` (``mine data``): a member gets what the bot stores about them, in a
direct message — a summary to read and a JSON file with all of it."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackClientError

from bot.blocks import lines_message
from bot.errors import UserError
from bot.i18n import Text
from handlers.cluster.personal import export_json, summary_lines
from handlers.router import CommandContext
from storage.personal import personal_record

log = logging.getLogger(__name__)

SENT = Text(
    en="I sent you what I store about you in a direct message.",
    da="Jeg har sendt dig det, jeg gemmer om dig, i en direkte besked.",
)
FAILED = Text(
    en="Sorry, I couldn't send you your data just now. Please try again in a minute.",
    da="Beklager, jeg kunne ikke sende dig dine data lige nu. Prøv igen om et minut.",
)


async def my_data(ctx: CommandContext) -> None:
    """Send the caller, privately, everything stored about them in this workspace."""
    async with ctx.deps.db.session() as session:
        record = await personal_record(session, team_id=ctx.team_id, user_id=ctx.user_id)
    text, blocks = lines_message(summary_lines(record, ctx.language))
    content = export_json(record, team_id=ctx.team_id, now=ctx.deps.clock())
    try:
        opened = await ctx.deps.client.conversations_open(users=ctx.user_id)
        channel = str(opened["channel"]["id"])
        await ctx.deps.client.chat_postMessage(channel=channel, text=text, blocks=blocks)
        await ctx.deps.client.files_upload_v2(
            channel=channel,
            filename="klyngebot-my-data.json",
            title="klyngebot: my data",
            content=content,
        )
    except (SlackClientError, OSError, TimeoutError) as error:
        log.warning("could not send a member their data: %s", error)
        raise UserError(FAILED) from None
    await ctx.reply(ctx.t(SENT))
