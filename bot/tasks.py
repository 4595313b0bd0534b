"""Work that outlives the request that started it, tracked so shutdown can wait for it.

Bolt runs each listener in its own task and answers Slack as soon as the listener calls
``ack()``; the rest of the listener goes on in that task. ``in_flight`` finds those tasks (and
the ones started with ``Background.spawn``) so a SIGTERM finishes them before the process ends.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)

# The name of the coroutine in which slack_bolt's asyncio runner finishes a listener after ack().
_BOLT_LISTENER = "run_ack_function_asynchronously"


class Background:
    """A set of fire-and-forget tasks that are kept referenced and can be waited for."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def pending(self) -> set[asyncio.Task[Any]]:
        return {task for task in self._tasks if not task.done()}


def bolt_listener_tasks() -> set[asyncio.Task[Any]]:
    """Bolt listener tasks still running in this event loop."""
    return {
        task
        for task in asyncio.all_tasks()
        if not task.done() and getattr(task.get_coro(), "__qualname__", "").endswith(_BOLT_LISTENER)
    }


async def drain(background: Background, *, seconds: float) -> bool:
    """Wait until no listener or background task is running; False if ``seconds`` ran out."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        running = bolt_listener_tasks() | background.pending()
        if (current := asyncio.current_task()) is not None:
            running.discard(current)
        if not running:
            return True
        remaining = deadline - loop.time()
        if remaining <= 0:
            log.warning("%d tasks still running at shutdown", len(running))
            return False
        await asyncio.wait(running, timeout=remaining)
