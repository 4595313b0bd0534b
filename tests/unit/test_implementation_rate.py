"""The implementation rate of a meeting's take-homes, and its series over the year. Pure."""

from __future__ import annotations

import pytest

from handlers.takeaways import rates
from handlers.takeaways.rates import Implementation, Point
from storage.takeaways import DONE, IN_PROGRESS, NOT_RELEVANT
from storage.year import NOT_ASKED


def test_answers_are_counted_in_their_four_kinds() -> None:
    found = rates.implementation({DONE: 2, IN_PROGRESS: 1, NOT_RELEVANT: 1, None: 1})

    assert found == Implementation(done=2, in_progress=1, not_relevant=1, not_answered=1)
    assert found.total == 5
    assert found.percentages() == (40, 20, 20, 20)
    assert found.rate == 40


def test_a_meeting_without_take_homes_has_no_rate() -> None:
    assert rates.implementation({}) is None
    [point] = rates.series([7], {})
    assert point == Point(7, None, waiting=0)
    assert rates.rate_line(point, "en") == "no take-home messages"
    assert rates.rate_line(point, "da") == "ingen pointer"


def test_a_meeting_whose_authors_were_not_asked_yet_has_no_rate_but_says_so() -> None:
    [point] = rates.series([3], {3: {NOT_ASKED: 4}})

    assert point.implementation is None
    assert point.waiting == 4
    assert rates.rate_line(point, "en") == "follow-up not asked yet"


def test_all_not_answered_is_a_rate_of_nothing_done() -> None:
    [point] = rates.series([1], {1: {None: 3}})

    assert point.implementation == Implementation(not_answered=3)
    assert point.implementation.percentages() == (0, 0, 0, 100)
    assert rates.bar(point.implementation) == "░" * 10
    assert "0% done" in rates.rate_line(point, "en")
    assert "100% not answered (3 in all)" in rates.rate_line(point, "en")


def test_the_latest_answer_counts_when_in_progress_became_done_half_a_year_on() -> None:
    # The store keeps each text's latest answer: asked again, "in progress" became "done".
    before = rates.series([1], {1: {IN_PROGRESS: 2, DONE: 1}})
    after = rates.series([1], {1: {IN_PROGRESS: 1, DONE: 2}})

    assert before[0].implementation is not None
    assert after[0].implementation is not None
    assert (before[0].implementation.rate, after[0].implementation.rate) == (33, 67)


def test_texts_not_asked_yet_do_not_count_beside_those_asked() -> None:
    [point] = rates.series([1], {1: {DONE: 1, None: 1, NOT_ASKED: 5}})

    assert point.implementation == Implementation(done=1, not_answered=1)
    assert point.waiting == 5


@pytest.mark.parametrize(
    ("counts", "whole", "expected"),
    [
        ([1, 1, 1], 100, [34, 33, 33]),
        ([2, 1, 0], 10, [7, 3, 0]),
        ([0, 0, 0], 100, [0, 0, 0]),
        ([1, 0, 0, 2], 10, [3, 0, 0, 7]),
    ],
)
def test_shares_add_up_to_the_whole_and_keep_zeros(
    counts: list[int], whole: int, expected: list[int]
) -> None:
    assert rates.shares(counts, whole) == expected


def test_the_bar_shows_done_in_progress_and_the_rest() -> None:
    found = Implementation(done=4, in_progress=2, not_relevant=1, not_answered=3)

    assert rates.bar(found) == "████▒▒░░░░"
    line = rates.rate_line(Point(1, found), "da")
    assert line.startswith("`████▒▒░░░░` 40 % gennemført · 20 % i gang")
    assert rates.rate_line(Point(1, found), "en", short=True) == "`████▒▒░░░░` 40% done"


def test_the_series_keeps_the_meetings_order_and_compares_with_the_last_followed_up() -> None:
    counts = {1: {DONE: 1, None: 3}, 3: {DONE: 3, None: 1}, 4: {DONE: 1, None: 3}}
    points = rates.series([1, 2, 3, 4], counts)

    assert [point.meeting_id for point in points] == [1, 2, 3, 4]
    assert points[1].implementation is None
    assert rates.change(points, 3) == (50, 25)  # meeting 2 had nothing to follow up
    assert rates.change(points, 4) == (-50, 75)
    assert rates.change(points, 1) is None  # nothing before
    assert rates.change(points, 2) is None  # not followed up


def test_the_trend_reads_up_down_or_the_same() -> None:
    up = rates.trend_line(10, 30, "en")
    assert "10 percentage points more done than the meeting before (30%)" in up
    assert "5 procentpoint mindre gennemført end mødet før (40 %)" in rates.trend_line(-5, 40, "da")
    assert "as much done as the meeting before (50%)" in rates.trend_line(0, 50, "en")
