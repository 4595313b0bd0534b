"""The async engine and session factory, for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

# How long a transaction waits for SQLite's write lock (also its busy_timeout), in seconds.
SQLITE_BUSY_SECONDS = 30

# Errors that mean "the database is not reachable right now", as opposed to a bug in a query.
UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, PoolTimeoutError)
# A connection error (OSError, TimeoutError) means the database only when it was raised on the
# way to it: the same errors on the way to Slack, or from a file name, are something else.
DATABASE_PACKAGES = ("sqlalchemy", "sqlmodel", "asyncpg", "aiosqlite", "sqlite3")


def is_unavailable(error: BaseException) -> bool:
    """True when ``error`` says the database could not be reached (worth a "try again")."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, OSError):  # TimeoutError and ConnectionError are OSErrors too
        return raised_in(error, DATABASE_PACKAGES)
    return isinstance(error, UNAVAILABLE_ERRORS) or type(error).__name__ in {
        "ConnectionDoesNotExistError",
        "CannotConnectNowError",
        "InterfaceError",
        "AdminShutdownError",
    }


def raised_in(error: BaseException, packages: tuple[str, ...]) -> bool:
    """Whether the traceback of ``error`` passes through one of ``packages`` (top-level
    module names): where an error that could come from anywhere came from."""
    trace = error.__traceback__
    while trace is not None:
        module = str(trace.tb_frame.f_globals.get("__name__", ""))
        if module.split(".", 1)[0] in packages:
            return True
        trace = trace.tb_next
    return False


def is_postgres(session: AsyncSession) -> bool:
    """True when ``session`` talks to PostgreSQL (else SQLite)."""
    bind = session.bind
    return bind is not None and bind.dialect.name == "postgresql"


def dialect_insert(session: AsyncSession, table: Any) -> Any:
    """The dialect's INSERT for ``table``, which has ON CONFLICT on both databases."""
    return (postgresql.insert if is_postgres(session) else sqlite.insert)(table)


class Database:
    """One engine per process; ``session()`` gives a unit of work that commits on success."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.engine: AsyncEngine = create_async_engine(url, echo=echo, **self._engine_options())
        if self.is_sqlite:
            _make_sqlite_transactions_immediate(self.engine)
        _keep_nul_out(self.engine)
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )
        # SQLite has one writer at a time (every transaction here is BEGIN IMMEDIATE). Within
        # the process, transactions take turns in this queue instead of in SQLite's busy handler,
        # which sleeps in growing steps up to 100 ms and lets a newcomer overtake: under a burst
        # of clicks that made some wait seconds. (Other processes still meet the busy handler.)
        self._turns = asyncio.Lock() if self.is_sqlite else None

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    def _engine_options(self) -> dict[str, Any]:
        if self.is_sqlite:
            return {"connect_args": {"timeout": SQLITE_BUSY_SECONDS}}
        # pre_ping makes the pool drop connections that died while PostgreSQL restarted.
        return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10, "pool_timeout": 10}

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed when the block ends, rolled back on error."""
        async with self._turn(), self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        if self._turns is None:
            yield
            return
        async with asyncio.timeout(SQLITE_BUSY_SECONDS):
            await self._turns.acquire()
        try:
            yield
        finally:
            self._turns.release()

    async def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure means "not healthy"
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()


def _make_sqlite_transactions_immediate(engine: AsyncEngine) -> None:
    """Start every SQLite transaction with BEGIN IMMEDIATE.

    Concurrent clicks each open a transaction that reads then writes; with SQLite's default
    deferred BEGIN, two such transactions deadlock on the upgrade to a write lock and one fails.
    Taking the write lock up front makes them queue (up to the busy timeout) instead. WAL keeps
    readers outside transactions unblocked. This is SQLAlchemy's documented pysqlite recipe.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _keep_nul_out(engine: AsyncEngine) -> None:
    """No text with a NUL character is ever written: PostgreSQL refuses one (and the
    transaction with it). Requests are cleaned where they come in (``bot.edge``); this is the
    last line, for text from anywhere else."""

    @event.listens_for(engine.sync_engine, "before_cursor_execute", retval=True)
    def _strip(
        _connection: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool
    ) -> tuple[str, Any]:
        if many and isinstance(parameters, list | tuple):
            return statement, type(parameters)(_without_nul(row) for row in parameters)
        return statement, _without_nul(parameters)


def _without_nul(parameters: Any) -> Any:
    if isinstance(parameters, dict):
        return {key: _no_nul(value) for key, value in parameters.items()}
    if isinstance(parameters, list | tuple):
        return type(parameters)(_no_nul(value) for value in parameters)
    return parameters


def _no_nul(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) and "\x00" in value else value
