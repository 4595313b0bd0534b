"""When the follow-up on a meeting's take-homes happens (pure): a week before the next meeting,
the digest two days before it, the second question half a year on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.takeaways.timing import followup_times

ENDED = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
FOUR_WEEKS = timedelta(days=28)


def test_with_a_next_meeting_the_question_comes_a_week_before_and_the_digest_two_days_before() -> (
    None
):
    next_start = datetime(2027, 1, 7, 15, 0, tzinfo=UTC)

    times = followup_times(ENDED, next_start, delay=FOUR_WEEKS)

    assert times.ask == next_start - timedelta(days=7)
    assert times.digest == next_start - timedelta(days=2)
    assert times.ask_again == ENDED + timedelta(days=182)


def test_without_a_next_meeting_the_clusters_delay_applies() -> None:
    times = followup_times(ENDED, None, delay=timedelta(days=14))

    assert times.ask == ENDED + timedelta(days=14)
    assert times.digest == times.ask + timedelta(days=5)


def test_a_next_meeting_very_soon_still_leaves_two_days_and_then_a_day_to_answer() -> None:
    next_start = ENDED + timedelta(days=3)

    times = followup_times(ENDED, next_start, delay=FOUR_WEEKS)

    assert times.ask == ENDED + timedelta(days=2)
    assert times.digest == times.ask + timedelta(days=1)


def test_the_second_question_comes_at_least_a_month_after_the_first() -> None:
    times = followup_times(ENDED, None, delay=timedelta(days=364))

    assert times.ask_again == times.ask + timedelta(days=30)
