"""Many workspaces from one deployment: each installs the bot through Slack's OAuth flow, and
from then on everything done for a workspace — answers, posts, scheduled reminders — uses that
workspace's own bot token. A workspace that uninstalls the bot is forgotten."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Table
from sqlmodel import col, func, select

from bot.fakeslack.auth import CLIENT_ID, CLIENT_SECRET
from bot.fakeslack.driver import SlackDriver
from bot.fakeslack.model import Call
from storage.clusters import Cluster
from storage.installations import bots, installations
from storage.jobs import Job
from tests.harness import CHANNEL, COORDINATOR, SIGNING_SECRET, Harness

SOUTH = "T0SOUTH"
SOUTH_CHANNEL = "C0SOUTH"
SOUTH_DOCTORS = [f"U0SYD{number:02d}" for number in range(1, 5)]
NORTH = "T0KLYNGE"  # the fake's own workspace, where the harness's cluster channel is
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
async def region(database_url: str) -> AsyncIterator[Harness]:
    """The bot for many workspaces (client id and secret, no bot token), before any install,
    and a Slack that takes only the tokens it issued."""
    async with Harness(database_url) as h:
        h.clock.set(NOW)
        h.slack.workspaces.accept_any = False
        h.slack.workspaces.add(SOUTH, "Klynge Syd")
        for user in SOUTH_DOCTORS:
            h.slack.add_user(user, f"Læge {user}", team_id=SOUTH)
        h.slack.add_channel(SOUTH_CHANNEL, "klynge-syd", SOUTH_DOCTORS, team_id=SOUTH)
        await h.stop_bot()
        await h.start_bot(bot_token="", client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
        yield h


async def _install_link(h: Harness) -> tuple[str, dict[str, list[str]]]:
    assert h.bot is not None
    assert h._session is not None
    async with h._session.get(h.bot.url + "/slack/install") as page:
        assert page.status == 200
        body = await page.text()
    found = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', body)
    assert found, "the install page has no Add to Slack link"
    link = html.unescape(found.group(1))
    return link, parse_qs(urlsplit(link).query)


async def _finish_install(h: Harness, *, code: str, state: str) -> int:
    """The browser comes back from Slack to the redirect URL (with Bolt's state cookie)."""
    assert h.bot is not None
    assert h._session is not None
    async with h._session.get(
        h.bot.url + "/slack/oauth_redirect",
        params={"code": code, "state": state},
        headers={"Cookie": f"slack-app-oauth-state={state}"},
    ) as page:
        return page.status


async def _install(h: Harness, team: str, user: str) -> None:
    """``user`` adds the bot to ``team`` through the install link."""
    _, query = await _install_link(h)
    code = h.slack.workspaces.authorize(team, user=user)
    assert await _finish_install(h, code=code, state=query["state"][0]) == 200


def _installed_token(h: Harness, team: str) -> str:
    """The one bot token Slack issued to ``team`` at its install."""
    issued = [
        token
        for token, owner in h.slack.workspaces.tokens.items()
        if owner == team and token != "xoxb-test-token"
    ]
    assert len(issued) == 1
    return issued[0]


def _driver(h: Harness, team: str) -> SlackDriver:
    assert h.bot is not None
    assert h._session is not None
    return SlackDriver(
        bot_url=h.bot.url,
        signing_secret=SIGNING_SECRET,
        slack=h.slack,
        session=h._session,
        team_id=team,
    )


async def _command(h: Harness, team: str, text: str, *, user: str, channel: str) -> None:
    """``/klynge text`` from ``user`` in ``team``'s ``channel``; waits until the bot is done."""
    reply = await _driver(h, team).command(text, user=user, channel=channel)
    assert reply.status == 200
    await h.settle()


# Each workspace's cluster channel and its coordinator.
CLUSTERS = ((NORTH, CHANNEL, COORDINATOR), (SOUTH, SOUTH_CHANNEL, SOUTH_DOCTORS[0]))


async def _two_clusters(h: Harness, *commands: str) -> None:
    """Both workspaces install the bot, then each coordinator runs ``commands`` in turn."""
    for team, _, user in CLUSTERS:
        await _install(h, team, user=user)
    for team, channel, user in CLUSTERS:
        for text in commands:
            await _command(h, team, text, user=user, channel=channel)


def _posts_to(h: Harness, channel: str) -> list[Call]:
    return [
        call for call in h.slack.calls_to("chat.postMessage") if call.args.get("channel") == channel
    ]


async def _count(h: Harness, table: Table, team: str) -> int:
    """Rows of ``table`` about workspace ``team``."""
    async with h.db.session() as session:
        counted = select(func.count()).select_from(table).where(table.c.team_id == team)
        return int((await session.exec(counted)).one())


async def test_install_link_carries_the_client_id_the_scopes_and_a_state(region: Harness) -> None:
    link, query = await _install_link(region)

    assert link.startswith("https://slack.com/oauth/v2/authorize?")
    assert query["client_id"] == [CLIENT_ID]
    scopes = query["scope"][0].split(",")
    assert {"commands", "chat:write", "users:read"} <= set(scopes)
    assert len(query["state"][0]) >= 16


async def test_each_workspace_is_answered_and_reminded_with_its_own_token(
    region: Harness,
) -> None:
    h = region
    await _two_clusters(h, "setup", "meeting add 2026-11-10 16:00 Diabetes --remind 1d")
    north_token, south_token = _installed_token(h, NORTH), _installed_token(h, SOUTH)
    assert north_token != south_token

    assert {call.token for call in _posts_to(h, CHANNEL)} == {north_token}
    assert {call.token for call in _posts_to(h, SOUTH_CHANNEL)} == {south_token}
    assert "Diabetes" in h.whispers(COORDINATOR)[-1]
    assert "Diabetes" in h.whispers(SOUTH_DOCTORS[0])[-1]

    posted_before = len(h.slack.calls_to("chat.postMessage"))
    h.clock.set(datetime(2026, 11, 9, 15, 0, 30, tzinfo=UTC))  # a day before, Copenhagen time
    await h.run_jobs()

    # The reminders in the channels, and the facilitators' checklists in direct messages.
    posted = h.slack.calls_to("chat.postMessage")[posted_before:]
    by_channel = {call.args["channel"]: call.token for call in posted}
    assert by_channel[CHANNEL] == north_token
    assert by_channel[SOUTH_CHANNEL] == south_token
    # A DM goes to the user id (the app's DM with them) or to their D… channel.
    south_places = {SOUTH_CHANNEL, *SOUTH_DOCTORS, *(f"D{user}" for user in SOUTH_DOCTORS)}
    for channel, token in by_channel.items():
        assert token == (south_token if channel in south_places else north_token), channel
    # Every Web API call carried one of the two (not response_url posts or file uploads, which
    # need none; oauth.v2.access goes with the app's client id and secret).
    tokenless = {"response_url", "upload", "oauth.v2.access"}
    used = {call.token for call in h.slack.calls if call.method not in tokenless}
    assert used == {north_token, south_token}


async def test_a_workspace_that_has_not_installed_the_bot_gets_nothing_done(
    region: Harness,
) -> None:
    await _install(region, NORTH, user=COORDINATOR)

    await _command(region, SOUTH, "setup", user=SOUTH_DOCTORS[0], channel=SOUTH_CHANNEL)

    assert "not installed in this Slack workspace" in region.last_whisper(SOUTH_DOCTORS[0])
    assert "ikke installeret" in region.last_whisper(SOUTH_DOCTORS[0])
    assert not _posts_to(region, SOUTH_CHANNEL)
    async with region.db.session() as session:
        teams = (await session.exec(select(Cluster.team_id))).all()
    assert list(teams) == []


async def test_an_install_link_works_once_and_a_made_up_state_not_at_all(
    region: Harness,
) -> None:
    _, query = await _install_link(region)
    state = query["state"][0]
    first = region.slack.workspaces.authorize(SOUTH, user=SOUTH_DOCTORS[0])
    again = region.slack.workspaces.authorize(SOUTH, user=SOUTH_DOCTORS[0])
    forged = region.slack.workspaces.authorize(SOUTH, user=SOUTH_DOCTORS[0])

    assert await _finish_install(region, code=first, state=state) == 200
    assert await _finish_install(region, code=again, state=state) != 200
    assert await _finish_install(region, code=forged, state="made-up-state") != 200
    assert await _count(region, bots, SOUTH) == 1


async def test_a_workspace_that_uninstalls_the_bot_is_forgotten_and_the_others_kept(
    region: Harness,
) -> None:
    h = region
    await _two_clusters(h, "setup", "meeting add 2026-11-10 16:00 Diabetes")
    assert await _count(h, Job.__table__, SOUTH) > 0  # type: ignore[arg-type]

    h.slack.workspaces.revoke(SOUTH)  # Slack revokes the token, then tells the app
    reply = await _driver(h, SOUTH).event({"type": "app_uninstalled"})
    await h.settle()

    assert reply.status == 200
    async with h.db.session() as session:
        teams = (await session.exec(select(Cluster.team_id))).all()
        jobs_left = (await session.exec(select(Job.team_id))).all()
    assert list(teams) == [NORTH]
    assert set(jobs_left) == {NORTH}
    assert await _count(h, installations, SOUTH) == 0
    assert await _count(h, bots, SOUTH) == 0
    assert await _count(h, bots, NORTH) == 1


async def test_jobs_remember_the_workspace_they_were_planned_in(region: Harness) -> None:
    h = region
    await _install(h, SOUTH, user=SOUTH_DOCTORS[0])
    for text in ("setup", "meeting add 2026-11-10 16:00 Diabetes"):
        await _command(h, SOUTH, text, user=SOUTH_DOCTORS[0], channel=SOUTH_CHANNEL)

    async with h.db.session() as session:
        kinds = (await session.exec(select(Job.kind, Job.team_id).order_by(col(Job.id)))).all()
    assert {kind for kind, _ in kinds} >= {"reminder"}
    assert {team for _, team in kinds} == {SOUTH}
