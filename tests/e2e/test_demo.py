"""The offline demo plays a whole meeting through the real handlers and prints a transcript."""

from __future__ import annotations

import io

import pytest

from bot.demo import run_demo


@pytest.fixture(scope="module", params=["en", "da"])
def transcript(request: pytest.FixtureRequest) -> str:
    import asyncio

    out = io.StringIO()
    assert asyncio.run(run_demo(language=request.param, out=out)) == 0
    return out.getvalue()


def test_demo_shows_setup_and_the_coordinators(transcript: str) -> None:
    assert "Anne Holm: /klynge setup" in transcript
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
