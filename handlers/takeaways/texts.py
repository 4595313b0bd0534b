"""The takeaways feature's user-facing texts, in English and Danish."""

from __future__ import annotations

from bot.i18n import Text

TAKEAWAY_USAGE = Text(
    en="Write your take-home message after the command: `/klynge takeaway [what you take home]`. "
    "Example: `/klynge takeaway Ring diabetes patients back within 3 months`.",
    da="Skriv din pointe — det, du tager med hjem — efter kommandoen: `/klynge pointe "
    "[tekst]`. Fx: `/klynge pointe Ring diabetespatienter op inden for 3 måneder`.",
)
SAVED_FOR_MEETING = Text(
    en=":house: Saved your take-home message for *{title}*:\n",
    da=":house: Din pointe er gemt til *{title}*:\n",
)
SAVED_BY_KIND = {
    "decision": Text(
        en=":memo: Saved as a decision of *{title}*; it goes into the decision minutes:\n",
        da=":memo: Gemt som beslutning fra *{title}*; den kommer i beslutningsreferatet:\n",
    ),
    "instruction": Text(
        en=":clipboard: Saved as your instruction for the clinic staff, from *{title}*:\n",
        da=":clipboard: Gemt som din instruks til personalet, fra *{title}*:\n",
    ),
}
SAVED_LOOSE = Text(
    en=":house: Saved your take-home message (no meeting is running, so it is not tied to one):\n",
    da=":house: Din pointe er gemt (intet møde kører, så den hører ikke til et møde):\n",
)
ALREADY_SAVED = Text(
    en="You already saved that message as a take-home message; nothing changed.",
    da="Du har allerede gemt den besked som pointe; intet er ændret.",
)
REACTION_SAVED_HINT = Text(
    en="Remove your :{emoji}: reaction to take it back.",
    da="Fjern din :{emoji}:-reaktion for at fortryde.",
)
REMOVED = Text(en="Your take-home message was removed.", da="Din pointe er fjernet.")
NOT_YOURS = Text(
    en="That take-home message is gone or belongs to someone else; only its author can change it.",
    da="Den pointe findes ikke længere eller er en andens; kun den, der skrev den, kan ændre den.",
)
EDITED = Text(
    en=":pencil2: Your take-home message was updated.",
    da=":pencil2: Din pointe er rettet.",
)
TOO_LONG_TO_EDIT = Text(
    en="That take-home message is {length} characters long, more than Slack's edit form holds "
    "({limit}). Delete it and save it again instead.",
    da="Den pointe er {length} tegn lang, mere end Slacks formular kan rumme "
    "({limit}). Slet den og gem den igen i stedet.",
)
NOT_A_CLUSTER = Text(
    en="This channel is not a quality cluster, so I can't save take-home messages here. "
    "A coordinator can set it up with `/klynge setup`.",
    da="Denne kanal er ikke en kvalitetsklynge, så jeg kan ikke gemme pointer her. En "
    "koordinator kan oprette klyngen med `/klynge opret`.",
)
NO_TEXT_IN_MESSAGE = Text(
    en="That message has no text I could save as a take-home message.",
    da="Den besked har ingen tekst, jeg kan gemme som pointe.",
)
ONLY_MEMBER_MESSAGES = Text(
    en="I save members' messages as take-home messages, not my own posts. "
    "Use the *Take-home message* button or `/klynge takeaway [text]` instead.",
    da="Jeg gemmer medlemmers beskeder som pointer, ikke mine egne opslag. Brug knappen "
    "*Pointe* eller `/klynge pointe [tekst]` i stedet.",
)
READ_SOON = Text(
    en=":hourglass_flowing_sand: Slack lets me read messages here only now and then, so your "
    "take-home message will be saved within a few minutes; I'll tell you in a direct message.",
    da=":hourglass_flowing_sand: Slack lader kun mig læse beskeder her en gang imellem, så din "
    "pointe bliver gemt inden for et par minutter; du får besked i en direkte besked.",
)
MESSAGE_NOT_FOUND = Text(
    en="I couldn't read that message, so it was not saved. Try the message's "
    "*Save as take-home message* shortcut instead.",
    da="Jeg kunne ikke læse den besked, så den blev ikke gemt. Prøv beskedgenvejen (i "
    "beskedens menu) i stedet.",
)
LIST_EMPTY = Text(
    en="You have no take-home messages in this cluster yet. Add one with "
    "`/klynge takeaway [text]`.",
    da="Du har ingen pointer i denne klynge endnu. Tilføj en med `/klynge pointe [tekst]`.",
)
LOOSE_LABEL = Text(en="no meeting", da="intet møde")
KIND_LABELS = {
    "decision": Text(en="decision", da="beslutning"),
    "instruction": Text(en="instruction for the staff", da="instruks til personalet"),
}
EMOJI_USAGE = Text(
    en="Name the emoji that marks a message as a take-home message: "
    "`/klynge takeaway emoji :house:`. Now: :{emoji}:.",
    da="Angiv den emoji, der markerer en besked som pointe: `/klynge pointe emoji "
    ":house:`. Nu: :{emoji}:.",
)
EMOJI_SET = Text(
    en="From now on a :{emoji}: reaction on a message in this channel saves it as a take-home "
    "message (set by {by}).",
    da="Fra nu af gemmer en :{emoji}:-reaktion på en besked i kanalen den som pointe (sat "
    "af {by}).",
)
FOLLOWUP_USAGE = Text(
    en="I ask about take-home messages a week before the next meeting. Say how long after a "
    "meeting to ask when no next meeting is planned, in days or weeks: "
    "`/klynge takeaway followup 4w` (1 day to 52 weeks). Now: {days} days.",
    da="Jeg spørger til pointerne en uge før næste møde. Angiv, hvor længe efter et møde "
    "jeg skal spørge, når der ikke er planlagt et næste møde, i dage eller uger: "
    "`/klynge pointe opfølgning 4u` (1 dag til 52 uger). Nu: {days} dage.",
)
FOLLOWUP_SET = Text(
    en="I will ask authors about their take-home messages a week before the next meeting, or "
    "{days} days after a meeting when no next one is planned (set by {by}).",
    da="Jeg spørger til pointerne en uge før næste møde, eller {days} dage efter et møde, "
    "når der ikke er planlagt et næste (sat af {by}).",
)
MEETING_ID_FORM = Text(
    en="`{value}` is not a meeting number. Use `/klynge {command} [meeting number]`, "
    "e.g. `/klynge {command} 12` (`/klynge meeting list` shows the numbers).",
    da="`{value}` er ikke et mødenummer. Brug `/klynge {command} [mødenummer]`, "
    "fx `/klynge {command} 12` (`/klynge møde liste` viser numrene).",
)
NO_SUCH_MEETING = Text(
    en="This cluster has no meeting number {id}. `/klynge meeting list` shows the meetings.",
    da="Klyngen har intet møde nr. {id}. `/klynge møde liste` viser møderne.",
)
NOTHING_TO_SUMMARISE = Text(
    en="There are no take-home messages {what} yet. Members add them with "
    "`/klynge takeaway [text]` or the *Take-home message* button.",
    da="Der er ingen pointer {what} endnu. Medlemmerne tilføjer dem med `/klynge "
    "pointe [tekst]` eller knappen *Pointe*.",
)
MEETING_WHAT = Text(en="for *{title}*", da="fra *{title}*")
LOOSE_WHAT = Text(en="written outside a meeting", da="skrevet uden for et møde")
NOTHING_TO_EXPORT = Text(
    en="There is no meeting and no take-home message to export yet.",
    da="Der er endnu intet møde og ingen pointe at eksportere.",
)
EXPORT_COMMENT = Text(
    en=":page_facing_up: Decision minutes for *{title}* (exported by {by}).",
    da=":page_facing_up: Beslutningsreferat for *{title}* (eksporteret af {by}).",
)
MINUTES_PDF_COMMENT = Text(
    en=":page_facing_up: The decision minutes of *{title}* as a PDF, to forward to your clinic "
    "staff or print.",
    da=":page_facing_up: Beslutningsreferatet fra *{title}* som PDF, til at sende videre til "
    "personalet i klinikken eller printe.",
)
EXPORTED = Text(
    en="The decision minutes are uploaded to the channel as `{filename}`.",
    da="Beslutningsreferatet er lagt op i kanalen som `{filename}`.",
)
MODAL_EMPTY = Text(
    en="Write at least one answer (or press Cancel).",
    da="Skriv mindst ét svar (eller tryk Annullér).",
)
EDIT_EMPTY = Text(
    en="The text can't be empty. To remove the take-home message, use Delete instead.",
    da="Teksten må ikke være tom. Brug Slet for at fjerne pointen.",
)
MODAL_SAVED = Text(
    en=":house: Saved {count:take-home message|take-home messages}{where}. Thank you!",
    da=":house: Tak! Gemt{where} — pointer: {count}.",
)
MODAL_SAVED_KINDS = Text(
    en=":house: Saved{where}: {takeaway:take-home message|take-home messages}, "
    "{decision:decision|decisions} and {instruction:instruction|instructions} for the staff. "
    "Thank you!",
    da=":house: Tak! Gemt{where} — pointer: {takeaway}, beslutninger: {decision}, "
    "instrukser til personalet: {instruction}.",
)
MODAL_WHERE = Text(en=" for *{title}*", da=" til *{title}*")
FOLLOWUP_INTRO = Text(
    en=":seedling: Follow-up from *{title}* ({date}): did you implement what you took home? "
    "One click per take-home message.",
    da=":seedling: Opfølgning fra *{title}* ({date}): fik du gennemført det, du tog med hjem? "
    "Ét klik pr. pointe.",
)
FOLLOWUP_AGAIN_INTRO = Text(
    en=":seedling: Half a year ago, after *{title}* ({date}), you were working on this. "
    "How is it going now? One click per take-home message.",
    da=":seedling: For et halvt år siden, efter *{title}* ({date}), var du i gang med dette. "
    "Hvordan går det nu? Ét klik pr. pointe.",
)
DIGEST_INTRO = Text(
    en=":bar_chart: *For the coordinators:* how the members followed up on the last meeting, "
    "ready for the next one.",
    da=":bar_chart: *Til koordinatorerne:* sådan har medlemmerne fulgt op på sidste møde, "
    "klar til det næste.",
)
DIGEST_RATE = Text(en="*Implementation rate:* {rate}", da="*Implementeringsgrad:* {rate}")
DIGEST_FALLBACK = Text(
    en="How the members followed up on {title}", da="Sådan har medlemmerne fulgt op på {title}"
)
FOLLOWUP_FALLBACK = Text(
    en="Did you implement your take-home messages from {title}?",
    da="Fik du ført dine pointer fra {title} ud i livet?",
)
DECISION_USAGE = Text(
    en="Write the decision or agreement after the command: `/klynge decision [text]`. "
    "Example: `/klynge decision We all use the same recall list from January`.",
    da="Skriv beslutningen eller aftalen efter kommandoen: `/klynge beslutning [tekst]`. "
    "Fx: `/klynge beslutning Vi bruger alle samme recall-liste fra januar`.",
)
INSTRUCTION_USAGE = Text(
    en="Write the instruction for your clinic staff after the command: "
    "`/klynge instruction [text]`. Example: `/klynge instruction Book a spirometry for every "
    "smoker over 40 at their next visit`.",
    da="Skriv instruksen til personalet i din klinik efter kommandoen: "
    "`/klynge instruks [tekst]`. Fx: `/klynge instruks Book spirometri til alle rygere over 40 "
    "ved næste besøg`.",
)
NO_MEETING_TO_RECORD = Text(
    en="Decisions and staff instructions belong to a meeting, and no meeting is running or "
    "ended in the last 12 hours. Write them during the meeting or just after `/klynge end`; "
    "a take-home message can always be saved with `/klynge takeaway [text]`.",
    da="Beslutninger og instrukser hører til et møde, og intet møde kører eller er sluttet "
    "inden for de sidste 12 timer. Skriv dem under mødet eller lige efter `/klynge "
    "slut`; en pointe kan altid gemmes med `/klynge pointe [tekst]`.",
)
