"""The offline demo plays a whole meeting through the real handlers and prints a transcript."""

from __future__ import annotations

import asyncio
import functools
import io
import re

import pytest

from bot.demo import run_demo
from handlers.meetings.fields import FIELD_WORDS
from tests.unit.test_i18n import ENGLISH_WORDS, _danish_problems


@functools.cache
def _transcript(language: str) -> str:
    out = io.StringIO()
    assert asyncio.run(run_demo(language=language, out=out)) == 0
    return out.getvalue()


@pytest.fixture(scope="module", params=["en", "da"])
def transcript(request: pytest.FixtureRequest) -> str:
    return _transcript(request.param)


def test_demo_shows_setup_and_the_coordinators(transcript: str) -> None:
    assert "Anne Holm: /klynge setup" in transcript or "Anne Holm: /klynge opret" in transcript
    assert "@Bo Jensen" in transcript
    assert "Traceback" not in transcript


def test_demo_shows_the_poll_result_with_counts(transcript: str) -> None:
    assert "1. Antibiot" in transcript
    assert ": *7* " in transcript  # seven votes for the winner, counted by the real bot


def test_demo_shows_reminders_with_rsvp_counts(transcript: str) -> None:
    # The full card a week before, the short ones a day and an hour before.
    assert transcript.count("starts in *") >= 3 or transcript.count("begynder om *") >= 3
    assert ("8 coming" in transcript) or ("8 kommer" in transcript)


def test_demo_shows_the_summary_with_every_take_home(transcript: str) -> None:
    for words in (
        ("otitis", "CRP", "COPD") if "Autumn" in transcript else ("mellemøre", "CRP", "KOL")
    ):
        assert transcript.count(words) >= 2  # saved, then in the summary


def test_demo_ends_with_the_follow_up_answered(transcript: str) -> None:
    assert "Demo finished" in transcript or "Demoen er slut" in transcript
    assert transcript.rstrip().splitlines()[-1].startswith(("Demo finished", "Demoen er slut"))


def test_demo_shows_two_breakout_rounds_with_groups(transcript: str) -> None:
    assert transcript.count("Group 1: @") + transcript.count("Gruppe 1: @") == 2
    assert ".csv" in transcript  # Zoom's pre-assignment file went to the coordinator


# What a member typed, as the transcript shows it: "Anne Holm: /klynge møde tilføj …".
_TYPED = re.compile(r"^\w[^\n:]*: (/klynge .*)$", re.MULTILINE)
# A meeting's fields as Danish doctors name them (Zoom is Zoom in Danish too).
_DANISH_FIELDS = {field.name.da for field in FIELD_WORDS.values()} | {"zoom"}


def _english_in(typed: str) -> list[str]:
    """What in a typed command is not Danish: command words, options, times, field names."""
    problems = _danish_problems(typed)
    problems += [word for word in typed.split()[1:] if word.lower() in ENGLISH_WORDS]
    setting = re.match(r"/klynge møde sæt \d+ (\S+)", typed)
    if setting and setting.group(1) not in _DANISH_FIELDS:
        problems.append(f"the field {setting.group(1)!r}")
    return problems


def test_danish_doctors_type_danish_commands() -> None:
    typed = _TYPED.findall(_transcript("da"))

    assert len(typed) >= 15  # every command of the meeting, from set-up to the end
    assert "/klynge opret --sprog da" in typed
    assert {command: _english_in(command) for command in typed if _english_in(command)} == {}


def test_the_danish_command_check_finds_english() -> None:
    for english in (
        "/klynge setup --language da",
        "/klynge møde tilføj 2026-12-09 16:00 Efterårsmøde",
        "/klynge møde sæt 1 agenda 16.00 check-in",
        "/klynge afstemning close",
    ):
        assert _english_in(english), english
    assert _english_in("/klynge pointe Udskudt recept ved mellemørebetændelse") == []
