"""What the bot remembers about Slack users: only whether each is a person, and when it checked.

A person is an active human account: not a bot, not an app user, not deactivated. Names and
e-mail addresses are personal data and are never stored (see ``bot/directory.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Column, Field, SQLModel, String, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.clusters import Member
from storage.db import dialect_insert
from storage.types import UTCDateTime


class UserKind(SQLModel, table=True):
    """Whether a Slack user is a person, as Slack said at ``checked_at``."""

    user_id: str = Field(sa_column=Column(String(32), primary_key=True))
    is_person: bool
    checked_at: datetime = Field(sa_type=UTCDateTime, index=True)


async def kinds(session: AsyncSession, *, user_ids: Sequence[str]) -> dict[str, UserKind]:
    """The stored verdicts for those of ``user_ids`` that were ever checked."""
    if not user_ids:
        return {}
    result = await session.exec(select(UserKind).where(col(UserKind.user_id).in_(set(user_ids))))
    return {kind.user_id: kind for kind in result.all()}


async def store_kinds(
    session: AsyncSession, *, verdicts: Mapping[str, bool], checked_at: datetime
) -> None:
    """Record what Slack said now (replacing older verdicts), atomically per user; users who
    are not people leave every cluster's members."""
    if not_people := [user_id for user_id, is_person in verdicts.items() if not is_person]:
        await session.exec(delete(Member).where(col(Member.user_id).in_(not_people)))
    for user_id, is_person in sorted(verdicts.items()):
        statement = dialect_insert(session, UserKind).values(
            user_id=user_id, is_person=is_person, checked_at=checked_at
        )
        await session.exec(
            statement.on_conflict_do_update(
                index_elements=["user_id"],
                set_={"is_person": is_person, "checked_at": checked_at},
            )
        )


async def due_for_check(
    session: AsyncSession, *, checked_before: datetime, limit: int
) -> list[str]:
    """Members of any cluster never checked, or last checked before ``checked_before``."""
    never = await session.exec(
        select(Member.user_id)
        .distinct()
        .outerjoin(UserKind, col(UserKind.user_id) == col(Member.user_id))
        .where(col(UserKind.user_id).is_(None))
        .order_by(col(Member.user_id))
        .limit(limit)
    )
    found = list(never.all())
    if len(found) < limit:
        stale = await session.exec(
            select(UserKind.user_id)
            .where(
                col(UserKind.checked_at) < checked_before,
                col(UserKind.user_id).in_(select(Member.user_id)),
            )
            .order_by(col(UserKind.checked_at))
            .limit(limit - len(found))
        )
        found.extend(stale.all())
    return found


async def forget_non_members(session: AsyncSession, *, checked_before: datetime) -> int:
    """Drop old verdicts about users no longer in any cluster: nobody needs them re-checked."""
    result = await session.exec(
        delete(UserKind).where(
            col(UserKind.checked_at) < checked_before,
            col(UserKind.user_id).not_in(select(Member.user_id)),
        )
    )
    return int(result.rowcount)
