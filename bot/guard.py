"""Every listener runs guarded: an exception after ``ack()`` is reported to the person and
logged by us, never handed back to Bolt.

Why not Bolt's ``app.error``? When a listener raises after acknowledging, Bolt's asyncio runner
resets the acknowledgement; if that happens within its 10 ms polling window the HTTP answer
becomes a 404 "unhandled request" and Slack shows the person an error. ``KlyngeApp`` wraps each
listener function at registration, so features need not remember to.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.kwargs_injection.async_args import AsyncArgs

from bot.deps import Deps
from bot.feedback import known_language, tell_privately
from bot.i18n import Text
from bot.slack import is_slack_unavailable
from storage.db import is_unavailable

log = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = Text(
    en=":warning: Sorry, something went wrong on my side. Please check whether it took effect "
    "before you try again; if it keeps happening, tell your coordinator.",
    da=":warning: Beklager, noget gik galt hos mig. Se efter, om det blev til noget, før du "
    "prøver igen; sker det igen, så sig det til jeres koordinator.",
)
DATABASE_DOWN = Text(
    en=":hourglass: I can't reach my database right now, so nothing was saved. "
    "Please try again in a minute.",
    da=":hourglass: Jeg kan ikke nå min database lige nu, så intet blev gemt. "
    "Prøv igen om et minut.",
)
SLACK_DOWN = Text(
    en=":hourglass: Slack isn't answering me right now, so I couldn't finish what you asked. "
    "Please check in a few minutes whether it went through before you try again.",
    da=":hourglass: Slack svarer mig ikke lige nu, så jeg kunne ikke gøre det færdigt. "
    "Se efter om nogle minutter, om det kom igennem, før du prøver igen.",
)
TOO_SLOW = Text(
    en=":hourglass: I couldn't save this in time (my database is slow to answer). "
    "Please submit it again in a minute.",
    da=":hourglass: Jeg kunne ikke nå at gemme det (min database svarer langsomt). "
    "Send det igen om et minut.",
)

Listener = Callable[..., Awaitable[Any]]

# Slack shows its own error when a modal submission is not answered within 3 s.
ACK_WITHIN = 2.5


def explain(error: BaseException) -> Text:
    """What to tell the person about ``error``, logged here: its real cause, in plain words
    (with the traceback only for what is a bug, not an outage)."""
    if is_unavailable(error):
        log.warning("database unavailable while handling a request: %s", error)
        return DATABASE_DOWN
    if is_slack_unavailable(error):
        log.warning("Slack unavailable while handling a request: %r", error)
        return SLACK_DOWN
    log.error("unhandled error in a listener", exc_info=error)
    return SOMETHING_WENT_WRONG


async def report_failure(deps: Deps, body: dict[str, Any], error: BaseException) -> None:
    """Log ``error`` and tell the person who caused the request, privately, in plain words."""
    await tell_privately(deps, body, explain(error))


def _argument(args: AsyncArgs, name: str) -> Any:
    if name == "next_":
        return args.next
    if hasattr(args, name):
        return getattr(args, name)
    return args.context.get(name)  # context values (like "deps") are listener arguments too


class _Ack:
    """The listener's ``ack``, remembering whether it was called (once only: after the
    guard has answered for a slow modal, the listener's own late answer is dropped)."""

    def __init__(self, ack: Any) -> None:
        self.ack = ack
        self.called = asyncio.Event()

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.called.is_set():
            return None
        self.called.set()
        return await self.ack(*args, **kwargs)


def guard(listener: Listener) -> Listener:
    """``listener`` with its exceptions reported instead of raised; a modal submission is
    always answered within Slack's 3 s (``modal_answered``)."""
    names = inspect.getfullargspec(inspect.unwrap(listener)).args

    async def guarded(args: AsyncArgs) -> Any:
        ack = _Ack(args.ack)
        values = {name: _argument(args, name) for name in names}
        if "ack" in names:
            values["ack"] = ack
        submitted = args.body.get("type") == "view_submission"
        language = known_language(args.context["deps"], args.body)  # never waits on the database
        try:
            if submitted:
                return await modal_answered(listener(**values), ack, args.body, language)
            return await listener(**values)
        except Exception as error:  # noqa: BLE001 - reported to the person and logged
            if submitted and not ack.called.is_set():
                await ack(**modal_error(args.body, explain(error).render(language)))
            else:
                await report_failure(args.context["deps"], args.body, error)
            return None

    guarded.__name__ = getattr(listener, "__name__", "listener")
    guarded.__qualname__ = getattr(listener, "__qualname__", guarded.__name__)
    return guarded


async def modal_answered(
    work: Awaitable[Any], ack: _Ack, body: dict[str, Any], language: str
) -> Any:
    """Run a modal submission's listener; if it has not answered Slack within ``ACK_WITHIN``
    (the database hangs), stop it and answer with ``TOO_SLOW`` in the form instead."""
    task = asyncio.ensure_future(work)
    answered = asyncio.ensure_future(ack.called.wait())
    try:
        await asyncio.wait({task, answered}, timeout=ACK_WITHIN, return_when="FIRST_COMPLETED")
    finally:
        answered.cancel()
    if not ack.called.is_set() and not task.done():
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        log.warning("a modal submission was not answered within %s s; stopped", ACK_WITHIN)
        await ack(**modal_error(body, TOO_SLOW.render(language)))
        return None
    return await task


def modal_error(body: dict[str, Any], message: str) -> dict[str, Any]:
    """The answer to a submission that failed: ``message`` under the form's first field (what
    the person typed stays), or in place of the form when it has no field."""
    view = body.get("view") or {}
    fields = [b for b in view.get("blocks") or [] if b.get("type") == "input" and b.get("block_id")]
    if fields:
        return {"response_action": "errors", "errors": {str(fields[0]["block_id"]): message}}
    title = view.get("title") or {"type": "plain_text", "text": "Klyngebot"}
    return {
        "response_action": "update",
        "view": {
            "type": "modal",
            "title": title,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": message}}],
        },
    }


def _guarding(register: Callable[..., Any]) -> Callable[..., Any]:
    def decorator(*functions: Listener) -> Any:
        return register(*(guard(function) for function in functions))

    return decorator


class KlyngeApp(AsyncApp):
    """An ``AsyncApp`` whose listeners are guarded (see the module docstring), and whose
    catch-all action listener (``action_fallback``) stays last however many come after."""

    _fallback: Any = None

    def action(self, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        register = _guarding(super().action(*args, **kwargs))

        def registering(*functions: Listener) -> Any:
            registered = register(*functions)
            if self._fallback is not None:  # Bolt runs the first listener that matches
                self._async_listeners.remove(self._fallback)
                self._async_listeners.append(self._fallback)
            return registered

        return registering

    def action_fallback(self, function: Listener) -> None:
        """Register ``function`` for every action no other listener matches."""
        self.action(re.compile(".*"))(function)
        self._fallback = self._async_listeners[-1]

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
