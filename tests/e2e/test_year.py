"""The year (årshjul) end to end: the year's theme (set, shown, cleared; coordinators only; no
CPR numbers), ``/klynge year`` with the theme and each meeting's topic, who ran it, attendance
and implementation rate, the rate and its trend in the coordinators' digest, and "The year" on
every member's Home tab; in English and Danish, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.fakeslack.model import Message
from storage.meetings import Meeting
from storage.year import YearTheme
from tests.harness import COORDINATOR, DOCTORS, MEMBER, Harness, blocks_text

NOW = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
FEB_4_16H = datetime(2027, 2, 4, 15, 0, tzinfo=UTC)  # 16:00 in Copenhagen
MAR_4_16H = datetime(2027, 3, 4, 15, 0, tzinfo=UTC)
SEP_2_16H = datetime(2027, 9, 2, 14, 0, tzinfo=UTC)  # summer time
OTHER = DOCTORS[2]
CPR = "150372-1234"

# What each language shows, by what it means.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "year": "year",
        "theme": "year theme",
        "set": "The cluster's theme for *2027*: *Diabetes &amp; hjertet*",
        "shown": "The theme of *2027*: *Diabetes &amp; hjertet*",
        "top": ":dart: *Theme:* Diabetes &amp; hjertet",
        "none": "There is no theme for 2027 yet",
        "cleared": "The theme for *2027* was removed",
        "clear": "clear",
        "only": "Only the cluster's coordinators",
        "cpr": "seems to hold a CPR number",
        "held": "*Diabetes* (HbA1c) — run by <@U0DOC03> — 2 checked in",
        "planned": "— planned",
        "not_held": "— not held",
        "remove": "remove",
        "waiting": "follow-up not asked yet",
        "home": "*The year 2027*",
        "came": ":white_check_mark: you were there",
        "missed": ":heavy_minus_sign: not checked in",
        "empty": "No meeting was held or planned in 2020.",
    },
    "da": {
        "year": "år",
        "theme": "år tema",
        "set": "Klyngens tema for *2027*: *Diabetes &amp; hjertet*",
        "shown": "Temaet for *2027*: *Diabetes &amp; hjertet*",
        "top": ":dart: *Tema:* Diabetes &amp; hjertet",
        "none": "Der er intet tema for 2027 endnu",
        "cleared": "Temaet for *2027* er fjernet",
        "clear": "ryd",
        "only": "Kun klyngens koordinatorer",
        "cpr": "Skriv ikke CPR-numre eller andre patientoplysninger i Slack",
        "held": "*Diabetes* (HbA1c) — tovholder <@U0DOC03> — 2 tjekket ind",
        "planned": "— planlagt",
        "not_held": "— ikke holdt",
        "remove": "fjern",
        "waiting": "opfølgningen er ikke sendt endnu",
        "home": "*Året 2027*",
        "came": ":white_check_mark: du var med",
        "missed": ":heavy_minus_sign: ikke tjekket ind",
        "empty": "Der er ikke holdt eller planlagt møder i 2020.",
    },
}
# The rate lines, by language: (done, in progress, not relevant, not answered, in all).
RATE = {
    "en": "{}% done · {}% in progress · {}% not relevant · {}% not answered ({} in all)",
    "da": "{} % gennemført · {} % i gang · {} % ikke relevant · {} % ikke besvaret ({} i alt)",
}


def whisper_blocks(h: Harness, user: str) -> str:
    return blocks_text(h.slack.ephemerals_for(user)[-1].blocks)


async def home_text(h: Harness, user: str) -> str:
    await h.event({"type": "app_home_opened", "user": user, "tab": "home", "channel": "D1"})
    return blocks_text(h.slack.home_views[user]["blocks"])


def asked(h: Harness, user: str) -> list[Message]:
    """The follow-up questions ``user`` got in their DM."""
    return [
        message
        for message in h.slack.channel_messages(f"D{user}")
        if any(str(b.get("block_id", "")).startswith("followup:") for b in message.blocks)
    ]


def questions(dm: Message) -> list[str]:
    """The values of each take-home's answer buttons in a follow-up DM, in order."""
    rows = [b for b in dm.blocks if str(b.get("block_id", "")).startswith("followup:")]
    return [str(row["elements"][0]["value"]) for row in rows]


async def answer(h: Harness, dm: Message, value: str, what: str, user: str) -> None:
    await h.click(dm, f"takeaway_followup:{what}", user=user, value=value)


async def hold(
    h: Harness, at: datetime, present: list[str], takeaways: list[tuple[str, str]]
) -> None:
    """Start the meeting planned at ``at``, check ``present`` in, write ``takeaways``
    (author, text), and end it two hours later."""
    h.clock.set(at)
    await h.command("start")
    agenda = h.find_post(
        lambda message: any(
            element.get("action_id") == "meeting_checkin"
            for block in message.blocks
            for element in block.get("elements") or []
        )
    )
    for user in present:
        await h.click(agenda, "meeting_checkin", user=user)
    for author, text in takeaways:
        await h.command(f"takeaway {text}", user=author)
    h.clock.set(at + timedelta(hours=2))
    await h.command("end")


