"""What the year shows, read from the database: the theme, the meetings held and planned in a
calendar year (in the cluster's time zone), who checked in, who ran them and the
implementation rate of their take-homes. Used by ``/klynge year`` and the Home tab."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.deps import Deps
from bot.i18n import format_date
from handlers.takeaways.rates import Point, series
from handlers.year.blocks import YearMeeting, who_ran
from storage import attendance, year
from storage.breakouts import subclusters
from storage.clusters import Cluster


@dataclass(frozen=True)
class Year:
    """One calendar year of a cluster."""

    number: int
    theme: str | None
    meetings: list[YearMeeting]


def this_year(deps: Deps, cluster: Cluster) -> int:
    """The current calendar year in the cluster's time zone."""
    return deps.clock().astimezone(ZoneInfo(cluster.timezone)).year


async def year_of(deps: Deps, cluster: Cluster, number: int, *, viewer: str | None = None) -> Year:
    """The cluster's year ``number``: the theme and every meeting held or planned in it
    (``viewer``: marks whether that person checked in)."""
    assert cluster.id is not None
    zone = ZoneInfo(cluster.timezone)
    since = datetime(number, 1, 1, tzinfo=zone)
    until = datetime(number + 1, 1, 1, tzinfo=zone)
    async with deps.db.session() as session:
        theme = await year.get_theme(session, cluster_id=cluster.id, year=number)
        meetings = list(
            await year.meetings_between(session, cluster_id=cluster.id, since=since, until=until)
        )
        held = [m.id for m in meetings if m.id is not None and m.status in attendance.HELD]
        check_ins = await attendance.check_ins(session, meeting_ids=held)
        counts = await year.implementation_counts(session, meeting_ids=held)
        groups = {
            group.id: group.name for group in await subclusters(session, cluster_id=cluster.id)
        }
    points: dict[int, Point] = {point.meeting_id: point for point in series(held, counts)}
    now = deps.clock()
    shown = []
    for meeting in meetings:
        assert meeting.id is not None
        moment = (meeting.started_at or meeting.starts_at).astimezone(zone)
        came = check_ins.get(meeting.id, set())
        shown.append(
            YearMeeting(
                meeting_id=meeting.id,
                day=moment.date(),
                when=format_date(moment, cluster.language),
                title=meeting.title,
                topic=meeting.topic,
                facilitator=who_ran(
                    meeting.facilitator_id, groups.get(meeting.facilitator_subcluster_id or 0)
                ),
                held=meeting.status in attendance.HELD,
                passed=meeting.status not in attendance.HELD and meeting.starts_at < now,
                checked_in=len(came),
                point=points.get(meeting.id),
                you_came=viewer in came,
            )
        )
    return Year(number=number, theme=theme, meetings=shown)
