"""One conversation of the demo page (the channel or a DM) as HTML: messages in their final
form with their thread replies, files, "only visible to" answers, and narration lines.

Pure: from a ``Recording`` to a string; every text is escaped (``html.escape`` here, or through
``bot.slackhtml`` for Slack's markup).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import datetime

from bot.demo.events import Action, Entry, Note, Post, Recording, Step, Upload, Whisper
from bot.demo.texts import APP, ONE_REPLY, ONLY_VISIBLE, REPLIES, TYPED
from bot.fakeslack.model import BOT_USER_ID, Message
from bot.i18n import format_date, format_time
from bot.slackhtml.blocks import blocks_html
from bot.slackhtml.mrkdwn import mrkdwn_html

_AVATAR_COLOURS = ("#4a154b", "#1264a3", "#2bac76", "#e8912d", "#cd2553", "#5b3e96", "#0b6e6e")
_FILE_ICONS = {"pdf": "📕", "csv": "📊", "ics": "📆"}


def initials(name: str) -> str:
    """Up to two letters for an avatar: "Anne Holm" → "AH"."""
    words = name.split()
    return "".join(word[0] for word in (words[:1] + words[1:][-1:])).upper() or "?"


def avatar_html(user: str, name: str, *, small: bool = False) -> str:
    colour = _AVATAR_COLOURS[sum(map(ord, user)) % len(_AVATAR_COLOURS)]
    shown = "kb" if user == BOT_USER_ID else initials(name)
    size = " small" if small else ""
    bot = " bot" if user == BOT_USER_ID else ""
    return (
        f'<span class="avatar{size}{bot}" style="background:{colour}" aria-hidden="true">'
        f"{html.escape(shown)}</span>"
    )


def step_id(key: str) -> str:
    return f"step-{key}"


def feed_html(recording: Recording, channel: str, *, every_step: bool) -> str:
    """The conversation ``channel`` from first to last. A step's divider goes before its first
    item here, dated by that item (a step starts before the clock moves on); with
    ``every_step`` every step gets its divider, with an anchor, even one with nothing here —
    then without a date, since nothing here happened on any day."""
    replies = _replies(recording)
    out: list[str] = []
    waiting: Entry | None = None
    for entry in recording.entries:
        if isinstance(entry.event, Step):
            if waiting is not None and every_step:
                out.append(_step_html(waiting, None, recording, anchored=True))
            waiting = entry
            continue
        item = _item_html(entry, channel, recording, replies)
        if item is None:
            continue
        if waiting is not None:
            out.append(_step_html(waiting, entry.at, recording, anchored=every_step))
            waiting = None
        out.append(item)
    if waiting is not None and every_step:
        out.append(_step_html(waiting, None, recording, anchored=True))
    return "".join(out)


def has_items(recording: Recording, channel: str) -> bool:
    """Whether anything shows in ``channel`` (a DM nobody got is left out of the page)."""
    return any(
        _item_html(entry, channel, recording, {}) is not None
        for entry in recording.entries
        if not isinstance(entry.event, Step)
    )


def _step_html(entry: Entry, at: datetime | None, recording: Recording, *, anchored: bool) -> str:
    """A step's divider: its label and the day of ``at`` (its first item here), if any."""
    step = entry.event
    assert isinstance(step, Step)
    day = "" if at is None else format_date(at.astimezone(recording.zone), recording.language)
    anchor = f' id="{step_id(step.key)}"' if anchored else ""
    dated = f" · {html.escape(day)}" if day else ""
    return f'<div class="step"{anchor}><span><b>{html.escape(step.label)}</b>{dated}</span></div>'


def _is_reply(message: Message) -> bool:
    return message.thread_ts is not None and message.thread_ts != message.ts


def _posts(recording: Recording) -> Iterator[tuple[Post, datetime]]:
    """Each message still there, once, at the time it first appeared."""
    for entry in recording.entries:
        event = entry.event
        if isinstance(event, Post) and not event.updated and _still_there(recording, event):
            yield event, entry.at


def _still_there(recording: Recording, post: Post) -> bool:
    return any(message is post.message for message in recording.messages)


def _replies(recording: Recording) -> dict[tuple[str, str], list[str]]:
    replies: dict[tuple[str, str], list[str]] = {}
    for post, at in _posts(recording):
        message = post.message
        if _is_reply(message) and message.thread_ts is not None:
            row = _message_html(recording, message.user, at, _content(recording, message))
            replies.setdefault((message.channel, message.thread_ts), []).append(row)
    return replies


