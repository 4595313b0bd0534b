"""Slack mrkdwn and Block Kit as HTML (the demo page): formatting, escaping, elements."""

from __future__ import annotations

from bot.slackhtml.blocks import blocks_html
from bot.slackhtml.mrkdwn import mrkdwn_html, plain_html

NAMES = {"U1": "Anne Holm"}


def test_bold_italic_strike_and_code_become_tags() -> None:
    assert mrkdwn_html("*Topic:* _soon_ ~old~ `/klynge help`", NAMES) == (
        '<b>Topic:</b> <i>soon</i> <s>old</s> <code class="code">/klynge help</code>'
    )


def test_markers_inside_words_and_code_stay_as_typed() -> None:
    assert mrkdwn_html("snake_case_name 5*3*2 `*not bold*`", NAMES) == (
        'snake_case_name 5*3*2 <code class="code">*not bold*</code>'
    )


def test_mentions_show_the_name_and_links_their_label() -> None:
    html = mrkdwn_html("<@U1> see <https://zoom.us/j/1?a=1&amp;b=2|Zoom>", NAMES)
    assert html == (
        '<span class="mention">@Anne Holm</span> see '
        '<a href="https://zoom.us/j/1?a=1&amp;b=2">Zoom</a>'
    )


def test_slack_escapes_are_shown_as_the_characters_and_nothing_becomes_markup() -> None:
    html = mrkdwn_html("&lt;script&gt;alert(1)&lt;/script&gt; &amp; <b>", NAMES)
    assert "<script" not in html
    assert html.startswith("&lt;script&gt;alert(1)&lt;/script&gt; &amp; ")


def test_a_link_to_anything_but_the_web_or_mail_is_text() -> None:
    assert "href" not in mrkdwn_html("<javascript:alert(1)|click>", NAMES)


def test_bullet_lines_become_a_list_and_quotes_a_blockquote() -> None:
    assert mrkdwn_html("Plan:\n• *one*\n• two\n&gt; said", NAMES) == (
        "Plan:<ul><li><b>one</b></li><li>two</li></ul><blockquote>said</blockquote>"
    )


def test_emoji_shortcodes_are_drawn_and_unknown_ones_kept() -> None:
    assert "👋" in mrkdwn_html(":wave: hi", NAMES)
    assert mrkdwn_html(":no-such-emoji: 16:00-17:30", NAMES) == ":no-such-emoji: 16:00-17:30"
    assert plain_html(":white_check_mark: *Done*").endswith("✅</span> *Done*")


def test_buttons_keep_their_style_and_link_buttons_their_address() -> None:
    html = blocks_html(
        [
            {
                "type": "actions",
                "elements": [
                    {"type": "button", "text": {"type": "plain_text", "text": "Yes"}},
                    {
                        "type": "button",
                        "style": "danger",
                        "text": {"type": "plain_text", "text": "Undo"},
                    },
                    {
                        "type": "button",
                        "url": "https://zoom.us/j/1",
                        "text": {"type": "plain_text", "text": "Join"},
                    },
                ],
            }
        ],
        NAMES,
    )
    assert '<button type="button" class="btn">Yes</button>' in html
    assert '<button type="button" class="btn danger">Undo</button>' in html
    assert '<a class="btn link" href="https://zoom.us/j/1">Join ↗</a>' in html


def test_sections_headers_fields_context_and_selects_are_drawn() -> None:
    html = blocks_html(
        [
            {"type": "header", "text": {"type": "plain_text", "text": "A & B"}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "*Agenda*"},
                "fields": [{"type": "mrkdwn", "text": "_when_"}],
                "accessory": {
                    "type": "static_select",
                    "placeholder": {"type": "plain_text", "text": "Pick"},
                    "options": [{"text": {"type": "plain_text", "text": "<One>"}, "value": "1"}],
                },
            },
            {"type": "divider"},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "by <@U1>"}]},
            {"type": "no_such_block"},
        ],
        NAMES,
    )
    assert '<div class="b-header">A &amp; B</div>' in html
    assert "<b>Agenda</b>" in html
    assert '<div class="b-fields"><div><i>when</i></div></div>' in html
    assert "<option>&lt;One&gt;</option>" in html
    assert '<hr class="b-divider">' in html
    assert '<span class="mention">@Anne Holm</span>' in html
    assert "no_such_block" not in html
