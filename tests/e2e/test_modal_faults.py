"""A modal submission is always answered within Slack's 3 seconds, with what went wrong shown in
the form, however the work fails: the database down or hanging, metadata that is not ours."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from storage.db import Database
from storage.polls import Poll
from tests.harness import MEMBER, Harness


def poll_values(question: str, options: str) -> dict[str, Any]:
    """What the poll form holds when ``question`` and ``options`` (one a line) are typed."""
    return {
        "question": {"value": {"type": "plain_text_input", "value": question}},
        "options": {"value": {"type": "plain_text_input", "value": options}},
        "kind": {"value": {"type": "radio_buttons", "selected_option": {"value": "single"}}},
        "max_choices": {"value": {"type": "plain_text_input", "value": None}},
        "settings": {"value": {"type": "checkboxes", "selected_options": []}},
        "closes": {"value": {"type": "plain_text_input", "value": None}},
    }


FORM = poll_values("Which topic?", "Diabetes\nCOPD")


async def poll_form(h: Harness) -> dict[str, Any]:
    await h.setup_cluster()
    await h.command("poll", user=MEMBER)
    return dict(h.slack.calls_to("views.open")[-1].args["view"])


async def polls(h: Harness) -> list[Poll]:
    async with h.db.session() as session:
        return list((await session.exec(select(Poll))).all())


async def test_database_down_is_shown_in_the_form_at_once(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = await poll_form(harness)

    @asynccontextmanager
    async def down(_self: Database) -> AsyncIterator[Any]:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))
        yield  # pragma: no cover

    monkeypatch.setattr(Database, "session", down)
    started = time.monotonic()
    reply = await harness.submit(view, FORM, user=MEMBER)

    assert time.monotonic() - started < 3.0
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert "can't reach my database" in answer["errors"]["question"]
    monkeypatch.undo()
    assert await polls(harness) == []


async def test_a_hanging_database_is_answered_within_three_seconds(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = await poll_form(harness)
    real = Database.session

    @asynccontextmanager
    async def slow(self: Database) -> AsyncIterator[Any]:
        await asyncio.sleep(8)
        async with real(self) as session:
            yield session

    monkeypatch.setattr(Database, "session", slow)
    started = time.monotonic()
    reply = await harness.submit(view, FORM, user=MEMBER)
    elapsed = time.monotonic() - started

    assert elapsed < 3.0
    assert "couldn't save this in time" in reply.json()["errors"]["question"]
    monkeypatch.undo()
    assert await polls(harness) == []


@pytest.mark.parametrize("metadata", ["not json", "[1, 2]", '{"channel": 5}', ""])
async def test_metadata_that_is_not_ours_gets_a_field_error(
    harness: Harness, metadata: str
) -> None:
    view = await poll_form(harness)

    reply = await harness.submit({**view, "private_metadata": metadata}, FORM, user=MEMBER)

    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "errors"
    assert answer["errors"]
    assert await polls(harness) == []