@pytest.fixture(params=["en", "da"])
async def h(harness: Harness, request: pytest.FixtureRequest) -> Harness:
    harness.clock.set(NOW)
    await harness.setup_cluster(f"--language {request.param}")
    harness.language = request.param  # type: ignore[attr-defined]
    return harness


def words(h: Harness) -> dict[str, str]:
    return WORDS[h.language]  # type: ignore[attr-defined]


# --- the theme ------------------------------------------------------------------------------------


async def test_a_coordinator_sets_shows_and_clears_the_years_theme(h: Harness) -> None:
    w = words(h)
    await h.command(w["theme"], user=MEMBER)
    assert w["none"] in h.last_whisper(MEMBER)

    await h.command(f"{w['theme']} “Diabetes & hjertet”")

    assert w["set"] in h.last_post().text
    assert f"<@{COORDINATOR}>" in h.last_post().text
    await h.command(w["theme"], user=MEMBER)
    assert w["shown"] in h.last_whisper(MEMBER)
    await h.command(w["year"], user=MEMBER)
    assert w["top"] in whisper_blocks(h, MEMBER)

    await h.command(f"{w['theme']} {w['clear']}")

    assert w["cleared"] in h.last_post().text
    await h.command(w["theme"], user=MEMBER)
    assert w["none"] in h.last_whisper(MEMBER)
    async with h.db.session() as session:
        assert (await session.exec(select(YearTheme))).all() == []


async def test_a_theme_for_another_year_leaves_this_years_alone(h: Harness) -> None:
    w = words(h)
    await h.command(f"{w['theme']} 2028 Forebyggelse")

    assert "2028" in h.last_post().text
    await h.command(w["theme"], user=MEMBER)
    assert w["none"] in h.last_whisper(MEMBER)
    await h.command(f"{w['theme']} 2028", user=MEMBER)
    assert "Forebyggelse" in h.last_whisper(MEMBER)
    await h.command(f"{w['theme']} 1999 Gammelt")
    assert "2000–2100" in h.last_whisper()


async def test_a_member_who_is_no_coordinator_cannot_set_or_clear_the_theme(h: Harness) -> None:
    w = words(h)
    await h.command(f"{w['theme']} Diabetes")
    posts = len(h.posts())

    await h.command(f"{w['theme']} Noget andet", user=MEMBER)
    assert w["only"] in h.last_whisper(MEMBER)
    await h.command(f"{w['theme']} {w['clear']}", user=MEMBER)
    assert w["only"] in h.last_whisper(MEMBER)

    assert len(h.posts()) == posts
    async with h.db.session() as session:
        [theme] = (await session.exec(select(YearTheme))).all()
    assert theme.text == "Diabetes"


async def test_a_theme_holding_a_cpr_number_is_refused_and_not_stored(h: Harness) -> None:
    w = words(h)
    posts = len(h.posts())

    await h.command(f"{w['theme']} Patienten {CPR} og andre")

    assert w["cpr"] in h.last_whisper()
    assert CPR not in h.last_whisper()
    assert len(h.posts()) == posts
    async with h.db.session() as session:
        assert (await session.exec(select(YearTheme))).all() == []


# --- the year, the rate, the digest, the Home tab -------------------------------------------------


async def test_the_year_shows_each_meeting_with_attendance_and_a_rate_the_answers_move(
    h: Harness,
) -> None:
    w = words(h)
    rate = RATE[h.language]  # type: ignore[attr-defined]
    await h.command("meeting add 2027-02-04 16:00 Diabetes")
    await h.command("meeting add 2027-03-04 16:00 KOL")
    await h.command("meeting add 2027-09-02 16:00 Efterår")
    await h.command(f"{w['theme']} Diabetes & hjertet")
    await h.command("meeting set 1 topic HbA1c")
    async with h.db.session() as session:
        first = (await session.exec(select(Meeting).where(Meeting.title == "Diabetes"))).one()
        first.facilitator_id = OTHER
        session.add(first)
    await hold(
        h,
        FEB_4_16H,
        present=[MEMBER, OTHER],
        takeaways=[(MEMBER, "HbA1c på alle"), (MEMBER, "Fodtjek"), (OTHER, "Ny instruks")],
    )

    await h.command(w["year"], user=MEMBER)
    shown = whisper_blocks(h, MEMBER)
    assert w["top"] in shown
    assert w["held"] in shown
    assert w["waiting"] in shown
    [autumn] = [line for line in shown.splitlines() if "*Efterår*" in line]
    assert autumn.endswith(w["planned"])  # planned: no attendance, no rate yet

    h.clock.set(MAR_4_16H - timedelta(days=7) + timedelta(minutes=1))  # the question
    await h.run_jobs()
    [dm] = asked(h, MEMBER)
    first, second = questions(dm)
    await answer(h, dm, first, "done", MEMBER)
    await answer(h, dm, second, "progress", MEMBER)
    await h.command(w["year"], user=MEMBER)
    assert "`████▒▒▒░░░` " + rate.format(34, 33, 0, 33, 3) in whisper_blocks(h, MEMBER)

    [other_dm] = asked(h, OTHER)
    await answer(h, other_dm, questions(other_dm)[0], "irrelevant", OTHER)
    await h.command(w["year"], user=MEMBER)
    assert rate.format(34, 33, 33, 0, 3) in whisper_blocks(h, MEMBER)

    home = await home_text(h, MEMBER)
    assert w["home"] in home
    assert w["top"] in home
    assert w["came"] in home
    assert "`████▒▒▒░░░`" in home
    assert w["missed"] in await home_text(h, DOCTORS[4])

    # Half a year on, "in progress" is asked about again; the new answer counts.
    h.clock.set(FEB_4_16H + timedelta(days=182, hours=3))
    await h.run_jobs()
    again = asked(h, MEMBER)[-1]
    await answer(h, again, questions(again)[0], "done", MEMBER)
    await h.command(w["year"], user=MEMBER)
    assert rate.format(67, 0, 33, 0, 3) in whisper_blocks(h, MEMBER)


