"""What to suggest for a ``/klynge`` command I don't know: by meaning first, then by spelling,
and how to say it (``hint``).

Pure: it gets the registered sub-commands and the words typed. A word that *means* a
sub-command ("stop", "slet" on a meeting) suggests it even when it removes something, since
the person asked for that; a word merely spelt like one never suggests a destructive
sub-command (``stop`` is not ``setup``, ``meeting remove`` is not ``meeting move``).
Suggestions are only shown, never run.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from bot.commands import Token, fold
from bot.i18n import Text
from bot.mrkdwn import escape

if TYPE_CHECKING:
    from handlers.router import Subcommand

DID_YOU_MEAN = Text(en=" Did you mean `/klynge {match}`?", da=" Mente du `/klynge {match}`?")
IN_GROUP = Text(
    en=" After `/klynge {group}` come: {commands}.",
    da=" Efter `/klynge {group}` kan der stå: {commands}.",
)
# Words that mean a whole sub-command, by its English words.
_MEANS: Final[Mapping[str, tuple[str, ...]]] = {
    "stop": ("end",),
    "finish": ("end",),
    "close": ("end",),
    "luk": ("end",),
    "begin": ("start",),
    "begynd": ("start",),
    "vote": ("poll",),
    "stem": ("poll",),
    "survey": ("poll",),
    "groups": ("breakout",),
    "group": ("breakout",),
    "gruppe": ("breakout",),
    "rooms": ("breakout",),
    "minutes": ("export",),
    "ordstyrer": ("facilitator", "list"),
    "moderator": ("facilitator", "list"),
    "plan": ("meeting", "add"),
    "planlæg": ("meeting", "add"),
    "calendar": ("meeting", "ics"),
    "kalender": ("meeting", "ics"),
    "ics": ("meeting", "ics"),
    "commands": ("help",),
    "kommandoer": ("help",),
    "reminders": ("remind", "defaults"),
    "påmindelse": ("remind", "defaults"),
    "note": ("takeaway",),
    "takehomes": ("takeaway", "list"),
    "pointer": ("takeaway", "list"),
    "checkin": ("attendance",),
    "deltagere": ("attendance",),
}
_MEANS_FOLDED: Final = {fold(word): words for word, words in _MEANS.items()}
# Second words that mean a sub-command of a group ("meeting remove" -> "meeting cancel"),
# by the group's and the sub-command's English words.
_MEANS_UNDER: Final[Mapping[str, Mapping[str, str]]] = {
    "meeting": {
        **dict.fromkeys(("remove", "delete", "drop", "fjern", "slet"), "cancel"),
        **dict.fromkeys(("edit", "change", "ret", "ændr", "rediger", "skift"), "set"),
        **dict.fromkeys(("reschedule", "postpone", "udsæt", "ryk"), "move"),
        **dict.fromkeys(("new", "create", "plan", "ny", "opret", "planlæg"), "add"),
        **dict.fromkeys(("details", "info", "see", "se", "detaljer"), "show"),
        **dict.fromkeys(("all", "alle", "oversigt"), "list"),
        **dict.fromkeys(("calendar", "file", "fil"), "ics"),
    },
    "coordinator": {
        **dict.fromkeys(("delete", "slet"), "remove"),
        **dict.fromkeys(("new", "ny"), "add"),
    },
    "subcluster": {
        **dict.fromkeys(("new", "make", "ny", "lav"), "create"),
        **dict.fromkeys(("show", "vis", "alle"), "list"),
    },
    "facilitator": {
        **dict.fromkeys(("pass", "drop"), "skip"),
        **dict.fromkeys(("holiday", "absent", "ferie", "fraværende", "fri"), "away"),
        **dict.fromkeys(("show", "vis", "alle"), "list"),
        **dict.fromkeys(("bytte", "exchange"), "swap"),
    },
    "clinic": {**dict.fromkeys(("all", "alle", "vis"), "list")},
}


@dataclass(frozen=True)
class Suggestion:
    """A sub-command to suggest (with the words typed after it), or a group to list."""

    subcommand: Subcommand | None
    rest: tuple[str, ...] = ()
    # When only the group is known ("meeting frobnicate"): its sub-commands, to list.
    group: tuple[Subcommand, ...] = ()


def suggest(subcommands: Sequence[Subcommand], typed: Sequence[str]) -> Suggestion | None:
    """What ``typed`` (the words of a command no sub-command matched) most likely meant."""
    words = [fold(word) for word in typed]
    if not words:
        return None
    by_words = {subcommand.words: subcommand for subcommand in subcommands}
    means = _MEANS_FOLDED.get(words[0])
    if means is not None and means in by_words:
        return Suggestion(by_words[means], tuple(typed[1:]))
    groups = _groups(subcommands)
    group = groups.get(words[0]) or _spelt_like(words[0], groups)
    if group is not None:
        return _in_group(group, by_words, typed, words)
    singles = _safe_forms(subcommands, length=1)
    for word in difflib.get_close_matches(words[0], list(singles), n=1, cutoff=0.75):
        return Suggestion(singles[word], tuple(typed[1:]))
    return None


def _safe_forms(subcommands: Sequence[Subcommand], *, length: int) -> dict[str, Subcommand]:
    """The last word of every form ``length`` words long -> its sub-command, leaving out the
    destructive ones (they are never suggested for a word merely spelt like theirs)."""
    return {
        form[-1]: subcommand
        for subcommand in subcommands
        if not subcommand.destructive
        for form in subcommand.forms()
        if len(form) == length
    }


def _groups(subcommands: Sequence[Subcommand]) -> dict[str, list[Subcommand]]:
    """The first words of sub-commands of two or more words (every form) -> those commands."""
    groups: dict[str, list[Subcommand]] = {}
    for subcommand in subcommands:
        for form in subcommand.forms():
            if len(form) >= 2 and subcommand not in groups.setdefault(form[0], []):
                groups[form[0]].append(subcommand)
    return groups


def _spelt_like(word: str, groups: Mapping[str, list[Subcommand]]) -> list[Subcommand] | None:
    matches = difflib.get_close_matches(word, list(groups), n=1, cutoff=0.75)
    return groups[matches[0]] if matches else None


def _in_group(
    group: Sequence[Subcommand],
    by_words: Mapping[tuple[str, ...], Subcommand],
    typed: Sequence[str],
    words: Sequence[str],
) -> Suggestion:
    english = group[0].words[0]
    second = words[1] if len(words) > 1 else ""
    meant = {fold(word): name for word, name in _MEANS_UNDER.get(english, {}).items()}
    if second in meant and (english, meant[second]) in by_words:
        return Suggestion(by_words[(english, meant[second])], tuple(typed[2:]))
    safe = _safe_forms(group, length=2)
    if second:
        for word in difflib.get_close_matches(second, list(safe), n=1, cutoff=0.6):
            return Suggestion(safe[word], tuple(typed[2:]))
    return Suggestion(None, group=tuple(group))


def hint(found: Suggestion | None) -> object:
    """What to add to a refusal: "Did you mean `/klynge …`?" in the language it is shown in,
    or the commands of a group; nothing when nothing fits."""
    if found is None:
        return ""
    if found.subcommand is not None:
        rest = " ".join(found.rest)
        rest = rest if len(rest) <= 60 else rest[:59] + "…"
        words = found.subcommand.names
        match = Text(
            en=shown_typed(f"{words.en} {rest}".strip()),
            da=shown_typed(f"{words.da} {rest}".strip()),
        )
        return DID_YOU_MEAN.bind(match=match.bind())
    group = Text(en=found.group[0].words[0], da=found.group[0].name_in("da").split()[0]).bind()
    names = Text(
        en=", ".join(f"`{' '.join(sub.words[1:])}`" for sub in found.group),
        da=", ".join(f"`{sub.name_in('da').partition(' ')[2]}`" for sub in found.group),
    ).bind()
    return IN_GROUP.bind(group=group, commands=names)


def typed_word(token: Token) -> str:
    """A word as typed; quoted text in quotes again."""
    return f"“{token.text}”" if token.quoted else token.text


def shown_typed(typed: str) -> str:
    """Words someone typed, shown inside `code`: escaped once, no backticks to break out."""
    return escape(typed.replace("`", "'"))
