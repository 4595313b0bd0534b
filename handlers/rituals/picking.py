"""Choosing a meeting's check-in question and its facilitators' energiser, and remembering it.

A meeting keeps what it was given: asked again (a retried job, a second checklist), the same
one comes back, so it is counted once.
"""

from __future__ import annotations

from typing import Any

from bot.blocks import section
from bot.deps import Deps
from bot.mrkdwn import escape
from handlers.rituals import library
from handlers.rituals.texts import CHECKIN_SECTION, ENERGISER_LINE
from storage import shape
from storage.clusters import Cluster
from storage.meetings import Meeting


async def pick(deps: Deps, cluster: Cluster, meeting: Meeting, kind: str) -> str | None:
    """The check-in question (``shape.CHECKIN``) or energiser (``shape.ENERGISER``) for
    ``meeting``, as mrkdwn in the cluster's language; chosen and stored the first time."""
    assert cluster.id is not None
    language = cluster.language
    builtin = library.CHECKIN_QUESTIONS if kind == shape.CHECKIN else library.ENERGISERS
    async with deps.db.session() as session:
        texts: dict[str, str] = {}
        if kind == shape.CHECKIN:
            for own in await shape.own_questions(session, cluster_id=cluster.id):
                texts[shape.own_key(own.id or 0)] = escape(own.text)
        texts.update({key: text.render(language) for key, text in builtin.items()})
        if meeting.id is not None:
            given = await shape.used_for_meeting(
                session, cluster_id=cluster.id, kind=kind, meeting_id=meeting.id
            )
            if given in texts:
                return texts[given]
        used = await shape.last_used(session, cluster_id=cluster.id, kind=kind)
        key = library.choose(list(texts), used)
        if key is None:
            return None
        await shape.record_use(
            session,
            cluster_id=cluster.id,
            kind=kind,
            key=key,
            meeting_id=meeting.id,
            now=deps.clock(),
        )
    return texts[key]


async def checkin_section(deps: Deps, cluster: Cluster, meeting: Meeting) -> list[dict[str, Any]]:
    """Hook (``start_sections``): the check-in question, right under the agenda."""
    question = await pick(deps, cluster, meeting, shape.CHECKIN)
    if question is None:
        return []
    return [section(CHECKIN_SECTION.render(cluster.language, question=question))]


async def energiser_lines(deps: Deps, cluster: Cluster, meeting: Meeting) -> list[str]:
    """Hook (``checklist_lines``): an energiser the facilitators could use."""
    energiser = await pick(deps, cluster, meeting, shape.ENERGISER)
    if energiser is None:
        return []
    return [ENERGISER_LINE.render(cluster.language, energiser=energiser)]
