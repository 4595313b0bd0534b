"""The App Home tab's Block Kit, built from plain values (no Slack, no database)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import section
from bot.i18n import Text, format_datetime
from bot.mrkdwn import escape

MAX_BLOCKS = 100  # Slack's limit for a Home tab
# Sub-cluster names (80 characters each) named in the coordinator part; the rest are counted.
SUBCLUSTERS_SHOWN = 20

WELCOME = Text(
    en="*Welcome to klyngebot* :wave:\nI run the meetings of quality clusters: reminders, "
    "breakout groups, facilitator duty, topic polls and take-home messages. You are not in a "
    "cluster channel yet. A coordinator starts one by typing `/klynge setup` in the cluster's "
    "channel; `/klynge help` shows everything.",
    da="*Velkommen til klyngebot* :wave:\nJeg styrer kvalitetsklyngers møder: påmindelser, "
    "grupper, tovholdere, afstemninger om emner og pointer. Du er ikke med i en "
    "klyngekanal endnu. En koordinator opretter en ved at skrive `/klynge opret` i "
    "klyngens kanal; `/klynge hjælp` viser resten.",
)
UPCOMING = Text(en="*Upcoming meetings*", da="*Kommende møder*")
NO_MEETINGS = Text(en="No meetings planned yet.", da="Ingen møder planlagt endnu.")
YOU_FACILITATE = Text(en=":star: you facilitate", da=":star: du er tovholder")
YOU_TAKE_NOTES = Text(en=":memo: you take notes", da=":memo: du tager referat")
YOUR_GROUP_RUNS = Text(
    en=":busts_in_silhouette: your babyklynge *{name}* runs this meeting and chooses its topic",
    da=":busts_in_silhouette: din babyklynge *{name}* er tovholder for mødet og vælger emnet",
)
TOPIC = Text(en="Topic: {topic}", da="Emne: {topic}")
JOIN_ZOOM = Text(en="Join Zoom", da="Deltag i Zoom")
RUNNING_NOW = Text(en=":red_circle: *Running now:* {title}", da=":red_circle: *I gang nu:* {title}")
COORDINATOR_HEADER = Text(en="*For coordinators*", da="*For koordinatorer*")
PEOPLE = Text(
    en="{members} members · coordinators: {coordinators}",
    da="{members} medlemmer · koordinatorer: {coordinators}",
)
SUBCLUSTERS = Text(en="Sub-clusters: {names}", da="Babyklynger: {names}")
COORDINATOR_TIP = Text(
    en="Plan with `/klynge meeting add`, run with `/klynge start`, `/klynge breakout 4` and "
    "`/klynge end`.",
    da="Planlæg med `/klynge møde tilføj`, led med `/klynge start`, `/klynge grupper 4` og "
    "`/klynge slut`.",
)
MORE_NAMES = Text(en="and {count} more", da="og {count} til")
MORE_CLUSTERS = Text(
    en="…and {count} more clusters.",
    da="… og {count} klynger til.",
)


@dataclass(frozen=True)
class MeetingLine:
    """What the Home tab shows of one meeting."""

    meeting_id: int
    title: str
    starts_at: datetime
    topic: str | None = None
    zoom_url: str | None = None
    facilitator_id: str | None = None
    note_taker_id: str | None = None
    running: bool = False
    # The name of the member's babyklynge when it is the one in charge of this meeting.
    your_group: str | None = None


@dataclass(frozen=True)
class ClusterHome:
    """One cluster's part of a member's Home tab."""

    name: str
    language: str
    timezone: str
    meetings: Sequence[MeetingLine]
    is_coordinator: bool
    member_count: int = 0
    coordinator_ids: Sequence[str] = ()
    subcluster_names: Sequence[str] = ()
    extra_blocks: Sequence[dict[str, Any]] = field(default_factory=list)
    coordinator_blocks: Sequence[dict[str, Any]] = field(default_factory=list)


def meeting_blocks(home: ClusterHome, user_id: str) -> list[dict[str, Any]]:
    lang = home.language
    zone = ZoneInfo(home.timezone)
    if not home.meetings:
        return [section(UPCOMING.render(lang) + "\n" + NO_MEETINGS.render(lang))]
    blocks = [section(UPCOMING.render(lang))]
    for meeting in home.meetings:
        when = format_datetime(meeting.starts_at.astimezone(zone), lang)
        title = escape(meeting.title)
        line = (
            RUNNING_NOW.render(lang, title=title)
            if meeting.running
            else f"*{title}* (#{meeting.meeting_id})"
        )
        parts = [line, when]
        if meeting.topic:
            parts.append(TOPIC.render(lang, topic=escape(meeting.topic)))
        if meeting.facilitator_id == user_id:
            parts.append(YOU_FACILITATE.render(lang))
        if meeting.your_group:
            parts.append(YOUR_GROUP_RUNS.render(lang, name=escape(meeting.your_group)))
        if meeting.note_taker_id == user_id:
            parts.append(YOU_TAKE_NOTES.render(lang))
        block = section("\n".join(parts))
        if meeting.zoom_url:
            block["accessory"] = {
                "type": "button",
                "action_id": f"link:home-zoom:{meeting.meeting_id}",
                "text": {"type": "plain_text", "text": JOIN_ZOOM.render(lang)},
                "url": meeting.zoom_url,
            }
        blocks.append(block)
    return blocks


def coordinator_section(home: ClusterHome) -> list[dict[str, Any]]:
    lang = home.language
    lines = [
        COORDINATOR_HEADER.render(lang),
        PEOPLE.render(
            lang,
            members=home.member_count,
            coordinators=", ".join(f"<@{user}>" for user in home.coordinator_ids),
        ),
    ]
    if home.subcluster_names:
        names = ", ".join(escape(name) for name in home.subcluster_names[:SUBCLUSTERS_SHOWN])
        if len(home.subcluster_names) > SUBCLUSTERS_SHOWN:
            left = len(home.subcluster_names) - SUBCLUSTERS_SHOWN
            names += " " + MORE_NAMES.render(lang, count=left)
        lines.append(SUBCLUSTERS.render(lang, names=names))
    lines.append(COORDINATOR_TIP.render(lang))
    return [section("\n".join(lines)), *home.coordinator_blocks]


def home_view(clusters: Sequence[ClusterHome], user_id: str, language: str) -> dict[str, Any]:
    """The whole Home tab: one part per cluster, within Slack's 100-block limit."""
    if not clusters:
        return {"type": "home", "blocks": [section(WELCOME.render(language))]}
    blocks: list[dict[str, Any]] = []
    for index, home in enumerate(clusters):
        part: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": home.name[:150]}},
            *meeting_blocks(home, user_id),
            *home.extra_blocks,
        ]
        if home.is_coordinator:
            part.extend(coordinator_section(home))
        part.append({"type": "divider"})
        if blocks and len(blocks) + len(part) > MAX_BLOCKS - 1:
            left = len(clusters) - index
            blocks.append(section(MORE_CLUSTERS.render(language, count=left)))
            break
        blocks.extend(part[: MAX_BLOCKS - 1])
    return {"type": "home", "blocks": blocks}
