"""Every listener runs guarded: an exception after ``ack()`` is reported to the person and
logged by us, never handed back to Bolt.

Why not Bolt's ``app.error``? When a listener raises after acknowledging, Bolt's asyncio runner
resets the acknowledgement; if that happens within its 10 ms polling window the HTTP answer
becomes a 404 "unhandled request" and Slack shows the person an error. ``KlyngeApp`` wraps each
listener function at registration, so features need not remember to.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.kwargs_injection.async_args import AsyncArgs

from bot.deps import Deps
from bot.feedback import tell_privately
from bot.i18n import Text
from storage.db import is_unavailable

log = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = Text(
    en=":warning: Sorry, something went wrong on my side and nothing was changed. "
    "Please try again; if it keeps happening, tell your coordinator.",
    da=":warning: Beklager, noget gik galt hos mig, og intet blev ændret. "
    "Prøv igen; sker det igen, så sig det til jeres koordinator.",
)
DATABASE_DOWN = Text(
    en=":hourglass: I can't reach my database right now, so nothing was saved. "
    "Please try again in a minute.",
    da=":hourglass: Jeg kan ikke nå min database lige nu, så intet blev gemt. "
    "Prøv igen om et minut.",
)

Listener = Callable[..., Awaitable[Any]]


async def report_failure(deps: Deps, body: dict[str, Any], error: BaseException) -> None:
    """Log ``error`` (with its traceback unless the database is simply down) and tell the
    person who caused the request, privately, in plain words."""
    if is_unavailable(error):
        log.warning("database unavailable while handling a request: %s", error)
        await tell_privately(deps, body, DATABASE_DOWN)
        return
    log.error("unhandled error in a listener", exc_info=error)
    await tell_privately(deps, body, SOMETHING_WENT_WRONG)


def _argument(args: AsyncArgs, name: str) -> Any:
    if name == "next_":
        return args.next
    if hasattr(args, name):
        return getattr(args, name)
    return args.context.get(name)  # context values (like "deps") are listener arguments too


def guard(listener: Listener) -> Listener:
    """``listener`` with its exceptions reported instead of raised."""
    names = inspect.getfullargspec(inspect.unwrap(listener)).args

    async def guarded(args: AsyncArgs) -> Any:
        try:
            return await listener(**{name: _argument(args, name) for name in names})
        except Exception as error:  # noqa: BLE001 - reported to the person and logged
            await report_failure(args.context["deps"], args.body, error)
            return None

    guarded.__name__ = getattr(listener, "__name__", "listener")
    guarded.__qualname__ = getattr(listener, "__qualname__", guarded.__name__)
    return guarded


def _guarding(register: Callable[..., Any]) -> Callable[..., Any]:
    def decorator(*functions: Listener) -> Any:
        return register(*(guard(function) for function in functions))

    return decorator


class KlyngeApp(AsyncApp):
    """An ``AsyncApp`` whose listeners are guarded (see the module docstring)."""

    def action(self, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        return _guarding(super().action(*args, **kwargs))

    def busy_action(self, constraints: Any, **kwargs: Any) -> Callable[..., Any]:
        """``action`` for buttons clicked in bursts (votes, RSVPs, check-ins): tried before
        every other listener. Bolt tries listeners in the order they were registered, and each
        try costs about as much as a bare app's whole answer, so a burst of 2,000 clicks should
        not try a dozen listeners per click first."""
        register = self.action(constraints, **kwargs)

        def decorator(*functions: Listener) -> Any:
            registered = register(*functions)
            listeners = self._async_listeners  # Bolt's list of listeners, tried in order
            listeners.insert(0, listeners.pop())
            return registered

        return decorator

    def command(self, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        return _guarding(super().command(*args, **kwargs))

    def event(self, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        return _guarding(super().event(*args, **kwargs))

    def options(self, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        return _guarding(super().options(*args, **kwargs))

    def shortcut(self, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        return _guarding(super().shortcut(*args, **kwargs))

    def view(self, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        return _guarding(super().view(*args, **kwargs))
