"""For the tests that check what a Danish cluster is told: the Danish text, and no English in it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tests.harness import Harness

# Words of the bot's English texts that no Danish text holds (Slack's :emoji: names aside).
_ENGLISH = re.compile(
    r"\b(the|you|your|please|sorry|can't|couldn't|isn't|don't|I'm|is|are|was|will|with|this|"
    r"here|nothing|meeting|poll|closed|done|use|write|try|again)\b",
    re.IGNORECASE,
)
_EMOJI = re.compile(r":[a-z_]+:")


def assert_danish(text: str) -> None:
    """``text`` is a Danish answer: no English word of the bot's leaked into it."""
    assert text.strip(), "an empty answer"
    leaked = _ENGLISH.findall(_EMOJI.sub("", text))
    assert not leaked, f"English {leaked} in the Danish text: {text!r}"


@asynccontextmanager
async def danish_cluster(database_url: str) -> AsyncIterator[Harness]:
    """A Danish cluster (``setup --language da``) on a bot whose default language is English:
    what a member sees must come from the cluster's language, never the bot's default."""
    async with Harness(database_url) as harness:
        await harness.setup_cluster("--language da")
        yield harness
