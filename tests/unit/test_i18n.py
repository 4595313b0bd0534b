"""Every user-facing text exists in English and Danish, with the same placeholders."""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

import bot
import handlers
from bot.commands import DANISH_FLAGS, tokenize
from bot.deps import Hooks
from bot.i18n import Text, format_date, format_datetime, format_duration, listing
from handlers.router import CommandRouter
from handlers.wiring import Wiring


def _modules() -> Iterator[object]:
    for package in (bot, handlers):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name.endswith("__main__"):
                continue
            yield importlib.import_module(info.name)


def _texts() -> list[tuple[str, Text]]:
    found: dict[int, tuple[str, Text]] = {}

    def visit(name: str, value: object, depth: int = 0) -> None:
        if isinstance(value, Text):
            found.setdefault(id(value), (name, value))
        elif isinstance(value, dict) and depth < 2:
            for key, item in value.items():
                visit(f"{name}[{key!r}]", item, depth + 1)
        elif isinstance(value, (list, tuple)) and depth < 2:
            for index, item in enumerate(value):
                visit(f"{name}[{index}]", item, depth + 1)

    for module in _modules():
        for name, value in vars(module).items():
            visit(f"{module.__name__}.{name}", value)  # type: ignore[attr-defined]
    return sorted(found.values(), key=lambda pair: pair[0])


class _ListeningNowhere:
    """Stands in for the Bolt app: every ``app.command(...)``-style registration is a no-op."""

    def __getattr__(self, name: str) -> Callable[..., Callable[[Any], Any]]:
        return lambda *args, **kwargs: lambda listener: listener


def _subcommand_texts() -> list[tuple[str, Text]]:
    """Every sub-command's usage and summary, as the features register them."""
    router = CommandRouter()
    wiring = Wiring(commands=router, hooks=Hooks())
    for feature in handlers.FEATURES:
        feature.register(_ListeningNowhere(), wiring)  # type: ignore[arg-type]
    return [
        (f"/klynge {subcommand.name} {part}", text)
        for subcommand in router.subcommands
        for part, text in (("usage", subcommand.usage), ("summary", subcommand.summary))
    ]


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


TEXTS = _texts()
ALL_TEXTS = TEXTS + _subcommand_texts()
# What Slack reads inside <…>: a user, channel or special mention, or a link. A ``{field}`` is
# filled in by the code (a channel id, a URL), so ``<#{channel}>`` and ``<{url}|…>`` are fine.
_SLACK_MARKUP = re.compile(r"^(?:[@#]\{?\w+\}?|!\w+|https?://|mailto:|\{\w+\})")


def test_texts_are_found() -> None:
    assert len(TEXTS) > 20


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=[name for name, _ in TEXTS])
def test_text_exists_in_both_languages_with_the_same_placeholders(name: str, text: Text) -> None:
    assert text.en.strip(), f"{name} has no English"
    assert text.da.strip(), f"{name} has no Danish"
    assert _placeholders(text.en) == _placeholders(text.da)


def test_every_sub_command_is_found() -> None:
    names = {name for name, _ in ALL_TEXTS}
    assert "/klynge poll close usage" in names
    assert "/klynge meeting add usage" in names


@pytest.mark.parametrize(("name", "text"), ALL_TEXTS, ids=[name for name, _ in ALL_TEXTS])
def test_no_text_holds_a_placeholder_slack_would_read_as_markup(name: str, text: Text) -> None:
    """Slack reads any <…> as markup: <number> in a help text is mangled; [number] is not."""
    for language in ("en", "da"):
        template = getattr(text, language)
        inside = re.findall(r"<([^<>]*)>", template)
        wrong = [f"<{part}>" for part in inside if not _SLACK_MARKUP.match(part)]
        assert not wrong, f"{name} ({language}) has {wrong}: write [word] instead"
        assert "<" not in re.sub(r"<[^<>]*>", "", template), f"{name} ({language}) has a bare <"


def test_danish_dates_are_written_the_danish_way() -> None:
    moment = datetime(2026, 12, 3, 16, 0)

    assert format_datetime(moment, "da") == "torsdag den 3. december 2026 kl. 16.00"
    assert format_datetime(moment, "en") == "Thursday 3 December 2026 at 16:00"
    assert format_date(datetime(2027, 5, 1), "da") == "lørdag den 1. maj 2027"


def test_durations_read_naturally_in_both_languages() -> None:
    assert format_duration(timedelta(days=7), "en") == "7 days"
    assert format_duration(timedelta(days=1, hours=2, minutes=5), "da") == "1 dag 2 timer"
    assert format_duration(timedelta(minutes=59), "en") == "59 minutes"
    assert format_duration(timedelta(seconds=20), "da") == "under et minut"


