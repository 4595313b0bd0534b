"""``python -m bot demo``: a whole cluster meeting, played offline against the fake Slack.

The real bot (same handlers, same database code, a temporary SQLite file) runs in this process
and talks HTTP to the built-in fake Slack; the demo plays the members and Slack's side with
signed requests, moves a simulated clock forward for reminders and follow-ups, and prints what
each person sees — or, with ``--html FILE``, writes it as one page that looks like Slack.
"""

from __future__ import annotations

import asyncio
import io
import sys
from pathlib import Path
from typing import TextIO

from bot.demo.script import play
from bot.demo.stage import Demo
from bot.i18n import Text

WROTE = Text(
    en="Wrote {path}: open it in a web browser to see the channel, the direct messages and the "
    "Home tab.",
    da="Skrev {path}: åbn den i en browser for at se kanalen, de direkte beskeder og Hjem-fanen.",
)


async def run_demo(
    *, language: str = "en", out: TextIO = sys.stdout, html: Path | None = None
) -> int:
    """Play the demo: print the transcript to ``out``, or write the page to ``html``."""
    async with Demo(
        language=language, out=io.StringIO() if html else out, keeps_homes=html is not None
    ) as demo:
        await play(demo)
        demo.summary()
    if html is not None:
        from bot.demo.page import render_page

        page = render_page(demo.recording)
        await asyncio.to_thread(html.write_text, page, encoding="utf-8")
        print(WROTE.render(language, path=html), file=out)
    return 0
