"""A Web API call acts in the current workspace: it carries that workspace's bot token unless
it names its own (``bot.workspaces``); the install state cookie is checked when present."""

from __future__ import annotations

from typing import Any

import pytest

from bot.oauth import StateCookieIfPresent
from bot.workspaces import _with_token


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"json": {"channel": "C1"}}, {"json": {"channel": "C1", "token": "xoxb-w"}}),
        ({"params": {"user": "U1"}}, {"params": {"user": "U1", "token": "xoxb-w"}}),
        ({"data": {"code": "c"}}, {"data": {"code": "c"}, "params": {"token": "xoxb-w"}}),
        # slack-sdk passes token=None when the caller gave none: that names no token.
        ({"params": {"token": None}}, {"params": {"token": "xoxb-w"}}),
        ({"params": {"token": "xapp-own"}}, {"params": {"token": "xapp-own"}}),
        ({"json": {"token": "xoxb-own"}}, {"json": {"token": "xoxb-own"}}),
    ],
)
def test_the_workspace_token_goes_where_slack_sdk_reads_it(
    options: dict[str, Any], expected: dict[str, Any]
) -> None:
    assert _with_token(options, "xoxb-w") == expected


def test_the_state_cookie_when_sent_must_match_the_state() -> None:
    utils = StateCookieIfPresent()
    name = utils.cookie_name

    assert utils.is_valid_browser("s1", {"cookie": f"{name}=s1; other=x"})
    assert not utils.is_valid_browser("s1", {"cookie": f"other=x; {name}=s2"})
    assert utils.is_valid_browser("s1", {"cookie": "other=x"})
    assert utils.is_valid_browser("s1", {})
    assert not utils.is_valid_browser(None, {})
