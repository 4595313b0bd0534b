"""Take-home messages, the cluster's take-home settings, and follow-up answers.

The same table keeps what else a member writes in the closing round (its ``kind``): the
decisions and agreements of the meeting, and instructions for the clinic staff. Take-homes and
staff instructions are followed up; decisions go into the minutes only.

A take-home message belongs to a meeting (or to no meeting: "loose"), has one author, and keeps
the author's breakout group when there was one. Messages saved from a Slack message (shortcut or
emoji reaction) remember that message, and ``(cluster, channel, message_ts, author)`` is unique,
so a retried event or a second click never doubles them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Column, Field, SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.breakouts import BreakoutRound, BreakoutSeat
from storage.meetings import ENDED, RUNNING, Meeting, latest_ended_meeting, running_meeting
from storage.types import UTCDateTime, utcnow

# How a take-home message was captured.
FROM_COMMAND = "command"
FROM_MODAL = "modal"
FROM_SHORTCUT = "shortcut"
FROM_REACTION = "reaction"

# What a row is.
KIND_TAKEAWAY = "takeaway"
KIND_DECISION = "decision"
KIND_INSTRUCTION = "instruction"
KINDS = (KIND_TAKEAWAY, KIND_DECISION, KIND_INSTRUCTION)
# The kinds whose authors are asked later whether they implemented them.
FOLLOWED_UP = (KIND_TAKEAWAY, KIND_INSTRUCTION)

# The closing-round question a modal answer replied to (None for free text).
PROMPT_TAKE = "take"
PROMPT_USE = "use"
PROMPT_WORK = "work"
PROMPT_DECISION = "decision"
PROMPT_INSTRUCTION = "instruction"

# Follow-up answers.
DONE = "done"
IN_PROGRESS = "progress"
NOT_RELEVANT = "irrelevant"
ANSWERS = (DONE, IN_PROGRESS, NOT_RELEVANT)

DEFAULT_EMOJI = "house"
DEFAULT_FOLLOWUP_DAYS = 28
# A take-home written this long after a meeting ended still belongs to it.
AFTER_MEETING = timedelta(hours=12)
# Event ids are kept this long: Slack retries within minutes, so a day is plenty.


class Takeaway(SQLModel, table=True):
    """One take-home message, kept verbatim (no length limit: long ones are split when shown)."""

    __table_args__ = (
        UniqueConstraint(
            "cluster_id", "channel_id", "message_ts", "author_id", name="uq_takeaway_message"
        ),
        Index("ix_takeaway_cluster_meeting", "cluster_id", "meeting_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), nullable=False)
    )
    meeting_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("meeting.id", ondelete="SET NULL"))
    )
    author_id: str = Field(max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    group_number: int | None = None
    source: str = Field(max_length=16)
    kind: str = Field(
        default=KIND_TAKEAWAY, max_length=16, sa_column_kwargs={"server_default": KIND_TAKEAWAY}
    )
    prompt: str | None = Field(default=None, max_length=16)
    # The Slack message it was saved from (shortcut, reaction); None when typed.
    channel_id: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    followup_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    followup_answer: str | None = Field(default=None, max_length=16)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The second question, half a year on, for what was "in progress".
    followup_again_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TakeawaySettings(SQLModel, table=True):
    """A cluster's take-home settings: the marking emoji and when to follow up."""

    cluster_id: int = Field(
        sa_column=Column(ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True)
    )
    emoji: str = Field(default=DEFAULT_EMOJI, max_length=100)
    followup_days: int = DEFAULT_FOLLOWUP_DAYS


@dataclass(frozen=True)
class Placement:
    """Where a new take-home belongs: its meeting (None: loose) and the author's group."""

    meeting_id: int | None
    group_number: int | None


def _dialect(session: AsyncSession) -> str:
    bind = session.bind
    assert bind is not None
    return str(bind.dialect.name)


# --- settings -------------------------------------------------------------------------------------


