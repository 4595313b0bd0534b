"""Small helpers around Slack's Web API and what Slack sends."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError

# Slack's times are seconds since 1970 with six decimals, like "1700000000.123456".
_SLACK_TIME = re.compile(r"(\d{1,13})(?:\.(\d{1,6})\d*)?")


def error_code(error: SlackApiError) -> str | None:
    """Slack's error code (``not_in_channel``…), or None when the answer was not JSON."""
    data = error.response.data
    return str(data.get("error")) if isinstance(data, dict) and data.get("error") else None


def click_time(body: dict[str, Any], *, fallback: datetime) -> str:
    """When Slack says the click in ``body`` happened (``actions[0].action_ts``), as zero-padded
    text whose order is the order of time: "0001700000000.123456" (digits after the sixth
    decimal are dropped). ``fallback`` stands in for a missing or malformed time."""
    raw = str(((body.get("actions") or [{}])[0] or {}).get("action_ts") or "")
    found = _SLACK_TIME.fullmatch(raw)
    whole, fraction = (
        (found[1], found[2] or "") if found else f"{fallback.timestamp():.6f}".split(".")
    )
    return f"{whole.zfill(13)}.{fraction.ljust(6, '0')}"
