"""The whole bot in one process: database, scheduler, Bolt app, and the HTTP server around it.

``Klyngebot`` is used the same way by ``python -m bot run``, by the offline demo and by the
end-to-end tests, so what the tests drive is what runs in production.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

import handlers
from bot.app import create_app, make_client, make_lookup_client
from bot.deps import Deps
from bot.directory import Directory
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.tasks import Background, drain
from bot.workspaces import Workspaces
from storage.db import Database
from storage.migrate import upgrade
from storage.types import utcnow

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
SHUTDOWN_GRACE_SECONDS = 8.0  # Heroku-style platforms kill 10 s after SIGTERM


class Klyngebot:
    """Build with settings, ``await start()``, ``await stop()``; nothing happens at construction."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
        run_scheduler: bool = True,
    ) -> None:
        self.settings = settings
        self.run_scheduler = run_scheduler
        db = Database(settings.database_url)
        workspaces = Workspaces(db, client_id=settings.client_id)
        self.deps = Deps(
            settings=settings,
            db=db,
            scheduler=Scheduler(db, clock=clock, acting_for=workspaces.acting_for),
            client=make_client(settings),
            directory=Directory(make_lookup_client(settings)),
            clock=clock,
            tasks=Background(),
        )
        self.app: AsyncApp
        self.app, self.router = create_app(self.deps)
        handlers.register_jobs(self.deps)
        self._verifier = (
            SignatureVerifier(settings.signing_secret) if settings.signing_secret else None
        )
        self._runner: web.AppRunner | None = None
        self._socket_mode: AsyncSocketModeHandler | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def web_app(self) -> web.Application:
        """``POST /slack/events`` for Slack, ``GET /healthz`` for the load balancer, and with
        many workspaces the install pages (``bot.oauth``)."""
        web_app = web.Application()
        if not self.settings.socket_mode:
            # In Socket Mode requests arrive over the WebSocket and are not signed, so the
            # HTTP endpoint must not exist at all.
            web_app.router.add_post(EVENTS_PATH, self._handle_slack)
        flow = self.app.oauth_flow
        if flow is not None:
            web_app.router.add_get(flow.install_path, self._handle_install)
            web_app.router.add_get(flow.redirect_uri_path, self._handle_oauth_redirect)
        web_app.router.add_get("/healthz", self._healthz)
        return web_app

    async def _handle_slack(self, request: web.Request) -> web.Response:
        """Slack's requests: the signature is checked before anything in them is read, so an
        unsigned or garbled body gets a 401 (or 400) and one log line, never a traceback."""
        if not self._signed(await request.read(), request.headers):
            log.warning("refused a request without a valid Slack signature from %s", request.remote)
            return web.Response(status=401, text="invalid signature")
        try:
            bolt_request = await to_bolt_request(request)
        except ValueError as error:  # signed by Slack yet unreadable: nothing to act on
            log.warning("refused an unreadable request from %s: %s", request.remote, error)
            return web.Response(status=400, text="unreadable request")
        return await to_aiohttp_response(await self.app.async_dispatch(bolt_request))

    def _signed(self, body: bytes, headers: Mapping[str, str]) -> bool:
        """Whether Slack signed ``body`` (in the last 5 minutes); always so without a secret
        (Socket Mode, where this endpoint does not exist)."""
        if self._verifier is None:
            return True
        try:
            return self._verifier.is_valid(
                body=body,
                timestamp=headers.get("X-Slack-Request-Timestamp", ""),
                signature=headers.get("X-Slack-Signature", ""),
            )
        except ValueError:  # a timestamp that is no number, a body that is no UTF-8
            return False

    async def _handle_install(self, request: web.Request) -> web.Response:
        assert self.app.oauth_flow is not None
        page = await self.app.oauth_flow.handle_installation(await to_bolt_request(request))
        return await to_aiohttp_response(page)

    async def _handle_oauth_redirect(self, request: web.Request) -> web.Response:
        assert self.app.oauth_flow is not None
        page = await self.app.oauth_flow.handle_callback(await to_bolt_request(request))
        return await to_aiohttp_response(page)

    async def _healthz(self, _request: web.Request) -> web.Response:
        """200 when the database answers (and in Socket Mode, the WebSocket to Slack is up)."""
        if not await self.deps.db.ping():
            return web.json_response({"status": "database unavailable"}, status=503)
        if self._socket_mode is not None and not await self._socket_mode.client.is_connected():
            return web.json_response({"status": "not connected to Slack"}, status=503)
        return web.json_response({"status": "ok"})

    async def start(
        self, *, host: str = "127.0.0.1", port: int | None = None, migrate: bool = True
    ) -> None:
        """Migrate the schema, start the scheduler and serve HTTP on ``port`` (0: any free one)."""
        if migrate:
            await upgrade(self.deps.db)
        # No access log: the platform's router logs every request already, and formatting a
        # line per click costs a burst of 2,000 clicks more than a tenth of its CPU.
        self._runner = web.AppRunner(
            self.web_app(), handle_signals=False, shutdown_timeout=2, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, self.settings.port if port is None else port)
        await site.start()
        sockets = self._runner.addresses
        self.port = int(sockets[0][1]) if sockets else None
        if self.run_scheduler:
            self.deps.scheduler.start()
        log.info("klyngebot listening on %s:%s", host, self.port)
        if self.settings.app_token:
            self._socket_mode = AsyncSocketModeHandler(self.app, self.settings.app_token)
            await self._socket_mode.connect_async()  # type: ignore[no-untyped-call]
            log.info("connected to Slack in Socket Mode")

    async def settle(self, seconds: float = 10.0) -> None:
        """Wait until every acknowledged request has finished its work (tests, shutdown)."""
        if not await drain(self.deps.tasks, seconds=seconds):
            raise TimeoutError("requests still running after the timeout")

    async def stop(self, *, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Stop taking requests, finish what was acknowledged, stop the scheduler, close."""
        if self._socket_mode is not None:
            await self._socket_mode.disconnect_async()  # type: ignore[no-untyped-call]
        if self._runner is not None:
            # Closing the listening socket first: a load balancer moves traffic to other replicas.
            for site in list(self._runner.sites):
                await site.stop()
        await drain(self.deps.tasks, seconds=grace)
        await self.deps.scheduler.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._socket_mode is not None:
            await self._socket_mode.close_async()  # type: ignore[no-untyped-call]
            self._socket_mode = None
        await self.deps.db.dispose()
