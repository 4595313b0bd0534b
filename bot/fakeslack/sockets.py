"""Socket Mode's WebSocket end: the URL ``apps.connections.open`` hands out.

It greets each connection with ``hello`` as Slack does and answers pings; ``drop()`` cuts every
connection and refuses new ones (Slack unreachable), ``accepting = True`` lets them in again.
Envelopes the bot sends back are counted, not interpreted: the fake delivers no events this way.
"""

from __future__ import annotations

import json

from aiohttp import WSMsgType, web

PATH = "/socket"


class Sockets:
    def __init__(self) -> None:
        self.accepting = True
        self.open: set[web.WebSocketResponse] = set()
        self.received = 0
        self.base_url = ""

    @property
    def url(self) -> str:
        return self.base_url.replace("http://", "ws://", 1) + PATH

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if not self.accepting:
            return web.Response(status=503, text="unavailable")
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self.open.add(socket)
        try:
            await socket.send_str(
                json.dumps(
                    {
                        "type": "hello",
                        "num_connections": len(self.open),
                        "connection_info": {"app_id": "AKLYNGE"},
                    }
                )
            )
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    self.received += 1
        finally:
            self.open.discard(socket)
        return socket

    async def drop(self) -> None:
        """Close every connection and refuse new ones until ``accepting`` is set again."""
        self.accepting = False
        for socket in list(self.open):
            await socket.close()
