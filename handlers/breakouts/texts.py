"""The breakouts feature's user-facing texts, in English and Danish."""

from __future__ import annotations

from bot.i18n import Text

SIZE_NEEDED = Text(
    en="Give the group size, e.g. `/klynge breakout 4` for groups of about four.",
    da="Angiv gruppestørrelsen, fx `/klynge grupper 4` for grupper på omkring fire.",
)
SIZE_NOT_A_NUMBER = Text(
    en="“{value}” is not a group size. Give a whole number of at least 2, e.g. "
    "`/klynge breakout 4`.",
    da="»{value}« er ikke en gruppestørrelse. Angiv et helt tal på mindst 2, fx "
    "`/klynge grupper 4`.",
)
SIZE_TOO_SMALL = Text(
    en="A group needs at least 2 people, so {size} is too small. E.g. `/klynge breakout 4`.",
    da="En gruppe skal have mindst 2 personer, så {size} er for lidt. Fx `/klynge grupper 4`.",
)
SIZE_TOO_LARGE = Text(
    en="There are {count} participants ({who}), so groups of {size} are not possible. "
    "Choose a size from 2 to {count}.",
    da="Der er {count} deltagere ({who}), så grupper på {size} er ikke mulige. "
    "Vælg en størrelse fra 2 til {count}.",
)
TOO_FEW_PEOPLE = Text(
    en="A breakout needs at least 2 participants, and there {count_words}. Members check in "
    "with the button on the agenda after `/klynge start`.",
    da="En grupperunde kræver mindst 2 deltagere, og der {count_words}. Medlemmer tjekker ind "
    "med knappen på dagsordenen efter `/klynge start`.",
)
COUNT_WORDS = {  # TOO_FEW_PEOPLE's {count_words}, by the number of participants
    0: Text(en="are none", da="er ingen"),
    1: Text(en="is only one", da="er kun én"),
}
WHO_SHORT_CHECKED_IN = Text(en="checked in", da="tjekket ind")
WHO_SHORT_EVERYONE = Text(en="members of the channel", da="medlemmer af kanalen")
UNEXPECTED_WORDS = Text(
    en="I didn't expect “{extra}” here. The form: `/klynge breakout [size] "
    "[--from-subclusters] [--keep-clinics-together]`.",
    da="Jeg forventede ikke »{extra}« her. Sådan: `/klynge grupper [størrelse] "
    "[--fra-babyklynger] [--klinikker-samlet]`.",
)
UNEXPECTED_WORDS_HERE = Text(
    en="I didn't expect “{extra}” here.", da="Jeg forventede ikke »{extra}« her."
)
FLAGS_CONFLICT = Text(
    en="`--from-subclusters` and `--keep-clinics-together` don't go together: with sub-clusters "
    "the groups are the sub-clusters. Use one of them.",
    da="`--fra-babyklynger` og `--klinikker-samlet` kan ikke bruges sammen: med "
    "babyklynger er grupperne babyklyngerne. Brug den ene.",
)
NO_SUBCLUSTERS_PRESENT = Text(
    en="`--from-subclusters` needs sub-clusters with at least two of their members taking part. "
    "Make them with `/klynge subcluster auto 6` or `/klynge subcluster create [name] @a @b`.",
    da="`--fra-babyklynger` kræver babyklynger, hvor mindst to medlemmer deltager. "
    "Lav dem med `/klynge babyklynge auto 6` eller `/klynge babyklynge opret [navn] @a @b`.",
)
BREAKOUT_DONE = Text(
    en=":white_check_mark: {groups} groups are posted in the channel. {zoom}",
    da=":white_check_mark: {groups} grupper er slået op i kanalen. {zoom}",
)
ZOOM_SENT = Text(
    en="Zoom's pre-assignment file is in your direct messages with me.",
    da="Zooms fordelingsfil ligger i dine direkte beskeder med mig.",
)
ZOOM_FAILED = Text(
    en="I couldn't send you Zoom's pre-assignment file just now; the groups in the channel "
    "stand, so please assign the rooms in Zoom by hand.",
    da="Jeg kunne ikke sende dig Zooms fordelingsfil lige nu; grupperne i kanalen gælder, så "
    "fordel venligst rummene i Zoom manuelt.",
)
ZOOM_COMMENT = Text(
    en=":link: Zoom breakout rooms for round {round} in *{name}*. In Zoom: Breakout Rooms → "
    "Pre-assign → Import from CSV. Only people signed in to Zoom with this email are placed.",
    da=":link: Zoom-grupperum for runde {round} i *{name}*. I Zoom: Breakout Rooms → "
    "Pre-assign → Import from CSV. Kun personer, der er logget ind i Zoom med denne e-mail, "
    "bliver placeret.",
)
NO_EMAIL = Text(
    en=" No email address in Slack for: {users} — move them to their rooms in Zoom by hand.",
    da=" Ingen e-mailadresse i Slack for: {users} — flyt dem til deres rum i Zoom manuelt.",
)
EMAILS_UNREAD = Text(
    en=" Slack didn't give me the e-mail addresses of {count} of the {total} participants just "
    "now, so the Zoom file leaves them out — they are in the groups posted in the channel; move "
    "them to their rooms in Zoom by hand.",
    da=" Slack gav mig ikke e-mailadresserne på {count} af de {total} deltagere lige nu, så "
    "Zoom-filen udelader dem — de står i grupperne i kanalen; flyt dem til deres rum i Zoom "
    "manuelt.",
)
PEOPLE_UNCHECKED = Text(
    en=" Slack couldn't tell me just now whether {count} of the {total} participants are people "
    "or apps, so they are in the groups as members; if an app got a seat, just ignore it.",
    da=" Slack kunne ikke fortælle mig lige nu, om {count} af de {total} deltagere er personer "
    "eller apps, så de er med i grupperne som medlemmer; har en app fået en plads, så se bort "
    "fra den.",
)
ZOOM_FILE_TITLE = Text(en="Zoom breakout rooms, round {round}", da="Zoom-grupperum, runde {round}")
CLINIC_SET = Text(
    en=":hospital: {user} now works at *{clinic}* (in this cluster's breakouts colleagues from "
    "one clinic are spread over different groups).",
    da=":hospital: {user} arbejder nu i *{clinic}* (i klyngens grupperunder fordeles kolleger "
    "fra samme klinik på forskellige grupper).",
)
CLINIC_SHOWN = Text(en="{user}'s clinic: *{clinic}*.", da="{user}s klinik: *{clinic}*.")
CLINIC_NONE = Text(
    en="{user} has no clinic set. Set yours with `/klynge clinic [name of your clinic]`.",
    da="{user} har ingen klinik angivet. Angiv din med `/klynge klinik [klinikkens navn]`.",
)
CLINIC_CLEARED = Text(
    en="{user} no longer has a clinic set.", da="{user} har ikke længere en klinik angivet."
)
CLINIC_TOO_LONG = Text(
    en="The clinic's name is {length} characters long; at most {limit} please.",
    da="Klinikkens navn er {length} tegn langt; højst {limit}, tak.",
)
CLINIC_ONE_PERSON = Text(
    en="Name one person, then the clinic: `/klynge clinic @name [clinic]`.",
    da="Nævn én person og derefter klinikken: `/klynge klinik @navn [klinik]`.",
)
CLINIC_CLEAR_WITH_NAME = Text(
    en="`--clear` removes a clinic and takes no name: `/klynge clinic --clear [@name]`.",
    da="`--ryd` fjerner en klinik og tager intet navn: `/klynge klinik --ryd [@navn]`.",
)
CLINIC_LIST = Text(en="Clinics in *{name}*:\n{lines}", da="Klinikker i *{name}*:\n{lines}")
CLINIC_LIST_EMPTY = Text(
    en="Nobody in *{name}* has set a clinic yet (`/klynge clinic [name]`).",
    da="Ingen i *{name}* har angivet en klinik endnu (`/klynge klinik [navn]`).",
)
CLINIC_LIST_WITHOUT = Text(en="_No clinic:_ {users}", da="_Ingen klinik:_ {users}")
SUBCLUSTER_NAME = Text(en="Sub-cluster {number}", da="Babyklynge {number}")
NEEDS_NAME = Text(
    en="Give the sub-cluster's name first, e.g. `/klynge {command} Nord @a @b`.",
    da="Angiv babyklyngens navn først, fx `/klynge {command} Nord @a @b`.",
)
NEEDS_PEOPLE = Text(
    en="Name the people with @-mentions after the name: `/klynge {command} {name} @a`.",
    da="Nævn personerne med @ efter navnet: `/klynge {command} {name} @a`.",
)
NOT_A_MENTION = Text(
    en="“{word}” is not an @-mention. The form: `/klynge {command} [name] @a @b …` "
    "(the name first, then only @-mentions).",
    da="»{word}« er ikke et navn med @. Sådan: `/klynge {command} [navn] @a @b …` "
    "(navnet først, derefter kun navne med @).",
)
PEOPLE_WITHOUT_AT = Text(
    en="Are “{rest}” people? Name them with @, choosing each from the list Slack shows, so they "
    "become mentions: `/klynge subcluster create {name} {mentions}`. A name of several words "
    'goes in quotes: `/klynge subcluster create "{whole}"`. Nothing was created.',
    da="Er »{rest}« personer? Nævn dem med @ og vælg hver fra Slacks liste, så de bliver "
    "navne med @: `/klynge babyklynge opret {name} {mentions}`. Et navn på flere ord skrives i "
    'anførselstegn: `/klynge babyklynge opret "{whole}"`. Intet er oprettet.',
)
UNKNOWN_MENTION = Text(
    en="“{word}” is not someone Slack knows: choose the person from the list Slack shows as you "
    "type @, so the name turns into a mention. Nothing was changed.",
    da="»{word}« er ikke en person, Slack kender: vælg personen fra listen, Slack viser, når du "
    "skriver @, så navnet bliver blåt (et navn med @). Intet blev ændret.",
)
MENTION_IN_NAME = Text(
    en="A sub-cluster's name can't hold an @-mention. The form: "
    "`/klynge {command} Nord @a @b` (the name first, then the people). "
    "Nothing was changed.",
    da="En babyklynges navn kan ikke indeholde et navn med @. Sådan: "
    "`/klynge {command} Nord @a @b` (navnet først, derefter personerne). "
    "Intet blev ændret.",
)
NAME_TOO_LONG = Text(
    en="The name is {length} characters long; at most {limit} please.",
    da="Navnet er {length} tegn langt; højst {limit}, tak.",
)
NAME_TAKEN = Text(
    en="There is already a sub-cluster *{name}*. Add people to it with "
    "`/klynge subcluster add {name} @a`, or choose another name.",
    da="Der findes allerede en babyklynge *{name}*. Tilføj personer med "
    "`/klynge babyklynge tilføj {name} @a`, eller vælg et andet navn.",
)
NO_SUCH_SUBCLUSTER = Text(
    en="There is no sub-cluster *{name}*. {known}",
    da="Der er ingen babyklynge *{name}*. {known}",
)
KNOWN_SUBCLUSTERS = Text(en="The sub-clusters: {names}.", da="Babyklyngerne: {names}.")
NO_SUBCLUSTERS_YET = Text(
    en="There are no sub-clusters yet: `/klynge subcluster create [name] @a @b` or "
    "`/klynge subcluster auto 6`.",
    da="Der er ingen babyklynger endnu: `/klynge babyklynge opret [navn] @a @b` eller "
    "`/klynge babyklynge auto 6`.",
)
NOT_A_MEMBER = Text(
    en="{user} is not a member of this channel (bots and deactivated accounts can't be in a "
    "sub-cluster); nothing was changed.",
    da="{user} er ikke medlem af kanalen (bots og deaktiverede konti kan ikke være i en "
    "babyklynge); intet blev ændret.",
)
CREATED = Text(
    en=":seedling: New sub-cluster *{name}* (made by {by}): {members}",
    da=":seedling: Ny babyklynge *{name}* (lavet af {by}): {members}",
)
NOBODY_YET = Text(
    en="nobody yet — add people with `/klynge subcluster add {name} @a`",
    da="ingen endnu — tilføj personer med `/klynge babyklynge tilføj {name} @a`",
)
ADDED = Text(
    en=":seedling: {users} joined the sub-cluster *{name}* (added by {by}).",
    da=":seedling: {users} er kommet med i babyklyngen *{name}* (tilføjet af {by}).",
)
MOVED = Text(
    en="{user} moved from *{old}* to *{name}* (a member is in one sub-cluster at a time).",
    da="{user} er flyttet fra *{old}* til *{name}* (man er i én babyklynge ad gangen).",
)
ALREADY_IN = Text(
    en="{users} already in *{name}*; nothing changed.",
    da="{users} er allerede i *{name}*; intet blev ændret.",
)
REMOVED = Text(
    en="{users} left the sub-cluster *{name}* (removed by {by}).",
    da="{users} er ikke længere i babyklyngen *{name}* (fjernet af {by}).",
)
NOT_IN = Text(
    en="{user} is not in *{name}*, so there was nothing to remove.",
    da="{user} er ikke i *{name}*, så der var intet at fjerne.",
)
DELETED = Text(
    en="The sub-cluster *{name}* was deleted by {by}; its {count} members are no longer in a "
    "sub-cluster.",
    da="Babyklyngen *{name}* er slettet af {by}; dens {count} medlemmer er ikke længere i en "
    "babyklynge.",
)
LIST_TITLE = Text(en="Sub-clusters of *{name}*:", da="Babyklynger i *{name}*:")
LIST_LINE = Text(en="• *{name}* ({count}): {members}", da="• *{name}* ({count}): {members}")
LIST_WITHOUT = Text(en="Not in a sub-cluster: {users}", da="Ikke i en babyklynge: {users}")
NOBODY = Text(en="nobody", da="ingen")
AUTO_EXISTS = Text(
    en="This cluster already has {count} sub-clusters. `/klynge subcluster auto {size} "
    "--replace` replaces them all; `/klynge subcluster list` shows them.",
    da="Klyngen har allerede {count} babyklynger. `/klynge babyklynge auto {size} --erstat` "
    "erstatter dem alle; `/klynge babyklynge liste` viser dem.",
)
AUTO_DONE = Text(
    en=":seedling: {by} split the cluster's {count} members into {groups} sub-clusters "
    "(colleagues from one clinic spread out):\n{lines}",
    da=":seedling: {by} har delt klyngens {count} medlemmer i {groups} babyklynger "
    "(kolleger fra samme klinik spredt):\n{lines}",
)
AUTO_SIZE_NEEDED = Text(
    en="Give the sub-cluster size, e.g. `/klynge subcluster auto 6`.",
    da="Angiv babyklyngernes størrelse, fx `/klynge babyklynge auto 6`.",
)
AUTO_TOO_FEW = Text(
    en="The channel has {count} members; sub-clusters need at least 2.",
    da="Kanalen har {count} medlemmer; babyklynger kræver mindst 2.",
)
AUTO_TOO_LARGE = Text(
    en="The channel has {count} members, so sub-clusters of {size} are not possible. "
    "Choose a size from 2 to {count}.",
    da="Kanalen har {count} medlemmer, så babyklynger på {size} er ikke mulige. "
    "Vælg en størrelse fra 2 til {count}.",
)
