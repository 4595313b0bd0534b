"""Slack's mrkdwn as HTML, the way the Slack client shows it.

*bold*, _italic_, ~strike~, `code`, ```preformatted```, > quotes, • bullet lines, links
(``<url|label>``), mentions (``<@U123>`` as @Name), channels, ``<!here>`` and emoji shortcodes.
Slack's own escapes (``&amp;`` ``&lt;`` ``&gt;``) are undone first and every piece of text is
escaped again with ``html.escape``: nothing in a message can become markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from bot.slackhtml.emoji import emoji_for

# The pieces no formatting reaches into: code, preformatted text, <…> sequences and emoji. They
# are swapped for numbered placeholders while *bold* and the like are found around them.
_ATOM = re.compile(
    r"```(?P<pre>.+?)```|`(?P<code>[^`\n]+)`|<(?P<angle>[^<>\n]+)>|:(?P<emoji>[a-z][a-z0-9_+-]*):",
    re.S,
)
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")


def _span(marker: str) -> re.Pattern[str]:
    mark = re.escape(marker)
    # Slack's rule: the marker opens after a non-word character and closes before one, and the
    # text inside neither starts nor ends with a space.
    return re.compile(rf"(?<![\w{mark}]){mark}(?=\S)([^\n{mark}]+?)(?<=\S){mark}(?![\w{mark}])")


_INLINE = ((_span("*"), "b"), (_span("_"), "i"), (_span("~"), "s"))
_BULLET = re.compile(r"^\s*[•◦▪\-]\s+")
_QUOTE = "&gt; "
_SAFE_LINK = re.compile(r"^(?:https?://|mailto:)", re.I)


def unescape(text: str) -> str:
    """Slack's three escapes undone (nothing else is an entity in Slack's text)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def text_html(text: str) -> str:
    """Slack text without formatting (``plain_text``, or a label) escaped for HTML."""
    return html.escape(unescape(text))


_SHORTCODE = re.compile(r":([a-z][a-z0-9_+-]*):")


def plain_html(text: str) -> str:
    """A ``plain_text`` object as HTML: no formatting, but its emoji shortcodes shown."""
    return _SHORTCODE.sub(lambda match: _emoji_html(match.group(1)), text_html(text))


def mrkdwn_html(text: str, names: Mapping[str, str]) -> str:
    """``text`` (Slack mrkdwn) as HTML: inline formatting, then lines, quotes and bullet lists."""
    atoms: list[str] = []

    def keep(match: re.Match[str]) -> str:
        atoms.append(_atom_html(match, names))
        return f"\x00{len(atoms) - 1}\x00"

    marked = _ATOM.sub(keep, text)
    # Escaping the rest for HTML: Slack's entities first become the characters they stand for,
    # except "&gt; " at a line start, which is a quote (kept as it is html-escaped already).
    escaped = html.escape(unescape(marked.replace("&gt; ", "\x01")), quote=False)
    escaped = escaped.replace("\x01", _QUOTE)
    for pattern, tag in _INLINE:
        escaped = pattern.sub(rf"<{tag}>\1</{tag}>", escaped)
    body = _lines_html(escaped)
    return _PLACEHOLDER.sub(lambda match: atoms[int(match.group(1))], body)


def _lines_html(text: str) -> str:
    """Lines joined by <br>, runs of bullet lines as a list, "> " lines as a quote."""
    out: list[str] = []
    bullets: list[str] = []
    quote: list[str] = []

    def flush() -> None:
        if bullets:
            out.append("<ul>" + "".join(f"<li>{item}</li>" for item in bullets) + "</ul>")
            bullets.clear()
        if quote:
            out.append("<blockquote>" + "<br>".join(quote) + "</blockquote>")
            quote.clear()

    plain: list[str] = []
    for line in text.split("\n"):
        if (bullet := _BULLET.match(line)) is not None:
            if plain:
                out.append("<br>".join(plain))
                plain = []
            if quote:
                flush()
            bullets.append(line[bullet.end() :])
        elif line.startswith(_QUOTE):
            if plain:
                out.append("<br>".join(plain))
                plain = []
            if bullets:
                flush()
            quote.append(line[len(_QUOTE) :])
        else:
            flush()
            plain.append(line)
    flush()
    if plain:
        out.append("<br>".join(plain))
    return "".join(out)


def _atom_html(match: re.Match[str], names: Mapping[str, str]) -> str:
    if (pre := match.group("pre")) is not None:
        return f'<pre class="pre">{text_html(pre.strip(chr(10)))}</pre>'
    if (code := match.group("code")) is not None:
        return f'<code class="code">{text_html(code)}</code>'
    if (emoji := match.group("emoji")) is not None:
        return _emoji_html(emoji)
    return _angle_html(match.group("angle"), names)


def _emoji_html(name: str) -> str:
    shown = emoji_for(name)
    if shown is None:  # Slack shows an unknown shortcode as the text it is
        return html.escape(f":{name}:")
    return f'<span class="emoji" title="{html.escape(name)}">{shown}</span>'


def _angle_html(inside: str, names: Mapping[str, str]) -> str:
    """One ``<…>`` sequence: a mention, a channel, a special mention, a date or a link."""
    target, _, label = inside.partition("|")
    if target.startswith("@"):
        user = target[1:]
        name = names.get(user) or label or user
        return f'<span class="mention">@{html.escape(name)}</span>'
    if target.startswith("#"):
        return f'<span class="mention">#{html.escape(label or target[1:])}</span>'
    if target.startswith("!"):
        word = target[1:].split("^")[0]
        if word in {"here", "channel", "everyone"}:
            return f'<span class="mention">@{html.escape(word)}</span>'
        return text_html(label or word)  # <!date^…|fallback> and the like: their fallback
    url = unescape(target)
    if not _SAFE_LINK.match(url):
        return text_html(inside)
    shown = text_html(label) if label else html.escape(url)
    return f'<a href="{html.escape(url, quote=True)}">{shown}</a>'
