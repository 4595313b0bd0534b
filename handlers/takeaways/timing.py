"""When the follow-up on a meeting's take-home messages happens. Pure.

The point of asking "did you implement it?" is that the answers are there when the cluster
meets again. So the authors are asked about a week before the next planned meeting (never
sooner than two days after the meeting itself), and the coordinators get a short digest of
the answers two days before it. With no next meeting planned, the question goes out the
cluster's delay after the meeting (``/klynge takeaway followup``, four weeks by default), the
digest five days later. Half a year after the meeting, whoever answered "in progress" is asked
once more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

ASK_BEFORE = timedelta(days=7)
ASK_NOT_BEFORE = timedelta(days=2)  # after the meeting ended
DIGEST_BEFORE = timedelta(days=2)
DIGEST_AFTER_ASK = timedelta(days=5)  # with no next meeting planned
ANSWER_TIME = timedelta(days=1)  # the least time members get between the question and digest
ASK_AGAIN_AFTER = timedelta(days=182)
ASK_AGAIN_NOT_BEFORE = timedelta(days=30)  # after the first question
# A question that could not go out for this long (the bot was down) is not sent any more.
STALE_AFTER = timedelta(days=14)


@dataclass(frozen=True)
class FollowupTimes:
    """When to ask the authors, when to send the coordinators' digest, when to ask again."""

    ask: datetime
    digest: datetime
    ask_again: datetime


def followup_times(
    ended_at: datetime, next_start: datetime | None, *, delay: timedelta
) -> FollowupTimes:
    """The follow-up of a meeting that ended at ``ended_at``; ``next_start`` is when the next
    planned meeting starts (None: none is planned), ``delay`` the cluster's delay for that
    case."""
    if next_start is not None:
        ask = max(next_start - ASK_BEFORE, ended_at + ASK_NOT_BEFORE)
        digest = max(next_start - DIGEST_BEFORE, ask + ANSWER_TIME)
    else:
        ask = ended_at + delay
        digest = ask + DIGEST_AFTER_ASK
    ask_again = max(ended_at + ASK_AGAIN_AFTER, ask + ASK_AGAIN_NOT_BEFORE)
    return FollowupTimes(ask=ask, digest=digest, ask_again=ask_again)
