"""Block Kit as HTML: the blocks of a message or a view, shown the way Slack lays them out.

Sections (text, fields, an accessory), headers, context lines, dividers, actions (buttons with
their primary/danger styles, selects, date pickers…), images as their alt text, inputs with
their labels. Interactive elements are drawn, not live: the page is a picture of the bot.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from bot.slackhtml.mrkdwn import mrkdwn_html, plain_html, text_html

Block = Mapping[str, Any]


def text_object_html(text: Any, names: Mapping[str, str]) -> str:
    """A Block Kit text object (``mrkdwn`` or ``plain_text``), or a bare string, as HTML."""
    if isinstance(text, Mapping):
        if text.get("type") == "mrkdwn":
            return mrkdwn_html(str(text.get("text", "")), names)
        return plain_html(str(text.get("text", "")))
    return text_html(str(text or ""))


def blocks_html(blocks: list[dict[str, Any]], names: Mapping[str, str]) -> str:
    """Every block, in order; a block of an unknown type is left out, as Slack would."""
    return "".join(block_html(block, names) for block in blocks)


def block_html(block: Block, names: Mapping[str, str]) -> str:
    kind = block.get("type")
    if kind == "section":
        return _section_html(block, names)
    if kind == "header":
        return f'<div class="b-header">{text_object_html(block.get("text"), names)}</div>'
    if kind == "context":
        parts = "".join(
            f"<span>{_context_element_html(element, names)}</span>"
            for element in block.get("elements") or []
        )
        return f'<div class="b-context">{parts}</div>'
    if kind == "divider":
        return '<hr class="b-divider">'
    if kind == "actions":
        elements = "".join(element_html(element, names) for element in block.get("elements") or [])
        return f'<div class="b-actions">{elements}</div>'
    if kind == "image":
        return f'<div class="b-image">🖼 {text_html(str(block.get("alt_text", "")))}</div>'
    if kind == "input":
        label = text_object_html(block.get("label"), names)
        element = element_html(block.get("element") or {}, names)
        return f'<div class="b-input"><label>{label}</label>{element}</div>'
    return ""


def _section_html(block: Block, names: Mapping[str, str]) -> str:
    parts = []
    if block.get("text"):
        parts.append(f'<div class="b-text">{text_object_html(block.get("text"), names)}</div>')
    if fields := block.get("fields"):
        cells = "".join(f"<div>{text_object_html(field, names)}</div>" for field in fields)
        parts.append(f'<div class="b-fields">{cells}</div>')
    main = "".join(parts)
    if accessory := block.get("accessory"):
        side = f'<div class="b-accessory">{element_html(accessory, names)}</div>'
        return f'<div class="b-section with-accessory"><div>{main}</div>{side}</div>'
    return f'<div class="b-section">{main}</div>'


def _context_element_html(element: Block, names: Mapping[str, str]) -> str:
    if element.get("type") == "image":
        return f'<span class="b-alt">{text_html(str(element.get("alt_text", "")))}</span>'
    return text_object_html(element, names)


def _option_label(option: Any, names: Mapping[str, str]) -> str:
    if isinstance(option, Mapping):
        return text_object_html(option.get("text"), names)
    return ""


def element_html(element: Block, names: Mapping[str, str]) -> str:
    """One interactive element: a button, a select, a picker, choices or a text field."""
    kind = element.get("type")
    if kind == "button":
        return _button_html(element, names)
    if kind in {"static_select", "external_select"}:
        return _select_html(element, names)
    if kind in {"users_select", "conversations_select", "channels_select"}:
        placeholder = text_object_html(element.get("placeholder"), names)
        return f'<select class="b-select" disabled><option>{placeholder}</option></select>'
    if kind == "overflow":
        return '<button type="button" class="btn overflow" aria-label="more">⋮</button>'
    if kind in {"datepicker", "timepicker"}:
        value = element.get("initial_date") or element.get("initial_time") or ""
        shown = text_html(str(value)) or text_object_html(element.get("placeholder"), names)
        icon = "📅" if kind == "datepicker" else "🕒"
        return f'<span class="b-picker">{icon} {shown}</span>'
    if kind in {"checkboxes", "radio_buttons"}:
        mark = "☐" if kind == "checkboxes" else "○"
        options = "".join(
            f"<li>{mark} {_option_label(option, names)}</li>"
            for option in element.get("options") or []
        )
        return f'<ul class="b-choices">{options}</ul>'
    if kind == "plain_text_input":
        placeholder = text_object_html(element.get("placeholder"), names)
        return f'<span class="b-textbox">{placeholder}</span>'
    if kind == "image":
        return f'<span class="b-alt">{text_html(str(element.get("alt_text", "")))}</span>'
    return ""


def _button_html(element: Block, names: Mapping[str, str]) -> str:
    label = text_object_html(element.get("text"), names)
    style = element.get("style")
    classes = "btn" + (f" {style}" if style in {"primary", "danger"} else "")
    if url := element.get("url"):
        # A link button: Slack opens the address (and still tells the bot about the click).
        href = html.escape(str(url), quote=True)
        return f'<a class="{classes} link" href="{href}">{label} ↗</a>'
    return f'<button type="button" class="{classes}">{label}</button>'


def _select_html(element: Block, names: Mapping[str, str]) -> str:
    chosen = element.get("initial_option")
    placeholder = text_object_html(element.get("placeholder"), names)
    options = [f'<option selected="">{_option_label(chosen, names)}</option>'] if chosen else []
    if not chosen:
        options.append(f'<option selected="">{placeholder}</option>')
    groups = element.get("option_groups") or [{"options": element.get("options") or []}]
    for group in groups:
        for option in group.get("options") or []:
            if option != chosen:
                options.append(f"<option>{_option_label(option, names)}</option>")
    return f'<select class="b-select">{"".join(options)}</select>'
