"""The offline demo plays a meeting through the real handlers and prints a transcript."""

from __future__ import annotations

import io

import pytest

from bot.demo import run_demo


@pytest.mark.parametrize("language", ["en", "da"])
async def test_demo_exits_zero_and_prints_the_meeting(language: str) -> None:
    out = io.StringIO()

    code = await run_demo(language=language, out=out)

    transcript = out.getvalue()
    assert code == 0
    assert "Anne Holm: /klynge setup" in transcript
    assert "@Bo Jensen" in transcript
    assert "Traceback" not in transcript
    assert ("Koordinatorer for" if language == "da" else "Coordinators of") in transcript
