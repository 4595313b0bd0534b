"""Looking people up in Slack (users.info): paced within Slack's limit, answers kept an hour.

users.info is Tier 4 (about 100 calls a minute per workspace). The directory keeps this process
well under that, asks a few at a time, and keeps each answer in memory for an hour: names and
e-mail addresses are personal data and never go into the database. It has its own Web API
client without slack-sdk's 429 retry, which would sleep out Retry-After (up to a minute, three
times) while a coordinator waits: a 429 here gives up on that one lookup and holds every lookup
until Retry-After has passed. Whoever asked works with what is known.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.lookups import Profile, ProfileCache, profile_of, retry_after
from bot.pacing import Budget
from bot.slack import error_code

log = logging.getLogger(__name__)

# Tier 4 is about 100 a minute per workspace; 80 leaves room for another replica's odd call.
LOOKUPS_PER_MINUTE = 80
LOOKUP_WINDOW = 61.0  # Slack counts a minute; a second more keeps us clear of the edge
AT_ONCE = 8
# How long a command may wait for the pace before going on without an answer.
COMMAND_WAIT = 3.0
PROFILE_TTL = 3600.0  # seconds a name or e-mail address is kept in memory
SLACKBOT = "USLACKBOT"
UNKNOWN_USER = {"user_not_found", "user_not_visible"}


class Directory:
    """``await look_up(user_ids, wait=...)``: the profiles known now or Slack can give in time."""

    def __init__(self, client: AsyncWebClient, *, clock: Callable[[], float] = time.monotonic):
        self.client = client
        self.pacer = Budget(LOOKUPS_PER_MINUTE, clock, window=LOOKUP_WINDOW)
        self.cache = ProfileCache(PROFILE_TTL, clock)
        self._at_once = asyncio.Semaphore(AT_ONCE)

    async def look_up(self, user_ids: Iterable[str], *, wait: float) -> dict[str, Profile]:
        """Profiles of ``user_ids``, from memory or from Slack when a lookup can start within
        ``wait`` seconds; those Slack could not answer just now are left out."""
        deadline = asyncio.get_running_loop().time() + wait
        found: dict[str, Profile] = {}
        asking: list[str] = []
        for user_id in dict.fromkeys(user_ids):
            if user_id == SLACKBOT:
                found[user_id] = profile_of(user_id, None)
            elif (profile := self.cache.get(user_id)) is not None:
                found[user_id] = profile
            else:
                asking.append(user_id)
        answers = await asyncio.gather(*(self._ask(user_id, deadline) for user_id in asking))
        found.update((profile.user_id, profile) for profile in answers if profile is not None)
        return found

    async def _ask(self, user_id: str, deadline: float) -> Profile | None:
        async with self._at_once:
            left = deadline - asyncio.get_running_loop().time()
            delay = self.pacer.reserve(max_wait=max(0.0, left))
            if delay is None:
                return None
            if delay:
                await asyncio.sleep(delay)
            try:
                user = (await self.client.users_info(user=user_id)).get("user")
            except SlackApiError as error:
                if error_code(error) not in UNKNOWN_USER:
                    if error.response.status_code == 429:
                        self.pacer.hold(retry_after(error.response.headers))
                    log.warning("users.info failed for %s: %s", user_id, error_code(error))
                    return None
                user = None
            except (SlackClientError, OSError, TimeoutError) as error:
                log.warning("users.info failed for %s: %s", user_id, error)
                return None
        profile = profile_of(user_id, user if isinstance(user, dict) else None)
        self.cache.put(profile)
        return profile