async def get_settings(session: AsyncSession, *, cluster_id: int) -> TakeawaySettings:
    """The cluster's settings (the defaults when none were ever changed)."""
    found = await session.get(TakeawaySettings, cluster_id)
    return found or TakeawaySettings(cluster_id=cluster_id)


async def update_settings(
    session: AsyncSession,
    *,
    cluster_id: int,
    emoji: str | None = None,
    followup_days: int | None = None,
) -> TakeawaySettings:
    """Change one or both settings, creating the row on first change."""
    values: dict[str, object] = {}
    if emoji is not None:
        values["emoji"] = emoji
    if followup_days is not None:
        values["followup_days"] = followup_days
    table = TakeawaySettings.__table__  # type: ignore[attr-defined]
    module = postgresql if _dialect(session) == "postgresql" else sqlite
    statement = module.insert(table).values(cluster_id=cluster_id, **values)
    statement = statement.on_conflict_do_update(index_elements=["cluster_id"], set_=values)
    await session.exec(statement)
    stored = await session.get(TakeawaySettings, cluster_id, populate_existing=True)
    assert stored is not None
    return stored


# --- capture --------------------------------------------------------------------------------------


async def placement(
    session: AsyncSession,
    *,
    cluster_id: int,
    author_id: str,
    now: datetime,
    preferred_meeting_id: int | None = None,
) -> Placement:
    """The running meeting, else the latest meeting if it ended within 12 hours, else loose."""
    meeting: Meeting | None = None
    if preferred_meeting_id is not None:
        candidate = await session.get(Meeting, preferred_meeting_id)
        if (
            candidate is not None
            and candidate.cluster_id == cluster_id
            and _is_open(candidate, now)
        ):
            meeting = candidate
    if meeting is None:
        meeting = await running_meeting(session, cluster_id=cluster_id)
    if meeting is None:
        latest = await latest_ended_meeting(session, cluster_id=cluster_id)
        if latest is not None and _is_open(latest, now):
            meeting = latest
    if meeting is None or meeting.id is None:
        return Placement(None, None)
    group = await latest_group(session, meeting_id=meeting.id, user_id=author_id)
    return Placement(meeting.id, group)


def _is_open(meeting: Meeting, now: datetime) -> bool:
    if meeting.status == ENDED:
        return meeting.ended_at is not None and now - meeting.ended_at <= AFTER_MEETING
    return meeting.status == RUNNING


async def latest_group(session: AsyncSession, *, meeting_id: int, user_id: str) -> int | None:
    """``user_id``'s group in the meeting's latest breakout round (None: no round, no seat)."""
    round_id = await latest_round_id(session, meeting_id=meeting_id)
    if round_id is None:
        return None
    seat = await session.get(BreakoutSeat, (round_id, user_id))
    return seat.group_number if seat else None


async def latest_round_id(session: AsyncSession, *, meeting_id: int) -> int | None:
    result = await session.exec(
        select(BreakoutRound.id)
        .where(BreakoutRound.meeting_id == meeting_id)
        .order_by(col(BreakoutRound.created_at).desc(), col(BreakoutRound.id).desc())
        .limit(1)
    )
    return result.first()


async def add_takeaway(
    session: AsyncSession,
    *,
    cluster_id: int,
    author_id: str,
    text: str,
    source: str,
    where: Placement,
    now: datetime,
    kind: str = KIND_TAKEAWAY,
    prompt: str | None = None,
    channel_id: str | None = None,
    message_ts: str | None = None,
) -> Takeaway | None:
    """Store a take-home (or a decision, a staff instruction: ``kind``); None when this author
    already saved this Slack message."""
    table = Takeaway.__table__  # type: ignore[attr-defined]
    module = postgresql if _dialect(session) == "postgresql" else sqlite
    statement = (
        module.insert(table)
        .values(
            cluster_id=cluster_id,
            meeting_id=where.meeting_id,
            author_id=author_id,
            text=text,
            group_number=where.group_number,
            source=source,
            kind=kind,
            prompt=prompt,
            channel_id=channel_id,
            message_ts=message_ts,
            created_at=now,
        )
        .on_conflict_do_nothing()
        .returning(table.c.id)
    )
    new_id = (await session.exec(statement)).scalar_one_or_none()
    if new_id is None:
        return None
    return await session.get(Takeaway, new_id)


