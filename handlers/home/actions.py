"""The coordinator's buttons on the App Home: New meeting, New poll, Start meeting.

Each button carries its cluster's id (the Home tab spans all of a person's clusters), and every
click checks that the clicker coordinates THAT cluster. The work itself is the features' own:
the "New meeting" modal runs ``/klynge meeting add``, "New poll" opens the polls feature's
modal, "Start meeting" runs ``/klynge start``. Answers go privately to the cluster's channel.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.webhook import WebhookResponse

from bot.commands import Arguments, Token
from bot.deps import Deps, deps_of
from bot.errors import UserError
from bot.feedback import view_metadata
from bot.i18n import Text
from bot.mrkdwn import escape
from bot.numbers import is_number
from bot.privacy import CPR_REFUSED, has_cpr_number
from bot.slack import direct_messages
from bot.when import parse_date, parse_meeting_start, parse_time
from handlers.home import blocks as kit
from handlers.meetings.common import parse_zoom_url
from handlers.meetings.texts import TITLE_TOO_LONG
from handlers.polls import modals as poll_modals
from handlers.router import CommandContext, CommandRouter
from handlers.wiring import Wiring
from storage.clusters import Cluster, coordinator_ids, get_cluster_by_id

log = logging.getLogger(__name__)

Ack = Callable[..., Awaitable[None]]

NOT_COORDINATOR = Text(
    en=":lock: Only the coordinators of *{cluster}* can do that. Ask one of them: {coordinators}.",
    da=":lock: Kun koordinatorerne i *{cluster}* kan gøre det. Spørg en af dem: {coordinators}.",
)
CLUSTER_GONE = Text(
    en="That cluster no longer exists. Open the Home tab again to see your clusters.",
    da="Den klynge findes ikke længere. Åbn fanen Hjem igen for at se dine klynger.",
)
TITLE_NEEDED = Text(en="Give the meeting a title.", da="Giv mødet en titel.")


class PrivateAnswer(AsyncRespond):
    """A sub-command's private reply when it runs from the Home tab (there is no response_url):
    a direct message, since the person is looking at the Home tab, not at the channel."""

    def __init__(self, deps: Deps, *, channel: str, user: str) -> None:
        super().__init__(response_url=None)
        self.deps = deps
        self.channel = channel
        self.user = user

    async def __call__(  # type: ignore[override]  # only text and blocks matter here
        self, text: str | dict[str, Any] = "", blocks: Sequence[Any] | None = None, **_: Any
    ) -> WebhookResponse:
        await tell(self.deps, self.channel, self.user, str(text), blocks=blocks)
        return WebhookResponse(url="", status_code=200, body="ok", headers={})


async def tell(
    deps: Deps, channel: str, user: str, text: str, *, blocks: Sequence[Any] | None = None
) -> None:
    """Answer ``user``'s click on the Home tab of the cluster in ``channel``: as a direct
    message, because an ephemeral in the channel reaches only someone looking at it; never raises.
    """
    await direct_messages(deps.client, [user], text, blocks=list(blocks) if blocks else None)


async def _direct_message(deps: Deps, user: str, text: str) -> None:
    """A DM (when there is no cluster channel to answer in); never raises."""
    await direct_messages(deps.client, [user], text)


@dataclass(frozen=True)
class Clicked:
    """The cluster a Home button or modal belongs to, and whether the clicker coordinates it."""

    cluster: Cluster
    user: str
    is_coordinator: bool
    coordinators: list[str]

    def refusal(self) -> str:
        mentions = ", ".join(f"<@{user}>" for user in self.coordinators)
        return NOT_COORDINATOR.render(
            self.cluster.language, cluster=escape(self.cluster.name), coordinators=mentions
        )


async def _clicked(deps: Deps, body: Mapping[str, Any], raw_id: object) -> Clicked | None:
    user = str(body["user"]["id"])
    team = str((body.get("team") or {}).get("id") or body["user"].get("team_id") or "")
    text = str(raw_id or "")
    if not is_number(text, digits=12):
        return None
    async with deps.db.session() as session:
        cluster = await get_cluster_by_id(session, int(text))
        if cluster is None or cluster.id is None or cluster.team_id != team:
            return None
        coordinators = await coordinator_ids(session, cluster_id=cluster.id)
    return Clicked(cluster, user, user in coordinators, coordinators)


async def _coordinator_click(deps: Deps, body: Mapping[str, Any]) -> Clicked | None:
    """The clicked button's cluster if the clicker coordinates it; else tells them why not."""
    action = (body.get("actions") or [{}])[0]
    clicked = await _clicked(deps, body, action.get("value"))
    user = str(body["user"]["id"])
    if clicked is None:
        await _direct_message(deps, user, CLUSTER_GONE.render(deps.settings.language))
        return None
    if not clicked.is_coordinator:
        await tell(deps, clicked.cluster.channel_id, user, clicked.refusal())
        return None
    return clicked


def _context(
    deps: Deps, router: CommandRouter, words: str, clicked: Clicked, args: Arguments
) -> CommandContext:
    """A ``/klynge`` invocation of ``words`` by the clicker in the cluster's channel."""
    cluster = clicked.cluster
    return router.context_for(
        deps,
        words,
        cluster=cluster,
        user=clicked.user,
        respond=PrivateAnswer(deps, channel=cluster.channel_id, user=clicked.user),
        is_coordinator=clicked.is_coordinator,
        args=args,
    )


