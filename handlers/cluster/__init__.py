"""The cluster itself: ``/klynge help``, ``setup`` and ``coordinator add|remove|list``.

The feature's one entry is ``register(app, wiring)``. The parts:

- ``help``          ``/klynge help``: every sub-command, in the order registered here
- ``setup``         ``/klynge setup``: make the channel a cluster, change its language or time zone
- ``coordinators``  ``/klynge coordinator add|remove|list``
- ``mydata``        ``/klynge my data``: what the bot stores about you (``personal``: pure)
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
from handlers.cluster.help import show_help
from handlers.cluster.mydata import my_data
from handlers.cluster.setup import setup_cluster
from handlers.router import Subcommand
from handlers.wiring import Wiring


def register(app: AsyncApp, wiring: Wiring) -> None:
    members.register(app, wiring)
    wiring.commands.add(
        Subcommand(
            words=("help",),
            run=show_help,
            usage=Text(en="/klynge help", da="/klynge help"),
            summary=Text(en="this list", da="denne liste"),
            needs_cluster=False,
            aliases=(("hjælp",),),
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("setup",),
            run=setup_cluster,
            usage=Text(
                en="/klynge setup [--language da] [--timezone Europe/Copenhagen]",
                da="/klynge setup [--language da] [--timezone Europe/Copenhagen]",
            ),
            summary=Text(
                en="make this channel a quality cluster; you become its coordinator",
                da="gør kanalen til en kvalitetsklynge; du bliver koordinator",
            ),
            needs_cluster=False,
            flags={"language": FlagKind.VALUE, "timezone": FlagKind.VALUE},
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("coordinator", "add"),
            run=coordinator_add,
            usage=Text(en="/klynge coordinator add @name", da="/klynge coordinator add @navn"),
            summary=Text(en="add a coordinator", da="tilføj en koordinator"),
            coordinator_only=True,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("coordinator", "remove"),
            run=coordinator_remove,
            usage=Text(
                en="/klynge coordinator remove @name", da="/klynge coordinator remove @navn"
            ),
            summary=Text(en="remove a coordinator", da="fjern en koordinator"),
            coordinator_only=True,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("coordinator", "list"),
            run=coordinator_list,
            usage=Text(en="/klynge coordinator list", da="/klynge coordinator list"),
            summary=Text(en="who the coordinators are", da="hvem koordinatorerne er"),
            aliases=(("coordinators",), ("coordinator",)),
            takes_words=False,
        )
    )
    wiring.commands.add(
        Subcommand(
            words=("my", "data"),
            run=my_data,
            usage=Text(en="/klynge my data", da="/klynge mine data"),
            summary=Text(
                en="get what the bot stores about you, in a direct message",
                da="få det, botten gemmer om dig, i en direkte besked",
            ),
            needs_cluster=False,
            aliases=(("mine", "data"),),
            takes_words=False,
        )
    )


def register_jobs(deps: Deps) -> None:
    members.register_jobs(deps)