async def remove_reaction_takeaway(
    session: AsyncSession, *, cluster_id: int, channel_id: str, message_ts: str, author_id: str
) -> int:
    """Unmark a message marked by reaction; returns how many take-homes went (0 or 1)."""
    result = await session.exec(
        delete(Takeaway).where(
            col(Takeaway.cluster_id) == cluster_id,
            col(Takeaway.channel_id) == channel_id,
            col(Takeaway.message_ts) == message_ts,
            col(Takeaway.author_id) == author_id,
            col(Takeaway.source) == FROM_REACTION,
        )
    )
    return int(result.rowcount)


# --- reading, editing -----------------------------------------------------------------------------


async def get_takeaway(session: AsyncSession, takeaway_id: int) -> Takeaway | None:
    return await session.get(Takeaway, takeaway_id)


async def delete_takeaway(session: AsyncSession, *, takeaway_id: int, author_id: str) -> bool:
    """Delete the author's own take-home; False when it is gone or someone else's."""
    result = await session.exec(
        delete(Takeaway).where(
            col(Takeaway.id) == takeaway_id, col(Takeaway.author_id) == author_id
        )
    )
    return bool(result.rowcount)


async def edit_takeaway(
    session: AsyncSession, *, takeaway_id: int, author_id: str, text: str, now: datetime
) -> bool:
    """Replace the text of the author's own take-home; False when gone or someone else's."""
    result = await session.exec(
        update(Takeaway)
        .where(col(Takeaway.id) == takeaway_id, col(Takeaway.author_id) == author_id)
        .values(text=text, edited_at=now)
    )
    return bool(result.rowcount)


async def takeaways_of_meeting(
    session: AsyncSession, *, meeting_id: int, kinds: Sequence[str] = (KIND_TAKEAWAY,)
) -> Sequence[Takeaway]:
    """The meeting's take-homes (or the ``kinds`` asked for) in the order they were written."""
    result = await session.exec(
        select(Takeaway)
        .where(Takeaway.meeting_id == meeting_id, col(Takeaway.kind).in_(list(kinds)))
        .order_by(col(Takeaway.created_at), col(Takeaway.id))
    )
    return result.all()


async def loose_takeaways(session: AsyncSession, *, cluster_id: int) -> Sequence[Takeaway]:
    """Take-homes written outside any meeting, oldest first."""
    result = await session.exec(
        select(Takeaway)
        .where(
            Takeaway.cluster_id == cluster_id,
            col(Takeaway.meeting_id).is_(None),
            Takeaway.kind == KIND_TAKEAWAY,
        )
        .order_by(col(Takeaway.created_at), col(Takeaway.id))
    )
    return result.all()


async def takeaways_of_author(
    session: AsyncSession, *, cluster_id: int, author_id: str, limit: int
) -> Sequence[Takeaway]:
    """The author's newest take-homes in the cluster, newest first."""
    result = await session.exec(
        select(Takeaway)
        .where(Takeaway.cluster_id == cluster_id, Takeaway.author_id == author_id)
        .order_by(col(Takeaway.created_at).desc(), col(Takeaway.id).desc())
        .limit(limit)
    )
    return result.all()


async def seats_of_latest_round(session: AsyncSession, *, meeting_id: int) -> dict[str, int]:
    """user id -> group number in the meeting's latest breakout round (empty without one)."""
    round_id = await latest_round_id(session, meeting_id=meeting_id)
    if round_id is None:
        return {}
    result = await session.exec(
        select(BreakoutSeat.user_id, BreakoutSeat.group_number).where(
            BreakoutSeat.round_id == round_id
        )
    )
    return dict(result.all())
