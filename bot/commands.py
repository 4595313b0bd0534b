"""Parsing the text of ``/klynge`` commands: words, quotes, mentions and ``--flags``.

Pure functions, no Slack: ``tokenize`` splits the text the way a person means it (straight,
curly and Danish quotes; the em dash a Mac makes of ``--``), ``parse_arguments`` separates
positional arguments from the flags a sub-command declares. The text they get is already read
out of Slack's escaping (``bot.mrkdwn.unescape``, in the router): ``<``, ``&`` as typed,
mentions and channels as ``<@U…>`` / ``<#C…>``, links as their plain URL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Final

from bot.errors import UserError
from bot.i18n import Phrase, Text

# Opening quote -> the closing quotes that end it. Danish typography opens with „ and closes with “.
_QUOTES: Mapping[str, str] = {
    '"': '"”“',
    "“": '”“"',
    "”": '”“"',
    "„": '“”"',
    "«": "»",
    "»": "«",
    "'": "'’",
    "‘": "’'",
}
# A Mac turns "--" into an en or em dash; read those as "--" at the start of a word.
_DASH_PREFIX = re.compile(r"^(?:—|–|-—|-–)(?=[^\W\d_])")
_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$")
_CHANNEL = re.compile(r"^<#(C[A-Z0-9]{2,})(?:\|[^>]*)?>$")
_RAW_USER_ID = re.compile(r"^@?([UW][A-Z0-9]{6,})$")


@dataclass(frozen=True)
class Token:
    """One word of the command; ``quoted`` tokens are never flags or sub-command names."""

    text: str
    quoted: bool = False


def tokenize(text: str) -> list[Token]:
    """Split command text into tokens, honouring quotes; an unclosed quote runs to the end."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        closers = _QUOTES.get(text[i])
        if closers is not None:
            end = i + 1
            while end < n and text[end] not in closers:
                end += 1
            tokens.append(Token(text[i + 1 : end], quoted=True))
            i = end + 1
            continue
        end = i
        while end < n and not text[end].isspace():
            end += 1
        word = _DASH_PREFIX.sub("--", text[i:end])
        tokens.append(Token(word))
        i = end
    return tokens


def mention_user_id(token: str) -> str | None:
    """The user id in ``<@U123>`` or ``<@U123|name>`` (or a bare ``U123ABC``), else None."""
    token = token.strip()
    match = _MENTION.match(token) or _RAW_USER_ID.match(token)
    return match.group(1) if match else None


def channel_id(token: str) -> str | None:
    match = _CHANNEL.match(token.strip())
    return match.group(1) if match else None


class FlagKind(Enum):
    SWITCH = "switch"  # --anonymous
    VALUE = "value"  # --zoom URL, --zoom=URL
    # Several words, up to the next --flag or quoted text: --closes 3. dec. kl. 16
    WORDS = "words"


# Every option's Danish name (English -> Danish), accepted in every cluster beside the English
# one and shown in Danish help and texts. An option not listed has the same name in both.
DANISH_FLAGS: Final[Mapping[str, str]] = {
    "remind": "påmind",
    "every": "gentag",
    "until": "indtil",
    "count": "antal",
    "duration": "varighed",
    "multi": "flere",
    "anonymous": "anonym",
    "closes": "lukker",
    "ranked": "rangordnet",
    "open": "åben",
    "subcluster": "babyklynge",
    "by-subcluster": "per-babyklynge",
    "from-subclusters": "fra-babyklynger",
    "keep-clinics-together": "klinikker-samlet",
    "replace": "erstat",
    "clear": "ryd",
    "language": "sprog",
    "timezone": "tidszone",
    "all": "alle",
    "unplanned": "uplanlagt",
}


def fold(word: str) -> str:
    """``word`` as compared with command words: lower case, and æ ø å the same however typed
    (``møde`` = ``mode`` = ``moede``, ``hjælp`` = ``hjaelp``, ``år`` = ``aar``)."""
    lowered = word.casefold()
    for danish, plain in (
        ("æ", "a"),
        ("ø", "o"),
        ("å", "a"),
        ("ae", "a"),
        ("oe", "o"),
        ("aa", "a"),
    ):
        lowered = lowered.replace(danish, plain)
    return lowered


