"""Alembic environment: runs on the connection handed in by storage.migrate, or on its own."""

import asyncio

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

from storage.schema import metadata


def _configure_and_run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_with_own_engine() -> None:
    url = context.config.get_main_option("sqlalchemy.url")

    async def run() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(_configure_and_run)
        await engine.dispose()

    asyncio.run(run())


connection = context.config.attributes.get("connection")
if connection is not None:
    _configure_and_run(connection)
else:
    _run_with_own_engine()
