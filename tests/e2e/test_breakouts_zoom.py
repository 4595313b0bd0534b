"""The Zoom breakout-room file end to end: sent privately in Zoom's format, members without an
email, a failed upload, and Danish group and room names.
"""

from __future__ import annotations

from tests.e2e.breakouts_helpers import (
    _breakout_post,
    _post_groups,
    _rounds,
)
from tests.harness import COORDINATOR, DOCTORS, Harness

# --- Zoom ---------------------------------------------------------------------------------------


def _email(h: Harness, user: str) -> str:
    return str(h.slack.users[user]["profile"]["email"])


async def test_zoom_file_goes_to_the_coordinator_privately_in_zooms_format(
    harness: Harness,
) -> None:
    await harness.setup_cluster()

    await harness.command("breakout 4")

    groups = _post_groups(_breakout_post(harness))
    [uploaded] = harness.slack.files.values()
    assert uploaded.channel == f"D{COORDINATOR}"
    assert uploaded.filename.endswith(".csv")
    expected = ["Pre-assign Room Name,Email Address"] + [
        f"Group {number},{_email(harness, person)}"
        for number, group in enumerate(groups, start=1)
        for person in group
    ]
    assert uploaded.content.decode("utf-8") == "\r\n".join(expected) + "\r\n"
    assert [c.args.get("users") for c in harness.slack.calls_to("conversations.open")] == [
        COORDINATOR
    ]
    assert "direct messages" in harness.last_whisper()


async def test_members_without_an_email_are_named_and_left_out_of_the_file(
    harness: Harness,
) -> None:
    await harness.setup_cluster()
    # Removed after setup looked everyone up: Slack tells the bot with a user_change event.
    del harness.slack.users[DOCTORS[6]]["profile"]["email"]
    await harness.event({"type": "user_change", "user": harness.slack.users[DOCTORS[6]]})

    await harness.command("breakout 4")

    [uploaded] = harness.slack.files.values()
    rows = uploaded.content.decode().splitlines()
    assert len(rows) == 1 + 11
    assert f"<@{DOCTORS[6]}>" in str(uploaded.initial_comment)
    assert f"No email address in Slack for: <@{DOCTORS[6]}>" in harness.last_whisper()
    placed = {p for g in _post_groups(_breakout_post(harness)) for p in g}
    assert DOCTORS[6] in placed


async def test_a_failed_upload_is_explained_and_the_round_stands(harness: Harness) -> None:
    await harness.setup_cluster()
    harness.slack.fail("files.getUploadURLExternal", error="not_allowed_token_type")

    await harness.command("breakout 4")

    assert "couldn't send you Zoom's pre-assignment file" in harness.last_whisper()
    assert len(await _rounds(harness)) == 1


async def test_danish_clusters_name_groups_and_rooms_in_danish(harness: Harness) -> None:
    await harness.setup_cluster("--language da")

    await harness.command("breakout 6")

    post = _breakout_post(harness)
    assert post.blocks[1]["text"]["text"].startswith("Gruppe 1: <@")
    [uploaded] = harness.slack.files.values()
    assert uploaded.content.decode().splitlines()[1].startswith("Gruppe 1,")
