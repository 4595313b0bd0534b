"""The implementation rate: how the authors answered the follow-up on a meeting's take-homes
and staff instructions (done / in progress / not relevant / not answered), per meeting and over
the meetings of a period. Pure: no Slack, no database, no clock.

Only meetings whose authors were asked count (a meeting still waiting for its follow-up would
show everything "not answered"). Each text counts with its latest answer: asked again half a
year on, "in progress" that became "done" counts as done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.i18n import Text
from storage.takeaways import DONE, IN_PROGRESS, NOT_RELEVANT
from storage.year import NOT_ASKED

BAR_WIDTH = 10
# The bar's cells: done, in progress, the rest (not relevant, not answered).
BAR_DONE, BAR_PROGRESS, BAR_REST = "█", "▒", "░"

RATE_LINE = Text(
    en="`{bar}` {done}% done · {progress}% in progress · {irrelevant}% not relevant · "
    "{unanswered}% not answered ({total} in all)",
    da="`{bar}` {done} % gennemført · {progress} % i gang · {irrelevant} % ikke relevant · "
    "{unanswered} % ikke besvaret ({total} i alt)",
)
RATE_SHORT = Text(en="`{bar}` {done}% done", da="`{bar}` {done} % gennemført")
WAITING = Text(en="follow-up not asked yet", da="opfølgningen er ikke sendt endnu")
NO_TAKEHOMES = Text(en="no take-home messages", da="ingen pointer")
TREND_UP = Text(
    en=":arrow_upper_right: {points:percentage point|percentage points} more done than the "
    "meeting before ({previous}%)",
    da=":arrow_upper_right: {points} procentpoint mere gennemført end mødet før ({previous} %)",
)
TREND_DOWN = Text(
    en=":arrow_lower_right: {points:percentage point|percentage points} less done than the "
    "meeting before ({previous}%)",
    da=":arrow_lower_right: {points} procentpoint mindre gennemført end mødet før ({previous} %)",
)
TREND_SAME = Text(
    en=":arrow_right: as much done as the meeting before ({previous}%)",
    da=":arrow_right: lige så meget gennemført som mødet før ({previous} %)",
)


@dataclass(frozen=True)
class Implementation:
    """How the followed-up texts of one meeting were answered."""

    done: int = 0
    in_progress: int = 0
    not_relevant: int = 0
    not_answered: int = 0

    @property
    def parts(self) -> tuple[int, int, int, int]:
        return (self.done, self.in_progress, self.not_relevant, self.not_answered)

    @property
    def total(self) -> int:
        return sum(self.parts)

    def percentages(self) -> tuple[int, int, int, int]:
        """Each part in whole percent, summing to 100 (all 0 when there is nothing)."""
        done, progress, irrelevant, unanswered = shares(self.parts, 100)
        return (done, progress, irrelevant, unanswered)

    @property
    def rate(self) -> int:
        """The headline: the share done, in percent."""
        return self.percentages()[0]


@dataclass(frozen=True)
class Point:
    """One meeting of a series; ``implementation`` None when it was not followed up: no
    take-homes, or (``waiting`` of them) their authors not asked yet."""

    meeting_id: int
    implementation: Implementation | None
    waiting: int = 0


def shares(counts: Sequence[int], whole: int) -> list[int]:
    """``counts`` scaled to add up to ``whole`` (largest remainder; zeros stay zero)."""
    total = sum(counts)
    if total <= 0:
        return [0] * len(counts)
    exact = [count * whole / total for count in counts]
    floors = [int(value) for value in exact]
    left = whole - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: (floors[i] - exact[i], i))
    for index in order[:left]:
        floors[index] += 1
    return floors


def implementation(counts: Mapping[str | None, int]) -> Implementation | None:
    """The answers counted (None: not answered); None when nothing was followed up. Texts
    whose authors were not asked yet (``NOT_ASKED``) do not count."""
    answered = {DONE: 0, IN_PROGRESS: 0, NOT_RELEVANT: 0}
    unanswered = 0
    for answer, count in counts.items():
        if answer == NOT_ASKED:
            continue
        if answer in answered:
            answered[str(answer)] += count
        else:
            unanswered += count
    found = Implementation(
        answered[DONE], answered[IN_PROGRESS], answered[NOT_RELEVANT], unanswered
    )
    return found if found.total else None


def series(
    meeting_ids: Sequence[int], counts: Mapping[int, Mapping[str | None, int]]
) -> list[Point]:
    """One point per meeting, in the order given (oldest first)."""
    return [
        Point(
            meeting_id,
            implementation(counts.get(meeting_id, {})),
            waiting=counts.get(meeting_id, {}).get(NOT_ASKED, 0),
        )
        for meeting_id in meeting_ids
    ]


def change(points: Sequence[Point], meeting_id: int) -> tuple[int, int] | None:
    """(the rate of ``meeting_id`` minus the previous followed-up meeting's, that previous
    rate); None when either was not followed up."""
    before: Implementation | None = None
    for point in points:
        if point.meeting_id == meeting_id:
            if point.implementation is None or before is None:
                return None
            return point.implementation.rate - before.rate, before.rate
        if point.implementation is not None:
            before = point.implementation
    return None


def bar(found: Implementation, width: int = BAR_WIDTH) -> str:
    """A text bar of ``width`` cells: done, in progress, then the rest."""
    done, progress, rest = shares(
        [found.done, found.in_progress, found.not_relevant + found.not_answered], width
    )
    return BAR_DONE * done + BAR_PROGRESS * progress + BAR_REST * rest


def rate_line(point: Point, language: str, *, short: bool = False) -> str:
    """The meeting's rate as one line (``short``: the bar and the share done)."""
    found = point.implementation
    if found is None:
        return (WAITING if point.waiting else NO_TAKEHOMES).render(language)
    done, progress, irrelevant, unanswered = found.percentages()
    if short:
        return RATE_SHORT.render(language, bar=bar(found), done=done)
    return RATE_LINE.render(
        language,
        bar=bar(found),
        done=done,
        progress=progress,
        irrelevant=irrelevant,
        unanswered=unanswered,
        total=found.total,
    )


def trend_line(difference: int, previous: int, language: str) -> str:
    """The change from the meeting before, in percentage points."""
    if difference > 0:
        return TREND_UP.render(language, points=difference, previous=previous)
    if difference < 0:
        return TREND_DOWN.render(language, points=-difference, previous=previous)
    return TREND_SAME.render(language, previous=previous)
