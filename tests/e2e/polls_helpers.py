"""Shared helpers for the tests/e2e/test_polls*.py modules (and the other poll tests): making polls,
voting, and reading what the poll message shows.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.fakeslack.model import Message
from storage.breakouts import Subcluster, SubclusterMember
from tests.harness import COORDINATOR, Harness

CPH = ZoneInfo("Europe/Copenhagen")
_COUNT = re.compile(r"^\*(\d+)\. (.*)\*  `(\d+) ")


def poll_message(h: Harness) -> Message:
    """The newest poll message in the channel (as it is now, after any updates)."""
    return h.find_post(lambda m: any("poll:" in str(b.get("block_id")) for b in m.blocks))


def shown_counts(message: Message) -> dict[str, int]:
    """Option text -> the count shown in the poll message."""
    found = {}
    for block in message.blocks:
        if block.get("type") == "section":
            match = _COUNT.match(block["text"]["text"])
            if match:
                found[match[2]] = int(match[3])
    return found


def section_text(message: Message, option: str) -> str:
    for block in message.blocks:
        if block.get("type") == "section" and f". {option}*" in block["text"]["text"]:
            return str(block["text"]["text"])
    raise AssertionError(f"no section for {option}")


def buttons(message: Message) -> list[dict[str, Any]]:
    """The buttons of a message: each option's beside it (the accessory), then the others."""
    accessories = [block["accessory"] for block in message.blocks if "accessory" in block]
    return accessories + [
        element
        for block in message.blocks
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def result_count(text: str, option: str) -> str:
    """The first number after ``option``'s text on its own line of a results post."""
    for line in text.splitlines():
        if f". {option}:" in line:
            after = line.split(f". {option}:", 1)[1]
            match = re.search(r"\d+(?:\.\d+)?", after)
            assert match, line
            return match[0]
    raise AssertionError(f"{option} has no line in {text!r}")


async def make_poll(h: Harness, text: str, *, user: str = COORDINATOR) -> Message:
    await h.command(f"poll {text}", user=user)
    return poll_message(h)


async def flush(h: Harness) -> None:
    """Let the coalesced message refreshes that are waiting run (the clock moves 2 s)."""
    h.clock.advance(timedelta(seconds=2))
    await h.run_jobs()


async def vote(h: Harness, message: Message, position: int, user: str) -> None:
    await h.click(message, f"poll_vote:{position}", user=user)


async def rows(h: Harness, model: Any) -> list[Any]:
    async with h.db.session() as session:
        return list((await session.exec(select(model))).all())


async def add_subclusters(h: Harness, groups: dict[str, list[str]]) -> None:
    async with h.db.session() as session:
        cluster_id = 1
        for name, members in groups.items():
            subcluster = Subcluster(cluster_id=cluster_id, name=name)
            session.add(subcluster)
            await session.flush()
            for user in members:
                session.add(
                    SubclusterMember(
                        cluster_id=cluster_id, user_id=user, subcluster_id=subcluster.id or 0
                    )
                )


def ranking(view: dict[str, Any], choices: list[int]) -> dict[str, Any]:
    """Modal values choosing option ids (as shown in the view) by place."""
    values: dict[str, Any] = {}
    options = next(b for b in view["blocks"] if b["type"] == "input")["element"]["options"]
    for place, position in enumerate(choices, start=1):
        values[f"rank_{place}"] = {
            "option": {
                "type": "static_select",
                "selected_option": options[position - 1],
            }
        }
    return values


async def rank(h: Harness, message: Message, user: str, choices: list[int]) -> Any:
    await h.click(message, "poll_rank", user=user)
    view = h.slack.calls_to("views.open")[-1].args["view"]
    return await h.submit(view, ranking(view, choices), user=user)
