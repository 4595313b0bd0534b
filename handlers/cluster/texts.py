"""The cluster feature's user-facing texts (help, setup, coordinators), in English and Danish."""

from __future__ import annotations

from bot.i18n import Text

# --- help ---------------------------------------------------------------------------------------

HELP_TITLE = Text(
    en="*klyngebot* runs your quality cluster's meetings. Everything starts with `/klynge`:",
    da="*klyngebot* styrer jeres kvalitetsklynges møder. Alt starter med `/klynge`:",
)
HELP_MENU_LINE = Text(
    en="• `/klynge help {topic}` — {summary}", da="• `/klynge hjælp {topic}` — {summary}"
)
HELP_ALL_HINT = Text(
    en="Every command at once: `/klynge help all`.",
    da="Alle kommandoer på én gang: `/klynge hjælp alt`.",
)
HELP_TOPIC_TITLE = Text(en="*{topic}*", da="*{topic}*")
HELP_UNKNOWN_TOPIC = Text(
    en="I have no help on “{topic}”. The topics:",
    da="Jeg har ingen hjælp om »{topic}«. Emnerne er:",
)
HELP_COORDINATOR_MARK = Text(en="(coordinators)", da="(koordinatorer)")
HELP_FOOTER = Text(
    en="Quotes may be straight or curly. Times are in the cluster's time zone ({timezone}).",
    da="Anførselstegn må være lige eller krumme. Tider er i klyngens tidszone ({timezone}).",
)


# --- setup --------------------------------------------------------------------------------------

SETUP_DONE = Text(
    en=":wave: This channel is now the quality cluster *{name}*. {coordinator} is its first "
    "coordinator. Meetings, breakout groups, facilitator duty, topic polls and take-home messages "
    "all run from here — type `/klynge help` to see how.",
    da=":wave: Denne kanal er nu kvalitetsklyngen *{name}*. {coordinator} er den første "
    "klyngekoordinator. Møder, grupper, tovholdere, afstemninger om emner og pointer "
    "styres herfra — skriv `/klynge hjælp` for at se hvordan.",
)
SETUP_CONFIRM = Text(
    en="Done: you are the coordinator of *{name}* (time zone {timezone}, language {language}). "
    "Next: add co-coordinators with `/klynge coordinator add @name` and plan a meeting with "
    "`/klynge meeting add`.",
    da="Du er nu klyngekoordinator for *{name}* (tidszone {timezone}, sprog {language}). "
    "Næste skridt: tilføj flere koordinatorer med `/klynge koordinator tilføj @navn`, og "
    "planlæg et møde med `/klynge møde tilføj`.",
)
ALREADY_SET_UP = Text(
    en="This channel is already the quality cluster *{name}*; nothing was changed. "
    "`/klynge help` shows what you can do.",
    da="Denne kanal er allerede kvalitetsklyngen *{name}*; intet blev ændret. "
    "`/klynge hjælp` viser, hvad du kan.",
)
SETUP_UPDATED = Text(
    en="*{name}* is already set up; updated: {changes}.",
    da="*{name}* er allerede oprettet; opdateret: {changes}.",
)
CHANGED_LANGUAGE = Text(en="language {language}", da="sprog {language}")
CHANGED_TIMEZONE = Text(en="time zone {timezone}", da="tidszone {timezone}")
SETUP_NOT_IN_DM = Text(
    en="Run `/klynge setup` in the cluster's own channel, not in a direct message.",
    da="Skriv `/klynge opret` i klyngens egen kanal, ikke i en direkte besked.",
)
BAD_LANGUAGE = Text(
    en="`--language` must be `en` or `da`, not `{value}`.",
    da="`--sprog` skal være `da` eller `en`, ikke `{value}`.",
)
BAD_TIMEZONE = Text(
    en="`{value}` is not a time zone. Use a name like `Europe/Copenhagen`.",
    da="`{value}` er ikke en tidszone. Brug et navn som `Europe/Copenhagen`.",
)
SETUP_TAKES_NO_WORDS = Text(
    en="`/klynge setup` takes only options: `/klynge setup [--language da] "
    "[--timezone Europe/Copenhagen]`.",
    da="`/klynge opret` tager kun tilvalg: `/klynge opret [--sprog da] "
    "[--tidszone Europe/Copenhagen]`.",
)
LANGUAGE_NAMES = {"en": Text(en="English", da="engelsk"), "da": Text(en="Danish", da="dansk")}


