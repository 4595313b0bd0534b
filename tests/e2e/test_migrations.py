"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection

from storage.db import Database
from storage.migrate import current_revision, downgrade, upgrade
from storage.schema import metadata


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_migrated_schema_matches_the_models(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.engine.connect() as connection:
            differences = await connection.run_sync(_differences)
    finally:
        await db.dispose()

    assert differences == []


async def test_migrations_downgrade_to_nothing_and_back(database_url: str) -> None:
    db = Database(database_url)
    try:
        await downgrade(db, "base")
        assert await current_revision(db) is None
        await upgrade(db)
        async with db.engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
    finally:
        await db.dispose()
