"""The ``/klynge`` command: finds the sub-command, checks who may use it, and runs it.

Feature modules add their sub-commands with ``router.add(Subcommand(...))`` in their
``register``; a sub-command's ``run`` gets a ``CommandContext`` and raises ``UserError`` for
anything the person got wrong, which is answered privately and changes nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import (
    ArgumentError,
    Arguments,
    FlagKind,
    Token,
    fold,
    parse_arguments,
    tokenize,
)
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import remember_language
from bot.i18n import Text
from bot.mrkdwn import unescape
from bot.outbox import post_later
from bot.slack import CHANNEL_GONE, error_code, is_slack_unavailable
from handlers.router_texts import (
    COORDINATORS_ONLY,
    NO_MORE_WORDS,
    NOT_IN_CHANNEL,
    NOT_SET_UP,
    POST_QUEUED,
    TOO_LONG,
    UNKNOWN_COMMAND,
    USAGE,
)
from handlers.suggestions import Suggestion, hint, shown_typed, suggest, typed_word
from storage.clusters import Cluster, coordinator_ids, get_cluster, is_coordinator

log = logging.getLogger(__name__)

__all__ = ["NOT_IN_CHANNEL", "CommandContext", "CommandRouter", "HelpTopic", "Subcommand"]

COMMAND = "/klynge"


MAX_COMMAND_LENGTH = 4000  # Slack itself cuts slash-command text a little above this


@dataclass
class CommandContext:
    """One ``/klynge`` invocation: who, where, the parsed arguments, and ways to answer."""

    deps: Deps
    client: AsyncWebClient
    respond: AsyncRespond
    body: Mapping[str, Any]
    router: CommandRouter
    subcommand: Subcommand
    args: Arguments
    cluster: Cluster | None
    is_coordinator: bool
    # The command's text as the person wrote it: Slack's escaping read once (``unescape``).
    text: str = ""
    # How many words of the text named the sub-command ("takeaway" 1, "poll close" 2).
    command_words: int = 1
    # A channel post Slack could not take was queued (``announce``): the person hears so.
    queued: bool = False

    @property
    def free_text(self) -> str:
        """Everything after the sub-command's words, exactly as typed."""
        return self.text_after(self.command_words)

    def text_after(self, words: int) -> str:
        """The text after its first ``words`` words, exactly as typed (line breaks kept)."""
        match = re.match(rf"(?:\s*\S+){{{words}}}", self.text)
        return self.text[match.end() :].strip() if match else ""

    @property
    def user_id(self) -> str:
        return str(self.body["user_id"])

    @property
    def channel_id(self) -> str:
        return str(self.body["channel_id"])

    @property
    def team_id(self) -> str:
        return str(self.body["team_id"])

    @property
    def trigger_id(self) -> str:
        return str(self.body.get("trigger_id", ""))

    @property
    def language(self) -> str:
        return self.cluster.language if self.cluster else self.deps.settings.language

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.cluster.timezone if self.cluster else self.deps.settings.timezone)

    def require_cluster(self) -> Cluster:
        if self.cluster is None:
            raise UserError(NOT_SET_UP)
        return self.cluster

    def t(self, text: Text, **values: object) -> str:
        """``text`` in this cluster's language."""
        return text.render(self.language, **values)

    async def reply(self, text: str, *, blocks: Sequence[dict[str, Any]] | None = None) -> None:
        """Answer the person privately (an ephemeral message)."""
        await self.respond(
            text=text, blocks=list(blocks) if blocks else None, response_type="ephemeral"
        )

    async def announce(
        self, text: str, *, blocks: Sequence[dict[str, Any]] | None = None, queue: bool = True
    ) -> dict[str, Any]:
        """Post to the cluster's channel; returns Slack's answer (``ts``, ``channel``). If Slack
        can't take it now, it is queued (``bot.outbox``; ``{}``) and the person told so; with
        ``queue=False`` (the caller needs the ``ts``) Slack's error is raised."""
        try:
            return await announce(self.deps, self.channel_id, text, blocks=blocks)
        except Exception as error:
            if not queue or not is_slack_unavailable(error):
                raise
        await post_later(self.deps, self.channel_id, text, blocks)
        self.queued = True
        return {}

    def usage(self) -> str:
        return self.t(USAGE, usage=self.subcommand.usage.render(self.language))


CommandRun = Callable[[CommandContext], Awaitable[None]]


@dataclass(frozen=True)
class HelpTopic:
    """A group of sub-commands that ``/klynge help [topic]`` shows together (a feature's)."""

    name: Text  # the word after `help`: "meeting" / "møde"
    summary: Text
    # Other words that name the topic ("meetings", "møder"); either language works everywhere.
    words: tuple[str, ...] = ()

    def forms(self) -> set[str]:
        return {fold(word) for word in (self.name.en, self.name.da, *self.words)}


