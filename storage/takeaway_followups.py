"""Following up take-home messages: which ones to ask about, marking them asked, the authors'
answers and their counts, and the meeting before, whose take-homes a meeting follows up.

The answers are stored on the take-home itself (``storage.takeaways.Takeaway``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.meetings import ENDED, Meeting
from storage.takeaways import ANSWERS, FOLLOWED_UP, IN_PROGRESS, Takeaway


async def previous_ended_meeting(session: AsyncSession, *, meeting: Meeting) -> Meeting | None:
    """The last meeting of the cluster that ended and started before ``meeting``."""
    result = await session.exec(
        select(Meeting)
        .where(
            Meeting.cluster_id == meeting.cluster_id,
            Meeting.status == ENDED,
            Meeting.starts_at < meeting.starts_at,
            col(Meeting.id) != meeting.id,
        )
        .order_by(col(Meeting.starts_at).desc(), col(Meeting.id).desc())
        .limit(1)
    )
    return result.first()


# --- follow-up ------------------------------------------------------------------------------------


async def followups_to_send(
    session: AsyncSession, *, meeting_id: int, again: bool = False
) -> Sequence[Takeaway]:
    """The meeting's take-homes and staff instructions whose authors have not been asked yet;
    ``again``: those answered "in progress" whose authors have not been asked a second time."""
    statement = select(Takeaway).where(
        Takeaway.meeting_id == meeting_id, col(Takeaway.kind).in_(FOLLOWED_UP)
    )
    if again:
        statement = statement.where(
            Takeaway.followup_answer == IN_PROGRESS, col(Takeaway.followup_again_sent_at).is_(None)
        )
    else:
        statement = statement.where(col(Takeaway.followup_sent_at).is_(None))
    result = await session.exec(
        statement.order_by(col(Takeaway.author_id), col(Takeaway.created_at), col(Takeaway.id))
    )
    return result.all()


async def mark_followups_sent(
    session: AsyncSession, *, takeaway_ids: Sequence[int], now: datetime, again: bool = False
) -> None:
    values = {"followup_again_sent_at": now} if again else {"followup_sent_at": now}
    await session.exec(
        update(Takeaway).where(col(Takeaway.id).in_(list(takeaway_ids))).values(**values)
    )


async def answer_followup(
    session: AsyncSession, *, takeaway_id: int, author_id: str, answer: str, now: datetime
) -> bool:
    """Store (or change) the author's answer; False when gone or someone else's."""
    if answer not in ANSWERS:
        raise ValueError(f"unknown follow-up answer {answer!r}")
    result = await session.exec(
        update(Takeaway)
        .where(col(Takeaway.id) == takeaway_id, col(Takeaway.author_id) == author_id)
        .values(followup_answer=answer, answered_at=now)
    )
    return bool(result.rowcount)


async def answer_counts(session: AsyncSession, *, meeting_id: int) -> dict[str | None, int]:
    """How many of the meeting's followed-up texts got each answer (None: no answer yet)."""
    result = await session.exec(
        select(Takeaway.followup_answer, func.count())
        .where(Takeaway.meeting_id == meeting_id, col(Takeaway.kind).in_(FOLLOWED_UP))
        .group_by(col(Takeaway.followup_answer))
    )
    return {answer: int(count) for answer, count in result.all()}
