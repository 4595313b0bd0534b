"""What a feature's ``register`` gets: the command router and the hooks to join."""

from __future__ import annotations

from dataclasses import dataclass

from bot.deps import Hooks
from handlers.router import CommandRouter


@dataclass(frozen=True)
class Wiring:
    commands: CommandRouter
    hooks: Hooks
