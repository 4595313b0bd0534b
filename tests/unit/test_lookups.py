"""Reading users.info answers, keeping them an hour, honouring Retry-After."""

from __future__ import annotations

from typing import Any

import pytest

from bot.lookups import (
    DEFAULT_RETRY_AFTER,
    Profile,
    ProfileCache,
    profile_of,
    retry_after,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "30"}, 30.0),
        ({"retry-after": "7"}, 7.0),
        ([("RETRY-AFTER", "2")], 2.0),
        ({"Retry-After": "soon"}, DEFAULT_RETRY_AFTER),
        ({}, DEFAULT_RETRY_AFTER),
        (None, DEFAULT_RETRY_AFTER),
    ],
)
def test_retry_after_is_read_from_the_header(headers: Any, seconds: float) -> None:
    assert retry_after(headers) == seconds


def _user(**changes: Any) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": "U1",
        "real_name": "Anne Holm",
        "deleted": False,
        "is_bot": False,
        "is_app_user": False,
        "profile": {"real_name": "Anne Holm", "email": "anne@klinik.dk"},
    }
    user.update(changes)
    return user


def test_an_active_human_is_a_person_with_name_and_email() -> None:
    assert profile_of("U1", _user()) == Profile("U1", True, "Anne Holm", "anne@klinik.dk")


@pytest.mark.parametrize("flag", ["deleted", "is_bot", "is_app_user"])
def test_bots_apps_and_deactivated_accounts_are_not_people(flag: str) -> None:
    assert not profile_of("U1", _user(**{flag: True})).is_person


def test_a_user_slack_does_not_know_is_nobody() -> None:
    assert profile_of("U9", None) == Profile("U9", False, "U9", None)


def test_a_profile_without_email_or_name_falls_back() -> None:
    profile = profile_of("U1", _user(real_name="", profile=None))

    assert (profile.name, profile.email) == ("U1", None)


def test_profiles_are_forgotten_after_their_time() -> None:
    clock = Clock()
    cache = ProfileCache(3600, clock)
    cache.put(Profile("U1", True, "Anne", None))

    clock.now += 3599
    assert cache.get("U1") is not None
    clock.now += 2
    assert cache.get("U1") is None
    assert len(cache) == 0


def test_a_newer_profile_replaces_only_someone_already_kept() -> None:
    cache = ProfileCache(3600, Clock())
    cache.put(Profile("U1", True, "Anne", "old@klinik.dk"))

    cache.refresh(Profile("U1", True, "Anne", "new@klinik.dk"))
    cache.refresh(Profile("U2", True, "Bo", "bo@klinik.dk"))

    assert cache.get("U1") == Profile("U1", True, "Anne", "new@klinik.dk")
    assert cache.get("U2") is None
