"""Facilitator and note-taker rotation, driven through signed requests against the fake Slack.

Meetings and sub-clusters belong to other features; the tests insert them with the storage layer
and call the hooks the way the meetings feature does, then drive the rotation by commands and
clicks.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.fakeslack.model import BOT_USER_ID, TEAM_ID, Message
from storage import jobs as job_store
from storage.breakouts import Subcluster, SubclusterMember
from storage.clusters import Cluster, get_cluster
from storage.facilitators import RotationAway, RotationSkip, SwapRequest
from storage.meetings import CANCELLED, Meeting
from tests.harness import CHANNEL, COORDINATOR, DOCTORS, Harness

A, B, C, D, E = DOCTORS[:5]
FOUR = [A, B, C, D]
WEEK = timedelta(days=7)


@pytest.fixture
def h(harness: Harness) -> Harness:
    return harness


async def _start(h: Harness, people: list[str]) -> Cluster:
    """A cluster whose channel holds ``people`` (and the bot); the first one is coordinator."""
    h.slack.channels[CHANNEL]["members"] = [*people, BOT_USER_ID]
    await h.setup_cluster()
    return await _cluster(h)


async def _cluster(h: Harness) -> Cluster:
    async with h.db.session() as session:
        cluster = await get_cluster(session, team_id=TEAM_ID, channel_id=CHANNEL)
    assert cluster is not None
    return cluster


async def _plan_meetings(
    h: Harness, count: int, *, first: timedelta = timedelta(days=20), every: timedelta = 4 * WEEK
) -> list[int]:
    """Insert ``count`` meetings and run the meeting_planned hook for each, like `meeting add`."""
    cluster = await _cluster(h)
    ids = []
    for number in range(count):
        async with h.db.session() as session:
            meeting = Meeting(
                cluster_id=cluster.id or 0,
                title=f"Meeting {number + 1}",
                starts_at=h.clock() + first + number * every,
                created_by=COORDINATOR,
            )
            session.add(meeting)
            await session.flush()
            ids.append(meeting.id or 0)
        await h.deps.hooks.run(h.deps.hooks.meeting_planned, h.deps, cluster, meeting)
    await h.settle()
    return ids


async def _meetings(h: Harness) -> list[Meeting]:
    async with h.db.session() as session:
        result = await session.exec(
            select(Meeting).where(Meeting.status != CANCELLED).order_by(col(Meeting.starts_at))
        )
        return list(result.all())


async def _facilitators(h: Harness) -> list[str | None]:
    return [meeting.facilitator_id for meeting in await _meetings(h)]


def _dm(h: Harness, user: str) -> Message:
    messages = h.slack.channel_messages("D" + user)
    assert messages, f"{user} got no direct message"
    return messages[-1]


# --- order and fairness -------------------------------------------------------------------------


async def test_each_serves_once_per_cycle_in_the_same_order_over_three_cycles(h: Harness) -> None:
    await _start(h, FOUR)

    await _plan_meetings(h, 12)

    facilitators = await _facilitators(h)
    assert facilitators == FOUR * 3


async def test_fairness_holds_as_meetings_pass_and_new_ones_are_planned(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 3)
    h.clock.advance(16 * WEEK)  # all three have happened

    await _plan_meetings(h, 5)

    assert await _facilitators(h) == [A, B, C, D, A, B, C, D]


async def test_note_taker_rotates_too_and_is_never_the_facilitator(h: Harness) -> None:
    await _start(h, FOUR)

    await _plan_meetings(h, 8)

    meetings = await _meetings(h)
    note_takers = [meeting.note_taker_id for meeting in meetings]
    assert all(m.note_taker_id != m.facilitator_id for m in meetings)
    assert sorted(note_takers[:4]) == sorted(FOUR)
    assert note_takers[4:] == note_takers[:4]


async def test_note_taker_rule_holds_with_only_two_members(h: Harness) -> None:
    await _start(h, [A, B])

    await _plan_meetings(h, 5)

    meetings = await _meetings(h)
    assert [m.facilitator_id for m in meetings] == [A, B, A, B, A]
    assert [m.note_taker_id for m in meetings] == [B, A, B, A, B]


async def test_new_member_joins_at_the_end_and_leavers_drop_out(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 2)
    h.clock.advance(10 * WEEK)  # A and B have served
    h.slack.channels[CHANNEL]["members"].append(E)
    h.slack.channels[CHANNEL]["members"].remove(C)
    await h.event({"type": "member_joined_channel", "user": E, "channel": CHANNEL})
    await h.event({"type": "member_left_channel", "user": C, "channel": CHANNEL})

    await _plan_meetings(h, 5)

    assert await _facilitators(h) == [A, B, D, A, B, E, D]


async def test_list_shows_planned_order_with_dates_and_last_turns(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 2)
    h.clock.advance(4 * WEEK)  # the first meeting (A) has happened
    await _plan_meetings(h, 1, first=timedelta(days=40))

    await h.command("facilitator list all", user=B)

    text = h.last_whisper(B)
    meetings = await _meetings(h)
    zone = ZoneInfo("Europe/Copenhagen")
    second = meetings[1].starts_at.astimezone(zone)
    assert f"{second.day} " in text
    assert str(second.year) in text
    lines = text.splitlines()
    planned = [line for line in lines if line.startswith("•")]
    assert [line.split("facilitator ")[1].split(",")[0] for line in planned] == [
        f"<@{B}>",
        f"<@{C}>",
    ]
    first = meetings[0].starts_at.astimezone(zone)
    line_a = next(line for line in lines if f"<@{A}> — last turn" in line)
    assert f"{first.day} " in line_a
    assert any(f"<@{D}> — last turn: never" in line for line in lines)
    assert h.posts()[-1].text.startswith(":wave:")  # nothing announced


# --- next ---------------------------------------------------------------------------------------


async def test_next_assigns_the_next_meeting_without_one_and_mentions_them_first(
    h: Harness,
) -> None:
    cluster = await _start(h, FOUR)
    async with h.db.session() as session:
        session.add(
            Meeting(
                cluster_id=cluster.id or 0,
                title="Diabetes <3 & more",
                starts_at=h.clock() + 3 * WEEK,
                created_by=COORDINATOR,
            )
        )

    await h.command("facilitator next")

    post = h.last_post()
    assert post.text.startswith(f":studio_microphone: <@{A}>")
    assert "Diabetes &lt;3 &amp; more" in post.text
    assert await _facilitators(h) == [A]


async def test_next_without_meetings_advances_the_rotation(h: Harness) -> None:
    await _start(h, [A, B, C])

    chosen = []
    for _ in range(4):
        h.clock.advance(timedelta(days=1))
        await h.command("facilitator next")
        chosen.append(h.last_post().text.split()[1])

    assert chosen == [f"<@{A}>", f"<@{B}>", f"<@{C}>", f"<@{A}>"]


async def test_next_is_for_coordinators_only(h: Harness) -> None:
    await _start(h, FOUR)

    await h.command("facilitator next", user=B)

    assert "Only the cluster's coordinators" in h.last_whisper(B)
    assert h.posts()[-1].text.startswith(":wave:")


# --- skip ---------------------------------------------------------------------------------------


async def test_skip_passes_the_turn_on_and_keeps_their_place(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 5)

    await h.command(f"facilitator skip <@{A}|anne>")

    assert await _facilitators(h) == [B, A, C, D, B]
    post = h.last_post().text
    assert post.startswith(":fast_forward:")
    assert f"facilitator <@{B}> (was <@{A}>)" in post


async def test_skip_without_meetings_passes_over_them_at_the_next_advance(h: Harness) -> None:
    await _start(h, [A, B, C])

    await h.command(f"facilitator skip <@{A}>")
    await h.command("facilitator next")
    first = h.last_post().text
    h.clock.advance(timedelta(days=1))
    await h.command("facilitator next")

    assert first.split()[1] == f"<@{B}>"
    assert h.last_post().text.split()[1] == f"<@{A}>"


async def test_skip_refuses_bad_input_and_changes_nothing(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 2)
    before = await _facilitators(h)

    for text in (
        "facilitator skip",
        "facilitator skip anne",
        "facilitator skip '; DROP TABLE meeting; --",
        f"facilitator skip <@{E}>",
        "facilitator skip " + "ø🙂" * 2500,
    ):
        await h.command(text)
        assert "@" in h.last_whisper() or "characters" in h.last_whisper()
    await h.command(f"facilitator skip <@{C}>", user=B)

    assert "Only the cluster's coordinators" in h.last_whisper(B)
    assert await _facilitators(h) == before
    async with h.db.session() as session:
        assert (await session.exec(select(RotationSkip))).all() == []


# --- away ---------------------------------------------------------------------------------------


async def test_away_leaves_them_out_until_the_date_then_they_come_first(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 5)
    meetings = await _meetings(h)
    second_day = meetings[1].starts_at.astimezone(ZoneInfo("Europe/Copenhagen")).date()

    await h.command(f"facilitator away <@{B}> until {second_day.isoformat()}")

    assert await _facilitators(h) == [A, C, B, D, A]
    post = h.last_post().text
    assert post.startswith(":palm_tree:")
    assert f"<@{B}>" in post
    assert f"facilitator <@{C}> (was <@{B}>)" in post


async def test_away_with_a_bad_date_answers_the_form_and_changes_nothing(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 3)
    before = await _facilitators(h)
    yesterday = (h.clock().date() - timedelta(days=2)).isoformat()

    await h.command(f"facilitator away <@{B}> until 2027-13-45")
    assert "not a date in the calendar" in h.last_whisper()
    await h.command(f"facilitator away <@{B}> until sometime")
    assert "YYYY-MM-DD" in h.last_whisper()
    await h.command(f"facilitator away <@{B}>")
    assert "/klynge facilitator away @name until [date]" in h.last_whisper()
    await h.command(f"facilitator away <@{B}> until {yesterday}")
    assert "already passed" in h.last_whisper()

    assert await _facilitators(h) == before
    async with h.db.session() as session:
        assert (await session.exec(select(RotationAway))).all() == []


# --- swap ---------------------------------------------------------------------------------------


async def test_swap_takes_effect_when_the_other_person_accepts(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 6)

    await h.command(f"facilitator swap <@{A}> <@{C}>", user=A)
    assert await _facilitators(h) == [A, B, C, D, A, B]
    question = _dm(h, C)
    assert f"<@{A}>" in question.text
    assert h.last_whisper(A).startswith(f"I asked <@{C}>")

    await h.click(question, "facilitator_swap_accept", user=B)  # not B's to answer
    assert "Only" in h.last_whisper(B)
    assert await _facilitators(h) == [A, B, C, D, A, B]

    await h.click(question, "facilitator_swap_accept", user=C)

    assert await _facilitators(h) == [C, B, A, D, C, B]
    assert all(m.note_taker_id not in (None, m.facilitator_id) for m in await _meetings(h))
    post = h.last_post().text
    assert f"<@{C}> and <@{A}> swapped turns" in post
    assert "You accepted" in h.slack.message(question.channel, question.ts).text


async def test_a_declined_swap_changes_nothing(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 4)
    posts_before = len(h.posts())

    await h.command(f"facilitator swap <@{B}> <@{D}>")  # the coordinator asks
    question = _dm(h, D)
    stale = replace(question, blocks=list(question.blocks))  # as a second device still shows it
    await h.click(question, "facilitator_swap_decline", user=D)
    await h.click(stale, "facilitator_swap_accept", user=D)  # too late

    assert await _facilitators(h) == FOUR
    assert len(h.posts()) == posts_before
    assert "already been answered" in h.last_whisper(D)
    assert "declined" in _dm(h, COORDINATOR).text
    async with h.db.session() as session:
        assert [r.status for r in (await session.exec(select(SwapRequest))).all()] == ["declined"]


async def test_swap_may_be_asked_only_by_one_of_the_two_or_a_coordinator(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 4)

    await h.command(f"facilitator swap <@{A}> <@{C}>", user=B)
    assert "one of the two people or by a coordinator" in h.last_whisper(B)
    await h.command(f"facilitator swap <@{A}> <@{A}>", user=A)
    assert "two different people" in h.last_whisper(A)

    async with h.db.session() as session:
        assert (await session.exec(select(SwapRequest))).all() == []


# --- sub-clusters -------------------------------------------------------------------------------


async def _subclusters(h: Harness, cluster: Cluster, groups: dict[str, list[str]]) -> list[int]:
    ids = []
    async with h.db.session() as session:
        for name, users in groups.items():
            group = Subcluster(cluster_id=cluster.id or 0, name=name)
            session.add(group)
            await session.flush()
            ids.append(group.id or 0)
            for user in users:
                session.add(
                    SubclusterMember(
                        cluster_id=cluster.id or 0, user_id=user, subcluster_id=group.id or 0
                    )
                )
    return ids


async def test_subcluster_mode_gives_turns_to_subclusters_and_names_their_members(
    h: Harness,
) -> None:
    cluster = await _start(h, [A, B, C, D, E])
    north, south = await _subclusters(h, cluster, {"Nord": [A, B], "Syd æøå": [C, D]})

    await h.command("facilitator mode subclusters")
    await _plan_meetings(h, 4)
    await h.command("facilitator next")

    meetings = await _meetings(h)
    assert [m.facilitator_subcluster_id for m in meetings] == [north, south, north, south]
    assert all(m.facilitator_id is None for m in meetings)
    for meeting in meetings:  # the babyklynge in charge takes its own notes
        group = [A, B] if meeting.facilitator_subcluster_id == north else [C, D]
        assert meeting.note_taker_id in group
    post = h.last_post().text
    assert post.startswith(":studio_microphone: *Nord*")
    assert f"<@{A}>" in post
    assert f"<@{B}>" in post


async def test_subcluster_mode_needs_subclusters(h: Harness) -> None:
    await _start(h, FOUR)

    await h.command("facilitator mode subclusters")
    assert "no sub-clusters" in h.last_whisper()
    await h.command("facilitator mode everyone")
    assert "`members` or `subclusters`" in h.last_whisper()

    await _plan_meetings(h, 2)
    assert await _facilitators(h) == [A, B]


# --- meetings cancelled or moved ----------------------------------------------------------------


async def test_plans_follow_when_a_meeting_is_cancelled(h: Harness) -> None:
    cluster = await _start(h, FOUR)
    ids = await _plan_meetings(h, 5)

    async with h.db.session() as session:
        meeting = await session.get(Meeting, ids[1])
        assert meeting is not None
        meeting.status = CANCELLED
        session.add(meeting)
    await h.deps.hooks.run(h.deps.hooks.meeting_changed, h.deps, cluster, meeting)
    await h.settle()

    assert await _facilitators(h) == [A, B, C, D]
    post = h.last_post().text
    assert "Meeting 2" in post
    assert f"facilitator <@{B}> (was <@{C}>)" in post


# --- the checklist a week before ----------------------------------------------------------------


async def test_facilitator_gets_a_checklist_dm_a_week_before(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 2, first=timedelta(days=20))

    h.clock.advance(timedelta(days=12))
    await h.run_jobs()
    assert h.slack.channel_messages("D" + A) == []
    h.clock.advance(timedelta(days=1, hours=1))
    await h.run_jobs()

    checklist = _dm(h, A)
    assert "agenda" in checklist.text
    assert "energiser" in checklist.text
    assert h.slack.channel_messages("D" + B) == []
    await h.click(checklist, "facilitator_checklist_confirm", user=A)
    assert "Confirmed" in h.slack.message(checklist.channel, checklist.ts).text


async def test_checklist_follows_the_plan_after_a_skip(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 3, first=timedelta(days=20))

    await h.command(f"facilitator skip <@{A}>")
    h.clock.advance(timedelta(days=14))
    await h.run_jobs()

    assert h.slack.channel_messages("D" + A) == []
    checklist = _dm(h, B)
    await h.click(checklist, "facilitator_checklist_swap", user=B)
    assert h.last_post().text.startswith(f":sos: <@{B}> would like to swap")
    async with h.db.session() as session:
        keys = [job.key for job in (await session.exec(select(job_store.Job))).all()]
    assert len(keys) == 2  # the two later meetings still wait for their checklists


async def test_checklist_moves_with_a_moved_meeting(h: Harness) -> None:
    cluster = await _start(h, FOUR)
    ids = await _plan_meetings(h, 1, first=timedelta(days=20))
    async with h.db.session() as session:
        meeting = await session.get(Meeting, ids[0])
        assert meeting is not None
        meeting.starts_at += 2 * WEEK
        session.add(meeting)
    await h.deps.hooks.run(h.deps.hooks.meeting_changed, h.deps, cluster, meeting)

    h.clock.advance(timedelta(days=14))
    await h.run_jobs()
    assert h.slack.channel_messages("D" + A) == []
    h.clock.advance(2 * WEEK)
    await h.run_jobs()

    assert "Meeting 1" in _dm(h, A).text


# --- more on skips and swaps --------------------------------------------------------------------


async def test_a_skip_given_before_meetings_are_planned_applies_to_their_first_turn(
    h: Harness,
) -> None:
    await _start(h, FOUR)
    await h.command(f"facilitator skip <@{A}>")

    await _plan_meetings(h, 4)

    assert await _facilitators(h) == [B, A, C, D]


async def test_swap_with_someone_without_a_planned_turn_exchanges_their_places(
    h: Harness,
) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 2)  # A and B; D's turn is not planned yet

    await h.command(f"facilitator swap <@{A}> <@{D}>", user=A)
    question = _dm(h, D)
    assert "takes" in question.text
    await h.click(question, "facilitator_swap_accept", user=D)
    await _plan_meetings(h, 6, first=timedelta(days=200))

    assert await _facilitators(h) == [D, B, C, A, D, B, C, A]
    await h.command("facilitator list all", user=C)
    assert f"<@{A}> — last turn: never" in h.last_whisper(C)


# --- robustness and language --------------------------------------------------------------------


async def test_simultaneous_first_uses_of_the_rotation_all_succeed(h: Harness) -> None:
    await _start(h, FOUR)
    assert h.driver is not None

    await asyncio.gather(*(h.driver.command("facilitator list", user=user) for user in FOUR))
    await h.settle()

    for user in FOUR:
        assert h.last_whisper(user).startswith("*Facilitator plan for")


async def test_announcements_are_in_danish_for_a_danish_cluster(h: Harness) -> None:
    h.slack.channels[CHANNEL]["members"] = [*FOUR, BOT_USER_ID]
    await h.setup_cluster("--language da")
    await _plan_meetings(h, 2)

    await h.command(f"facilitator skip <@{A}>")

    post = h.last_post().text
    assert f"<@{A}> springer sin næste tur over" in post
    assert "tovholder" in post
    assert "dag den " in post  # "torsdag den 3. december 2026 kl. 16.00"


async def test_checklist_goes_to_whoever_holds_the_turn_when_it_is_due(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 2, first=timedelta(days=20))
    h.slack.channels[CHANNEL]["members"].remove(A)
    await h.event({"type": "member_left_channel", "user": A, "channel": CHANNEL})

    h.clock.advance(timedelta(days=13, hours=1))
    await h.run_jobs()

    assert h.slack.channel_messages("D" + A) == []
    assert "Meeting 1" in _dm(h, B).text
    assert await _facilitators(h) == [B, C]


async def test_in_subcluster_mode_skip_passes_the_subclusters_turn(h: Harness) -> None:
    cluster = await _start(h, FOUR)
    north, south = await _subclusters(h, cluster, {"Nord": [A, B], "Syd": [C, D]})
    await h.command("facilitator mode subclusters")
    await _plan_meetings(h, 4, first=timedelta(days=20))

    await h.command(f"facilitator skip <@{B}>")

    meetings = await _meetings(h)
    assert [m.facilitator_subcluster_id for m in meetings] == [south, north, south, north]
    assert h.last_post().text.startswith(":fast_forward: *Nord*")


async def test_in_subcluster_mode_the_babyklynge_gets_one_message_together_not_checklists(
    h: Harness,
) -> None:
    cluster = await _start(h, FOUR)
    await _subclusters(h, cluster, {"Nord": [A, B], "Syd": [C, D]})
    await h.command("facilitator mode subclusters")
    await _plan_meetings(h, 2, first=timedelta(days=20))

    h.clock.advance(timedelta(days=13, hours=1))
    await h.run_jobs()

    [message] = h.slack.channel_messages(h.slack.group_dm([A, B]))
    assert "Meeting 1" in message.text
    for user in FOUR:
        assert h.slack.channel_messages("D" + user) == []


async def test_a_swap_accepted_after_the_plan_changed_swaps_nothing(h: Harness) -> None:
    await _start(h, FOUR)
    await _plan_meetings(h, 4)
    await h.command(f"facilitator swap <@{A}> <@{C}>", user=A)
    await h.command(f"facilitator skip <@{A}>")  # A no longer holds the first meeting
    planned = await _facilitators(h)

    question = _dm(h, C)
    await h.click(question, "facilitator_swap_accept", user=C)

    assert await _facilitators(h) == planned
    assert "plan has changed" in h.slack.message(question.channel, question.ts).text


async def test_a_deleted_subcluster_loses_its_turns_and_the_channel_is_told(h: Harness) -> None:
    await _start(h, [A, B, C, D, E])
    await h.command(f"subcluster create Nord <@{A}> <@{B}>")
    await h.command(f"subcluster create Syd <@{C}> <@{D}>")
    await h.command("facilitator mode subclusters")
    await _plan_meetings(h, 4)
    syd = {m.facilitator_subcluster_id for m in await _meetings(h)} - {None}
    assert len(syd) == 2

    await h.command("subcluster delete Syd")

    turns = {m.facilitator_subcluster_id for m in await _meetings(h)}
    assert len(turns) == 1  # every meeting now goes to Nord, none to the deleted Syd
    assert turns <= syd
    told = next(post.text for post in h.posts() if "sub-clusters changed" in post.text)
    assert "facilitator *Nord* (was a deleted sub-cluster)" in told