# --- coordinators -------------------------------------------------------------------------------

COORDINATOR_USAGE_NEEDS_MENTION = Text(
    en="Name the person with an @-mention: `/klynge {command} @name`.",
    da="Nævn personen med @: `/klynge {command} @navn`.",
)
COORDINATOR_ADDED = Text(
    en=":busts_in_silhouette: {users} can now plan and run this cluster's meetings "
    "(coordinator, added by {by}).",
    da=":busts_in_silhouette: {users} kan nu planlægge og lede klyngens møder "
    "(klyngekoordinator, tilføjet af {by}).",
)
ALREADY_COORDINATOR = Text(
    en="{user} is already a coordinator; nothing changed.",
    da="{user} er allerede koordinator; intet blev ændret.",
)
NOT_A_PERSON = Text(
    en="{user} is a bot or a deactivated account and can't be a coordinator.",
    da="{user} er en bot eller en deaktiveret konto og kan ikke være koordinator.",
)
COORDINATOR_REMOVED = Text(
    en="{user} is no longer a coordinator of this cluster (removed by {by}).",
    da="{user} er ikke længere koordinator for klyngen (fjernet af {by}).",
)
NOT_COORDINATOR = Text(
    en="{user} is not a coordinator, so there was nothing to remove.",
    da="{user} er ikke koordinator, så der var intet at fjerne.",
)
LAST_COORDINATOR = Text(
    en="{user} is the last coordinator; a cluster needs at least one. "
    "Add someone else first with `/klynge coordinator add @name`.",
    da="{user} er den sidste koordinator, og en klynge skal have mindst én. "
    "Tilføj en anden først med `/klynge koordinator tilføj @navn`.",
)
COORDINATOR_LIST = Text(
    en="Coordinators of *{name}*: {users}",
    da="Koordinatorer for *{name}*: {users}",
)


# --- erasure (``my data delete``, ``member forget``) ---------------------------------------------

