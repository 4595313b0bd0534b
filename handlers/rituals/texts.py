"""The rituals feature's user-facing texts, in English and Danish."""

from __future__ import annotations

from bot.i18n import Text

CHECKIN_SECTION = Text(
    en=":speech_balloon: *Check-in:* {question}\n_A round where each of us says a sentence or "
    "two — or answer in this message's thread._",
    da=":speech_balloon: *Check-in:* {question}\n_En runde, hvor hver af os siger en sætning "
    "eller to — eller svar i denne beskeds tråd._",
)
ENERGISER_LINE = Text(
    en=":zap: *An energiser you could use:* {energiser}",
    da=":zap: *En energizer, I kunne bruge:* {energiser}",
)
ADD_USAGE = Text(
    en="Write the question after the command, e.g. "
    "`/klynge checkin add What are you proud of this month?`",
    da="Skriv spørgsmålet efter kommandoen, fx "
    "`/klynge checkin tilføj Hvad er du stolt af i denne måned?`",
)
QUESTION_TOO_LONG = Text(
    en="The question is {length} characters long; at most {limit} please.",
    da="Spørgsmålet er {length} tegn langt; højst {limit}, tak.",
)
QUESTION_ADDED = Text(
    en=":white_check_mark: Check-in question #{id} added: “{question}”. It comes up at one of "
    "the next meetings; `/klynge checkin list` shows them all.",
    da=":white_check_mark: Check-in-spørgsmål nr. {id} er tilføjet: »{question}«. Det kommer på "
    "ved et af de næste møder; `/klynge checkin liste` viser dem alle.",
)
LIST_OWN_TITLE = Text(
    en="*The cluster's own check-in questions* (they come first):",
    da="*Klyngens egne check-in-spørgsmål* (de kommer først):",
)
LIST_OWN_LINE = Text(
    en="{id}. {question} — added by {who}", da="{id}. {question} — tilføjet af {who}"
)
LIST_OWN_NONE = Text(
    en="The cluster has none of its own yet: `/klynge checkin add [question]` adds one.",
    da="Klyngen har ingen egne endnu: `/klynge checkin tilføj [spørgsmål]` tilføjer et.",
)
LIST_BUILT_IN_TITLE = Text(
    en="*Built-in check-in questions* (none repeats within a year):",
    da="*Indbyggede check-in-spørgsmål* (intet gentages inden for et år):",
)
REMOVE_USAGE = Text(
    en="Give the question's number from `/klynge checkin list`, e.g. `/klynge checkin remove 3`.",
    da="Angiv spørgsmålets nummer fra `/klynge checkin liste`, fx `/klynge checkin fjern 3`.",
)
NO_SUCH_QUESTION = Text(
    en="The cluster has no check-in question #{id} of its own. `/klynge checkin list` shows "
    "the numbers.",
    da="Klyngen har intet eget check-in-spørgsmål nr. {id}. `/klynge checkin liste` viser numrene.",
)
REMOVE_NOT_ALLOWED = Text(
    en=":lock: Only whoever added question #{id} ({who}) or a coordinator can remove it.",
    da=":lock: Kun den, der tilføjede spørgsmål nr. {id} ({who}), eller en koordinator kan "
    "fjerne det.",
)
QUESTION_REMOVED = Text(
    en="Check-in question #{id} is removed: “{question}”.",
    da="Check-in-spørgsmål nr. {id} er fjernet: »{question}«.",
)