@dataclass(frozen=True)
class Subcommand:
    """A ``/klynge`` sub-command: its words, what it does, and who may use it."""

    words: tuple[str, ...]
    run: CommandRun
    usage: Text
    summary: Text
    # The Danish words ("møde", "tilføj"), accepted in every cluster and shown in Danish help;
    # () when they are the same as the English ones ("start").
    da: tuple[str, ...] = ()
    coordinator_only: bool = False
    needs_cluster: bool = True
    flags: Mapping[str, FlagKind] = field(default_factory=dict)
    # Free text (a take-home message): no --flags are parsed; read ``ctx.free_text``.
    free_text: bool = False
    # A short, hidden synonym ("coordinators" for "coordinator list"); not listed in help.
    aliases: tuple[tuple[str, ...], ...] = ()
    # False: the command is complete in its words; anything after them is refused with the
    # usage (so "subclusters auto 6" never lists the sub-clusters instead).
    takes_words: bool = True
    # Removes or ends something (cancel, delete, end): never suggested for a word I don't know,
    # only for one that means it ("meeting remove 2" -> "did you mean meeting cancel 2?").
    destructive: bool = False
    # Where ``/klynge help`` lists it.
    topic: HelpTopic | None = None

    @property
    def name(self) -> str:
        return " ".join(self.words)

    def name_in(self, language: str) -> str:
        """The command's words as ``language`` writes them: ``meeting add`` / ``møde tilføj``."""
        return " ".join(self.da if language == "da" and self.da else self.words)

    @property
    def names(self) -> Text:
        return Text(en=self.name, da=self.name_in("da"))

    def forms(self) -> tuple[tuple[str, ...], ...]:
        """Every way to type it, folded (``fold``): English, Danish and the aliases."""
        found: dict[tuple[str, ...], None] = {}
        for form in (self.words, self.da, *self.aliases):
            if form:
                found[tuple(fold(word) for word in form)] = None
        return tuple(found)


