"""What a poll is made of: the question, options and flags asked for, validated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.commands import Token
from bot.errors import UserError
from bot.mrkdwn import escape
from bot.numbers import is_number
from bot.privacy import refuse_cpr
from bot.when import in_words, read_start
from bot.when_words import date_as_typed
from handlers.polls import blocks
from handlers.polls.texts import (
    BAD_MULTI,
    CLOSES_FORM,
    CLOSES_IN_PAST,
    DUPLICATE_OPTION,
    EMPTY_OPTION,
    MULTI_AND_RANKED,
    NEEDS_QUOTES,
    NO_QUESTION,
    OPTION_TOO_LONG,
    QUESTION_TOO_LONG,
    SUBCLUSTER_AND_BY,
    TOO_FEW_OPTIONS,
    TOO_MANY_OPTIONS,
)
from storage import polls as store

MIN_OPTIONS = 2
MAX_OPTIONS = 20
MAX_OPTION_LENGTH = 200
MAX_QUESTION_LENGTH = 300


@dataclass
class PollSpec:
    """A poll as asked for, validated, before it is stored."""

    question: str
    options: list[str]
    kind: str = store.SINGLE
    max_choices: int = 1
    anonymous: bool = False
    open_options: bool = False
    closes_at: datetime | None = None
    subcluster: str | None = None
    by_subcluster: bool = False


def clean_question(text: str) -> str:
    question = " ".join(text.split())
    if not question:
        raise UserError(NO_QUESTION)
    if len(question) > MAX_QUESTION_LENGTH:
        raise UserError(QUESTION_TOO_LONG, length=len(question), limit=MAX_QUESTION_LENGTH)
    refuse_cpr(question)
    return question


def clean_option(text: str, number: int) -> str:
    option = " ".join(text.split())
    if not option:
        raise UserError(EMPTY_OPTION, number=number)
    if len(option) > MAX_OPTION_LENGTH:
        raise UserError(OPTION_TOO_LONG, number=number, length=len(option), limit=MAX_OPTION_LENGTH)
    refuse_cpr(option)
    return option


def clean_options(texts: Sequence[str]) -> list[str]:
    """2 to 20 non-empty, different options (trimmed; compared without case)."""
    if len(texts) > MAX_OPTIONS:
        raise UserError(TOO_MANY_OPTIONS, maximum=MAX_OPTIONS, count=len(texts))
    options = [clean_option(text, number) for number, text in enumerate(texts, start=1)]
    if len(options) < MIN_OPTIONS:
        raise UserError(TOO_FEW_OPTIONS, minimum=MIN_OPTIONS, count=len(options))
    seen: set[str] = set()
    for option in options:
        key = store.normalize(option)
        if key in seen:
            raise UserError(DUPLICATE_OPTION, option=escape(blocks.shorten(option, 80)))
        seen.add(key)
    return options


def parse_multi(value: str, option_count: int) -> int:
    cleaned = value.strip()
    if not is_number(cleaned, digits=3) or not 1 <= int(cleaned) <= option_count:
        raise UserError(BAD_MULTI, count=option_count, value=escape(cleaned[:20]))
    return int(cleaned)


def parse_closes(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """A date and a time in the cluster's zone (``3. dec. kl. 16``, ``fredag 12``,
    ``2026-12-01 16:00``), as UTC; refuses the past, saying in words what it read."""
    start = read_start(text.split(), tz=tz, now=now)  # a WhenError says what was wrong
    if start.rest or start.length is not None:
        example = date_as_typed((now.astimezone(tz) + timedelta(days=7)).date())
        raise UserError(CLOSES_FORM, example=example)
    if start.at <= now:
        raise UserError(CLOSES_IN_PAST, when=in_words(start.at.astimezone(tz)))
    return start.at


def spec_from_command(
    tokens: Sequence[Token], flags: dict[str, str | bool], *, now: datetime, tz: ZoneInfo
) -> PollSpec:
    """The poll described by ``/klynge poll "Q" "A" "B" --flags``."""
    texts = [token.text for token in tokens if token.quoted]
    loose = [token.text for token in tokens if not token.quoted]
    closes_text = flags.get("closes")
    if isinstance(closes_text, str) and len(closes_text.split()) == 1 and len(loose) == 1:
        closes_text = f"{closes_text} {loose.pop()}"  # --closes 2026-12-01 16:00
    if loose:
        raise UserError(NEEDS_QUOTES, words=escape(" ".join(loose)[:80]))
    if not texts:
        raise UserError(NO_QUESTION)
    spec = PollSpec(question=clean_question(texts[0]), options=clean_options(texts[1:]))
    ranked = flags.get("ranked") is True
    multi = flags.get("multi")
    if ranked and isinstance(multi, str):
        raise UserError(MULTI_AND_RANKED)
    if ranked:
        spec.kind = store.RANKED
    elif isinstance(multi, str):
        spec.max_choices = parse_multi(multi, len(spec.options))
        spec.kind = store.MULTI if spec.max_choices > 1 else store.SINGLE
    spec.anonymous = flags.get("anonymous") is True
    spec.open_options = flags.get("open") is True
    if isinstance(closes_text, str):
        spec.closes_at = parse_closes(closes_text, now=now, tz=tz)
    subcluster = flags.get("subcluster")
    spec.subcluster = subcluster if isinstance(subcluster, str) else None
    spec.by_subcluster = flags.get("by-subcluster") is True
    if spec.subcluster and spec.by_subcluster:
        raise UserError(SUBCLUSTER_AND_BY)
    return spec


def nudge_time(created: datetime, closes: datetime) -> datetime:
    """A day before the deadline, or halfway for polls shorter than two days."""
    if closes - created >= timedelta(days=2):
        return closes - timedelta(days=1)
    return created + (closes - created) / 2
