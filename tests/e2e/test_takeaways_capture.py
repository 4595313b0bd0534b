"""Take-home messages end to end: capture by /klynge takeaway, message shortcut and reaction."""

from __future__ import annotations

from typing import Any

from bot.fakeslack.model import Message
from bot.fakeslack.rules import escape_typed
from bot.mrkdwn import escape
from storage import takeaways as store
from tests.e2e.takeaways_helpers import (
    OTHER,
    THIRD,
    add_meeting,
    cluster_of,
    h_fixture,  # noqa: F401  (provides the `h` fixture)
    opened_view,
    section_texts,
    takeaways,
)
from tests.harness import CHANNEL, MEMBER, OTHER_CHANNEL, Harness


def ephemeral_message(h: Harness, user: str) -> Message:
    """The latest private message ``user`` got with buttons, as a clickable message."""
    for item in reversed(h.slack.ephemerals_for(user)):
        if any(block.get("type") == "actions" for block in item.blocks):
            return Message(channel=CHANNEL, ts="0.0", text=item.text, blocks=item.blocks)
    raise AssertionError(f"{user} got no private message with buttons")


def reaction(user: str, message: Message, name: str = "house") -> dict[str, Any]:
    return {
        "type": "reaction_added",
        "user": user,
        "reaction": name,
        "item_user": message.user,
        "item": {"type": "message", "channel": message.channel, "ts": message.ts},
    }


def unreaction(user: str, message: Message, name: str = "house") -> dict[str, Any]:
    return {**reaction(user, message, name), "type": "reaction_removed"}


# --- /klynge takeaway ----------------------------------------------------------------------------


async def test_takeaway_command_saves_and_confirms_privately_with_undo(h: Harness) -> None:
    await h.command("takeaway Ring diabetespatienter op inden for 3 måneder", user=MEMBER)

    [saved] = await takeaways(h)
    assert saved.text == "Ring diabetespatienter op inden for 3 måneder"
    assert saved.author_id == MEMBER
    assert saved.meeting_id is None
    confirmation = ephemeral_message(h, MEMBER)
    assert "Ring diabetespatienter op" in section_texts([confirmation])[0]
    assert any(
        element["action_id"] == "takeaway_undo"
        for block in confirmation.blocks
        for element in block.get("elements", [])
    )
    assert len(h.posts()) == 1  # only the setup announcement: nothing public


async def test_takeaway_without_text_shows_usage_and_saves_nothing(h: Harness) -> None:
    await h.command("takeaway   ", user=MEMBER)

    assert "/klynge takeaway [what you take home]" in h.last_whisper(MEMBER)
    assert await takeaways(h) == []


async def test_takeaway_keeps_sql_emoji_danish_letters_and_spacing_exactly(h: Harness) -> None:
    written = "Robert'); DROP TABLE takeaway;-- 🏠 Æblegrød på Ørsted  <b>& “citat”\nlinje 2"

    await h.command(f"takeaway {written}", user=MEMBER)  # Slack sends < and & escaped

    [saved] = await takeaways(h)
    assert saved.text == written
    assert escape(written) in h.last_whisper(MEMBER)
    await h.command("summary")
    assert f"<@{MEMBER}>: {escape(written)}" in h.last_post().text


async def test_takeaway_text_with_double_dash_words_is_saved_whole(h: Harness) -> None:
    await h.command("takeaway Husk --dosis og —ring til patienten --", user=MEMBER)

    [saved] = await takeaways(h)
    assert saved.text == "Husk --dosis og —ring til patienten --"


async def test_takeaway_over_3000_characters_is_stored_whole_and_shown_split(h: Harness) -> None:
    text = ("Lang refleksion om behandling. " * 120).strip()
    assert 3000 < len(text) < 4000

    await h.command(f"takeaway {text}", user=MEMBER)

    [saved] = await takeaways(h)
    assert saved.text == text
    sections = section_texts([ephemeral_message(h, MEMBER)])
    assert len(sections) >= 2
    assert all(len(section) <= 3000 for section in sections)


async def test_takeaway_of_5000_characters_is_refused_kindly_and_nothing_stored(h: Harness) -> None:
    await h.command("takeaway " + "x" * 5000, user=MEMBER)

    assert "at most" in h.last_whisper(MEMBER)
    assert await takeaways(h) == []


async def test_undo_removes_the_take_home(h: Harness) -> None:
    await h.command("takeaway Fortryd mig", user=MEMBER)

    await h.click(ephemeral_message(h, MEMBER), "takeaway_undo", user=MEMBER)

    assert await takeaways(h) == []
    assert "removed" in h.last_whisper(MEMBER)


