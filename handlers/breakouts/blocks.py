"""What a breakout round looks like in Slack, and the small decisions around it. Pure.

The channel post has one section block per group — ``Group 1: <@A>, <@B>, <@C>`` — with the
group's convener named first; every group then gets a reply in the post's thread for its notes.
Hundreds of people take a second message (the budget of block text, ``bot.blocks``).
Also here: who convenes (whoever has convened least), and groups made from sub-clusters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.blocks import MESSAGE_BLOCKS, SECTION_LIMIT, fallback_text, pack, section
from bot.i18n import Text
from bot.mrkdwn import escape
from bot.privacy import NO_PATIENT_DATA

GROUP_LINE = Text(en="Group {number}: {members}", da="Gruppe {number}: {members}")
ROOM_NAME = Text(en="Group {number}", da="Gruppe {number}")
SUBCLUSTER_SUFFIX = Text(en=" ({name})", da=" ({name})")
INTRO = Text(
    en=":busts_in_silhouette: *Breakout round {round}* — {who} in {groups} groups. "
    "The first person named convenes the group; each group has a reply in this thread for "
    "its notes.",
    da=":busts_in_silhouette: *Grupperunde {round}*: {who} er delt i {groups} grupper. "
    "Den første i hver gruppe samler den; hver gruppe har sit eget svar i tråden til noter.",
)
WHO_CHECKED_IN = Text(
    en="the {count} members who checked in", da="de {count}, der har tjekket ind,"
)
WHO_EVERYONE = Text(
    en="all {count} members of the channel (nobody has checked in)",
    da="alle {count} i kanalen (ingen har tjekket ind)",
)
THREAD_NOTE = Text(
    en="*Group {number}* — {members}\n{convener} convenes. Write your group's notes here, "
    "as replies to this message.",
    da="*Gruppe {number}* — {members}\n{convener} samler gruppen. Skriv gruppens noter her, "
    "som svar på denne besked.",
)


def group_line(language: str, number: int, members: Sequence[str], label: str | None = None) -> str:
    """``Group 1: <@A>, <@B>`` (plus the sub-cluster's name, escaped, when there is one)."""
    line = GROUP_LINE.render(language, number=number, members=_mentions(members))
    if label:
        line += SUBCLUSTER_SUFFIX.render(language, name=escape(label))
    return line


def round_messages(
    language: str,
    *,
    intro: str,
    groups: Sequence[Sequence[str]],
    labels: Sequence[str | None] = (),
) -> list[tuple[str, list[dict[str, Any]]]]:
    """The channel post of a round: (fallback text, blocks) messages within Slack's limits.

    One section per group while they fit in a message; with very many groups the lines are
    packed into as few sections as their length allows, and sections that pass a message's
    budget of block text go on in a second message (hundreds of people).
    """
    lines = [
        group_line(language, number, group, labels[number - 1] if labels else None)
        for number, group in enumerate(groups, start=1)
    ]
    if len(lines) + 1 <= MESSAGE_BLOCKS:
        pieces = [piece for line in lines for piece in _split(line)]
    else:
        pieces = _pack(lines)
    messages = pack([[section(intro)], *([section(piece)] for piece in pieces)])
    return [
        (fallback_text(block["text"]["text"] for block in blocks), blocks) for blocks in messages
    ]


def thread_note(language: str, number: int, members: Sequence[str]) -> str:
    """The thread reply where one group writes its notes."""
    note = THREAD_NOTE.render(
        language, number=number, members=_mentions(members), convener=f"<@{members[0]}>"
    )
    return f"{note} {NO_PATIENT_DATA.render(language)}"


def room_name(language: str, number: int) -> str:
    return ROOM_NAME.render(language, number=number)


def with_conveners(
    groups: Sequence[Sequence[str]], convened: Mapping[str, int], round_number: int
) -> list[list[str]]:
    """Each group with its convener first: whoever has convened least so far.

    Ties are broken by a rotation that moves on with ``round_number``, so the job goes round
    instead of always falling to the same (alphabetically first) person.
    """
    ordered: list[list[str]] = []
    for group in groups:
        members = sorted(group)
        if not members:
            continue
        size = len(members)
        chosen = min(
            range(size),
            key=lambda i: (convened.get(members[i], 0), (i - round_number) % size),
        )
        ordered.append([members[chosen], *members[:chosen], *members[chosen + 1 :]])
    return ordered


def groups_from_subclusters(
    subclusters: Sequence[tuple[str, Sequence[str]]], participants: Sequence[str]
) -> list[tuple[str, list[str]]]:
    """One group per sub-cluster, holding its present members.

    Participants outside every sub-cluster (and anyone who would sit alone) join the smallest
    groups, so nobody is left out. Empty when no sub-cluster has two people present.
    """
    present = list(dict.fromkeys(participants))
    here = set(present)
    seen: set[str] = set()
    groups: list[tuple[str, list[str]]] = []
    leftover: list[str] = []
    for name, members in subclusters:
        found = sorted(m for m in members if m in here and m not in seen)
        seen.update(found)
        if len(found) >= 2:
            groups.append((name, found))
        else:
            leftover.extend(found)
    if not groups:
        return []
    leftover.extend(m for m in present if m not in seen)
    for person in sorted(leftover):
        smallest = min(range(len(groups)), key=lambda i: (len(groups[i][1]), i))
        groups[smallest][1].append(person)
    return groups


def _mentions(members: Sequence[str]) -> str:
    return ", ".join(f"<@{member}>" for member in members)


def _split(line: str, limit: int = SECTION_LIMIT) -> list[str]:
    """A line too long for one section, cut after a comma (mentions stay whole)."""
    pieces: list[str] = []
    while len(line) > limit:
        cut = line.rfind(", ", 0, limit)
        cut = cut + 1 if cut > 0 else limit
        pieces.append(line[:cut])
        line = line[cut:].lstrip()
    return [*pieces, line]


def _pack(lines: Sequence[str], limit: int = SECTION_LIMIT) -> list[str]:
    """Lines joined into as few texts of at most ``limit`` characters as keep lines whole."""
    packed: list[str] = []
    current = ""
    for piece in (piece for line in lines for piece in _split(line, limit)):
        if current and len(current) + 1 + len(piece) > limit:
            packed.append(current)
            current = ""
        current = f"{current}\n{piece}" if current else piece
    if current:
        packed.append(current)
    return packed
