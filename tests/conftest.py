"""Shared fixtures: a fresh migrated database per test on each backend, and the harness."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.databases import BACKENDS, PostgresTemplates, SqliteTemplates
from tests.harness import Harness


@pytest.fixture(scope="session")
def sqlite_templates() -> Iterator[SqliteTemplates]:
    templates = SqliteTemplates(Path(tempfile.mkdtemp(prefix="klynge-tests-")))
    templates.prepare()
    yield templates
    templates.cleanup()


@pytest.fixture(scope="session")
def postgres_templates() -> Iterator[PostgresTemplates]:
    templates = PostgresTemplates()
    try:
        templates.prepare()
    except OSError as error:
        pytest.fail(
            f"PostgreSQL is not reachable ({error}). Start it, or run only SQLite with "
            "KLYNGE_TEST_DATABASES=sqlite."
        )
    yield templates
    templates.cleanup()


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A freshly migrated, empty database, once per backend."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_templates").fresh()
        return
    templates: PostgresTemplates = request.getfixturevalue("postgres_templates")
    url = await templates.fresh()
    yield url
    await templates.drop(url)


@pytest.fixture
async def harness(database_url: str) -> AsyncIterator[Harness]:
    """The bot on a fresh database, talking to a fake Slack, with a cluster channel and people."""
    async with Harness(database_url) as running:
        yield running
