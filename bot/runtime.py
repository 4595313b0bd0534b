"""The whole bot in one process: database, scheduler, Bolt app, and the HTTP server around it.

``Klyngebot`` is used the same way by ``python -m bot run``, by the offline demo and by the
end-to-end tests, so what the tests drive is what runs in production.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

import handlers
from bot.app import create_app, make_client
from bot.deps import Deps
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.tasks import Background, drain
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
        self.deps = Deps(
            settings=settings,
            db=db,
            scheduler=Scheduler(db, clock=clock),
            client=make_client(settings),
            clock=clock,
            tasks=Background(),
        )
        self.app: AsyncApp
        self.app, self.router = create_app(self.deps)
        handlers.register_jobs(self.deps)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def web_app(self) -> web.Application:
        """``POST /slack/events`` for Slack and ``GET /healthz`` for the load balancer."""
        web_app = web.Application()
        if not self.settings.socket_mode:
            # In Socket Mode requests arrive over the WebSocket and are not signed, so the
            # HTTP endpoint must not exist at all.
            web_app.router.add_post(EVENTS_PATH, self._handle_slack)
        web_app.router.add_get("/healthz", self._healthz)
        return web_app

    async def _handle_slack(self, request: web.Request) -> web.Response:
        bolt_response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def _healthz(self, _request: web.Request) -> web.Response:
        if await self.deps.db.ping():
            return web.json_response({"status": "ok"})
        return web.json_response({"status": "database unavailable"}, status=503)

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

    async def settle(self, seconds: float = 10.0) -> None:
        """Wait until every acknowledged request has finished its work (tests, shutdown)."""
        if not await drain(self.deps.tasks, seconds=seconds):
            raise TimeoutError("requests still running after the timeout")

    async def stop(self, *, grace: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Stop taking requests, finish what was acknowledged, stop the scheduler, close."""
        if self._runner is not None:
            # Closing the listening socket first: a load balancer moves traffic to other replicas.
            for site in list(self._runner.sites):
                await site.stop()
        await drain(self.deps.tasks, seconds=grace)
        await self.deps.scheduler.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.deps.db.dispose()
