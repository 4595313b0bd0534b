"""Clicks on poll options: kept before they are acknowledged, counted in batches after.

A burst of clicks costs the database a few transactions, not one per click:

- ``BallotBox.keep``: a click waits a few milliseconds for others (group commit); the batch goes
  into the click log in ONE transaction (``storage.votes.record_clicks``), and only then is each
  click acknowledged, so a click answered 200 survives a crash of the process (kill -9).
- After the acknowledgements, the voters of each batch have their votes derived from all their
  clicks in Slack's order, in one transaction per poll (``storage.ballots.fold_voters``); then
  the poll message is refreshed (at most once a second, ``message.request_refresh``) and the
  voters' Home tabs are told.
- A ``poll_fold:<id>`` job, stored with the clicks, derives ``RECOVERY_DELAY`` later what a
  crashed process had kept but not yet counted (``recover``).

Private answers. In a poll that shows names, the refreshed message is the confirmation (the
voter's name appears under their choice within a second), so a vote gets no private message:
2,000 of them could not be sent anyway, as Slack lets an app send about 100 private messages a
minute per workspace (``chat.postEphemeral`` is Tier 4; a reply through ``response_url`` is no
way around Slack's pace). In an anonymous poll nothing public shows a person their vote, so they
are told privately where it stands after their clicks, while ``CONFIRMATIONS_PER_MINUTE``
allows; in a bigger burst the rest go without (the ballot count in the message still moves). A
refused click (poll closed or gone, too many choices, not in the sub-cluster) is always answered.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.deps import Deps
from bot.feedback import tell_privately
from bot.i18n import Text
from bot.mrkdwn import escape
from handlers.polls import blocks
from handlers.polls.message import request_refresh
from handlers.polls.texts import MOVED, TOO_MANY_CHOICES, VOTED, WITHDRAWN
from storage import polls as store
from storage.ballots import Change, Outcome, fold_pending, fold_voters
from storage.clusters import get_cluster_by_id
from storage.polls import Poll
from storage.votes import Click, Recorded, record_clicks

log = logging.getLogger(__name__)

# How long a click waits for others to share its transaction, and how many may share one.
GATHER_SECONDS = 0.003
MAX_BATCH = 500
# During a burst, voters are counted in rounds this far apart (the message shows the counts at
# most once a second anyway): fewer, bigger transactions.
COUNT_GATHER_SECONDS = 0.5
# When the recovery job derives the votes of clicks kept but not counted (a crashed process).
RECOVERY_DELAY = timedelta(seconds=5)
RECOVERY_JOB = "poll_fold"
# Private confirmations of anonymous votes, per process (Slack: about 100 a minute per workspace
# for chat.postEphemeral, shared with nudges and every other private answer).
CONFIRMATIONS_PER_MINUTE = 60
CONFIRMED = {Outcome.VOTED: VOTED, Outcome.MOVED: MOVED, Outcome.WITHDRAWN: WITHDRAWN}


@dataclass(frozen=True)
class Contact:
    """Where to answer a voter privately: their click's ``response_url``, channel and user."""

    user_id: str
    channel_id: str
    response_url: str

    @classmethod
    def of(cls, body: dict[str, Any]) -> Contact:
        channel = (body.get("container") or {}).get("channel_id") or (
            body.get("channel") or {}
        ).get("id")
        return cls(
            str((body.get("user") or {}).get("id") or ""),
            str(channel or ""),
            str(body.get("response_url") or ""),
        )

    def body(self) -> dict[str, Any]:
        """A request body ``tell_privately`` answers, as if it were the click's."""
        found: dict[str, Any] = {"user": {"id": self.user_id}, "channel": {"id": self.channel_id}}
        if self.response_url:
            found["response_url"] = self.response_url
        return found


@dataclass
class _Waiting:
    click: Click
    contact: Contact
    kept: asyncio.Future[Recorded]


