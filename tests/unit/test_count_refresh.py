"""The count shown on a message after a burst of clicks is the final count, however calls race."""

from __future__ import annotations

import asyncio
import random
from types import SimpleNamespace
from typing import Any

from handlers.meetings.clicks import refresh_count


class SlowSlack:
    """chat.update that takes a random while, recording the order in which updates land."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.shown: list[str] = []

    async def chat_update(self, **args: Any) -> None:
        await asyncio.sleep(self.rng.random() / 200)
        self.shown.append(args["blocks"][0]["text"])


async def test_burst_of_clicks_ends_with_the_exact_count_on_the_message() -> None:
    rng = random.Random(7)
    slack = SlowSlack(rng)
    deps: Any = SimpleNamespace(client=slack)
    total = 0
    body = {
        "container": {"channel_id": "C1", "message_ts": "1.000001"},
        "message": {"text": "reminder", "blocks": [{"block_id": "count", "text": "0"}]},
    }

    async def read() -> object:
        value = total
        await asyncio.sleep(rng.random() / 200)  # the database takes its time
        return value

    async def click() -> None:
        nonlocal total
        await asyncio.sleep(rng.random() / 100)
        total += 1  # the committed write
        await refresh_count(
            deps,
            body,
            read=read,
            block_id="count",
            render=lambda count: {"block_id": "count", "text": str(count)},
        )

    await asyncio.gather(*(click() for _ in range(30)))

    assert slack.shown[-1] == "30"
    # Coalesced: the first click's count at once, then the burst's final count.
    assert len(slack.shown) <= 3
