"""The Home tab's feature sections and the "New meeting" form check. Pure."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.fakeslack.rules import block_errors
from handlers.home import blocks as kit
from handlers.home.actions import MeetingForm, check_meeting_form
from storage.clusters import Cluster

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _cluster(language: str = "en") -> Cluster:
    return Cluster(
        id=7,
        team_id="T1",
        channel_id="C1",
        name="klynge-nord",
        language=language,
        timezone="Europe/Copenhagen",
    )


def _form(date: str, at: str, title: str, zoom: str | None = None) -> dict[str, object]:
    return {
        "date": {"value": {"selected_date": date}},
        "time": {"value": {"selected_time": at}},
        "title": {"value": {"value": title}},
        "zoom": {"value": {"value": zoom}},
    }


def test_poll_questions_are_escaped_and_linked() -> None:
    poll = kit.OpenPoll(1, "<!channel> & co?", "C1", permalink="https://x/p1")

    [heading, line] = kit.open_polls([poll], "da", "Europe/Copenhagen", cluster_id=7)

    assert "Åbne afstemninger" in heading["text"]["text"]
    assert "&lt;!channel&gt; &amp; co?" in line["text"]["text"]
    assert line["accessory"]["url"] == "https://x/p1"
    assert line["accessory"]["action_id"].startswith("link:")


def test_take_home_buttons_are_the_follow_up_answers() -> None:
    blocks = kit.awaiting_followup([kit.PendingTakeaway(3, "x" * 5000)], "en")

    actions = blocks[-1]["elements"]
    assert [a["action_id"] for a in actions] == [
        "takeaway_followup:done",
        "takeaway_followup:progress",
        "takeaway_followup:irrelevant",
    ]
    assert {a["value"] for a in actions} == {"3"}
    assert block_errors(blocks) == []


def test_coordinator_blocks_are_marked_and_carry_the_cluster() -> None:
    entry = kit.RotationEntry(NOW, "Møde", facilitator="<@U1>", note_taker=None)
    blocks = [
        *kit.rotation_plan([entry], "en", "Europe/Copenhagen", cluster_id=7),
        *kit.coordinator_actions(7, "en"),
    ]

    assert all(b["block_id"].startswith(kit.COORDINATOR_BLOCK) for b in blocks)
    assert "facilitator <@U1>, note-taker nobody yet" in blocks[0]["text"]["text"]
    assert {e["value"] for e in blocks[1]["elements"]} == {"7"}


def test_new_meeting_modal_fits_slacks_limits_in_danish() -> None:
    view = kit.new_meeting_modal(7, "klynge-nord", "da", "Europe/Copenhagen")

    assert len(view["title"]["text"]) <= 24
    assert [b.get("block_id") for b in view["blocks"][1:]] == ["date", "time", "title", "zoom"]
    assert block_errors(view["blocks"], limit=100) == []


def test_a_good_form_becomes_the_command_arguments() -> None:
    form = check_meeting_form(
        _form("2026-12-03", "16:00", "  Astma   hos børn ", "https://zoom.us/j/1"), _cluster(), NOW
    )

    assert form == MeetingForm("2026-12-03", "16:00", "Astma hos børn", "https://zoom.us/j/1")


def test_bad_fields_get_their_own_errors_in_the_cluster_language() -> None:
    errors = check_meeting_form(_form("31-02-2027", "", "", "zoom.us/j/1"), _cluster("da"), NOW)

    assert isinstance(errors, dict)
    assert set(errors) == {"date", "time", "title", "zoom"}
    assert errors["title"] == "Giv mødet en titel."


def test_a_start_in_the_past_is_a_date_error() -> None:
    errors = check_meeting_form(_form("2026-11-22", "12:00", "Møde"), _cluster(), NOW)

    assert isinstance(errors, dict)
    assert set(errors) == {"date"}