ERASE_ASK_SELF = Text(
    en=":warning: Erase all your data in *{cluster}*? This removes your RSVPs and check-ins, the "
    "take-home messages, decisions and instructions you wrote, your votes in polls that show "
    "names, your breakout groups, sub-cluster, clinic and place in the facilitator rotation; "
    "your upcoming turns go to others. It cannot be undone: `/klynge my data` gives you a copy "
    "first. While you stay in the channel, you count as a new member from now on.",
    da=":warning: Slet alle dine data i *{cluster}*? Det fjerner dine tilmeldinger, afbud og "
    "check-ins, de pointer, beslutninger og instrukser, du har skrevet, dine stemmer i "
    "afstemninger, der viser navne, dine grupper, din babyklynge, klinik og plads i turen som "
    "tovholder; dine kommende ture gives videre. Det kan ikke fortrydes: `/klynge mine data` "
    "giver dig en kopi først. Så længe du bliver i kanalen, tæller du fra nu af som nyt medlem.",
)
ERASE_ASK_MEMBER = Text(
    en=":warning: Erase all data of {user} in *{cluster}*? Do this only when {user} has asked "
    "for it. It removes their RSVPs and check-ins, the take-home messages, decisions and "
    "instructions they wrote, their votes in polls that show names, their breakout groups, "
    "sub-cluster, clinic and place in the facilitator rotation; their upcoming turns go to "
    "others. It cannot be undone.",
    da=":warning: Slet alle data om {user} i *{cluster}*? Gør det kun, når {user} har bedt om "
    "det. Det fjerner tilmeldinger, afbud og check-ins, de pointer, beslutninger og instrukser, "
    "{user} har skrevet, stemmer i afstemninger, der viser navne, grupper, babyklynge, klinik og "
    "plads i turen som tovholder; kommende ture gives videre. Det kan ikke fortrydes.",
)
ERASE_BUTTON = Text(en="Erase", da="Slet")
ERASE_CANCEL_BUTTON = Text(en="Cancel", da="Annullér")
ERASED_SELF = Text(
    en=":wastebasket: Your data in *{cluster}* is erased: {counts}.",
    da=":wastebasket: Dine data i *{cluster}* er slettet: {counts}.",
)
ERASED_MEMBER = Text(
    en=":wastebasket: The data of {user} in *{cluster}* is erased: {counts}.",
    da=":wastebasket: Data om {user} i *{cluster}* er slettet: {counts}.",
)
ERASED_NOTHING_SELF = Text(
    en=":wastebasket: You had no data left in *{cluster}*; nothing was erased.",
    da=":wastebasket: Du havde ingen data tilbage i *{cluster}*; intet er slettet.",
)
ERASED_NOTHING_MEMBER = Text(
    en=":wastebasket: {user} had no data left in *{cluster}*; nothing was erased.",
    da=":wastebasket: {user} havde ingen data tilbage i *{cluster}*; intet er slettet.",
)
NO_DATA_SELF = Text(en="You have no data in this cluster.", da="Du har ingen data i klyngen.")
NO_DATA_MEMBER = Text(
    en="{user} has no data in this cluster.", da="{user} har ingen data i klyngen."
)
# The parts of an erasure's answer, each shown only when its number is not 0.
ERASED_RSVPS = Text(en="{n:RSVP|RSVPs}", da="{n:tilmelding eller afbud|tilmeldinger og afbud}")
ERASED_CHECK_INS = Text(en="{n:check-in|check-ins}", da="{n:check-in|check-ins}")
ERASED_TEXTS = Text(
    en="{n:text|texts} (take-home messages, decisions and instructions)",
    da="{n:tekst|tekster} (pointer, beslutninger og instrukser)",
)
ERASED_VOTES = Text(en="votes in {n:poll|polls}", da="stemmer i {n:afstemning|afstemninger}")
ERASED_SEATS = Text(en="{n:place|places} in breakout groups", da="{n:plads|pladser} i grupper")
ERASED_RELEASED = Text(
    en="{n:upcoming turn|upcoming turns} handed on",
    da="{n:kommende tur|kommende ture} givet videre",
)
ERASED_PAST = Text(
    en="{n:past turn|past turns} anonymised", da="{n:tidligere tur|tidligere ture} anonymiseret"
)
ERASED_MADE = Text(
    en="{n:thing|things} made for the cluster (meetings, polls …) kept without the maker's name",
    da="{n:ting|ting} lavet til klyngen (møder, afstemninger …) beholdt uden navn",
)
ERASED_OTHER = Text(
    en="{n:other record|other records} (membership, sub-cluster, clinic, rotation, check-in "
    "questions)",
    da="{n:anden oplysning|andre oplysninger} (medlemskab, babyklynge, klinik, tur, "
    "check-in-spørgsmål)",
)
STILL_COORDINATOR = Text(
    en=" {user} is still a coordinator: `/klynge coordinator remove` ends that.",
    da=" {user} er stadig klyngekoordinator: `/klynge koordinator fjern` ændrer det.",
)
ERASE_CANCELLED = Text(en="Nothing was erased.", da="Intet er slettet.")
ERASE_GONE = Text(
    en="That cluster is no longer set up; nothing was erased.",
    da="Den klynge findes ikke længere; intet er slettet.",
)
ERASE_NOT_ALLOWED = Text(
    en=":lock: Only {user} or a coordinator can erase the data of {user}. Nothing was erased.",
    da=":lock: Kun {user} eller en koordinator kan slette data om {user}. Intet er slettet.",
)
FORGET_NEEDS_MENTION = Text(
    en="Name one member with @: `/klynge member forget @name`.",
    da="Nævn ét medlem med @: `/klynge medlem glem @navn`.",
)
