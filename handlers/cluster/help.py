"""``/klynge help [topic | command | all]``: short enough for a phone.

``help`` alone is a menu of topics (one line each); ``help meeting`` / ``hjælp møde`` the
commands of one topic; ``help meeting add`` one command; ``help all`` everything. Commands are
shown in the cluster's language (``møde tilføj`` in a Danish cluster), in registration order.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.blocks import lines_message
from bot.commands import fold, tokenize
from bot.mrkdwn import escape
from handlers.cluster.texts import (
    HELP_ALL_HINT,
    HELP_COORDINATOR_MARK,
    HELP_FOOTER,
    HELP_MENU_LINE,
    HELP_TITLE,
    HELP_TOPIC_TITLE,
    HELP_UNKNOWN_TOPIC,
)
from handlers.router import CommandContext, HelpTopic, Subcommand

ALL_WORDS = frozenset({"all", "alle", "alt", "everything"})


async def show_help(ctx: CommandContext) -> None:
    """Privately: the topics, one topic's commands, one command, or everything."""
    words = [fold(word) for word in ctx.args.words]
    topics = _topics(ctx.router.subcommands)
    lines: list[str]
    if not words:
        lines = _menu(ctx, topics)
    elif len(words) == 1 and words[0] in ALL_WORDS:
        lines = [ctx.t(HELP_TITLE)]
        for topic in topics:
            lines += _topic_lines(ctx, topic)
        loose = [sub for sub in ctx.router.subcommands if sub.topic is None]
        lines += [_command_line(ctx, sub) for sub in loose]
        lines.append(ctx.t(HELP_FOOTER, timezone=ctx.timezone.key))
    elif (named := _topic_named(topics, words)) is not None:
        lines = _topic_lines(ctx, named)
    elif (found := ctx.router.find(tokenize(" ".join(ctx.args.words)))) and not found[1]:
        lines = [_command_line(ctx, found[0])]
    else:
        typed = escape(" ".join(ctx.args.words)[:40].replace("`", "'"))
        lines = [ctx.t(HELP_UNKNOWN_TOPIC, topic=typed), *_menu(ctx, topics)[1:]]
    # In sections: the whole list passes the 4,000 characters a message's text should keep to.
    text, blocks = lines_message(lines)
    await ctx.reply(text, blocks=blocks)


def _topics(subcommands: Sequence[Subcommand]) -> list[HelpTopic]:
    found: list[HelpTopic] = []
    for subcommand in subcommands:
        if subcommand.topic is not None and subcommand.topic not in found:
            found.append(subcommand.topic)
    return found


def _topic_named(topics: Sequence[HelpTopic], words: Sequence[str]) -> HelpTopic | None:
    if len(words) != 1:
        return None
    return next((topic for topic in topics if words[0] in topic.forms()), None)


def _menu(ctx: CommandContext, topics: Sequence[HelpTopic]) -> list[str]:
    lines = [ctx.t(HELP_TITLE)]
    lines += [
        ctx.t(HELP_MENU_LINE, topic=ctx.t(topic.name), summary=ctx.t(topic.summary))
        for topic in topics
    ]
    lines.append(ctx.t(HELP_ALL_HINT))
    return lines


def _topic_lines(ctx: CommandContext, topic: HelpTopic) -> list[str]:
    lines = [ctx.t(HELP_TOPIC_TITLE, topic=ctx.t(topic.summary))]
    lines += [_command_line(ctx, sub) for sub in ctx.router.subcommands if sub.topic == topic]
    return lines


def _command_line(ctx: CommandContext, subcommand: Subcommand) -> str:
    mark = f" _{ctx.t(HELP_COORDINATOR_MARK)}_" if subcommand.coordinator_only else ""
    return f"• `{ctx.t(subcommand.usage)}` — {ctx.t(subcommand.summary)}{mark}"
