"""What erasing says: the channel post about freed turns names nobody who was erased, the
answer lists only what went, and someone with no data in the cluster is told so before any
Erase button; both languages."""

from __future__ import annotations

import re

import pytest

from handlers.cluster.erasure import ERASE_ACTION
from tests.e2e.erasure_helpers import OTHER, held_by, populate, private_question
from tests.harness import COORDINATOR, MEMBER, OTHER_BOT, Harness

CHANGED = {"en": "facilitator plan changed", "da": "Tovholderplanen er ændret"}
HANDED_ON = {"en": "(handed on)", "da": "(givet videre)"}
WAS_NOBODY = {"en": "(was nobody yet)", "da": "(før ingen endnu)"}
ZERO = re.compile(r"(?<![\d.,])0 ")


def asked_to_erase(h: Harness, user: str) -> bool:
    return any(ERASE_ACTION in str(item.blocks) for item in h.slack.ephemerals_for(user))


@pytest.mark.parametrize("language", ["en", "da"])
async def test_the_post_about_an_erased_members_turns_says_handed_on_and_names_nobody(
    database_url: str, language: str
) -> None:
    async with Harness(database_url, language=language) as h:
        await populate(h)
        assert (await held_by(h, MEMBER))["turns"] > 0
        posts = len(h.posts())

        await h.command("my data delete", user=MEMBER)
        await h.click(private_question(h, MEMBER), ERASE_ACTION, user=MEMBER)

        [post] = [m.text for m in h.posts()[posts:] if CHANGED[language] in m.text]
        assert HANDED_ON[language] in post
        assert WAS_NOBODY[language] not in post  # the member did hold those turns
        assert f"<@{MEMBER}>" not in post


@pytest.mark.parametrize(
    ("language", "command", "answer"),
    [
        ("en", "member forget", f"<@{OTHER_BOT}> has no data in this cluster."),
        ("da", "medlem glem", f"<@{OTHER_BOT}> har ingen data i klyngen."),
    ],
)
async def test_forgetting_someone_without_data_says_so_and_asks_nothing(
    database_url: str, language: str, command: str, answer: str
) -> None:
    async with Harness(database_url, language=language) as h:
        await populate(h)

        await h.command(f"{command} <@{OTHER_BOT}>")
        assert h.last_whisper(COORDINATOR) == answer
        await h.command(f"{command} <@U0NEVERHERE>")
        assert "U0NEVERHERE" in h.last_whisper(COORDINATOR)

        assert not asked_to_erase(h, COORDINATOR)
        await h.command(f"{command} <@{OTHER}>")  # someone with data is asked as before
        assert asked_to_erase(h, COORDINATOR)


@pytest.mark.parametrize(
    ("language", "listed", "left_out", "nothing_left", "no_data"),
    [
        (
            "en",
            "1 RSVP, 1 check-in, 2 texts (take-home messages, decisions and instructions), "
            "votes in 1 poll, ",
            "places in breakout groups",
            "You had no data left in",
            "You have no data in this cluster.",
        ),
        (
            "da",
            "1 tilmelding eller afbud, 1 check-in, 2 tekster (pointer, beslutninger og "
            "instrukser), stemmer i 1 afstemning, ",
            "pladser i grupper",
            "Du havde ingen data tilbage i",
            "Du har ingen data i klyngen.",
        ),
    ],
)
async def test_the_answer_lists_only_what_went_and_says_so_when_nothing_was_left(
    database_url: str,
    language: str,
    listed: str,
    left_out: str,
    nothing_left: str,
    no_data: str,
) -> None:
    async with Harness(database_url, language=language) as h:
        await populate(h)  # no breakout: MEMBER has no seats
        await h.command("my data delete", user=MEMBER)
        question = private_question(h, MEMBER)

        await h.click(question, ERASE_ACTION, user=MEMBER)
        answer = h.last_whisper(MEMBER)
        assert listed in answer
        assert left_out not in answer
        assert not ZERO.search(answer), answer
        assert answer.count(" and " if language == "en" else " og ") >= 1

        await h.click(question, ERASE_ACTION, user=MEMBER)  # the same button again
        assert nothing_left in h.last_whisper(MEMBER)

        await h.command("my data delete", user=MEMBER)  # before the next refresh
        assert h.last_whisper(MEMBER) == no_data