class CommandRouter:
    """Every sub-command of ``/klynge``, in the order help lists them."""

    def __init__(self) -> None:
        self._subcommands: list[Subcommand] = []

    @property
    def subcommands(self) -> Sequence[Subcommand]:
        return tuple(self._subcommands)

    def add(self, subcommand: Subcommand) -> None:
        for existing in self._subcommands:
            if clash := set(existing.forms()) & set(subcommand.forms()):
                words = " ".join(sorted(clash)[0])
                raise ValueError(f"/klynge {words} names {existing.name} and {subcommand.name}")
        self._subcommands.append(subcommand)

    def find(self, tokens: Sequence[Token]) -> tuple[Subcommand, list[Token]] | None:
        """The sub-command whose words (English, Danish or an alias) are the longest prefix of
        ``tokens``."""
        words = [fold(token.text) if not token.quoted else None for token in tokens]
        best: tuple[int, Subcommand] | None = None
        for subcommand in self._subcommands:
            for form in subcommand.forms():
                if tuple(words[: len(form)]) == form and (best is None or len(form) > best[0]):
                    best = (len(form), subcommand)
        if best is None:
            return None
        return best[1], list(tokens[best[0] :])

    def context_for(
        self,
        deps: Deps,
        words: str,
        *,
        cluster: Cluster,
        user: str,
        respond: AsyncRespond,
        is_coordinator: bool,
        args: Arguments | None = None,
    ) -> CommandContext:
        """``/klynge words`` as ``user`` in ``cluster``'s channel, for a button that runs a
        sub-command (the Home tab's, a confirmation's); ``respond`` answers privately."""
        found = self.find([Token(word) for word in words.split()])
        assert found is not None, f"/klynge {words} is not registered"
        return CommandContext(
            deps=deps,
            client=deps.client,
            respond=respond,
            body={"user_id": user, "channel_id": cluster.channel_id, "team_id": cluster.team_id},
            router=self,
            subcommand=found[0],
            args=args or Arguments(),
            cluster=cluster,
            is_coordinator=is_coordinator,
            command_words=len(found[0].words),
        )

    def register(self, app: AsyncApp) -> None:
        """Listen for ``/klynge`` on ``app``."""

        async def on_command(
            ack: Callable[..., Awaitable[None]],
            body: dict[str, Any],
            respond: AsyncRespond,
            client: AsyncWebClient,
            context: Any,
        ) -> None:
            await ack()
            await self.dispatch(deps_of(context), body=body, respond=respond, client=client)

        app.command(COMMAND)(on_command)

    async def dispatch(
        self,
        deps: Deps,
        *,
        body: Mapping[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        """Run the sub-command in ``body['text']``, answering privately on any user error.

        The text is read out of Slack's escaping here, once, before any feature sees it."""
        text = unescape(str(body.get("text") or ""))
        language: str = deps.settings.language
        try:
            if len(text) > MAX_COMMAND_LENGTH:
                raise UserError(TOO_LONG, length=len(text), limit=MAX_COMMAND_LENGTH)
            tokens = tokenize(text) or [Token("help")]
            found = self.find(tokens)
            async with deps.db.session() as session:
                cluster = await get_cluster(
                    session, team_id=str(body["team_id"]), channel_id=str(body["channel_id"])
                )
                coordinator = cluster is not None and await is_coordinator(
                    session, cluster_id=cluster.id or 0, user_id=str(body["user_id"])
                )
            if cluster is not None:
                language = cluster.language
                remember_language(deps, cluster.team_id, cluster.channel_id, language)
            if found is None:
                raise self._unknown(tokens)
            subcommand, rest = found
            if subcommand.needs_cluster and cluster is None:
                raise UserError(NOT_SET_UP)
            context = CommandContext(
                deps=deps,
                router=self,
                client=client,
                respond=respond,
                body=body,
                subcommand=subcommand,
                args=Arguments(),
                cluster=cluster,
                is_coordinator=coordinator,
                text=text,
                command_words=len(tokens) - len(rest),
            )
            if subcommand.coordinator_only and cluster is not None and not coordinator:
                raise await coordinators_only(context)
            try:
                context.args = (
                    Arguments(positional=rest)
                    if subcommand.free_text
                    else parse_arguments(rest, subcommand.flags)
                )
            except ArgumentError as error:  # a wrong option: show the whole right form too
                message = f"{error.render(language)}\n{context.usage()}"
                await respond(text=message, response_type="ephemeral")
                return
            if not subcommand.takes_words and context.args.positional:
                refusal = self._words_left_over(subcommand, rest).render(language)
                await respond(text=f"{refusal}\n{context.usage()}", response_type="ephemeral")
                return
            await subcommand.run(context)
            if context.cluster is not None:  # set up or changed by the command itself
                remember_language(
                    deps, context.cluster.team_id, context.cluster.channel_id, context.language
                )
            if context.queued:
                await respond(text=context.t(POST_QUEUED), response_type="ephemeral")
        except UserError as error:
            await respond(text=error.render(language), response_type="ephemeral")

    def _words_left_over(self, subcommand: Subcommand, rest: Sequence[Token]) -> UserError:
        """The refusal for words after a complete command, with what was probably meant:
        "subclusters auto 6" is most likely "subcluster auto 6"."""
        meant = self.find([Token(subcommand.words[0]), *rest])
        found: Suggestion | None = None
        if meant is not None and meant[0] is not subcommand:
            found = Suggestion(meant[0], tuple(typed_word(token) for token in meant[1]))
        else:
            found = suggest(self._subcommands, [subcommand.words[0], *map(typed_word, rest)])
            if found is not None and found.subcommand is subcommand:
                found = None
        typed = " ".join(token.text for token in rest)[:80]
        return UserError(
            NO_MORE_WORDS,
            command=subcommand.names.bind(),
            extra=shown_typed(typed),
            suggestion=hint(found),
        )

    def _unknown(self, tokens: Sequence[Token]) -> UserError:
        typed = " ".join(token.text for token in tokens[:3])[:80]
        found = suggest(self._subcommands, [typed_word(token) for token in tokens])
        return UserError(UNKNOWN_COMMAND, words=shown_typed(typed), suggestion=hint(found))


async def coordinators_only(ctx: CommandContext) -> UserError:
    """The refusal for a non-coordinator, naming the coordinators to ask."""
    cluster = ctx.require_cluster()
    async with ctx.deps.db.session() as session:
        ids = await coordinator_ids(session, cluster_id=cluster.id or 0)
    mentions = ", ".join(f"<@{user_id}>" for user_id in ids)
    return UserError(COORDINATORS_ONLY, command=ctx.subcommand.names.bind(), coordinators=mentions)


async def announce(
    deps: Deps, channel: str, text: str, *, blocks: Sequence[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Post ``text`` (and ``blocks``) in ``channel``; a friendly ``UserError`` if the bot is out."""
    try:
        response = await deps.client.chat_postMessage(
            channel=channel, text=text, blocks=list(blocks) if blocks else None
        )
    except SlackApiError as error:
        if error_code(error) in CHANNEL_GONE:
            raise UserError(NOT_IN_CHANNEL) from error
        raise
    return dict(response.data) if isinstance(response.data, dict) else {}
