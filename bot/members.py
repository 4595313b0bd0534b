"""Who is in a cluster: the people in its channel, cached in the database.

The channel's members come from ``conversations.members`` (all pages), read again when older
than ``MAX_AGE`` and kept current by the member_joined/left_channel events. Whether a user is a
person (not a bot, an app or a deactivated account) is stored per user (``storage/people.py``)
and re-checked after ``RECHECK`` by the ``member_kinds`` job, a batch a minute: users.info is
asked about each person about once a month, not on every command, and never in a burst larger
than the directory's pace (``bot/directory.py``).

When Slack can't tell just now (rate-limited, down), an unchecked user counts as a person:
leaving a doctor out of a breakout is worse than giving an app a seat, and whoever asked is told
through ``Roster.unchecked``. Lookups never fail a command.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.directory import COMMAND_WAIT
from bot.lookups import Profile
from storage import people as kinds_store
from storage.clusters import Cluster, member_ids, replace_members
from storage.jobs import pending_keys

log = logging.getLogger(__name__)

MAX_AGE = timedelta(hours=6)
RECHECK = timedelta(days=30)
CHECK_JOB = "member_kinds"
CHECK_BATCH = 60  # users.info calls per run of the job, within the directory's minute
CHECK_AGAIN = timedelta(minutes=1)


@dataclass(frozen=True)
class Roster:
    """The people among some Slack users, as far as Slack could tell just now."""

    ids: list[str]  # sorted; the unchecked ones included
    unchecked: list[str]  # Slack couldn't say whether they are people; counted as people


async def kinds_of(
    deps: Deps, user_ids: Iterable[str], *, wait: float = COMMAND_WAIT
) -> dict[str, bool | None]:
    """Whether each user is a person: stored verdicts, the unknown ones asked of Slack now
    (None where it couldn't answer within ``wait`` seconds). Old verdicts are used as they are
    and re-checked by the job."""
    ids = list(dict.fromkeys(user_ids))
    now = deps.clock()
    async with deps.db.session() as session:
        stored = await kinds_store.kinds(session, user_ids=ids)
    verdicts: dict[str, bool | None] = {user: kind.is_person for user, kind in stored.items()}
    if unknown := [user for user in ids if user not in stored]:
        found = await deps.directory.look_up(unknown, wait=wait)
        learned = {user: profile.is_person for user, profile in found.items()}
        if learned:
            async with deps.db.session() as session:
                await kinds_store.store_kinds(session, verdicts=learned, checked_at=now)
        verdicts.update(learned)
    if len(verdicts) < len(ids) or any(now - k.checked_at > RECHECK for k in stored.values()):
        await _schedule_check(deps)
    return {user: verdicts.get(user) for user in ids}


async def people_among(
    deps: Deps, user_ids: Iterable[str], *, wait: float = COMMAND_WAIT
) -> Roster:
    """The people among ``user_ids``; those Slack couldn't check just now are included."""
    verdicts = await kinds_of(deps, user_ids, wait=wait)
    return Roster(
        ids=sorted(user for user, person in verdicts.items() if person is not False),
        unchecked=sorted(user for user, person in verdicts.items() if person is None),
    )


async def is_person(deps: Deps, user_id: str, *, wait: float = COMMAND_WAIT) -> bool | None:
    """True for an active person, False for bots, apps, Slackbot and deactivated accounts,
    None when Slack couldn't say just now."""
    return (await kinds_of(deps, [user_id], wait=wait))[user_id]


async def note_change(deps: Deps, profile: Profile) -> None:
    """Slack said what a user is now (a user_change event: deactivated, made a bot, a new
    e-mail address): update what is known about someone the bot already knows."""
    deps.directory.cache.refresh(profile)
    async with deps.db.session() as session:
        if await kinds_store.kinds(session, user_ids=[profile.user_id]):
            await kinds_store.store_kinds(
                session, verdicts={profile.user_id: profile.is_person}, checked_at=deps.clock()
            )


async def note_not_people(deps: Deps, profiles: Iterable[Profile]) -> set[str]:
    """Of profiles just read for another reason, those who are not people (any more): stored
    as such, so they leave the members. Returns their ids."""
    gone = {profile.user_id for profile in profiles if not profile.is_person}
    if gone:
        async with deps.db.session() as session:
            await kinds_store.store_kinds(
                session, verdicts=dict.fromkeys(gone, False), checked_at=deps.clock()
            )
    return gone


async def channel_member_ids(client: AsyncWebClient, channel: str) -> list[str]:
    """Every member of ``channel``, following ``conversations.members`` pagination."""
    found: list[str] = []
    cursor: str | None = None
    while True:
        page = await client.conversations_members(channel=channel, limit=200, cursor=cursor)
        found.extend(page.get("members") or [])
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return found


async def refresh_members(deps: Deps, cluster: Cluster, *, wait: float = COMMAND_WAIT) -> list[str]:
    """Read the channel's members from Slack and store the people among them.

    Who is gone from the channel, or back in it, since the last refresh is told to the
    ``members_moved`` hooks, as the member_left/joined_channel events would have (Slack's
    events can be missed). Someone merely found not to be a person is not gone, and the first
    refresh of a cluster tells nothing: nobody was a member before it."""
    assert cluster.id is not None
    everyone = await channel_member_ids(deps.client, cluster.channel_id)
    people = (await people_among(deps, everyone, wait=wait)).ids
    async with deps.db.session() as session:
        stored = await session.get(Cluster, cluster.id)
        assert stored is not None
        first = stored.members_synced_at is None
        dropped, added = await replace_members(
            session, cluster=stored, user_ids=people, synced_at=deps.clock()
        )
    left = frozenset(dropped - set(everyone))
    if not first and (left or added):
        for hook in deps.hooks.members_moved:
            await hook(deps, stored, left, frozenset(added))
    return people


async def current_members(deps: Deps, cluster: Cluster, *, refresh: bool = False) -> list[str]:
    """The cluster's members, from the cache unless it is stale (or ``refresh``); when Slack
    can't list the channel just now, the cache as it is."""
    assert cluster.id is not None
    synced = cluster.members_synced_at
    if refresh or synced is None or deps.clock() - synced > MAX_AGE:
        try:
            return await refresh_members(deps, cluster)
        except (SlackClientError, OSError, TimeoutError) as error:
            log.warning("could not list the members of %s: %s", cluster.channel_id, error)
    async with deps.db.session() as session:
        return await member_ids(session, cluster_id=cluster.id)


async def _schedule_check(deps: Deps) -> None:
    """Make sure the job will check the unchecked and re-check the old (once, not moved on)."""
    async with deps.db.session() as session:
        if await pending_keys(session, prefix=CHECK_JOB):
            return
    await deps.scheduler.schedule(kind=CHECK_JOB, key=CHECK_JOB, due_at=deps.clock() + CHECK_AGAIN)


async def check_kinds(deps: Deps) -> int:
    """The job: check members never checked or checked before ``RECHECK``, a batch at a time,
    and come back in a minute while some are left. Returns how many Slack answered."""
    now = deps.clock()
    async with deps.db.session() as session:
        await kinds_store.forget_non_members(session, checked_before=now - RECHECK)
        due = await kinds_store.due_for_check(
            session, checked_before=now - RECHECK, limit=CHECK_BATCH
        )
    if not due:
        return 0
    found = await deps.directory.look_up(due, wait=0.0)
    if found:
        async with deps.db.session() as session:
            await kinds_store.store_kinds(
                session,
                verdicts={user: profile.is_person for user, profile in found.items()},
                checked_at=now,
            )
    if len(found) < len(due) or len(due) == CHECK_BATCH:
        await deps.scheduler.schedule(kind=CHECK_JOB, key=CHECK_JOB, due_at=now + CHECK_AGAIN)
    return len(found)
