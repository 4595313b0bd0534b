"""The Slack app manifest asks for what the code listens to (and nothing is forgotten)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.oauth import BOT_SCOPES
from handlers import takeaways

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = (ROOT / "manifest.yml").read_text()


def _registered_events() -> set[str]:
    found: set[str] = set()
    for source in (ROOT / "handlers").rglob("*.py"):
        found.update(re.findall(r'app\.event\("([a-z_]+)"\)', source.read_text()))
    return found


def test_every_event_the_bot_handles_is_subscribed() -> None:
    subscribed = set(re.findall(r"^\s+- ([a-z_]+)\s*$", MANIFEST, re.MULTILINE))

    assert _registered_events()
    assert _registered_events() <= subscribed


def test_the_slash_command_escapes_mentions_as_the_parser_expects() -> None:
    assert "- command: /klynge" in MANIFEST
    assert "should_escape: true" in MANIFEST


def test_the_message_shortcut_has_the_callback_id_the_code_listens_for() -> None:
    assert f"callback_id: {takeaways.SHORTCUT}" in MANIFEST


def test_installs_through_oauth_ask_for_the_scopes_the_manifest_lists() -> None:
    bot_section = MANIFEST.split("    bot:\n", 1)[1].split("settings:", 1)[0]
    listed = re.findall(r"^\s+- ([a-z:.]+)", bot_section, re.MULTILINE)

    assert listed
    assert sorted(BOT_SCOPES) == sorted(listed)


def test_the_manifest_lists_the_oauth_redirect_url() -> None:
    assert "/slack/oauth_redirect" in MANIFEST
