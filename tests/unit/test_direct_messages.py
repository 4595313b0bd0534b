"""Direct messages to many people: each gets one, paced below Slack's workspace posting rate,
and one person Slack refuses does not stop the others."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot import slack
from bot.slack import DM_BURST, DM_INTERVAL, direct_messages


class RecordingClient:
    """Stands in for the Web API client: records each post with the paced time it went out."""

    def __init__(self, refuse: set[str] | None = None) -> None:
        self.refuse = refuse or set()
        self.sent: list[tuple[str, float]] = []
        self.now = 0.0

    async def sleep(self, seconds: float) -> None:
        self.now += seconds

    async def chat_postMessage(self, **args: Any) -> dict[str, Any]:
        if args["channel"] in self.refuse:
            response = AsyncSlackResponse(
                client=None,
                http_verb="POST",
                api_url="chat.postMessage",
                req_args={},
                data={"ok": False, "error": "user_not_found"},
                headers={},
                status_code=200,
            )
            raise SlackApiError("user_not_found", response)
        self.sent.append((args["channel"], self.now))
        return {"ok": True}


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> RecordingClient:
    recording = RecordingClient(refuse={"U0GONE"})
    monkeypatch.setattr(slack.asyncio, "sleep", recording.sleep)
    return recording


async def test_the_first_burst_goes_at_once_and_the_rest_one_interval_apart(
    client: RecordingClient,
) -> None:
    users = [f"U{number:03d}" for number in range(DM_BURST + 10)]

    unreached = await direct_messages(client, users, "Husk at stemme")  # type: ignore[arg-type]

    assert unreached == []
    assert [user for user, _ in client.sent] == users
    times = [at for _, at in client.sent]
    assert set(times[:DM_BURST]) == {0.0}
    gaps = [later - earlier for earlier, later in pairwise(times[DM_BURST - 1 :])]
    assert gaps == [pytest.approx(DM_INTERVAL)] * 10
    assert 60 / DM_INTERVAL < 300  # under Slack's "several hundred a minute" per workspace


async def test_someone_slack_refuses_is_reported_and_the_others_still_get_it(
    client: RecordingClient,
) -> None:
    unreached = await direct_messages(
        client,  # type: ignore[arg-type]
        ["U001", "U0GONE", "U002"],
        "Husk at stemme",
    )

    assert unreached == ["U0GONE"]
    assert [user for user, _ in client.sent] == ["U001", "U002"]
