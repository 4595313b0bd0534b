"""The year's overview and the Home tab's "The year", as Block Kit. Pure."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.fakeslack.rules import block_errors, block_text_length, message_text_errors
from handlers.takeaways.rates import Implementation, Point
from handlers.year import blocks
from handlers.year.blocks import YearMeeting


def text_of(found: list[dict[str, Any]]) -> str:
    """The mrkdwn of every section and context block, a line each."""
    parts = [block["text"]["text"] for block in found if "text" in block]
    parts += [element["text"] for block in found for element in block.get("elements", [])]
    return "\n".join(parts)


def test_year_overview_stays_within_slacks_limits_and_escapes_titles() -> None:
    meetings = [
        YearMeeting(
            n,
            date(2026, 1, 1),
            "Thursday 1 January 2026",
            f"Møde <{n}> & mere " + "x" * 150,
            topic="t" * 400,
            point=Point(n, Implementation(done=1, not_answered=1)),
        )
        for n in range(60)
    ]

    found = blocks.year_overview(
        cluster="Nord & Syd", year=2026, theme="KOL <og> astma", meetings=meetings, language="en"
    )

    assert block_errors(found) == []
    assert block_text_length(found) <= 11_000
    assert message_text_errors("", found) == []
    text = text_of(found)
    assert "*Theme:* KOL &lt;og&gt; astma" in text
    assert "Møde &lt;0&gt; &amp; mere" in text
    shown = text.count("Møde &lt;")
    assert 0 < shown < 60
    assert f"…and {60 - shown} more." in text


def test_year_overview_shows_the_theme_held_and_planned_meetings_with_the_rate() -> None:
    meetings = [
        YearMeeting(
            1,
            date(2027, 2, 4),
            "torsdag den 4. februar 2027",
            "Forår",
            topic="KOL",
            facilitator=blocks.who_ran("U1", "Nord"),
            checked_in=5,
            point=Point(1, Implementation(done=3, in_progress=1)),
        ),
        YearMeeting(2, date(2027, 9, 2), "torsdag den 2. september 2027", "Efterår", held=False),
    ]

    text = text_of(
        blocks.year_overview(
            cluster="Klyngen", year=2027, theme=None, meetings=meetings, language="da"
        )
    )

    assert "*Klyngen — 2027:* 1 møde holdt, 1 planlagt" in text
    assert "Intet tema for 2027 endnu: `/klynge år tema [tekst]`" in text
    assert "*Forår* (KOL) — tovholder *Nord* (<@U1>) — 5 tjekket ind" in text
    assert "`████████▒▒` 75 % gennemført · 25 % i gang" in text
    assert "*Efterår* — tovholder ingen angivet — planlagt" in text


def test_a_meeting_whose_time_passed_without_being_held_reads_not_held() -> None:
    meetings = [
        YearMeeting(
            1, date(2027, 1, 14), "torsdag den 14. januar 2027", "Januar", held=False, passed=True
        ),
        YearMeeting(2, date(2027, 9, 2), "torsdag den 2. september 2027", "Efterår", held=False),
    ]

    for language, not_held, planned, title in (
        (
            "da",
            "*Januar* — tovholder ingen angivet — ikke holdt",
            "— planlagt",
            "0 møder holdt, 1 planlagt",
        ),
        (
            "en",
            "*Januar* — run by nobody named — not held",
            "— planned",
            "0 meetings held, 1 planned",
        ),
    ):
        text = text_of(
            blocks.year_overview(
                cluster="Klyngen", year=2027, theme=None, meetings=meetings, language=language
            )
        )
        assert not_held in text
        assert text.count(planned) == 1
        assert title in text
        home = text_of(
            blocks.home_year(year=2027, theme=None, meetings=meetings, language=language)
        )
        assert ("ikke holdt" if language == "da" else "not held") in home


def test_members_are_told_a_coordinator_sets_the_theme() -> None:
    text = text_of(
        blocks.year_overview(
            cluster="Klyngen", year=2027, theme=None, meetings=[], language="da", coordinator=False
        )
    )

    assert "en klyngekoordinator sætter det med `/klynge år tema [tekst]`" in text
    assert "Der er ikke holdt eller planlagt møder i 2027." in text


def test_home_year_marks_the_viewers_attendance_and_cuts_long_years() -> None:
    meetings = [
        YearMeeting(
            n,
            date(2027, 1 + n % 12, 1),
            "",
            f"Møde {n}",
            held=n < 3,
            you_came=n == 0,
            point=Point(n, Implementation(done=1)) if n == 0 else None,
        )
        for n in range(12)
    ]

    found = blocks.home_year(year=2027, theme="Diabetes", meetings=meetings, language="en")

    assert block_errors(found) == []
    text = text_of(found)
    assert text.startswith("*The year 2027*\n:dart: *Theme:* Diabetes")
    assert "1 Jan *Møde 0* · nobody named · :white_check_mark: you were there · " in text
    assert "`██████████` 100% done" in text
    assert "1 Feb *Møde 1* · nobody named · :heavy_minus_sign: not checked in" in text
    assert "1 Apr *Møde 3* · nobody named · :spiral_calendar_pad: planned" in text
    assert "…and 4 more: `/klynge year`" in text


def test_home_year_is_empty_without_meetings_or_theme() -> None:
    assert blocks.home_year(year=2027, theme=None, meetings=[], language="da") == []
    [block] = blocks.home_year(year=2027, theme="KOL", meetings=[], language="da")
    assert "*Året 2027*" in str(block)
