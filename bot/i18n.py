"""User-facing texts in English and Danish, and dates written the way each language writes them.

Every text is a ``Text(en=..., da=...)``: a text cannot exist in one language only, and
``tests/unit/test_i18n.py`` checks that both versions use the same ``{placeholders}``.
A number with a noun is written ``{count:meeting|meetings}`` / ``{count:møde|møder}``: the
number, then the noun in the form it takes after that number.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final, Literal, NamedTuple

Language = Literal["en", "da"]
LANGUAGES: Final[tuple[Language, ...]] = ("en", "da")


class Text(NamedTuple):
    """One user-facing text in both languages; ``{name}`` placeholders are filled by ``render``."""

    en: str
    da: str

    def render(self, language: str, /, **values: object) -> str:
        template = self.da if language == "da" else self.en
        if not values:
            return template
        return template.format(**{name: _shown(value, language) for name, value in values.items()})

    def bind(self, **values: object) -> Phrase:
        """This text with its values, to be rendered later (or inside another text)."""
        return Phrase(self, values)


QUOTED = Text(en="“{text}”", da="»{text}«")


def quoted(text: str, language: str) -> str:
    """``text`` in the quotation marks of ``language``: »…« in Danish, “…” in English."""
    return QUOTED.render(language, text=text)


class Count(int):
    """A whole number in a text: ``{n:one|many}`` writes it with its noun, ``{n}`` alone."""

    def __format__(self, spec: str) -> str:
        if "|" not in spec:
            return int.__format__(self, spec)
        one, many = spec.split("|", 1)
        return f"{int(self)} {one if self == 1 else many}"


def _shown(value: object, language: str) -> object:
    if isinstance(value, Phrase):
        return value.render(language)
    if isinstance(value, int) and not isinstance(value, bool):
        return Count(value)
    return value


class Phrase(NamedTuple):
    """A ``Text`` with its values filled in, rendered in whatever language it is shown in."""

    text: Text
    values: dict[str, object]

    def render(self, language: str) -> str:
        return self.text.render(language, **self.values)


def listing(items: list[str], language: str) -> str:
    """``a, b and c`` / ``a, b og c``: items written as a sentence lists them."""
    if len(items) < 2:
        return "".join(items)
    last = " og " if language == "da" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def language_or_default(value: str | None, default: Language = "en") -> Language:
    """Return ``value`` when it names a supported language, else ``default``."""
    if value in LANGUAGES:
        return value
    return default


_WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "da": ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
}
_MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "da": (
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ),
}


def format_date(moment: datetime, language: str) -> str:
    """``Thursday 3 December 2026`` / ``torsdag den 3. december 2026``."""
    lang = language_or_default(language)
    weekday = _WEEKDAYS[lang][moment.weekday()]
    month = _MONTHS[lang][moment.month - 1]
    if lang == "da":
        return f"{weekday} den {moment.day}. {month} {moment.year}"
    return f"{weekday} {moment.day} {month} {moment.year}"


def format_time(moment: datetime, language: str) -> str:
    """``16:00`` in English, ``16.00`` in Danish."""
    separator = "." if language == "da" else ":"
    return f"{moment.hour:02d}{separator}{moment.minute:02d}"


def format_datetime(moment: datetime, language: str) -> str:
    """``Thursday 3 December 2026 at 16:00`` / ``torsdag den 3. december 2026 kl. 16.00``.

    ``moment`` must already be in the cluster's time zone.
    """
    joiner = "kl." if language == "da" else "at"
    return f"{format_date(moment, language)} {joiner} {format_time(moment, language)}"


def format_duration(span: timedelta, language: str) -> str:
    """A rough, friendly length of time: ``3 days``, ``1 hour 5 minutes``, ``2 dage``."""
    lang = language_or_default(language)
    minutes = max(0, int(span.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    names = {
        "en": (("day", "days"), ("hour", "hours"), ("minute", "minutes")),
        "da": (("dag", "dage"), ("time", "timer"), ("minut", "minutter")),
    }[lang]
    parts = []
    for amount, (one, many) in zip((days, hours, mins), names, strict=True):
        if amount:
            parts.append(f"{amount} {one if amount == 1 else many}")
    if days:  # beyond a day, minutes are noise
        parts = parts[:2]
    if not parts:
        return "under et minut" if lang == "da" else "less than a minute"
    return " ".join(parts[:2])
