"""The Bolt app factory: Web API client, middleware, error handling and every listener."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

import handlers
from bot.deps import Deps
from bot.guard import KlyngeApp, report_failure
from bot.pacing import PacedWebClient, Pacer
from bot.settings import Settings
from handlers.router import CommandRouter
from storage.events import first_time

log = logging.getLogger(__name__)

SLACK_API_DEFAULT = "https://slack.com/api/"


def make_client(settings: Settings) -> AsyncWebClient:
    """A Web API client that keeps Slack's pace (``bot.pacing``) and retries connection errors,
    429 (honouring Retry-After) and 5xx."""
    base_url = settings.api_url or SLACK_API_DEFAULT
    if not base_url.endswith("/"):
        base_url += "/"
    return PacedWebClient(
        pacer=Pacer(),
        token=settings.bot_token,
        base_url=base_url,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )


class _Prepare(AsyncMiddleware):
    """Every request: the process's ``Deps`` into the Bolt context (``deps_of`` reads them),
    and an event Slack delivers again (the same event id) handled once.

    A middleware class, not a function: Bolt builds keyword arguments for a function middleware
    on every request, which costs about as much as a bare app's whole answer to a click."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def async_process(
        self,
        *,
        req: AsyncBoltRequest,
        resp: BoltResponse,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        req.context["deps"] = self.deps
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            try:
                if not await first_time(self.deps.db, event_id=str(event_id), at=self.deps.clock()):
                    log.info("ignored a repeated delivery of event %s", event_id)
                    return BoltResponse(status=200, body="")
            except Exception as error:  # noqa: BLE001 - better a rare double than a lost event
                log.warning("could not check event %s for repeats: %s", event_id, error)
        return await next()


def create_app(deps: Deps) -> tuple[AsyncApp, CommandRouter]:
    """Build the Bolt app for ``deps`` with every feature's listeners and sub-commands."""
    settings = deps.settings
    app = KlyngeApp(
        client=deps.client,
        signing_secret=settings.signing_secret or None,
        request_verification_enabled=not settings.socket_mode,
        ignoring_self_events_enabled=True,
        raise_error_for_unhandled_request=False,
    )

    app.use(_Prepare(deps))

    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        # Listeners are guarded; this catches what fails in Bolt itself or in middleware.
        await report_failure(deps, body, error)

    app.error(on_error)
    router = handlers.register_all(app, deps)
    return app, router
