"""Fresh, migrated databases for tests, on SQLite and on the machine's PostgreSQL.

Migrations run once per test session into a template; each test then gets its own copy
(a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL), so tests are isolated,
fast, and can run side by side with other test runs on the same server.

``KLYNGE_TEST_POSTGRES`` is the server's admin URL (default: postgres on 127.0.0.1:5432).
``KLYNGE_TEST_DATABASES`` limits the backends (``sqlite``, ``postgresql`` or both, the default);
CI runs both and fails if PostgreSQL cannot be reached.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg

from storage.db import Database
from storage.migrate import upgrade

POSTGRES_ADMIN = os.environ.get(
    "KLYNGE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BACKENDS = [
    name.strip()
    for name in os.environ.get("KLYNGE_TEST_DATABASES", "sqlite,postgresql").split(",")
    if name.strip()
]


def run_blocking(work: Coroutine[Any, Any, Any]) -> Any:
    """Run ``work`` to completion on a private event loop (fixtures may sit inside a loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, work).result()


def _pg_url(database: str) -> str:
    base = POSTGRES_ADMIN.rsplit("/", 1)[0]
    return f"{base}/{database}".replace("postgresql://", "postgresql+asyncpg://", 1)


class SqliteTemplates:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.template = root / "template.db"

    def prepare(self) -> None:
        run_blocking(_migrate(f"sqlite+aiosqlite:///{self.template}"))

    def fresh(self) -> str:
        target = self.root / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.template, target)
        return f"sqlite+aiosqlite:///{target}"

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class PostgresTemplates:
    def __init__(self) -> None:
        self.prefix = f"klynge_t{uuid.uuid4().hex[:10]}"
        self.template = f"{self.prefix}_template"
        self.created: list[str] = []

    def prepare(self) -> None:
        run_blocking(self._prepare())

    async def _prepare(self) -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN, timeout=10)
        try:
            await connection.execute(f'CREATE DATABASE "{self.template}"')
        finally:
            await connection.close()
        await _migrate(_pg_url(self.template))

    async def fresh(self) -> str:
        name = f"{self.prefix}_{uuid.uuid4().hex[:12]}"
        connection = await asyncpg.connect(POSTGRES_ADMIN, timeout=10)
        try:
            await connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        finally:
            await connection.close()
        self.created.append(name)
        return _pg_url(name)

    async def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        connection = await asyncpg.connect(POSTGRES_ADMIN, timeout=10)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    def cleanup(self) -> None:
        async def drop_all() -> None:
            connection = await asyncpg.connect(POSTGRES_ADMIN, timeout=10)
            try:
                rows = await connection.fetch(
                    "SELECT datname FROM pg_database WHERE datname LIKE $1", self.prefix + "%"
                )
                for row in rows:
                    await connection.execute(f'DROP DATABASE IF EXISTS "{row[0]}" WITH (FORCE)')
            finally:
                await connection.close()

        run_blocking(drop_all())


async def _migrate(url: str) -> None:
    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()
