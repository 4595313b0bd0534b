"""Pure pieces of looking people up in Slack: pacing calls, reading an answer, an expiring cache.

No I/O here: ``bot/directory.py`` makes the calls. Times are monotonic seconds from a clock the
caller gives, so tests can move them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Slack counts a method's calls per minute; a second more keeps us clear of the edge.
WINDOW = 61.0
# When a 429 carries no usable Retry-After, wait as long as Slack's window.
DEFAULT_RETRY_AFTER = 60.0


class Pacer:
    """At most ``per_minute`` calls in any minute, and none while Slack asked us to wait.

    ``reserve`` books the next free moment and says how long to sleep until then; the caller
    sleeps. Bookings never go back in time, so calls leave in the order they were booked.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float]) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._booked: deque[float] = deque()
        self._held_until = float("-inf")

    def reserve(self, *, max_wait: float) -> float | None:
        """Seconds until a call may go out (booking it), or None (booking nothing) when that
        moment is more than ``max_wait`` seconds away."""
        now = self.clock()
        while self._booked and self._booked[0] <= now - WINDOW:
            self._booked.popleft()
        start = max(now, self._held_until)
        if self._booked:
            start = max(start, self._booked[-1])
        if len(self._booked) >= self.per_minute:
            start = max(start, self._booked[-self.per_minute] + WINDOW)
        if start - now > max_wait:
            return None
        self._booked.append(start)
        return start - now

    def hold(self, seconds: float) -> None:
        """Slack answered 429 with Retry-After ``seconds``: nothing goes out before then."""
        self._held_until = max(self._held_until, self.clock() + seconds)


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
