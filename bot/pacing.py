"""Keeping to Slack's pace: posts to one channel and calls of one method spaced so that Slack
never has to answer 429.

Slack allows about one ``chat.postMessage`` per second per channel with short bursts, and each
method a number of calls per minute by its tier. ``PacedWebClient`` waits for its turn before
such a call, in the order calls were made, so posts to one channel keep their order. The pace is
per process; with several replicas the retry handler absorbs the rare 429 that remains.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

# chat.postMessage: "1 message per second to a specific channel, with short bursts over 1
# allowed" (Slack's rate-limit docs). We allow ourselves bursts of 3, below what Slack tolerates.
POSTS_PER_SECOND = 1.0
POST_BURST = 3
# Calls per minute we allow ourselves, a little under each method's tier (Tier 3 ≈ 50/min,
# Tier 4 ≈ 100/min) so that a burst from another replica still fits.
METHOD_BUDGETS: dict[str, int] = {
    "chat.update": 45,
    "chat.postEphemeral": 90,
    "views.publish": 90,
    "users.info": 90,
    "conversations.open": 45,
    "conversations.members": 90,
}
WINDOW = 60.0


@dataclass
class _Turns:
    """One queue of calls: a token bucket (``burst`` at once, ``rate`` per second) or, with
    ``per_minute``, a sliding one-minute window. The lock keeps callers in order."""

    rate: float = 0.0
    burst: float = 1.0
    per_minute: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    tokens: float = -1.0
    at: float = 0.0
    calls: deque[float] = field(default_factory=deque)

    def wait_needed(self, now: float) -> float:
        if self.per_minute:
            while self.calls and self.calls[0] <= now - WINDOW:
                self.calls.popleft()
            if len(self.calls) < self.per_minute:
                self.calls.append(now)
                return 0.0
            return self.calls[0] + WINDOW - now
        if self.tokens < 0:
            self.tokens, self.at = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate


class Pacer:
    """Hands out turns per channel (posts) and per method (tiers), waiting when needed."""

    def __init__(
        self,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._channels: dict[str, _Turns] = {}
        self._methods: dict[str, _Turns] = {}
        self.waited = 0.0  # seconds spent waiting, for benchmarks and logs

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    async def turn(self, method: str, args: dict[str, Any], workspace: str | None = None) -> None:
        """Wait until ``method`` may be called with ``args`` without exceeding Slack's pace.
        Method budgets are per ``workspace`` (Slack counts them per app and workspace)."""
        if method == "chat.postMessage":
            channel = str(args.get("channel") or "")
            turns = self._channels.setdefault(
                channel, _Turns(rate=POSTS_PER_SECOND, burst=POST_BURST)
            )
            await self._take(turns)
        budget = METHOD_BUDGETS.get(method)
        if budget:
            key = f"{workspace}:{method}" if workspace else method
            await self._take(self._methods.setdefault(key, _Turns(per_minute=budget)))

    async def _take(self, turns: _Turns) -> None:
        async with turns.lock:
            while (wait := turns.wait_needed(self._now())) > 0:
                self.waited += wait
                await self._sleep(wait)


class PacedWebClient(AsyncWebClient):
    """An ``AsyncWebClient`` whose calls wait for their turn with the shared ``Pacer``."""

    def __init__(self, *, pacer: Pacer, **options: Any) -> None:
        super().__init__(**options)
        self.pacer = pacer

    async def api_call(self, api_method: str, **options: Any) -> AsyncSlackResponse:
        args: dict[str, Any] = {}
        for key in ("params", "data", "json"):
            if isinstance(options.get(key), dict):
                args.update(options[key])
        await self.pacer.turn(api_method, args, self.workspace())
        return await super().api_call(api_method, **options)

    def workspace(self) -> str | None:
        """The workspace this call's pace is counted in (None: the only one)."""
        return None
