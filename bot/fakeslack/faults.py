"""Failures a test asks the fake Slack for (``FakeSlack.fail``), taken in order per method."""

from __future__ import annotations

from typing import Any

from bot.fakeslack.model import Fault


class Faults(dict[str, list[Fault]]):
    """Method name -> the failures still to come for it, oldest first."""

    def add(self, method: str, fault: Fault) -> None:
        self.setdefault(method, []).append(fault)

    def take(self, method: str, args: dict[str, Any]) -> Fault | None:
        """The failure this call of ``method`` gets, if any (one use of it)."""
        queue = self.get(method)
        if not queue:
            return None
        fault = queue[0]
        if fault.channel is not None and args.get("channel") != fault.channel:
            return None
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        return fault