async def test_the_digest_gives_the_coordinators_the_rate_and_its_trend(h: Harness) -> None:
    await h.command("meeting add 2027-02-04 16:00 Diabetes")
    await h.command("meeting add 2027-03-04 16:00 KOL")
    await hold(h, FEB_4_16H, present=[MEMBER], takeaways=[(MEMBER, "HbA1c"), (OTHER, "Fodtjek")])
    h.clock.set(MAR_4_16H - timedelta(days=7) + timedelta(minutes=1))
    await h.run_jobs()
    for user in (MEMBER, OTHER):
        dm = asked(h, user)[0]
        await answer(h, dm, questions(dm)[0], "done", user)
    h.clock.set(MAR_4_16H - timedelta(days=2) + timedelta(minutes=1))
    await h.run_jobs()
    first = digests(h)[-1]
    assert ("100% done" if h.language == "en" else "100 % gennemført") in first  # type: ignore[attr-defined]
    assert ":arrow_" not in first  # no meeting before to compare with

    await h.command("meeting add 2027-09-02 16:00 Efterår")
    await hold(
        h, MAR_4_16H, present=[MEMBER], takeaways=[(MEMBER, "Spirometri"), (OTHER, "KOL-plan")]
    )
    h.clock.set(SEP_2_16H - timedelta(days=7) + timedelta(minutes=1))
    await h.run_jobs()
    dm = asked(h, MEMBER)[-1]
    await answer(h, dm, questions(dm)[0], "done", MEMBER)
    h.clock.set(SEP_2_16H - timedelta(days=2) + timedelta(minutes=1))
    await h.run_jobs()

    second = digests(h)[-1]
    if h.language == "en":  # type: ignore[attr-defined]
        assert "*Implementation rate:* `█████░░░░░` 50% done" in second
        trend = ":arrow_lower_right: 50 percentage points less done than the meeting before"
        assert f"{trend} (100%)" in second
    else:
        assert "*Implementeringsgrad:* `█████░░░░░` 50 % gennemført" in second
        assert "50 procentpoint mindre gennemført end mødet før (100 %)" in second


def digests(h: Harness) -> list[str]:
    return [
        blocks_text(m.blocks)
        for m in h.slack.channel_messages(f"D{COORDINATOR}")
        if ":bar_chart:" in str(m.blocks)
    ]


async def test_a_meeting_that_never_took_place_reads_not_held(h: Harness) -> None:
    w = words(h)
    await h.command("meeting add 2027-01-14 16:00 January")
    h.clock.set(NOW + timedelta(days=60))

    await h.command(w["year"], user=MEMBER)

    shown = whisper_blocks(h, MEMBER)
    [january] = [line for line in shown.splitlines() if "*January*" in line]
    assert january.endswith(w["not_held"])
    assert "0 planned" in shown or "0 planlagt" in shown


async def test_a_theme_may_be_a_word_that_once_cleared_it(h: Harness) -> None:
    w = words(h)
    await h.command(f"{w['theme']} {w['remove'].capitalize()}")

    await h.command(w["theme"], user=MEMBER)

    assert w["remove"].capitalize() in h.last_whisper(MEMBER)


async def test_a_year_the_bot_cannot_read_is_answered_with_the_form(h: Harness) -> None:
    w = words(h)
    await h.command(f"{w['year']} sidste", user=MEMBER)
    assert "2026" in h.last_whisper(MEMBER)
    await h.command(f"{w['year']} 2020", user=MEMBER)
    shown = whisper_blocks(h, MEMBER)
    assert "2020:* 0" in shown
    assert w["empty"] in shown