class _Budget:
    """At most ``per_minute`` uses in any minute (loop time)."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.used: deque[float] = deque()

    def take(self) -> bool:
        now = asyncio.get_running_loop().time()
        while self.used and self.used[0] <= now - 60:
            self.used.popleft()
        if len(self.used) >= self.per_minute:
            return False
        self.used.append(now)
        return True


@dataclass
class BallotBox:
    """One process's clicks on its way into the database and into the counts."""

    _queue: list[_Waiting] = field(default_factory=list)
    _writing: bool = False
    # poll id -> voter key -> (the time of their newest click here, where to answer them)
    _dirty: dict[int, dict[str, tuple[str, Contact]]] = field(default_factory=dict)
    _counting: bool = False
    _recovery_due: dict[int, datetime] = field(default_factory=dict)
    _confirmations: _Budget = field(default_factory=lambda: _Budget(CONFIRMATIONS_PER_MINUTE))

    async def keep(self, deps: Deps, click: Click, contact: Contact) -> Recorded:
        """Store ``click`` durably (with the clicks that arrive with it); its verdict."""
        kept: asyncio.Future[Recorded] = asyncio.get_running_loop().create_future()
        self._queue.append(_Waiting(click, contact, kept))
        if not self._writing:
            self._writing = True
            deps.background(self._write(deps))
        return await kept

    async def _write(self, deps: Deps) -> None:
        try:
            while self._queue:
                await asyncio.sleep(GATHER_SECONDS)
                batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                try:
                    verdicts = await self._record(deps, [waiting.click for waiting in batch])
                except Exception as error:  # noqa: BLE001 - each click's listener reports it
                    for waiting in batch:
                        if not waiting.kept.done():  # (done: its request was cancelled)
                            waiting.kept.set_exception(error)
                    continue
                for waiting, verdict in zip(batch, verdicts, strict=True):
                    if verdict.refusal is None:
                        self._to_count(waiting, verdict)
                    if not waiting.kept.done():
                        waiting.kept.set_result(verdict)
                if self._dirty and not self._counting:
                    self._counting = True
                    deps.background(self._count(deps))
        finally:
            self._writing = False

    async def _record(self, deps: Deps, clicks: list[Click]) -> list[Recorded]:
        """One transaction: the clicks, and the recovery jobs of their polls when due."""
        now = deps.clock()
        recover = {
            click.poll_id
            for click in clicks
            if now >= self._recovery_due.get(click.poll_id, now) - RECOVERY_DELAY / 2
        }
        scheduled = False
        async with deps.db.session() as session:
            verdicts = await record_clicks(session, clicks=clicks)
            kept = {c.poll_id for c, v in zip(clicks, verdicts, strict=True) if not v.refusal}
            for poll_id in sorted(recover & kept):
                scheduled |= await store.schedule_once(
                    session,
                    kind=RECOVERY_JOB,
                    key=f"{RECOVERY_JOB}:{poll_id}",
                    due_at=now + RECOVERY_DELAY,
                    payload={"poll_id": poll_id},
                )
        for poll_id in recover & kept:
            self._recovery_due[poll_id] = now + RECOVERY_DELAY
        if scheduled:
            deps.scheduler.wake()
        return verdicts

    def _to_count(self, waiting: _Waiting, verdict: Recorded) -> None:
        voters = self._dirty.setdefault(waiting.click.poll_id, {})
        newest = voters.get(verdict.voter)
        if newest is None or newest[0] <= waiting.click.action_ts:
            voters[verdict.voter] = (waiting.click.action_ts, waiting.contact)

    async def _count(self, deps: Deps) -> None:
        """Derive the votes of the voters with new clicks, poll by poll, until none are left."""
        try:
            while self._dirty:
                if self._writing:  # a burst: let more voters join this round
                    await asyncio.sleep(COUNT_GATHER_SECONDS)
                dirty, self._dirty = self._dirty, {}
                for poll_id, voters in sorted(dirty.items()):
                    try:
                        await self._count_poll(deps, poll_id, voters)
                    except Exception:
                        log.warning("could not count clicks on poll %s yet", poll_id, exc_info=True)
        finally:
            self._counting = False

    async def _count_poll(
        self, deps: Deps, poll_id: int, voters: dict[str, tuple[str, Contact]]
    ) -> None:
        async with deps.db.session() as session:
            poll = await _open_poll(session, poll_id)
            if poll is None:
                return
            cluster = await get_cluster_by_id(session, poll.cluster_id)
            changes = await fold_voters(session, poll=poll, voters=list(voters), now=deps.clock())
            options = {o.id: o.text for o in await store.options_of(session, poll_id=poll_id)}
        await request_refresh(deps, poll_id)
        if cluster is None:
            return
        await deps.hooks.changed(deps, cluster, only=[c.user_id for _, c in voters.values()])
        for voter, change in changes.items():
            text = self._answer(poll, change)
            if text is not None:
                option = escape(blocks.shorten(options.get(change.last_option or 0, ""), 120))
                message = text.render(cluster.language, n=poll.max_choices, option=option)
                deps.background(tell_privately(deps, voters[voter][1].body(), message))

    def _answer(self, poll: Poll, change: Change) -> Text | None:
        """What to tell a voter after counting, if anything (see the module docstring)."""
        if change.last is Outcome.TOO_MANY:
            return TOO_MANY_CHOICES
        if change.last is None or not poll.anonymous or not self._confirmations.take():
            return None
        return CONFIRMED[change.last]


async def _open_poll(session: AsyncSession, poll_id: int) -> Poll | None:
    """The poll, if it is open; it stays open until the transaction ends. A closed poll's
    clicks were all counted by the close, and an anonymous poll's click log is gone since."""
    if not await store.lock_open(session, poll_id=poll_id):
        return None
    return await session.get(Poll, poll_id, populate_existing=True)


async def recover(deps: Deps, poll_id: int) -> None:
    """Derive the votes of clicks kept but not counted (their process stopped before)."""
    async with deps.db.session() as session:
        poll = await _open_poll(session, poll_id)
        changes = await fold_pending(session, poll=poll, now=deps.clock()) if poll else {}
    if changes:
        log.info(
            "counted the clicks of %d voters on poll %s after a restart", len(changes), poll_id
        )
        await request_refresh(deps, poll_id)
