"""What every listener and job needs, built once per process and handed down."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.hooks import Hooks
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.tasks import Background
from storage.db import Database


@dataclass(frozen=True)
class Deps:
    """Settings, database, scheduler, the bot's Web API client, the clock, background work."""

    settings: Settings
    db: Database
    scheduler: Scheduler
    client: AsyncWebClient
    clock: Callable[[], datetime]
    tasks: Background
    hooks: Hooks = field(default_factory=Hooks)

    def background(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run ``work`` after the current request, tracked so shutdown waits for it."""
        self.tasks.spawn(work)


def deps_of(context: Any) -> Deps:
    """The ``Deps`` that the app's middleware put into a Bolt listener's ``context``."""
    deps = context["deps"]
    assert isinstance(deps, Deps)
    return deps
