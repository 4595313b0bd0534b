"""Pure pieces of looking people up in Slack: reading an answer, an expiring cache.

No I/O here: ``bot/directory.py`` makes the calls. Times are monotonic seconds from a clock the
caller gives, so tests can move them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# When a 429 carries no usable Retry-After, wait as long as Slack's window.
DEFAULT_RETRY_AFTER = 60.0


def retry_after(headers: Mapping[str, Any] | Iterable[tuple[str, Any]] | None) -> float:
    """The seconds a 429's Retry-After header asks for (DEFAULT_RETRY_AFTER if unreadable)."""
    items = headers.items() if isinstance(headers, Mapping) else headers or []
    for name, value in items:
        if str(name).lower() == "retry-after":
            try:
                return max(0.0, float(str(value)))
            except ValueError:
                break
    return DEFAULT_RETRY_AFTER


@dataclass(frozen=True)
class Profile:
    """What one users.info answer says about a user; kept in memory only, never stored."""

    user_id: str
    is_person: bool
    name: str
    email: str | None


def profile_of(user_id: str, user: Mapping[str, Any] | None) -> Profile:
    """The profile in a users.info ``user`` object; None (Slack doesn't know them) is nobody."""
    if user is None:
        return Profile(user_id, is_person=False, name=user_id, email=None)
    profile = user.get("profile")
    details: Mapping[str, Any] = profile if isinstance(profile, Mapping) else {}
    email = details.get("email")
    return Profile(
        user_id,
        is_person=not (user.get("is_bot") or user.get("deleted") or user.get("is_app_user")),
        name=str(user.get("real_name") or details.get("real_name") or user_id),
        email=email if isinstance(email, str) else None,
    )


class ProfileCache:
    """Profiles for ``ttl`` seconds after Slack gave them; older ones are forgotten."""

    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        self.ttl = ttl
        self.clock = clock
        self._kept: dict[str, tuple[float, Profile]] = {}

    def get(self, user_id: str) -> Profile | None:
        kept = self._kept.get(user_id)
        if kept is None:
            return None
        if kept[0] <= self.clock():
            del self._kept[user_id]
            return None
        return kept[1]

    def refresh(self, profile: Profile) -> None:
        """A newer profile for someone already kept (nobody new is kept this way)."""
        if self.get(profile.user_id) is not None:
            self.put(profile)

    def put(self, profile: Profile) -> None:
        now = self.clock()
        if len(self._kept) >= 1000:  # a sweep now and then keeps it to the people still in use
            self._kept = {key: kept for key, kept in self._kept.items() if kept[0] > now}
        self._kept[profile.user_id] = (now + self.ttl, profile)

    def __len__(self) -> int:
        return len(self._kept)
