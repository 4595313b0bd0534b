"""Bring the database schema up to date with alembic (``python -m bot migrate``, and at start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

from storage.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant will do: replicas starting together take turns migrating instead of racing.
_MIGRATION_LOCK = 73_450_001


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(db: Database, revision: str = "head") -> None:
    """Apply every migration up to ``revision`` in one transaction."""
    async with db.engine.begin() as connection:
        if db.is_postgres:
            await connection.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
        await connection.run_sync(_run, "upgrade", revision)


async def downgrade(db: Database, revision: str) -> None:
    async with db.engine.begin() as connection:
        await connection.run_sync(_run, "downgrade", revision)


async def current_revision(db: Database) -> str | None:
    async with db.engine.connect() as connection:
        return await connection.run_sync(_current)


def _run(connection: Connection, action: str, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    getattr(command, action)(config, revision)


def _current(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()
