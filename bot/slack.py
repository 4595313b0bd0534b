"""Small helpers around Slack's Web API and what Slack sends."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from slack_sdk.errors import SlackApiError

_MICROSECOND = Decimal("0.000001")


def error_code(error: SlackApiError) -> str | None:
    """Slack's error code (``not_in_channel``…), or None when the answer was not JSON."""
    data = error.response.data
    return str(data.get("error")) if isinstance(data, dict) and data.get("error") else None


def click_time(body: dict[str, Any], *, fallback: datetime) -> str:
    """When Slack says the click in ``body`` happened (``actions[0].action_ts``, like
    "1700000000.123456"), as zero-padded text whose order is the order of time:
    "0001700000000.123456". ``fallback`` stands in for a missing or malformed time."""
    raw = str(((body.get("actions") or [{}])[0] or {}).get("action_ts") or "")
    try:
        moment: Decimal | None = Decimal(raw)
    except InvalidOperation:
        moment = None
    if moment is None or not moment.is_finite() or not 0 <= moment < 10**13:
        moment = Decimal(repr(fallback.timestamp()))
    return f"{moment.quantize(_MICROSECOND, rounding=ROUND_DOWN):020.6f}"