async def test_only_the_author_can_undo(h: Harness) -> None:
    await h.command("takeaway Min egen", user=MEMBER)

    await h.click(ephemeral_message(h, MEMBER), "takeaway_undo", user=OTHER)

    assert len(await takeaways(h)) == 1
    assert "only its author" in h.last_whisper(OTHER)


async def test_author_edits_the_text_in_a_modal(h: Harness) -> None:
    await h.command("takeaway Første udkast", user=MEMBER)
    await h.click(ephemeral_message(h, MEMBER), "takeaway_edit", user=MEMBER)
    view = opened_view(h)
    assert view["blocks"][0]["element"]["initial_value"] == "Første udkast"

    # Modal input arrives as typed (Slack does not escape it): stored as is, escaped once out.
    edited = "Endelig udgave 🎉 <b> & mere"
    await h.submit(view, {"text": {"text": {"value": edited}}}, user=MEMBER)

    [saved] = await takeaways(h)
    assert saved.text == edited
    assert saved.edited_at is not None
    await h.command("summary")
    assert "Endelig udgave 🎉 &lt;b&gt; &amp; mere" in h.last_post().text


async def test_editing_to_empty_text_shows_a_field_error_and_keeps_the_text(h: Harness) -> None:
    await h.command("takeaway Bliver", user=MEMBER)
    await h.click(ephemeral_message(h, MEMBER), "takeaway_edit", user=MEMBER)

    reply = await h.submit(opened_view(h), {"text": {"text": {"value": "  "}}}, user=MEMBER)

    assert reply.json()["response_action"] == "errors"
    assert (await takeaways(h))[0].text == "Bliver"


async def test_someone_else_cannot_edit(h: Harness) -> None:
    await h.command("takeaway Min tekst", user=MEMBER)

    await h.click(ephemeral_message(h, MEMBER), "takeaway_edit", user=OTHER)

    assert h.slack.calls_to("views.open") == []
    assert "only its author" in h.last_whisper(OTHER)


async def test_takeaway_list_shows_own_take_homes_with_delete(h: Harness) -> None:
    await h.command("takeaway Min første", user=MEMBER)
    await h.command("takeaway Andens", user=OTHER)
    await h.command("takeaway list", user=MEMBER)

    listing = ephemeral_message(h, MEMBER)
    shown = "\n".join(section_texts([listing]))
    assert "Min første" in shown
    assert "Andens" not in shown
    await h.click(listing, "takeaway_undo", user=MEMBER)
    assert [t.text for t in await takeaways(h)] == ["Andens"]


# --- message shortcut ----------------------------------------------------------------------------


async def test_message_shortcut_saves_the_message_text_for_the_clicker(h: Harness) -> None:
    meeting = await add_meeting(h)
    message = h.slack.post_as_user(CHANNEL, OTHER, "Vi bør måle HbA1c hver 3. måned")

    await h.shortcut("save_takeaway", message, user=MEMBER)

    [saved] = await takeaways(h)
    assert (saved.text, saved.author_id, saved.meeting_id) == (
        "Vi bør måle HbA1c hver 3. måned",
        MEMBER,
        meeting.id,
    )
    assert saved.message_ts == message.ts
    assert "Vi bør måle HbA1c" in h.last_whisper(MEMBER)


async def test_message_shortcut_reads_slacks_escaped_text_once(h: Harness) -> None:
    typed = "HbA1c < 53 & BT > 140: se https://dsam.dk/kol?a=1&b=2 og spørg <@U0DOC04>"
    message = h.slack.post_as_user(CHANNEL, OTHER, escape_typed(typed))
    assert "&lt; 53 &amp; BT &gt; 140" in message.text  # as Slack keeps it
    assert "<https://dsam.dk/kol?a=1&amp;b=2>" in message.text

    await h.shortcut("save_takeaway", message, user=MEMBER)

    [saved] = await takeaways(h)
    assert saved.text == typed
    assert (
        "HbA1c &lt; 53 &amp; BT &gt; 140: se https://dsam.dk/kol?a=1&amp;b=2 og spørg <@U0DOC04>"
        in (h.last_whisper(MEMBER))
    )


