"""Which sub-clusters' own results an anonymous poll may show, without giving anyone away.

Pure. In a poll counted by sub-cluster, a sub-cluster with one or two ballots would show those
members' choices. So in an anonymous poll a sub-cluster with fewer than ``MIN_GROUP_BALLOTS``
ballots is shown only as having had too few votes. Then the other sub-clusters' lines are not
shown either: the poll message shows every option's total, and the totals minus the shown
sub-clusters would be the small ones' choices. (Merging the small ones into one "others" line of
enough ballots is not enough: each sub-cluster still casts its own vote in the overall result,
and the overall minus the shown sub-clusters' votes would name the small ones' majorities.)
A sub-cluster without ballots gives nothing away and is shown as such. Polls that show names
show every sub-cluster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from handlers.polls.tally import Result

# The fewest ballots a sub-cluster of an anonymous poll needs for its own result to be shown.
MIN_GROUP_BALLOTS = 3


@dataclass(frozen=True)
class GroupLine:
    """One sub-cluster's line: its result, or None when it had too few ballots to show."""

    name: str
    result: Result | None


@dataclass(frozen=True)
class Breakdown:
    """The sub-cluster lines to show; ``withheld``: how many sub-clusters with enough ballots
    are left out so that the small ones cannot be worked out from the totals."""

    lines: tuple[GroupLine, ...]
    withheld: int = 0


def breakdown(
    groups: Sequence[tuple[str, Result]], *, anonymous: bool, minimum: int = MIN_GROUP_BALLOTS
) -> Breakdown:
    """What to show of each sub-cluster's own result (``groups``: name and result, in order)."""
    if not anonymous or all(not 0 < result.ballots < minimum for _, result in groups):
        return Breakdown(tuple(GroupLine(name, result) for name, result in groups))
    lines: list[GroupLine] = []
    withheld = 0
    for name, result in groups:
        if result.ballots == 0:
            lines.append(GroupLine(name, result))
        elif result.ballots < minimum:
            lines.append(GroupLine(name, None))
        else:
            withheld += 1
    return Breakdown(tuple(lines), withheld)
