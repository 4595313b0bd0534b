"""How the Web API's arguments arrive at Slack: in the query string (GET, or POST with
``params=``), as a form, or as JSON; JSON-valued form fields (blocks, views …) decoded."""

from __future__ import annotations

import contextlib
import json
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web


async def read_args(request: web.Request) -> dict[str, Any]:
    # slack-sdk sends some methods' arguments in the query string (GET, or POST with params=).
    query: dict[str, Any] = dict(request.query)
    if request.method == "GET":
        return query
    raw = await request.read()
    if request.content_type == "application/json":
        return {**query, **dict(json.loads(raw or b"{}"))}
    args: dict[str, Any] = {**query, **dict(parse_qsl(raw.decode()))}
    for key in ("blocks", "view", "attachments", "files", "metadata"):
        if isinstance(args.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):
                args[key] = json.loads(args[key])
    return args