async def test_message_shortcut_twice_does_not_double(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Én gang")

    await h.shortcut("save_takeaway", message, user=MEMBER)
    await h.shortcut("save_takeaway", message, user=MEMBER)

    assert len(await takeaways(h)) == 1
    assert "already saved" in h.last_whisper(MEMBER)


async def test_message_shortcut_outside_a_cluster_explains(h: Harness) -> None:
    message = h.slack.post_as_user(OTHER_CHANNEL, OTHER, "Ikke en klynge")

    await h.shortcut("save_takeaway", message, user=MEMBER)

    assert await takeaways(h) == []
    assert "not a quality cluster" in h.last_whisper(MEMBER)


# --- emoji reaction ------------------------------------------------------------------------------


async def test_house_reaction_marks_a_message_and_reads_only_that_message(h: Harness) -> None:
    h.slack.post_as_user(CHANNEL, THIRD, "En ældre besked, der ikke må læses")
    # Slack keeps (and returns) a message's text escaped: "Tjekliste &lt;før&gt; &amp; efter".
    message = h.slack.post_as_user(CHANNEL, OTHER, escape_typed("Tjekliste <før> & efter"))
    h.slack.post_as_user(CHANNEL, THIRD, "En nyere besked")

    await h.event(reaction(MEMBER, message))

    [saved] = await takeaways(h)
    assert (saved.text, saved.author_id, saved.source) == (
        "Tjekliste <før> & efter",
        MEMBER,
        "reaction",
    )
    [history] = h.slack.calls_to("conversations.history")
    assert history.args["latest"] == message.ts
    assert int(history.args["limit"]) == 1
    assert "Tjekliste &lt;før&gt; &amp; efter" in h.last_whisper(MEMBER)


async def test_reaction_on_a_thread_reply_saves_the_reply(h: Harness) -> None:
    parent = h.slack.post_as_user(CHANNEL, OTHER, "Tråd")
    reply = h.slack.post_as_user(CHANNEL, THIRD, "Svar i tråden", thread_ts=parent.ts)

    await h.event(reaction(MEMBER, reply))

    assert [t.text for t in await takeaways(h)] == ["Svar i tråden"]


async def test_removing_the_reaction_unmarks_the_message(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Midlertidig")
    await h.event(reaction(MEMBER, message))

    await h.event(unreaction(MEMBER, message))

    assert await takeaways(h) == []


async def test_duplicate_reactions_and_event_retries_never_double(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Kun én gang")

    await h.event(reaction(MEMBER, message), event_id="Ev0001")
    await h.event(reaction(MEMBER, message), event_id="Ev0001", retry=1)
    await h.event(reaction(MEMBER, message), event_id="Ev0002")

    assert len(await takeaways(h)) == 1


async def test_a_late_retry_of_the_added_event_does_not_bring_back_an_unmarked_message(
    h: Harness,
) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Væk igen")
    await h.event(reaction(MEMBER, message), event_id="EvAdd")
    await h.event(unreaction(MEMBER, message), event_id="EvRemove")

    await h.event(reaction(MEMBER, message), event_id="EvAdd", retry=2)

    assert await takeaways(h) == []


async def test_a_message_the_bot_cannot_read_is_explained_not_crashed(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Hemmelig")
    h.slack.fail("conversations.history", error="not_in_channel")

    await h.event(reaction(MEMBER, message))

    assert await takeaways(h) == []
    assert "couldn't read that message" in h.last_whisper(MEMBER)


async def test_other_emoji_are_ignored(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Tommel op")

    await h.event(reaction(MEMBER, message, "thumbsup"))

    assert await takeaways(h) == []
    assert h.slack.calls_to("conversations.history") == []


async def test_coordinator_chooses_another_emoji(h: Harness) -> None:
    message = h.slack.post_as_user(CHANNEL, OTHER, "Med hus-emoji")

    await h.command("takeaway emoji :hus:")
    await h.event(reaction(MEMBER, message, "house"))
    await h.event(reaction(MEMBER, message, "hus::skin-tone-2"))

    [saved] = await takeaways(h)
    assert saved.text == "Med hus-emoji"
    assert ":hus:" in h.last_post().text


async def test_only_coordinators_choose_the_emoji_and_bad_names_are_refused(h: Harness) -> None:
    await h.command("takeaway emoji :hus:", user=MEMBER)
    assert "Only the cluster's coordinators" in h.last_whisper(MEMBER)

    await h.command("takeaway emoji to ord")
    assert "/klynge takeaway emoji :house:" in h.last_whisper()

    cluster = await cluster_of(h)
    async with h.db.session() as session:
        assert (await store.get_settings(session, cluster_id=cluster.id or 0)).emoji == "house"


async def test_reacting_to_the_bots_own_post_is_not_saved(h: Harness) -> None:
    await h.event(reaction(MEMBER, h.last_post()))

    assert await takeaways(h) == []
    assert "not my own posts" in h.last_whisper(MEMBER)


async def test_takeaway_starting_with_the_word_list_is_saved_not_listed(h: Harness) -> None:
    await h.command("takeaway list patienter til årskontrol", user=MEMBER)

    assert [t.text for t in await takeaways(h)] == ["list patienter til årskontrol"]


# --- Danish --------------------------------------------------------------------------------------


async def test_danish_cluster_gets_danish_confirmation(harness: Harness) -> None:
    await harness.setup_cluster("--language da")

    await harness.command("takeaway Hej", user=MEMBER)

    assert "Din pointe er gemt" in harness.last_whisper(MEMBER)
