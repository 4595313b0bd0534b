"""The App Home tab for members and coordinators."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.clusters import get_cluster
from storage.meetings import Meeting
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, Harness


def _home_text(harness: Harness, user: str) -> str:
    view = harness.slack.home_views[user]
    texts = []
    for block in view["blocks"]:
        text = block.get("text")
        if isinstance(text, dict):
            texts.append(text.get("text", ""))
    return "\n".join(texts)


async def _open_home(harness: Harness, user: str) -> str:
    await harness.event({"type": "app_home_opened", "user": user, "tab": "home", "channel": "D1"})
    return _home_text(harness, user)


async def _add_meeting(harness: Harness, **fields: object) -> Meeting:
    async with harness.db.session() as session:
        cluster = await get_cluster(session, team_id=harness.slack.team_id, channel_id=CHANNEL)
        assert cluster is not None
        values: dict[str, object] = {
            "title": "Antibiotika i almen praksis",
            "starts_at": datetime(2027, 12, 2, 15, 0, tzinfo=UTC),
            **fields,
        }
        meeting = Meeting(cluster_id=cluster.id or 0, created_by=COORDINATOR, **values)
        session.add(meeting)
    return meeting


async def test_home_of_someone_in_no_cluster_explains_how_to_start(harness: Harness) -> None:
    text = await _open_home(harness, MEMBER)

    assert "/klynge setup" in text


async def test_member_sees_upcoming_meeting_with_own_duty_and_zoom(harness: Harness) -> None:
    await harness.setup_cluster()
    await _add_meeting(
        harness, facilitator_id=MEMBER, topic="Rationel antibiotika", zoom_url="https://zoom.us/j/1"
    )

    text = await _open_home(harness, MEMBER)

    assert "klynge-nord" in text
    assert "Antibiotika i almen praksis" in text
    assert "Thursday 2 December 2027 at 16:00" in text  # shown in Copenhagen time
    assert "you facilitate" in text
    assert "Rationel antibiotika" in text
    buttons = [b.get("accessory", {}) for b in harness.slack.home_views[MEMBER]["blocks"]]
    assert any(button.get("url") == "https://zoom.us/j/1" for button in buttons)
    assert "For coordinators" not in text


async def test_coordinator_sees_members_and_coordinators(harness: Harness) -> None:
    await harness.setup_cluster()

    text = await _open_home(harness, COORDINATOR)

    assert "For coordinators" in text
    assert f"{len(DOCTORS)} members" in text
    assert f"<@{COORDINATOR}>" in text


async def test_home_is_in_the_cluster_language_with_danish_dates(harness: Harness) -> None:
    await harness.setup_cluster("--language da")
    await _add_meeting(harness, note_taker_id=MEMBER)

    text = await _open_home(harness, MEMBER)

    assert "Kommende møder" in text
    assert "torsdag den 2. december 2027 kl. 16.00" in text
    assert "du tager referat" in text


async def test_home_is_refreshed_for_its_viewers_when_a_meeting_is_planned(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    await _open_home(harness, MEMBER)
    publishes = len(harness.slack.calls_to("views.publish"))
    meeting = await _add_meeting(harness, starts_at=harness.clock() + timedelta(days=3))

    async with harness.db.session() as session:
        cluster = await get_cluster(session, team_id=harness.slack.team_id, channel_id=CHANNEL)
    assert cluster is not None
    await harness.deps.hooks.run(harness.deps.hooks.meeting_planned, harness.deps, cluster, meeting)
    await harness.settle()

    assert len(harness.slack.calls_to("views.publish")) == publishes + 1
    assert "Antibiotika i almen praksis" in _home_text(harness, MEMBER)
    assert DOCTORS[5] not in harness.slack.home_views  # never opened it: not published
