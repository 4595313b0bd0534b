"""Clinics in breakouts end to end: spreading or keeping colleagues together, and the clinic
command.
"""

from __future__ import annotations

from sqlmodel import select

from storage.breakouts import (
    MemberClinic,
)
from tests.e2e.breakouts_helpers import (
    _breakout_post,
    _post_groups,
    _set_clinics,
    _start_and_check_in,
)
from tests.harness import DOCTORS, MEMBER, Harness

# --- clinics ------------------------------------------------------------------------------------


async def test_colleagues_from_one_clinic_are_spread_over_groups(harness: Harness) -> None:
    await harness.setup_cluster()
    clinics = await _set_clinics(harness)

    await harness.command("breakout 3")

    for group in _post_groups(_breakout_post(harness)):
        assert len({clinics[person] for person in group}) == len(group)


async def test_keep_clinics_together_puts_colleagues_in_one_group(harness: Harness) -> None:
    await harness.setup_cluster()
    clinics = await _set_clinics(harness)

    await harness.command("breakout 3 --keep-clinics-together")

    for group in _post_groups(_breakout_post(harness)):
        assert len({clinics[person] for person in group}) == 1


async def test_clinic_names_match_regardless_of_case_and_spacing(harness: Harness) -> None:
    await harness.setup_cluster()
    for index, doctor in enumerate(DOCTORS[:6]):
        name = "lægehuset  NORD" if index % 2 else "Lægehuset Nord"
        await harness.command(f"clinic <@{doctor}> {name}")
    await _start_and_check_in(harness, DOCTORS[:6])

    await harness.command("breakout 2 --keep-clinics-together")

    # Six colleagues of one clinic in groups of two: every group is all colleagues anyway; the
    # point is that they count as one clinic, so the spread rule would separate none of them.
    await harness.command("breakout 3")
    groups = _post_groups(harness.last_post())
    assert [len(g) for g in groups] == [3, 3]


async def test_members_set_and_see_their_own_clinic(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("clinic Lægehuset <Nord> & Co", user=MEMBER)
    set_text = harness.last_whisper(MEMBER)
    await harness.command("clinic", user=MEMBER)

    assert "Lægehuset &lt;Nord&gt; &amp; Co" in set_text
    assert "Lægehuset &lt;Nord&gt; &amp; Co" in harness.last_whisper(MEMBER)
    async with harness.db.session() as session:
        [row] = (await session.exec(select(MemberClinic))).all()
    assert (row.user_id, row.clinic) == (MEMBER, "Lægehuset <Nord> & Co")


async def test_clinic_clear_removes_it(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command("clinic Nord", user=MEMBER)

    await harness.command("clinic --clear", user=MEMBER)
    await harness.command("clinic", user=MEMBER)

    assert "no clinic set" in harness.last_whisper(MEMBER)


async def test_members_cannot_set_someone_elses_clinic(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command(f"clinic <@{DOCTORS[5]}> Nord", user=MEMBER)

    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)
    async with harness.db.session() as session:
        assert (await session.exec(select(MemberClinic))).all() == []


async def test_clinic_list_groups_members_by_clinic_for_coordinators(harness: Harness) -> None:
    await harness.setup_cluster()
    await harness.command(f"clinic <@{DOCTORS[3]}> Nord")
    await harness.command(f"clinic <@{DOCTORS[4]}> Syd")

    await harness.command("clinic list")
    await harness.command("clinic list", user=MEMBER)

    text = harness.last_whisper()
    assert f"*Nord*: <@{DOCTORS[3]}>" in text
    assert f"*Syd*: <@{DOCTORS[4]}>" in text
    assert f"<@{DOCTORS[0]}>" in text.split("No clinic:")[1]
    assert "Only the cluster's coordinators" in harness.last_whisper(MEMBER)


async def test_an_overlong_clinic_name_is_refused(harness: Harness) -> None:
    await harness.setup_cluster()

    await harness.command("clinic " + "Å🙂" * 70, user=MEMBER)

    assert "at most 120" in harness.last_whisper(MEMBER)
    async with harness.db.session() as session:
        assert (await session.exec(select(MemberClinic))).all() == []
