"""Breakout rounds, members' clinics and sub-clusters (babyklynger).

``/klynge breakout <size>`` splits the people present — the members checked in to the running
meeting, or, when nobody has checked in, every human member of the channel — into groups that
mix well over the cluster's whole history (``grouping``), posts them with a thread reply per
group, stores the round, and sends the coordinator Zoom's pre-assignment CSV in a direct message.

The feature's one entry: ``register(app, wiring)``. The parts:

- ``rounds``       ``/klynge breakout``: the round, its notes threads and the Zoom file
- ``people``       who takes part, looked up in Slack once per round
- ``clinics``      ``/klynge clinic`` and ``clinic list``
- ``subclusters``  ``/klynge subcluster create|add|remove|list|auto|delete``
- ``grouping``     pure: groups that mix well (its machinery in ``mixing/``)
- ``blocks``, ``zoom``, ``common``, ``texts``  messages, the Zoom CSV, shared helpers, texts
"""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.commands import FlagKind
from bot.i18n import Text
from handlers.breakouts.clinics import clinic, clinic_list
from handlers.breakouts.rounds import breakout
from handlers.breakouts.subclusters import (
    subcluster_add,
    subcluster_auto,
    subcluster_create,
    subcluster_delete,
    subcluster_list,
    subcluster_remove,
)
from handlers.router import Subcommand
from handlers.wiring import Wiring


def register(app: AsyncApp, wiring: Wiring) -> None:
    add = wiring.commands.add
    add(
        Subcommand(
            words=("breakout",),
            run=breakout,
            usage=Text(
                en="/klynge breakout [size] [--from-subclusters] [--keep-clinics-together]",
                da="/klynge breakout [størrelse] [--from-subclusters] [--keep-clinics-together]",
            ),
            summary=Text(
                en="split the people present into well-mixed groups (and a Zoom file for you)",
                da="del de fremmødte i godt blandede grupper (og en Zoom-fil til dig)",
            ),
            coordinator_only=True,
            flags={
                "from-subclusters": FlagKind.SWITCH,
                "keep-clinics-together": FlagKind.SWITCH,
            },
            aliases=(("grupper",),),
        )
    )
    add(
        Subcommand(
            words=("clinic",),
            run=clinic,
            usage=Text(en="/klynge clinic [name] | --clear", da="/klynge clinic [navn] | --clear"),
            summary=Text(
                en="show or set your clinic (colleagues are spread over breakout groups)",
                da="vis eller angiv din klinik (kolleger spredes på grupperne)",
            ),
            flags={"clear": FlagKind.SWITCH},
            aliases=(("klinik",),),
        )
    )
    add(
        Subcommand(
            words=("clinic", "list"),
            run=clinic_list,
            usage=Text(en="/klynge clinic list", da="/klynge clinic list"),
            summary=Text(en="everybody's clinic", da="alles klinik"),
            coordinator_only=True,
        )
    )
    for words, run, usage, summary, coordinator_only, flags in (
        (
            "create",
            subcluster_create,
            Text(en="[name] @a @b …", da="[navn] @a @b …"),
            Text(en="make a sub-cluster", da="lav en babyklynge"),
            True,
            {},
        ),
        (
            "add",
            subcluster_add,
            Text(en="[name] @a …", da="[navn] @a …"),
            Text(en="add people to a sub-cluster", da="tilføj personer til en babyklynge"),
            True,
            {},
        ),
        (
            "remove",
            subcluster_remove,
            Text(en="[name] @a …", da="[navn] @a …"),
            Text(en="take people out of a sub-cluster", da="tag personer ud af en babyklynge"),
            True,
            {},
        ),
        (
            "list",
            subcluster_list,
            Text(en="", da=""),
            Text(en="the sub-clusters and their members", da="babyklyngerne og deres medlemmer"),
            False,
            {},
        ),
        (
            "auto",
            subcluster_auto,
            Text(en="[size] [--replace]", da="[størrelse] [--replace]"),
            Text(
                en="split all members into sub-clusters of about that size",
                da="del alle medlemmer i babyklynger på omkring den størrelse",
            ),
            True,
            {"replace": FlagKind.SWITCH},
        ),
        (
            "delete",
            subcluster_delete,
            Text(en="[name]", da="[navn]"),
            Text(en="delete a sub-cluster", da="slet en babyklynge"),
            True,
            {},
        ),
    ):
        add(
            Subcommand(
                words=("subcluster", words),
                run=run,
                usage=Text(
                    en=f"/klynge subcluster {words} {usage.en}".rstrip(),
                    da=f"/klynge subcluster {words} {usage.da}".rstrip(),
                ),
                summary=summary,
                coordinator_only=coordinator_only,
                flags=flags,
                aliases=(
                    (("subcluster",), ("subclusters",), ("babyklynger",)) if words == "list" else ()
                ),
                takes_words=words != "list",
            )
        )
