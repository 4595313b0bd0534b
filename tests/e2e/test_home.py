"""The App Home tab for members and coordinators."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import select

from storage.clusters import get_cluster
from storage.meetings import RUNNING, Meeting
from storage.takeaways import DONE, Takeaway
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, MEMBER, OTHER_CHANNEL, Harness

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
COORDINATOR_ACTIONS = {"home_new_meeting", "home_new_poll", "home_start_meeting"}


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


# --- feature sections and coordinator actions --------------------------------------------------


def _action_ids(harness: Harness, user: str) -> set[str]:
    found = set()
    for block in harness.slack.home_views[user]["blocks"]:
        for element in [*(block.get("elements") or []), block.get("accessory") or {}]:
            if element.get("action_id"):
                found.add(str(element["action_id"]))
    return found


async def _meetings(harness: Harness) -> list[Meeting]:
    async with harness.db.session() as session:
        return list((await session.exec(select(Meeting))).all())


async def _plan_meeting_in_two_days(harness: Harness, title: str = "Dagens møde") -> datetime:
    day = (harness.clock() + timedelta(days=2)).astimezone(COPENHAGEN).date()
    await harness.command(f"meeting add {day:%Y-%m-%d} 16:00 {title}")
    return datetime.combine(day, time(16, 0), COPENHAGEN)


def _meeting_form(
    date: str = "2027-12-02", at: str = "16:00", title: str = "Astma hos børn", zoom: str = ""
) -> dict[str, Any]:
    return {
        "date": {"value": {"type": "datepicker", "selected_date": date or None}},
        "time": {"value": {"type": "timepicker", "selected_time": at or None}},
        "title": {"value": {"type": "plain_text_input", "value": title}},
        "zoom": {"value": {"type": "plain_text_input", "value": zoom or None}},
    }


def _opened_view(harness: Harness) -> dict[str, Any]:
    assert harness.slack.views, "no modal was opened"
    return list(harness.slack.views.values())[-1]


async def test_member_sees_an_open_poll_until_voting_and_the_home_is_republished(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    await harness.command('poll "Which topic next?" "Diabetes" "COPD"')
    poll = harness.last_post()
    await _open_home(harness, MEMBER)
    await _open_home(harness, DOCTORS[4])

    text = _home_text(harness, MEMBER)
    assert "Open polls you have not voted in" in text
    assert "Which topic next?" in text
    links = [b.get("accessory", {}) for b in harness.slack.home_views[MEMBER]["blocks"]]
    assert any(poll.ts.replace(".", "") in str(link.get("url", "")) for link in links)

    publishes = len(harness.slack.calls_to("views.publish"))
    await harness.click(poll, "poll_vote:1", user=MEMBER)

    assert len(harness.slack.calls_to("views.publish")) > publishes
    assert "Which topic next?" not in _home_text(harness, MEMBER)
    assert "Which topic next?" in _home_text(harness, DOCTORS[4])  # has not voted


async def test_anonymous_poll_disappears_from_the_home_after_voting(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command('poll "Anonymt spørgsmål?" "Ja" "Nej" --anonymous')
    poll = harness.last_post()
    assert "Anonymt spørgsmål?" in await _open_home(harness, MEMBER)

    await harness.click(poll, "poll_vote:2", user=MEMBER)

    assert "Anonymt spørgsmål?" not in _home_text(harness, MEMBER)


async def test_take_home_awaiting_follow_up_is_listed_and_answered_from_the_home(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    start = await _plan_meeting_in_two_days(harness)
    harness.clock.set(start)
    await harness.command("start")
    await harness.command("takeaway Spirometri til alle rygere", user=MEMBER)
    await harness.command("end")
    assert "Spirometri" not in await _open_home(harness, MEMBER)  # not asked yet

    harness.clock.advance(timedelta(days=29))
    await harness.run_jobs()
    text = await _open_home(harness, MEMBER)

    assert "awaiting follow-up" in text
    assert "Spirometri til alle rygere" in text
    assert {"takeaway_followup:done", "takeaway_followup:progress"} <= _action_ids(harness, MEMBER)
    await harness.click_in_view(
        harness.slack.home_views[MEMBER], "takeaway_followup:done", user=MEMBER
    )

    async with harness.db.session() as session:
        [takeaway] = (await session.exec(select(Takeaway))).all()
    assert takeaway.followup_answer == DONE
    assert "Spirometri" not in _home_text(harness, MEMBER)


async def test_coordinator_sees_rotation_plan_and_action_buttons_a_member_does_not(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    await _plan_meeting_in_two_days(harness, "Rotationsmøde")
    [meeting] = await _meetings(harness)
    assert meeting.facilitator_id is not None

    text = await _open_home(harness, COORDINATOR)
    member_text = await _open_home(harness, MEMBER)

    assert "Rotation plan" in text
    assert f"*Rotationsmøde*: facilitator <@{meeting.facilitator_id}>" in text
    assert f"note-taker <@{meeting.note_taker_id}>" in text
    assert _action_ids(harness, COORDINATOR) >= COORDINATOR_ACTIONS
    assert text.index("For coordinators") < text.index("Rotation plan")
    assert "Rotation plan" not in member_text
    assert not COORDINATOR_ACTIONS & _action_ids(harness, MEMBER)


async def test_new_meeting_modal_plans_the_meeting_like_the_command(harness: Harness) -> None:
    await harness.setup_cluster()
    await _open_home(harness, COORDINATOR)
    await harness.click_in_view(
        harness.slack.home_views[COORDINATOR], "home_new_meeting", user=COORDINATOR
    )
    view = _opened_view(harness)

    reply = await harness.submit(
        view,
        _meeting_form(title="Astma hos børn & unge 🫁", zoom="https://zoom.us/j/123"),
        user=COORDINATOR,
    )

    assert reply.status == 200
    assert reply.json() is None
    [meeting] = await _meetings(harness)
    assert meeting.title == "Astma hos børn & unge 🫁"
    assert meeting.starts_at == datetime(2027, 12, 2, 15, 0, tzinfo=UTC)
    assert meeting.zoom_url == "https://zoom.us/j/123"
    assert "Planned meeting" in harness.dms(COORDINATOR)[-1]
    assert "Astma hos børn &amp; unge" in _home_text(harness, COORDINATOR)  # republished


async def test_new_meeting_modal_shows_field_errors_and_stores_nothing(harness: Harness) -> None:
    await harness.setup_cluster()
    await _open_home(harness, COORDINATOR)
    await harness.click_in_view(
        harness.slack.home_views[COORDINATOR], "home_new_meeting", user=COORDINATOR
    )
    view = _opened_view(harness)

    bad = await harness.submit(
        view,
        _meeting_form(at="25.99", title="x" * 5000, zoom="http://zoom.us/j/1; DROP TABLE"),
        user=COORDINATOR,
    )
    past = await harness.submit(
        view, _meeting_form(date="2020-01-01", title="  "), user=COORDINATOR
    )

    assert bad.json()["response_action"] == "errors"
    assert set(bad.json()["errors"]) == {"time", "title", "zoom"}
    assert set(past.json()["errors"]) == {"date", "title"}
    assert await _meetings(harness) == []


async def test_new_poll_button_opens_the_polls_create_modal(harness: Harness) -> None:
    await harness.setup_cluster()
    await _open_home(harness, COORDINATOR)

    await harness.click_in_view(
        harness.slack.home_views[COORDINATOR], "home_new_poll", user=COORDINATOR
    )

    view = _opened_view(harness)
    assert view["callback_id"] == "poll_create"
    assert CHANNEL in view["private_metadata"]


async def test_start_meeting_button_starts_it_and_posts_the_agenda(harness: Harness) -> None:
    await harness.setup_cluster()
    start = await _plan_meeting_in_two_days(harness, "Hjertesvigt")
    harness.clock.set(start - timedelta(minutes=10))
    await _open_home(harness, COORDINATOR)

    await harness.click_in_view(
        harness.slack.home_views[COORDINATOR], "home_start_meeting", user=COORDINATOR
    )

    [meeting] = await _meetings(harness)
    assert meeting.status == RUNNING
    assert meeting.agenda_ts == harness.last_post().ts
    assert "Hjertesvigt" in harness.last_post().text
    assert "Started" in harness.dms(COORDINATOR)[-1]
    assert "Running now" in _home_text(harness, COORDINATOR)


async def test_coordinator_buttons_refuse_someone_who_does_not_coordinate_that_cluster(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    other_coordinator = DOCTORS[3]  # coordinates klynge-syd, is a member of klynge-nord
    await harness.command("setup", user=other_coordinator, channel=OTHER_CHANNEL)
    await _plan_meeting_in_two_days(harness)
    await _open_home(harness, COORDINATOR)
    coordinators_home = harness.slack.home_views[COORDINATOR]
    opened = len(harness.slack.calls_to("views.open"))
    posts = len(harness.posts())

    for action in sorted(COORDINATOR_ACTIONS):
        for user in (MEMBER, other_coordinator):
            await harness.click_in_view(coordinators_home, action, user=user)
            assert "Only the coordinators of *klynge-nord*" in harness.dms(user)[-1]

    assert len(harness.slack.calls_to("views.open")) == opened
    assert len(harness.posts()) == posts
    assert [m.status for m in await _meetings(harness)] == ["planned"]


async def test_new_meeting_modal_submitted_by_a_non_coordinator_is_refused(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    await _open_home(harness, COORDINATOR)
    await harness.click_in_view(
        harness.slack.home_views[COORDINATOR], "home_new_meeting", user=COORDINATOR
    )

    reply = await harness.submit(_opened_view(harness), _meeting_form(), user=MEMBER)

    assert "Only the coordinators" in reply.json()["errors"]["title"]
    assert await _meetings(harness) == []


async def test_a_burst_of_votes_republishes_only_each_voters_own_home(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command('poll "Which topic next?" "Diabetes" "Astma"')
    poll = harness.last_post()
    for doctor in DOCTORS:
        await _open_home(harness, doctor)
    opened = len(harness.slack.calls_to("views.publish"))

    for doctor in DOCTORS:
        await harness.click(poll, "poll_vote:1", user=doctor)

    republished = [
        call.args["user_id"] for call in harness.slack.calls_to("views.publish")[opened:]
    ]
    assert sorted(republished) == sorted(DOCTORS)  # each voter's own Home, once
    assert harness.slack.rate_limited == []
