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
from bot.edge import clean_input, members_only
from bot.guard import KlyngeApp, report_failure
from bot.oauth import NOT_INSTALLED, oauth_settings
from bot.pacing import Pacer
from bot.settings import Settings
from bot.workspaces import WorkspaceClient, act_for
from handlers.router import CommandRouter
from storage.events import first_time

log = logging.getLogger(__name__)


LOOKUP_TIMEOUT = 5  # seconds; a person lookup is worth less than a coordinator's patience


def make_client(settings: Settings) -> AsyncWebClient:
    """A Web API client that keeps Slack's pace (``bot.pacing``), retries connection errors,
    429 (honouring Retry-After) and 5xx, and acts in the current workspace (``bot.workspaces``)."""
    return WorkspaceClient(
        pacer=Pacer(),
        token=settings.bot_token or None,
        base_url=settings.api_base_url,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=3),
            AsyncServerErrorRetryHandler(max_retry_count=2),
        ],
    )


def make_lookup_client(settings: Settings) -> AsyncWebClient:
    """The client for looking people up (and for reading a reacted-to message): no 429 retry
    (the caller holds off or defers instead, rather than sleeping out Retry-After while someone
    waits), one retry on a hiccup, a short timeout, acting in the current workspace like
    ``deps.client``."""
    return WorkspaceClient(
        pacer=Pacer(),
        token=settings.bot_token or None,
        base_url=settings.api_base_url,
        timeout=LOOKUP_TIMEOUT,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncServerErrorRetryHandler(max_retry_count=1),
        ],
    )


class _Prepare(AsyncMiddleware):
    """Every request: the process's ``Deps`` into the Bolt context (``deps_of`` reads them), the
    workspace it acts in, and an event Slack delivers again (the same event id) handled once.

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
        # The request's work acts in its workspace, with the token Bolt found for it.
        context = req.context
        act_for(context.team_id, context.bot_token if self.deps.settings.many_workspaces else None)
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
        oauth_settings=oauth_settings(settings, deps.db) if settings.many_workspaces else None,
        user_facing_authorize_error_message=(
            f"{NOT_INSTALLED.da}\n\n{NOT_INSTALLED.en}" if settings.many_workspaces else None
        ),
    )

    app.use(_Prepare(deps))
    app.use(clean_input)
    app.use(members_only(deps))

    async def on_error(error: Exception, body: dict[str, Any]) -> None:
        # Listeners are guarded; this catches what fails in Bolt itself or in middleware.
        await report_failure(deps, body, error)

    app.error(on_error)
    router = handlers.register_all(app, deps)
    return app, router
