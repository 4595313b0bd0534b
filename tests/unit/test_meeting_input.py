"""Unit tests for how the meetings feature reads what people type (links, numbers, reminders)."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from bot.i18n import Text
from bot.mrkdwn import unescape
from handlers.meetings.common import parse_meeting_id, parse_zoom_url
from handlers.meetings.reminders import describe_reminders, parse_reminders

SHOW = Text(en="meeting show", da="møde vis")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("https://us02web.zoom.us/j/123", "https://us02web.zoom.us/j/123"),
        ("<https://zoom.us/j/1?pwd=a&amp;x=y>", "https://zoom.us/j/1?pwd=a&x=y"),
        ("<https://zoom.us/j/1|zoom.us/j/1>", "https://zoom.us/j/1"),
        ("HTTPS://ZOOM.US/j/1", "HTTPS://ZOOM.US/j/1"),
    ],
)
def test_zoom_links_are_read_as_slack_sends_them(typed: str, expected: str) -> None:
    assert parse_zoom_url(unescape(typed)) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "http://zoom.us/j/1",
        "zoom.us/j/1",
        "javascript:alert(1)",
        "https://",
        'https://zoom.us/j/1"onclick',
        "ftp://zoom.us/j/1",
        "https://zoom.us/" + "a" * 600,
    ],
)
def test_anything_but_an_https_link_is_refused(typed: str) -> None:
    with pytest.raises(UserError, match="https://"):
        parse_zoom_url(typed)


@pytest.mark.parametrize(("typed", "expected"), [("12", 12), ("#12", 12), ("nr.7", 7)])
def test_meeting_numbers(typed: str, expected: int) -> None:
    assert parse_meeting_id(typed, command=SHOW) == expected


@pytest.mark.parametrize("typed", ["0", "-1", "1.5", "x", "٣", "99999999999", ""])
def test_bad_meeting_numbers_are_refused(typed: str) -> None:
    with pytest.raises(UserError):
        parse_meeting_id(typed, command=SHOW)


def test_reminders_are_normalised_and_none_means_none() -> None:
    assert parse_reminders("1h, 7d,1d,24h") == "7d,1d,1h"
    assert parse_reminders("ingen") == ""


def test_reminders_are_described_in_words() -> None:
    assert describe_reminders("7d,1d,1h", "en") == "7 days, 1 day and 1 hour before"
    assert describe_reminders("30m", "da") == "30 minutter før"
    assert describe_reminders("", "en") == "none"
