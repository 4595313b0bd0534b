"""Calendar files: a meeting as an ``.ics`` event, shared in a channel or a direct message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.deps import Deps
from handlers.meetings.ics import CalendarEvent, calendar, meeting_uid
from handlers.meetings.texts import (
    CALENDAR_AGENDA,
    CALENDAR_DESCRIPTION,
    CALENDAR_PREPARATION,
    CALENDAR_TOPIC,
)
from storage import meetings as store
from storage.clusters import Cluster
from storage.meetings import Meeting


def calendar_event(meeting: Meeting, cluster: Cluster) -> CalendarEvent:
    language = cluster.language
    description = [CALENDAR_DESCRIPTION.render(language, name=cluster.name)]
    if meeting.topic:
        description.append(CALENDAR_TOPIC.render(language, topic=meeting.topic))
    if meeting.agenda:
        description.append(CALENDAR_AGENDA.render(language, agenda=meeting.agenda))
    if meeting.preparation:
        description.append(CALENDAR_PREPARATION.render(language, text=meeting.preparation))
    if meeting.zoom_url:
        description.append(meeting.zoom_url)
    assert meeting.id is not None
    return CalendarEvent(
        uid=meeting_uid(
            meeting_id=meeting.id, team_id=cluster.team_id, channel_id=cluster.channel_id
        ),
        title=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.starts_at + timedelta(minutes=meeting.duration_minutes),
        description="\n\n".join(description),
        url=meeting.zoom_url,
        sequence=meeting.revision,
        cancelled=meeting.status == store.CANCELLED,
    )


async def upload_calendar(
    deps: Deps, *, channel: str, cluster: Cluster, meetings: Sequence[Meeting], comment: str
) -> None:
    """Share an ``.ics`` with ``meetings`` in ``channel`` (raises SlackApiError on failure)."""
    content = calendar([calendar_event(m, cluster) for m in meetings], now=deps.clock())
    first = meetings[0]
    name = (
        f"meeting-{first.id}.ics"
        if len(meetings) == 1
        else f"meetings-{first.id}-{meetings[-1].id}.ics"
    )
    await deps.client.files_upload_v2(
        channel=channel,
        filename=name,
        title=first.title,
        content=content,
        initial_comment=comment,
    )