async def _run(deps: Deps, context: CommandContext, clicked: Clicked) -> None:
    try:
        await context.subcommand.run(context)
    except UserError as error:
        await tell(deps, clicked.cluster.channel_id, clicked.user, error.render(context.language))


# --- the New meeting modal -----------------------------------------------------------------------


def _value(values: Mapping[str, Any], block_id: str) -> str:
    field = (values.get(block_id) or {}).get("value") or {}
    found = field.get("selected_date") or field.get("selected_time") or field.get("value") or ""
    return str(found).strip()


@dataclass(frozen=True)
class MeetingForm:
    date: str
    time: str
    title: str
    zoom: str | None


def check_meeting_form(
    values: Mapping[str, Any], cluster: Cluster, now: Any
) -> MeetingForm | dict[str, str]:
    """The modal's fields checked by the rules of ``/klynge meeting add``; field errors if not."""
    language = cluster.language
    tz = ZoneInfo(cluster.timezone)
    errors: dict[str, str] = {}
    date_text, time_text = _value(values, kit.DATE_FIELD), _value(values, kit.TIME_FIELD)
    try:
        parse_date(date_text, today=now.astimezone(tz).date())
    except UserError as error:
        errors[kit.DATE_FIELD] = error.render(language)
    try:
        parse_time(time_text)
    except UserError as error:
        errors[kit.TIME_FIELD] = error.render(language)
    if not errors:
        try:
            parse_meeting_start(date_text, time_text, tz=tz, now=now)
        except UserError as error:
            errors[kit.DATE_FIELD] = error.render(language)
    title = " ".join(_value(values, kit.TITLE_FIELD).split())
    if not title:
        errors[kit.TITLE_FIELD] = TITLE_NEEDED.render(language)
    elif len(title) > kit.MAX_TITLE:
        errors[kit.TITLE_FIELD] = TITLE_TOO_LONG.render(
            language, length=len(title), limit=kit.MAX_TITLE
        )
    elif has_cpr_number(title):
        errors[kit.TITLE_FIELD] = CPR_REFUSED.render(language)
    zoom = _value(values, kit.ZOOM_FIELD) or None
    if zoom is not None:
        try:
            zoom = parse_zoom_url(zoom)
        except UserError as error:
            errors[kit.ZOOM_FIELD] = error.render(language)
    if errors:
        return errors
    return MeetingForm(date=date_text, time=time_text, title=title, zoom=zoom)


# --- listeners -----------------------------------------------------------------------------------


def register(app: AsyncApp, wiring: Wiring) -> None:
    router = wiring.commands

    async def on_new_meeting(ack: Ack, body: dict[str, Any], context: Any) -> None:
        await ack()
        deps = deps_of(context)
        clicked = await _coordinator_click(deps, body)
        if clicked is None:
            return
        cluster = clicked.cluster
        view = kit.new_meeting_modal(
            cluster.id or 0, cluster.name, cluster.language, cluster.timezone
        )
        await deps.client.views_open(trigger_id=body["trigger_id"], view=view)

    async def on_new_poll(ack: Ack, body: dict[str, Any], context: Any) -> None:
        await ack()
        deps = deps_of(context)
        clicked = await _coordinator_click(deps, body)
        if clicked is None:
            return
        view = poll_modals.create_modal(clicked.cluster.channel_id, clicked.cluster.language)
        await deps.client.views_open(trigger_id=body["trigger_id"], view=view)

    async def on_start_meeting(ack: Ack, body: dict[str, Any], context: Any) -> None:
        await ack()
        deps = deps_of(context)
        clicked = await _coordinator_click(deps, body)
        if clicked is None:
            return
        await _run(deps, _context(deps, router, "start", clicked, Arguments()), clicked)

    async def on_new_meeting_submit(ack: Ack, body: dict[str, Any], context: Any) -> None:
        deps = deps_of(context)
        view = body.get("view") or {}
        metadata = view_metadata(view)
        clicked = await _clicked(deps, body, metadata.get("cluster_id"))
        if clicked is None or not clicked.is_coordinator:
            refusal = clicked.refusal() if clicked else CLUSTER_GONE.render(deps.settings.language)
            await ack(response_action="errors", errors={kit.TITLE_FIELD: refusal})
            return
        values = (view.get("state") or {}).get("values") or {}
        form = check_meeting_form(values, clicked.cluster, deps.clock())
        if isinstance(form, dict):
            await ack(response_action="errors", errors=form)
            return
        await ack()
        words = [Token(form.date), Token(form.time), Token(form.title, quoted=True)]
        args = Arguments(positional=words, flags={"zoom": form.zoom} if form.zoom else {})
        await _run(deps, _context(deps, router, "meeting add", clicked, args), clicked)

    app.action(kit.NEW_MEETING_ACTION)(on_new_meeting)
    app.action(kit.NEW_POLL_ACTION)(on_new_poll)
    app.action(kit.START_MEETING_ACTION)(on_start_meeting)
    app.view(kit.NEW_MEETING_VIEW)(on_new_meeting_submit)
