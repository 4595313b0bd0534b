"""The demo as one self-contained HTML page that looks like Slack: the cluster's channel, the
bot's direct messages to each member, and the Home tabs members opened.

No scripts and nothing fetched: the sidebar's links switch panes with CSS ``:target`` (the
channel shows when no other pane is chosen), and ``#step-meeting`` and the like show the channel
from that step on — which is how the README's screenshots are taken.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from bot.demo.events import Recording, Step
from bot.demo.feed import avatar_html, feed_html, has_items, step_id
from bot.demo.style import STYLE
from bot.demo.texts import (
    APPS,
    CHANNELS,
    DEMO_NOTE,
    DIRECT_MESSAGES,
    DM_ABOUT,
    DM_WITH,
    HOME_ABOUT,
    HOME_FOR,
    HOME_TITLE,
    INTRO,
    MEMBERS,
    PAGE_TITLE,
    STEPS,
    WORKSPACE,
)
from bot.fakeslack.model import BOT_USER_ID
from bot.i18n import Text, format_datetime
from bot.slackhtml.blocks import blocks_html


def dm_id(user: str) -> str:
    return f"dm-{user}"


def home_id(user: str) -> str:
    return f"home-{user}"


def render_page(recording: Recording) -> str:
    """The whole page; the channel pane comes last so that CSS can show it by default."""
    members = [user for user in recording.names if user != BOT_USER_ID]
    dms = [user for user in members if has_items(recording, f"D{user}")]
    panes = [_dm_pane(recording, user) for user in dms]
    panes += [_home_pane(recording, user, view) for user, view in recording.homes.items()]
    panes.append(_channel_pane(recording, len(members)))
    title = PAGE_TITLE.render(recording.language, channel=recording.channel_name)
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(recording.language)}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f'<div class="app">{_sidebar(recording, dms)}<main class="panes">{"".join(panes)}'
        "</main></div></body></html>\n"
    )


def _t(recording: Recording, text: Text, **values: object) -> str:
    return html.escape(text.render(recording.language, **values))


def _sidebar(recording: Recording, dms: list[str]) -> str:
    names = recording.names
    channel = (
        f'<a class="nav-item" href="#channel"><span class="hash">#</span>'
        f"{html.escape(recording.channel_name)}</a>"
    )
    people = "".join(
        f'<a class="nav-item" href="#{dm_id(user)}">{avatar_html(user, names[user], small=True)}'
        f"{html.escape(names[user])}</a>"
        for user in dms
    )
    homes = "".join(
        f'<a class="nav-item" href="#{home_id(user)}"><span class="hash">🏠</span>'
        f"{_t(recording, HOME_FOR, name=names[user])}</a>"
        for user in recording.homes
    )
    steps = "".join(
        f'<a class="nav-item step-link" href="#{step_id(entry.event.key)}">'
        f"{html.escape(entry.event.label)}</a>"
        for entry in recording.entries
        if isinstance(entry.event, Step)
    )
    return (
        f'<nav class="sidebar"><div class="workspace">{_t(recording, WORKSPACE)}'
        f"<small>{_t(recording, DEMO_NOTE)}</small></div>"
        f'<div class="nav-title">{_t(recording, CHANNELS)}</div>{channel}'
        f'<div class="nav-title">{_t(recording, APPS)}</div>{homes}'
        f'<div class="nav-title">{_t(recording, DIRECT_MESSAGES)}</div>{people}'
        f'<div class="nav-title">{_t(recording, STEPS)}</div>{steps}</nav>'
    )


def _pane(pane_id: str, header: str, body: str, *, kind: str) -> str:
    return (
        f'<section class="pane {kind}" id="{pane_id}"><header class="pane-header">{header}'
        f'</header><div class="feed">{body}</div></section>'
    )


def _channel_pane(recording: Recording, members: int) -> str:
    header = (
        f'<h1><span class="hash">#</span>{html.escape(recording.channel_name)}</h1>'
        f'<span class="sub">{_t(recording, MEMBERS, count=members)}</span>'
    )
    intro = f'<div class="intro">{_t(recording, INTRO)}</div>'
    feed = feed_html(recording, recording.channel, every_step=True)
    return _pane("channel", header, intro + feed, kind="channel")


def _dm_pane(recording: Recording, user: str) -> str:
    name = recording.names[user]
    header = (
        f"<h1>{_t(recording, DM_WITH, name=name)}</h1>"
        f'<span class="sub">{_t(recording, DM_ABOUT, name=name)}</span>'
    )
    body = feed_html(recording, f"D{user}", every_step=False)
    return _pane(dm_id(user), header, body, kind="dm")


def _home_pane(recording: Recording, user: str, seen: tuple[datetime, dict[str, Any]]) -> str:
    at, view = seen
    when = format_datetime(at.astimezone(recording.zone), recording.language)
    header = (
        f"<h1>{_t(recording, HOME_TITLE)}</h1>"
        f'<span class="sub">{_t(recording, HOME_ABOUT, name=recording.names[user], when=when)}'
        "</span>"
    )
    body = f'<div class="home">{blocks_html(view.get("blocks") or [], recording.names)}</div>'
    return _pane(home_id(user), header, body, kind="home-pane")
