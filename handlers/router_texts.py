"""What the ``/klynge`` router says itself: not set up, coordinators only, an unknown command,
the right form, too long, a post queued, not in the channel."""

from __future__ import annotations

from bot.i18n import Text

NOT_SET_UP = Text(
    en="This channel is not a quality cluster yet. A coordinator can set it up with "
    "`/klynge setup`; then `/klynge help` shows everything the bot can do.",
    da="Denne kanal er ikke en kvalitetsklynge endnu. En koordinator kan oprette den med "
    "`/klynge opret`; derefter viser `/klynge hjælp`, hvad botten kan.",
)
COORDINATORS_ONLY = Text(
    en=":lock: Only the cluster's coordinators can use `/klynge {command}`. "
    "Ask one of them: {coordinators}.",
    da=":lock: Kun klyngens koordinatorer kan bruge `/klynge {command}`. "
    "Spørg en af dem: {coordinators}.",
)
UNKNOWN_COMMAND = Text(
    en="I don't know `/klynge {words}`.{suggestion} `/klynge help` lists everything I can do.",
    da="Jeg kender ikke `/klynge {words}`.{suggestion} `/klynge hjælp` viser, hvad jeg kan.",
)
USAGE = Text(en="Usage: `{usage}`", da="Sådan: `{usage}`")
NO_MORE_WORDS = Text(
    en="`/klynge {command}` takes no more words, and I didn't expect “{extra}”, so I did "
    "nothing.{suggestion}",
    da="`/klynge {command}` tager ikke flere ord, og jeg forventede ikke »{extra}«, så jeg "
    "har ikke gjort noget.{suggestion}",
)
TOO_LONG = Text(
    en="That command is {length} characters long; I take at most {limit}. "
    "Please shorten it and try again (`/klynge help` shows every form).",
    da="Kommandoen er {length} tegn lang; jeg tager højst {limit}. "
    "Gør den kortere og prøv igen (`/klynge hjælp` viser alle former).",
)
POST_QUEUED = Text(
    en=":hourglass: Done, but Slack isn't taking messages right now, so my post about it in the "
    "channel will follow as soon as it does. No need to do it again.",
    da=":hourglass: Det er gjort, men Slack tager ikke imod beskeder lige nu; mit opslag om det i "
    "kanalen kommer, så snart Slack gør det igen. Du behøver ikke gentage kommandoen.",
)
NOT_IN_CHANNEL = Text(
    en="I'm not a member of this channel yet, so I can't post here. "
    "Please add me with `/invite @klyngebot` and try again.",
    da="Jeg er ikke medlem af kanalen endnu, så jeg kan ikke skrive her. "
    "Tilføj mig med `/invite @klyngebot` og prøv igen.",
)