def flag_name(flag: str, language: str) -> str:
    """The name of option ``flag`` (its English name) as written in ``language``."""
    return DANISH_FLAGS.get(flag, flag) if language == "da" else flag


def _declared(typed: str, flags: Mapping[str, FlagKind]) -> str | None:
    """The declared option ``typed`` names, in English or Danish, however æ ø å were typed."""
    folded = fold(typed)
    for flag in flags:
        if folded in {fold(flag), fold(DANISH_FLAGS.get(flag, flag))}:
            return flag
    return None


def known_flags(flags: Mapping[str, FlagKind]) -> Phrase:
    """The options of a sub-command, listed in the language the message is shown in."""
    return Text(
        en=", ".join(f"`--{flag}`" for flag in flags),
        da=", ".join(f"`--{flag_name(flag, 'da')}`" for flag in flags),
    ).bind()


class ArgumentError(UserError):
    """The words did not fit the sub-command."""


UNKNOWN_FLAG = Text(
    en="I don't know the option `--{flag}` here. Options here: {known}.",
    da="Jeg kender ikke tilvalget `--{flag}` her. Tilvalg her: {known}.",
)
NO_FLAGS = Text(
    en="`--{flag}` is not an option here: this command takes no options.",
    da="`--{flag}` er ikke et tilvalg her: denne kommando har ingen tilvalg.",
)
MISSING_FLAG_VALUE = Text(
    en="`--{flag}` needs a value after it.",
    da="`--{flag}` skal efterfølges af en værdi.",
)
SWITCH_WITH_VALUE = Text(
    en="`--{flag}` is an on/off option and takes no value.",
    da="`--{flag}` er et til/fra-tilvalg og tager ingen værdi.",
)
REPEATED_FLAG = Text(en="`--{flag}` is given twice.", da="`--{flag}` er angivet to gange.")


@dataclass(frozen=True)
class Arguments:
    """What followed the sub-command's words: positional tokens and flags by name."""

    positional: list[Token] = field(default_factory=list)
    flags: dict[str, str | bool] = field(default_factory=dict)

    @property
    def words(self) -> list[str]:
        return [token.text for token in self.positional]

    def text(self) -> str:
        """The positional words joined back together (e.g. a title or a take-home text)."""
        return " ".join(self.words)

    def value(self, flag: str) -> str | None:
        found = self.flags.get(flag)
        return found if isinstance(found, str) else None

    def switch(self, flag: str) -> bool:
        return self.flags.get(flag) is True


def parse_arguments(tokens: list[Token], flags: Mapping[str, FlagKind]) -> Arguments:
    """Separate ``--flags`` (as declared in ``flags``, by English or Danish name) from
    positional tokens; ``flags`` in the result are keyed by their English names."""
    result = Arguments()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if not _is_flag(token):
            result.positional.append(token)
            continue
        typed, has_inline, inline_value = token.text[2:].partition("=")
        typed = typed.lower()
        name = _declared(typed, flags)
        if name is None:
            if not flags:
                raise ArgumentError(NO_FLAGS, flag=typed)
            raise ArgumentError(UNKNOWN_FLAG, flag=typed, known=known_flags(flags))
        kind = flags[name]
        if name in result.flags:
            raise ArgumentError(REPEATED_FLAG, flag=typed)
        if kind is FlagKind.SWITCH:
            if has_inline:
                raise ArgumentError(SWITCH_WITH_VALUE, flag=typed)
            result.flags[name] = True
            continue
        words = [inline_value] if has_inline else []
        if not has_inline and i < len(tokens) and not _is_flag(tokens[i]):
            words.append(tokens[i].text)  # one word, or one quoted text
            i += 1
        if kind is FlagKind.WORDS and not (words and tokens[i - 1].quoted):
            while i < len(tokens) and not tokens[i].quoted and not _is_flag(tokens[i]):
                words.append(tokens[i].text)
                i += 1
        value = " ".join(words).strip()
        if not value:
            raise ArgumentError(MISSING_FLAG_VALUE, flag=typed)
        result.flags[name] = value
    return result


def _is_flag(token: Token) -> bool:
    return not token.quoted and token.text.startswith("--") and token.text != "--"
