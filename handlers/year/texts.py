"""The year feature's user-facing texts, in English and Danish."""

from __future__ import annotations

from bot.i18n import Text

YEAR_FORM = Text(
    en="Write `/klynge year` for this year or `/klynge year 2026` for another calendar year.",
    da="Skriv `/klynge år` for i år eller `/klynge år 2026` for et andet kalenderår.",
)
THEME_SHOWN = Text(
    en=":dart: The theme of *{year}*: *{theme}*.",
    da=":dart: Temaet for *{year}*: *{theme}*.",
)
THEME_NONE = Text(
    en="There is no theme for {year} yet. A coordinator sets one with "
    "`/klynge year theme [text]` (another year: `/klynge year theme 2027 [text]`).",
    da="Der er intet tema for {year} endnu. En koordinator sætter et med "
    "`/klynge år tema [tekst]` (et andet år: `/klynge år tema 2027 [tekst]`).",
)
THEME_SET = Text(
    en=":dart: The cluster's theme for *{year}*: *{theme}* (set by {by}). "
    "Every meeting of {year} belongs to it; `/klynge year` shows the year.",
    da=":dart: Klyngens tema for *{year}*: *{theme}* (sat af {by}). "
    "Alle møder i {year} hører til det; `/klynge år` viser året.",
)
THEME_CLEARED = Text(
    en=":dart: The theme for *{year}* was removed (by {by}).",
    da=":dart: Temaet for *{year}* er fjernet (af {by}).",
)
THEME_NOTHING_TO_CLEAR = Text(
    en="There was no theme for {year}, so nothing was removed.",
    da="Der var intet tema for {year}, så intet er fjernet.",
)
THEME_TOO_LONG = Text(
    en="A theme can be at most {limit} characters (yours has {length}). Keep it to a line: "
    "the details belong in the meetings' topics.",
    da="Et tema kan højst være {limit} tegn (dit har {length}). Hold det på en linje: "
    "detaljerne hører til i mødernes emner.",
)
THEME_YEAR_FORM = Text(
    en="{year} is not a year I can keep a theme for (2000–2100). Write "
    "`/klynge year theme 2027 [text]`.",
    da="{year} er ikke et år, jeg kan gemme et tema for (2000–2100). Skriv "
    "`/klynge år tema 2027 [tekst]`.",
)
