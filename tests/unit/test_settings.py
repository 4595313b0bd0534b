"""Settings from the environment: one workspace with a bot token, or many through OAuth."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError

ONE = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
MANY = {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"}


def test_a_bot_token_serves_one_workspace() -> None:
    settings = Settings.from_env(ONE)

    assert settings.bot_token == "xoxb-1"
    assert not settings.many_workspaces


def test_client_id_and_secret_instead_of_a_token_serve_many_workspaces() -> None:
    settings = Settings.from_env({**MANY, "SLACK_REDIRECT_URI": "https://k.example/r"})

    assert settings.many_workspaces
    assert settings.bot_token == ""
    assert (settings.client_id, settings.client_secret) == ("1.2", "c")
    assert settings.redirect_uri == "https://k.example/r"


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({**ONE, "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c"}, "not both"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_SECRET"),
        ({"SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_ID"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c"}, "SLACK_SIGNING_SECRET"),
    ],
)
def test_an_incomplete_or_contradictory_environment_says_what_to_set(
    environ: dict[str, str], named: str
) -> None:
    with pytest.raises(SettingsError, match=named):
        Settings.from_env(environ)


@pytest.mark.parametrize(
    ("api_url", "base"),
    [
        (None, "https://slack.com/api/"),
        ("http://127.0.0.1:9/api", "http://127.0.0.1:9/api/"),
        ("http://127.0.0.1:9/api/", "http://127.0.0.1:9/api/"),
    ],
)
def test_the_api_base_url_ends_in_a_slash(api_url: str | None, base: str) -> None:
    environ = {**ONE, **({"SLACK_API_URL": api_url} if api_url else {})}

    assert Settings.from_env(environ).api_base_url == base
