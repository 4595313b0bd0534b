"""The cluster itself: ``/klynge help``, ``setup`` and ``coordinator add|remove|list``.

The feature's one entry is ``register(app, wiring)``. The parts:

- ``help``          ``/klynge help``: every sub-command, in the order registered here
- ``setup``         ``/klynge setup``: make the channel a cluster, change its language or time zone
- ``coordinators``  ``/klynge coordinator add|remove|list``
- ``mydata``        ``/klynge my data``: what the bot stores about you (``personal``: pure)
- ``erasure``       ``/klynge my data delete``, ``member forget @name``, and erasure after a
                    member left the channel (docs/privacy.md)
- ``members``       keeps the member cache current as people join and leave the channel, and
                    runs the job that checks who among the members is a person
- ``texts``         the user-facing texts
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.commands import FlagKind
from bot.deps import Deps
from bot.i18n import Text
from handlers.cluster import members
from handlers.cluster.coordinators import coordinator_add, coordinator_list, coordinator_remove
from handlers.cluster.erasure import (
    ERASE_ACTION,
    ERASE_CANCEL_ACTION,
    ask_to_erase_own,
    ask_to_forget_member,
    on_cancel,
    on_erase,
)
from handlers.cluster.help import show_help
from handlers.cluster.mydata import my_data
from handlers.cluster.setup import setup_cluster
from handlers.router import HelpTopic, Subcommand
from handlers.wiring import Wiring

TOPIC = HelpTopic(
    name=Text(en="cluster", da="klynge"),
    summary=Text(
        en="set up the cluster, its language and time zone; coordinators",
        da="opret klyngen, sprog og tidszone; koordinatorer",
    ),
    words=("setup", "coordinator", "koordinator", "coordinators", "koordinatorer"),
)


def register(app: AsyncApp, wiring: Wiring) -> None:
    members.register(app, wiring)
    app.action(ERASE_ACTION)(on_erase)
    app.action(ERASE_CANCEL_ACTION)(on_cancel)
    wiring.commands.add(
        Subcommand(
            words=("help",),
            da=("hjælp",),
            run=show_help,
            usage=Text(en="/klynge help [topic]", da="/klynge hjælp [emne]"),
            summary=Text(
                en="the topics; `/klynge help meeting` shows the meeting commands",
                da="emnerne; `/klynge hjælp møde` viser kommandoerne til møder",
            ),
            needs_cluster=False,
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("setup",),
            da=("opret",),
            run=setup_cluster,
            usage=Text(
                en="/klynge setup [--language da] [--timezone Europe/Copenhagen]",
                da="/klynge opret [--sprog da] [--tidszone Europe/Copenhagen]",
            ),
            summary=Text(
                en="make this channel a quality cluster; you become its coordinator",
                da="gør kanalen til en kvalitetsklynge; du bliver klyngekoordinator",
            ),
            needs_cluster=False,
            flags={"language": FlagKind.VALUE, "timezone": FlagKind.VALUE},
            destructive=True,  # changes the language and time zone of a cluster
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("coordinator", "add"),
            da=("koordinator", "tilføj"),
            run=coordinator_add,
            usage=Text(en="/klynge coordinator add @name", da="/klynge koordinator tilføj @navn"),
            summary=Text(en="add a coordinator", da="tilføj en klyngekoordinator"),
            coordinator_only=True,
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("coordinator", "remove"),
            da=("koordinator", "fjern"),
            run=coordinator_remove,
            usage=Text(en="/klynge coordinator remove @name", da="/klynge koordinator fjern @navn"),
            summary=Text(en="remove a coordinator", da="fjern en klyngekoordinator"),
            coordinator_only=True,
            destructive=True,
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("coordinator", "list"),
            da=("koordinator", "liste"),
            run=coordinator_list,
            usage=Text(en="/klynge coordinator list", da="/klynge koordinator liste"),
            summary=Text(en="who the coordinators are", da="hvem klyngekoordinatorerne er"),
            aliases=(("coordinators",), ("coordinator",), ("koordinatorer",), ("koordinator",)),
            takes_words=False,
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("my", "data"),
            da=("mine", "data"),
            run=my_data,
            usage=Text(en="/klynge my data", da="/klynge mine data"),
            summary=Text(
                en="get what the bot stores about you, in a direct message",
                da="få det, botten gemmer om dig, i en direkte besked",
            ),
            needs_cluster=False,
            takes_words=False,
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("my", "data", "delete"),
            da=("mine", "data", "slet"),
            run=ask_to_erase_own,
            usage=Text(en="/klynge my data delete", da="/klynge mine data slet"),
            summary=Text(
                en="erase all your data in this cluster (asks first)",
                da="slet alle dine data i denne klynge (spørger først)",
            ),
            takes_words=False,
            destructive=True,
            topic=TOPIC,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("member", "forget"),
            da=("medlem", "glem"),
            run=ask_to_forget_member,
            usage=Text(en="/klynge member forget @name", da="/klynge medlem glem @navn"),
            summary=Text(
                en="erase a member's data in this cluster, when they ask (asks first)",
                da="slet et medlems data i denne klynge, når medlemmet beder om det "
                "(spørger først)",
            ),
            coordinator_only=True,
            destructive=True,
            topic=TOPIC,
        )
    )


def register_jobs(deps: Deps) -> None:
    members.register_jobs(deps)
