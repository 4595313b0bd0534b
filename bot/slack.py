"""Small helpers around Slack's Web API."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError


def error_code(error: SlackApiError) -> str | None:
    """Slack's error code (``not_in_channel``…), or None when the answer was not JSON."""
    data = error.response.data
    return str(data.get("error")) if isinstance(data, dict) and data.get("error") else None
