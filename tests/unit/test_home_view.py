"""The Home tab's blocks stay within Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.home.view import MAX_BLOCKS, ClusterHome, MeetingLine, home_view


def _cluster(number: int, meetings: int) -> ClusterHome:
    start = datetime(2027, 1, 1, 15, tzinfo=UTC)
    return ClusterHome(
        name=f"Klynge {number}",
        language="da",
        timezone="Europe/Copenhagen",
        meetings=[
            MeetingLine(meeting_id=m, title=f"Møde {m}", starts_at=start + timedelta(days=m))
            for m in range(meetings)
        ],
        is_coordinator=True,
        member_count=20,
        coordinator_ids=["U1"],
    )


def test_many_clusters_stay_within_the_block_limit_and_say_what_was_left_out() -> None:
    view = home_view([_cluster(n, 5) for n in range(30)], "U1", "en")

    assert len(view["blocks"]) <= MAX_BLOCKS
    assert "more clusters" in view["blocks"][-1]["text"]["text"]


def test_user_text_in_titles_is_escaped() -> None:
    cluster = _cluster(1, 0)
    cluster = ClusterHome(
        **{
            **cluster.__dict__,
            "meetings": [
                MeetingLine(
                    meeting_id=1,
                    title="<!channel> & co",
                    starts_at=datetime(2027, 1, 1, tzinfo=UTC),
                )
            ],
        }
    )

    text = str(home_view([cluster], "U1", "en"))

    assert "&lt;!channel&gt; &amp; co" in text
    assert "<!channel>" not in text
