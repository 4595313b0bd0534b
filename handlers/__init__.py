"""Every feature's listeners; ``register_all`` wires them into a Bolt app.

A feature module has ``register(app, wiring)``: it adds its Bolt listeners to ``app``, its
``/klynge`` sub-commands to ``wiring.commands`` and its hook functions to ``wiring.hooks``.
It may also have ``register_jobs(deps)`` to give the scheduler handlers for its job kinds.
"""

from __future__ import annotations

from bot import outbox
from bot.deps import Deps
from bot.guard import KlyngeApp
from handlers import (
    attendance,
    breakouts,
    cluster,
    facilitators,
    home,
    links,
    meetings,
    polls,
    rituals,
    takeaways,
    uninstall,
    year,
)
from handlers.router import CommandRouter
from handlers.wiring import Wiring

# In the order `/klynge help` lists their sub-commands.
FEATURES = (
    cluster,
    meetings,
    rituals,
    breakouts,
    facilitators,
    polls,
    takeaways,
    attendance,
    year,
    home,
    links,
    uninstall,
)


def register_all(app: KlyngeApp, deps: Deps) -> CommandRouter:
    """Register every feature's listeners, sub-commands and hooks on ``app``."""
    wiring = Wiring(commands=CommandRouter(), hooks=deps.hooks)
    for feature in FEATURES:
        feature.register(app, wiring)
    wiring.commands.register(app)
    links.register_catch_all(app)
    return wiring.commands


def register_jobs(deps: Deps) -> None:
    """Give the scheduler each feature's job handlers (features without jobs have none), and
    the outbox's (``bot.outbox``: queued posts)."""
    outbox.register_jobs(deps)
    for feature in FEATURES:
        register = getattr(feature, "register_jobs", None)
        if register is not None:
            register(deps)
