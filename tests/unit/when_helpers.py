"""Shared constants and helpers for the tests/unit/test_when_*.py modules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.when import (
    WhenError,
    local_to_utc,
)

CPH = ZoneInfo("Europe/Copenhagen")


TODAY = date(2026, 11, 22)


NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # 13:00 in Copenhagen


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A Copenhagen wall time as the UTC instant the module would store."""
    return local_to_utc(date(year, month, day), time(hour, minute), CPH)


def wall(moment: datetime) -> str:
    return moment.astimezone(CPH).strftime("%Y-%m-%d %H:%M")


def walls(moments: list[datetime]) -> list[str]:
    return [wall(moment) for moment in moments]


def refusal(error: pytest.ExceptionInfo[WhenError]) -> tuple[str, str]:
    return error.value.render("en"), error.value.render("da")
