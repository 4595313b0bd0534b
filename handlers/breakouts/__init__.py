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
from handlers.router import CommandRun, HelpTopic, Subcommand
from handlers.wiring import Wiring

TOPIC = HelpTopic(
    name=Text(en="groups", da="grupper"),
    summary=Text(
        en="breakout groups, clinics and sub-clusters",
        da="grupper, klinikker og babyklynger",
    ),
    words=(
        "breakout",
        "subcluster",
        "subclusters",
        "babyklynge",
        "babyklynger",
        "clinic",
        "klinik",
    ),
)
# Each `subcluster` sub-command: its English and Danish word, the usage after the words
# (English, Danish), its summary, coordinators only, its options, destructive, and its run.
SUBCLUSTER_COMMANDS: tuple[
    tuple[str, str, tuple[str, str], Text, bool, dict[str, FlagKind], bool, CommandRun], ...
] = (
    (
        "create",
        "opret",
        ("[name] @a @b …", "[navn] @a @b …"),
        Text(en="make a sub-cluster", da="lav en babyklynge"),
        True,
        {},
        False,
        subcluster_create,
    ),
    (
        "add",
        "tilføj",
        ("[name] @a …", "[navn] @a …"),
        Text(en="add people to a sub-cluster", da="tilføj personer til en babyklynge"),
        True,
        {},
        False,
        subcluster_add,
    ),
    (
        "remove",
        "fjern",
        ("[name] @a …", "[navn] @a …"),
        Text(en="take people out of a sub-cluster", da="tag personer ud af en babyklynge"),
        True,
        {},
        True,
        subcluster_remove,
    ),
    (
        "list",
        "liste",
        ("", ""),
        Text(en="the sub-clusters and their members", da="babyklyngerne og deres medlemmer"),
        False,
        {},
        False,
        subcluster_list,
    ),
    (
        "auto",
        "auto",
        Text(en="[size] [--replace]", da="[størrelse] [--erstat]"),
        Text(
            en="split all members into sub-clusters of about that size",
            da="del alle medlemmer i babyklynger på omkring den størrelse",
        ),
        True,
        {"replace": FlagKind.SWITCH},
        False,
        subcluster_auto,
    ),
    (
        "delete",
        "slet",
        ("[name]", "[navn]"),
        Text(en="delete a sub-cluster", da="slet en babyklynge"),
        True,
        {},
        True,
        subcluster_delete,
    ),
)


def register(app: AsyncApp, wiring: Wiring) -> None:
    add = wiring.commands.add
    add(
        Subcommand(
            words=("breakout",),
            da=("grupper",),
            run=breakout,
            usage=Text(
                en="/klynge breakout [size] [--from-subclusters] [--keep-clinics-together]",
                da="/klynge grupper [størrelse] [--fra-babyklynger] [--klinikker-samlet]",
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
            topic=TOPIC,
        )
    )
    add(
        Subcommand(
            words=("clinic",),
            da=("klinik",),
            run=clinic,
            usage=Text(en="/klynge clinic [name] | --clear", da="/klynge klinik [navn] | --ryd"),
            summary=Text(
                en="show or set your clinic (colleagues are spread over breakout groups)",
                da="vis eller angiv din klinik (kolleger spredes på grupperne)",
            ),
            flags={"clear": FlagKind.SWITCH},
            topic=TOPIC,
        )
    )
    add(
        Subcommand(
            words=("clinic", "list"),
            da=("klinik", "liste"),
            run=clinic_list,
            usage=Text(en="/klynge clinic list", da="/klynge klinik liste"),
            summary=Text(en="everybody's clinic", da="alles klinik"),
            coordinator_only=True,
            topic=TOPIC,
        )
    )
    for (
        english,
        danish,
        usage,
        summary,
        coordinator_only,
        flags,
        destructive,
        run,
    ) in SUBCLUSTER_COMMANDS:
        add(
            Subcommand(
                words=("subcluster", english),
                da=("babyklynge", danish),
                run=run,
                usage=Text(
                    en=f"/klynge subcluster {english} {usage[0]}".rstrip(),
                    da=f"/klynge babyklynge {danish} {usage[1]}".rstrip(),
                ),
                summary=summary,
                coordinator_only=coordinator_only,
                flags=flags,
                destructive=destructive,
                aliases=(
                    (("subcluster",), ("subclusters",), ("babyklynger",), ("babyklynge",))
                    if english == "list"
                    else ()
                ),
                takes_words=english != "list",
                topic=TOPIC,
            )
        )
