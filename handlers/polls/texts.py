"""The polls feature's user-facing texts, in English and Danish."""

from __future__ import annotations

from bot.i18n import Text

POLL_USAGE = Text(
    en='/klynge poll "Question" "Option" "Option" … [--multi N] [--ranked] [--anonymous] [--open] '
    "[--closes [date] [time]] [--subcluster NAME] [--by-subcluster]",
    da='/klynge afstemning "Spørgsmål" "Mulighed" "Mulighed" … [--flere N] [--rangordnet] '
    "[--anonym] [--åben] [--lukker [dato] [tid]] [--babyklynge NAVN] [--per-babyklynge]",
)
NEEDS_QUOTES = Text(
    en="Put the question and each option in quotes, like "
    '`/klynge poll "Next topic?" "Diabetes" "COPD"`. I could not place: {words}',
    da="Sæt spørgsmålet og hver mulighed i anførselstegn, fx "
    '`/klynge afstemning "Næste emne?" "Diabetes" "KOL"`. Jeg kunne ikke placere: {words}',
)
NO_QUESTION = Text(
    en='The poll needs a question: `/klynge poll "Next topic?" "Diabetes" "COPD"`.',
    da='Afstemningen mangler et spørgsmål: `/klynge afstemning "Næste emne?" "Diabetes" "KOL"`.',
)
QUESTION_TOO_LONG = Text(
    en="The question is {length} characters long; keep it under {limit}.",
    da="Spørgsmålet er {length} tegn langt; hold det under {limit}.",
)
TOO_FEW_OPTIONS = Text(
    en="A poll needs at least {minimum} options; you gave {count}. "
    'Example: `/klynge poll "Next topic?" "Diabetes" "COPD"`.',
    da="En afstemning skal have mindst {minimum} muligheder; du gav {count}. "
    'Eksempel: `/klynge afstemning "Næste emne?" "Diabetes" "KOL"`.',
)
TOO_MANY_OPTIONS = Text(
    en="A poll can have at most {maximum} options; you gave {count}.",
    da="En afstemning kan højst have {maximum} muligheder; du gav {count}.",
)
EMPTY_OPTION = Text(
    en="Option {number} is empty. Give every option some text.",
    da="Mulighed {number} er tom. Giv hver mulighed en tekst.",
)
OPTION_TOO_LONG = Text(
    en="Option {number} is {length} characters long; keep options under {limit}.",
    da="Mulighed {number} er {length} tegn lang; hold mulighederne under {limit}.",
)
DUPLICATE_OPTION = Text(
    en="“{option}” is there twice. Every option must be different.",
    da="»{option}« står der to gange. Alle muligheder skal være forskellige.",
)
BAD_MULTI = Text(
    en="`--multi` takes how many options each person may choose: a number from 1 to {count} "
    "(the number of options), like `--multi 2`. `{value}` doesn't fit.",
    da="`--flere` angiver, hvor mange muligheder hver må vælge: et tal fra 1 til {count} "
    "(antallet af muligheder), fx `--flere 2`. `{value}` passer ikke.",
)
MULTI_AND_RANKED = Text(
    en="Choose either `--multi N` or `--ranked`, not both.",
    da="Vælg enten `--flere N` eller `--rangordnet`, ikke begge.",
)
CLOSES_FORM = Text(
    en="`--closes` takes a date and a time and nothing else, e.g. `--closes {example} 16:00` "
    "or `--closes Friday 4pm`.",
    da="`--lukker` skal have en dato og et klokkeslæt og intet andet, fx `--lukker {example} "
    "kl. 16` eller `--lukker fredag kl. 16`.",
)
CLOSES_IN_PAST = Text(
    en="The poll would close {when}, which has already passed. Choose a later time.",
    da="Afstemningen ville lukke {when}, som allerede er forbi. Vælg et senere tidspunkt.",
)
UNKNOWN_SUBCLUSTER = Text(
    en="There is no sub-cluster called “{name}”. Sub-clusters here: {names}.",
    da="Der er ingen babyklynge, der hedder »{name}«. Babyklynger her: {names}.",
)
SUBCLUSTER_FLAG = Text(en="subcluster", da="babyklynge")
BY_SUBCLUSTER_FLAG = Text(en="by-subcluster", da="per-babyklynge")
SMALL_SUBCLUSTERS = Text(
    en="An anonymous poll by sub-cluster needs at least {minimum} members in each sub-cluster, "
    "so that nobody's vote can be traced; fewer in {names}. Leave out `--by-subcluster` or "
    "`--anonymous`.",
    da="En anonym afstemning pr. babyklynge kræver mindst {minimum} medlemmer i hver babyklynge, "
    "så ingens stemme kan spores; der er færre i {names}. Udelad `--per-babyklynge` eller "
    "`--anonym`.",
)
NO_SUBCLUSTERS = Text(
    en="This cluster has no sub-clusters yet, so `--{flag}` can't be used.",
    da="Klyngen har ingen babyklynger endnu, så `--{flag}` kan ikke bruges.",
)
SUBCLUSTER_AND_BY = Text(
    en="Choose either `--subcluster NAME` (only that sub-cluster votes) or `--by-subcluster` "
    "(every sub-cluster counts as one vote), not both.",
    da="Vælg enten `--babyklynge NAVN` (kun den babyklynge stemmer) eller `--per-babyklynge` "
    "(hver babyklynge tæller som én stemme), ikke begge.",
)
POLL_CREATED = Text(
    en="Your poll #{id} is in the channel.{closes} Close it with `/klynge poll close {id}`.",
    da="Din afstemning nr. {id} er i kanalen.{closes} Luk den med `/klynge afstemning luk {id}`.",
)
POLL_CREATED_CLOSES = Text(en=" It closes {when}.", da=" Den lukker {when}.")
POLL_NOT_FOUND = Text(
    en="There is no poll #{id} in this cluster.",
    da="Der er ingen afstemning nr. {id} i denne klynge.",
)
NO_OPEN_POLL = Text(
    en="There is no open poll in this channel to close.",
    da="Der er ingen åben afstemning i kanalen at lukke.",
)
BAD_POLL_ID = Text(
    en="`{value}` is not a poll number. Use `/klynge poll close` or `/klynge poll close 12`.",
    da="`{value}` er ikke et afstemningsnummer. Brug `/klynge afstemning luk` eller "
    "`/klynge afstemning luk 12`.",
)
ALREADY_CLOSED = Text(
    en="Poll #{id} is already closed.", da="Afstemning nr. {id} er allerede lukket."
)
CLOSE_NOT_ALLOWED = Text(
    en=":lock: Only the poll's creator ({creator}) or a coordinator can close poll #{id}.",
    da=":lock: Kun den, der oprettede afstemningen ({creator}), eller en koordinator kan lukke "
    "afstemning nr. {id}.",
)
POLL_CLOSED_NOW = Text(
    en="Poll #{id} is closed; the results are in the channel.",
    da="Afstemning nr. {id} er lukket; resultatet står i kanalen.",
)
POLL_CLOSED_RESULTS_LATER = Text(
    en=":hourglass: Poll #{id} is closed. I couldn't post the results in the channel yet; they "
    "will be posted as soon as Slack takes them (no need to close it again).",
    da=":hourglass: Afstemning nr. {id} er lukket. Jeg kunne ikke sætte resultatet i kanalen "
    "endnu; det kommer, så snart Slack tager imod det (du behøver ikke lukke den igen).",
)
VOTED = Text(en="Your vote for “{option}” is counted.", da="Din stemme på »{option}« er talt med.")
MOVED = Text(
    en="You changed your vote to “{option}”; your earlier choice was removed.",
    da="Du har skiftet din stemme til »{option}«; dit tidligere valg er fjernet.",
)
WITHDRAWN = Text(
    en="You withdrew your vote for “{option}”. Click an option to vote again.",
    da="Du har trukket din stemme på »{option}« tilbage. Klik på en mulighed for at stemme igen.",
)
TOO_MANY_CHOICES = Text(
    en="You can choose at most {n} options in this poll and already have. "
    "Click one of your choices to withdraw it first.",
    da="Du kan højst vælge {n} muligheder i denne afstemning og har allerede gjort det. "
    "Klik på et af dine valg for at fjerne det først.",
)
POLL_IS_CLOSED = Text(
    en="This poll is closed; votes are no longer counted.",
    da="Afstemningen er lukket; stemmer tælles ikke længere.",
)
POLL_GONE = Text(
    en="I can't find this poll any more.", da="Jeg kan ikke finde denne afstemning længere."
)
NOT_IN_SUBCLUSTER = Text(
    en="Only the sub-cluster *{name}* votes in this poll, and you are not in it. "
    "Ask a coordinator if you think you should be.",
    da="Kun babyklyngen *{name}* stemmer i denne afstemning, og du er ikke med i den. "
    "Spørg en koordinator, hvis du mener, du burde være.",
)
NO_SUBCLUSTER = Text(
    en="This poll is counted by sub-cluster, and you are not in a sub-cluster yet. "
    "Ask a coordinator to add you to one.",
    da="Denne afstemning tælles pr. babyklynge, og du er ikke i en babyklynge endnu. "
    "Bed en koordinator om at sætte dig i en.",
)
RANKING_SAVED = Text(
    en="Your ranking for “{question}” is saved: {ranking}. You can change it until the poll "
    "closes.",
    da="Din prioritering i »{question}« er gemt: {ranking}. Du kan ændre den, indtil "
    "afstemningen lukker.",
)
RANK_DUPLICATE = Text(
    en="You chose this option already in a higher place.",
    da="Du har allerede valgt denne mulighed på en højere plads.",
)
NOT_OPEN_FOR_OPTIONS = Text(
    en="This poll doesn't take new options.", da="Denne afstemning tager ikke nye muligheder."
)
OPTION_EXISTS = Text(en="That option is already there.", da="Den mulighed findes allerede.")
OPTION_ADDED = Text(
    en="{user} added the option “{option}” to poll #{id}.",
    da="{user} tilføjede muligheden »{option}« til afstemning nr. {id}.",
)
TOPIC_COORDINATORS_ONLY = Text(
    en=":lock: Only a coordinator can set the topic of the next meeting.",
    da=":lock: Kun en koordinator kan sætte emnet for næste møde.",
)
NO_UPCOMING_MEETING = Text(
    en="There is no upcoming meeting to give this topic. Plan one with `/klynge meeting add`.",
    da="Der er intet kommende møde at give dette emne. Planlæg et med `/klynge møde tilføj`.",
)
TOPIC_SET = Text(
    en=":dart: The topic of *{title}* ({when}) is now “{topic}”, chosen by poll #{id}.",
    da=":dart: Emnet for *{title}* ({when}) er nu »{topic}«, valgt ved afstemning nr. {id}.",
)
NUDGE = Text(
    en=":ballot_box_with_ballot: You haven't voted yet in the poll “{question}” in {channel}. "
    "It closes {when}. {link}",
    da=":ballot_box_with_ballot: Du har ikke stemt endnu i afstemningen »{question}« i {channel}. "
    "Den lukker {when}. {link}",
)
NOT_A_CLUSTER_CHANNEL = Text(
    en="This channel is not a quality cluster yet; run `/klynge setup` there first.",
    da="Denne kanal er ikke en kvalitetsklynge endnu; opret den først med `/klynge opret`.",
)
MINUTES_TITLE = Text(en="Poll: {question}", da="Afstemning: {question}")
MINUTES_OPEN = Text(en="(still open)", da="(stadig åben)")
MINUTES_WINNER = Text(en="Chosen: {option}", da="Valgt: {option}")
MINUTES_TIE = Text(en="Tie between: {options}", da="Uafgjort mellem: {options}")
MINUTES_NONE = Text(en="No votes.", da="Ingen stemmer.")
