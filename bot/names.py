"""People's names for documents that cannot show Slack mentions (the PDF minutes, the CSV
attendance registers).

Names come from the directory (``deps.directory``: users.info paced under Slack's limit, kept in
memory for an hour, never in the database): a name is personal data the bot only needs while it
writes a document.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.deps import Deps
from bot.directory import COMMAND_WAIT


async def display_names(deps: Deps, user_ids: Iterable[str]) -> dict[str, str]:
    """user id -> name for each of ``user_ids``; the id itself when Slack won't tell just now."""
    wanted = sorted(set(user_ids))
    found = await deps.directory.look_up(wanted, wait=COMMAND_WAIT)
    return {user: found[user].name if user in found else user for user in wanted}