# --- Danish as a Danish GP writes it (docs/glossary.md) ------------------------------------------


def _router() -> CommandRouter:
    router = CommandRouter()
    wiring = Wiring(commands=router, hooks=Hooks())
    for feature in handlers.FEATURES:
        feature.register(_ListeningNowhere(), wiring)  # type: ignore[arg-type]
    return router


ROUTER = _router()
# A command as a text shows it: `/klynge` and its words, up to a placeholder, a value or the end.
_COMMAND = re.compile(r"/klynge((?: [^\s`{\[|,;:)\"“]+)*)")
# Words of the English commands that are not also Danish command words ("start", "auto").
ENGLISH_WORDS = {word for sub in ROUTER.subcommands for word in sub.words} - {
    word for sub in ROUTER.subcommands for word in (sub.da or sub.words)
}
DANISH_OPTION_NAMES = {english for english, danish in DANISH_FLAGS.items() if english != danish}


def _danish_problems(text: str) -> list[str]:
    problems = []
    for match in _COMMAND.finditer(text):
        words = match.group(1).split()
        found = ROUTER.find(tokenize(" ".join(words))) if words else None
        if found is None:
            if words:
                problems.append(f"{match.group(0)!r} is no command")
            continue
        used = len(words) - len(found[1])
        if " ".join(word.lower() for word in words[:used]) != found[0].name_in("da"):
            problems.append(f"{match.group(0)!r} is not `/klynge {found[0].name_in('da')}`")
    problems += [f"--{flag} is --{DANISH_FLAGS[flag]}" for flag in _options(text)]
    # Commands may hold what people type ("straight quotes"); a usage is all command.
    prose = "" if text.startswith("/klynge ") else re.sub(r"`[^`]*`", "", text)
    problems += [f"the quote {quote} (use »…«)" for quote in '“”"' if quote in prose]
    # "#{channel}" is a channel's name as Slack writes it; any other "#" before a value is a number.
    numbers = re.findall(r"(?<!<)#\{(?!channel\})\w+\}|#[0-9]+", text)
    problems += [f"{number!r} (use nr.)" for number in numbers]
    problems += [
        f"the time {clock!r} (use 16.00)" for clock in re.findall(r"\b\d{1,2}:\d{2}\b|%H:%M", text)
    ]
    for word in re.findall(r"[\w-]+", prose.lower()):
        if word in {"ordstyrer", "take-home", "take-home-besked", "take-home-beskeder"}:
            problems.append(f"{word!r} (see docs/glossary.md)")
    return problems


def _options(text: str) -> list[str]:
    return [flag for flag in re.findall(r"--([a-z][\w-]*)", text) if flag in DANISH_OPTION_NAMES]


@pytest.mark.parametrize(("name", "text"), ALL_TEXTS, ids=[name for name, _ in ALL_TEXTS])
def test_danish_texts_use_danish_commands_quotes_numbers_and_times(name: str, text: Text) -> None:
    """Danish texts name commands and options by their Danish words, quote »like this«, write
    nr. 5 and 16.00, and use the glossary's words (tovholder, pointe)."""
    assert _danish_problems(text.da) == [], name


def test_the_danish_check_finds_what_it_looks_for() -> None:
    assert _danish_problems("Skriv `/klynge meeting add` med --remind “nu” #{id} kl. 16:00")
    assert _danish_problems("Skriv `/klynge møde tilføj 3/12 kl. 16` med --påmind, nr. {id}") == []
    assert "tovholder" not in ENGLISH_WORDS
    assert {"meeting", "add", "poll", "takeaway", "facilitator", "end"} <= ENGLISH_WORDS


@pytest.mark.parametrize(
    ("count", "en", "da"),
    [(0, "0 meetings", "0 møder"), (1, "1 meeting", "1 møde"), (2, "2 meetings", "2 møder")],
)
def test_a_number_is_written_with_its_noun_in_the_right_form(count: int, en: str, da: str) -> None:
    text = Text(en="{n:meeting|meetings} held", da="{n:møde|møder} holdt")

    assert text.render("en", n=count) == f"{en} held"
    assert text.render("da", n=count) == f"{da} holdt"
    assert Text(en="nr. {n}", da="nr. {n}").render("da", n=count) == f"nr. {count}"


@pytest.mark.parametrize(
    ("items", "language", "written"),
    [
        ([], "en", ""),
        (["1 RSVP"], "en", "1 RSVP"),
        (["1 RSVP", "2 texts"], "en", "1 RSVP and 2 texts"),
        (["a", "b", "c"], "da", "a, b og c"),
    ],
)
def test_listing_writes_items_as_a_sentence_does(
    items: list[str], language: str, written: str
) -> None:
    assert listing(items, language) == written
