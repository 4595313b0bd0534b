"""The Home tab's "The year": the theme and the year's meetings, past and planned, with the
member's own attendance and the implementation rate (the year feature's data and builder)."""

from __future__ import annotations

from typing import Any

from bot.deps import Deps
from handlers.year.blocks import home_year
from handlers.year.gather import this_year, year_of
from storage.clusters import Cluster


async def year_section(
    deps: Deps, cluster: Cluster, user_id: str, is_coordinator: bool
) -> list[dict[str, Any]]:
    """Hook: this calendar year in the cluster, as ``user_id`` saw it."""
    found = await year_of(deps, cluster, this_year(deps, cluster), viewer=user_id)
    return home_year(
        year=found.number, theme=found.theme, meetings=found.meetings, language=cluster.language
    )