def _content(recording: Recording, message: Message) -> str:
    if message.blocks:
        return blocks_html(message.blocks, recording.names)
    return mrkdwn_html(message.text, recording.names)


def _item_html(
    entry: Entry,
    channel: str,
    recording: Recording,
    replies: dict[tuple[str, str], list[str]],
) -> str | None:
    event = entry.event
    names = recording.names
    if isinstance(event, Action):
        if entry.quiet or event.where != channel:
            return None
        return _action_html(recording, event, entry.at)
    if isinstance(event, Note):
        if channel != recording.channel:
            return None
        return f'<div class="note">{html.escape(event.text)}</div>'
    if isinstance(event, Post):
        message = event.message
        if event.updated or message.channel != channel or _is_reply(message):
            return None
        if not _still_there(recording, event):
            return None  # deleted since: Slack no longer shows it
        thread = _thread_html(recording, replies.get((message.channel, message.ts), []))
        return _message_html(
            recording, message.user, entry.at, _content(recording, message), after=thread
        )
    if isinstance(event, Upload):
        if event.file.channel != channel:
            return None
        return _message_html(recording, BOT_USER_ID, entry.at, _file_html(recording, event))
    if isinstance(event, Whisper):
        if entry.quiet or event.channel != channel:
            return None
        ephemeral = event.ephemeral
        content = (
            blocks_html(ephemeral.blocks, names)
            if ephemeral.blocks
            else mrkdwn_html(ephemeral.text, names)
        )
        who = names.get(ephemeral.user or "", ephemeral.user or "?")
        label = ONLY_VISIBLE.render(recording.language, name=who)
        marker = f'<div class="only-you">👁 {html.escape(label)}</div>'
        return _message_html(
            recording, BOT_USER_ID, entry.at, content, after=marker, extra="ephemeral"
        )
    return None


def _time_html(recording: Recording, at: datetime) -> str:
    local = at.astimezone(recording.zone)
    return (
        f'<time datetime="{html.escape(local.isoformat())}">'
        f"{html.escape(format_time(local, recording.language))}</time>"
    )


def _message_html(
    recording: Recording,
    user: str,
    at: datetime,
    content: str,
    *,
    after: str = "",
    extra: str = "",
) -> str:
    name = recording.names.get(user, user)
    tag = (
        f'<span class="tag">{APP.render(recording.language)}</span>' if user == BOT_USER_ID else ""
    )
    classes = f"msg {extra}".strip()
    return (
        f'<div class="{classes}">{avatar_html(user, name)}<div class="msg-body">'
        f'<div class="meta"><span class="author">{html.escape(name)}</span>{tag}'
        f"{_time_html(recording, at)}</div>"
        f'<div class="content">{content}</div>{after}</div></div>'
    )


def _thread_html(recording: Recording, rows: list[str]) -> str:
    if not rows:
        return ""
    count = (
        ONE_REPLY.render(recording.language)
        if len(rows) == 1
        else REPLIES.render(recording.language, count=len(rows))
    )
    return f'<div class="thread"><div class="thread-count">{count}</div>{"".join(rows)}</div>'


def _action_html(recording: Recording, action: Action, at: datetime) -> str:
    name = recording.names.get(action.user, action.user)
    if action.command:
        said = (
            f"<b>{html.escape(name)}</b> {TYPED.render(recording.language)} "
            f'<code class="code">{html.escape(action.text)}</code>'
        )
    else:
        said = html.escape(action.text)
    return (
        f'<div class="action">{avatar_html(action.user, name, small=True)}'
        f"<span>{said}</span>{_time_html(recording, at)}</div>"
    )


def _file_html(recording: Recording, upload: Upload) -> str:
    file = upload.file
    kind = file.filename.rsplit(".", 1)[-1].lower()
    size = len(file.content)
    shown_size = f"{size} B" if size < 1024 else f"{size / 1024:.1f} kB"
    comment = (
        f'<div class="b-text">{mrkdwn_html(file.initial_comment, recording.names)}</div>'
        if file.initial_comment
        else ""
    )
    return (
        f'{comment}<div class="file"><span class="file-icon">{_FILE_ICONS.get(kind, "📎")}</span>'
        f"<span><b>{html.escape(file.title or file.filename)}</b><br><small>"
        f"{html.escape(kind.upper())} · {shown_size}</small></span></div>"
    )
