"""The meetings feature's user-facing texts, in English and Danish."""

from __future__ import annotations

from bot.i18n import Text

PROBLEM_AND_FORM = Text(en="{problem}\nThe form: `{form}`", da="{problem}\nSådan: `{form}`")
ADD_NEEDS_DATE_TIME_TITLE = Text(
    en="Give the date, the time and a title, e.g. "
    "`/klynge meeting add 2026-12-03 16:00 Antibiotics in general practice`.",
    da="Angiv dato, klokkeslæt og en titel, fx "
    "`/klynge møde tilføj 3. december kl. 16 Antibiotika i almen praksis`.",
)
ADD_NEEDS_TITLE = Text(
    en="The meeting on {when} needs a title after the time, e.g. "
    "`/klynge meeting add Dec 3 4pm Antibiotics in general practice`.",
    da="Mødet {when} skal have en titel efter klokkeslættet, fx "
    "`/klynge møde tilføj 3. december kl. 16 Antibiotika i almen praksis`.",
)
DURATION_TWICE = Text(
    en="“{typed}” and `--duration {duration}` give two different lengths; give one of them.",
    da="»{typed}« og `--varighed {duration}` giver to forskellige varigheder; angiv kun den ene.",
)
READ_AS = Text(en="\n_I read “{typed}” as {when}._", da="\n_»{typed}« læste jeg som {when}._")
TITLE_TOO_LONG = Text(
    en="The title is {length} characters long; at most {limit} please.",
    da="Titlen er {length} tegn lang; højst {limit}, tak.",
)
ZOOM_NOT_HTTPS = Text(
    en="“{value}” is not a secure web link. The Zoom link must start with https://, "
    "e.g. `--zoom https://us02web.zoom.us/j/123456789`.",
    da="»{value}« er ikke et sikkert weblink. Zoom-linket skal begynde med https://, "
    "fx `--zoom https://us02web.zoom.us/j/123456789`.",
)
END_WITHOUT_EVERY = Text(
    en="`--until` and `--count` end a repeating meeting; add `--every`, e.g. "
    "`--every 4w --count 6`.",
    da="`--indtil` og `--antal` afslutter en mødeserie; tilføj `--gentag`, fx "
    "`--gentag 4u --antal 6`.",
)
ADDED_ONE = Text(
    en=":white_check_mark: Planned meeting #{id} *{title}*: {when}{zone}.\nReminders: "
    "{reminders}.{zoom}",
    da=":white_check_mark: Møde nr. {id} *{title}* er planlagt: {when}{zone}.\n"
    "Påmindelser: {reminders}.{zoom}",
)
ADDED_SERIES = Text(
    en=":white_check_mark: Planned {count} meetings *{title}*{zone}:\n{lines}\nReminders: "
    "{reminders}.{zoom} Each meeting can be moved or cancelled on its own by its number.",
    da=":white_check_mark: {count} møder *{title}* er planlagt{zone}:\n{lines}\n"
    "Påmindelser: {reminders}.{zoom} Hvert møde kan flyttes eller aflyses for sig med sit nummer.",
)
ALREADY_PLANNED_AT = Text(
    en="There is already a meeting at {when}{zone}: #{id} *{title}*. Nothing was planned. "
    "Change that one with `/klynge meeting set {id} …` or `/klynge meeting move {id} …`, or "
    "choose another time.{more}",
    da="Der er allerede et møde {when}{zone}: nr. {id} *{title}*. Intet er planlagt. "
    "Ret det med `/klynge møde sæt {id} …` eller `/klynge møde flyt {id} …`, eller vælg et "
    "andet tidspunkt.{more}",
)
MOVE_CLASH = Text(
    en="There is already a meeting at {when}{zone}: #{other} *{title}*. Meeting #{id} was not "
    "moved. Choose another time, or cancel one of them with `/klynge meeting cancel [number]`.",
    da="Der er allerede et møde {when}{zone}: nr. {other} *{title}*. Møde nr. {id} er ikke "
    "flyttet. Vælg et andet tidspunkt, eller aflys et af dem med `/klynge møde aflys [nummer]`.",
)
MORE_CLASHES = Text(
    en=" ({count} of the new meetings clash with meetings already planned.)",
    da=" ({count} af de nye møder falder sammen med allerede planlagte møder.)",
)
CLOSED_DAYS = Text(
    en="\n:warning: Note: {count:meeting falls|meetings fall} on a weekend or a public "
    "holiday; they are planned anyway:\n{lines}\nMove one with "
    "`/klynge meeting move [number] YYYY-MM-DD HH:MM` or cancel it with "
    "`/klynge meeting cancel [number]`.",
    da="\n:warning: Bemærk: {count:møde|møder} ligger i en weekend eller på en helligdag; de er "
    "planlagt alligevel:\n{lines}\nFlyt et med `/klynge møde flyt [nummer] [dato] [tid]` "
    "eller aflys det med `/klynge møde aflys [nummer]`.",
)
CLOSED_DAY_LINE = Text(en="• #{id} {when} — {reason}", da="• nr. {id} {when} — {reason}")
SERIES_LINE = Text(en="• #{id} — {when}", da="• nr. {id} — {when}")
ZOOM_SET = Text(en=" Zoom: {url}", da=" Zoom: {url}")
MORE_LINES = Text(en="… and {count} more", da="… og {count} til")
REMINDERS_PAST = Text(
    en=" ({offsets} before has already passed, so that one is skipped)",
    da=" ({offsets} før er allerede forbi, så den påmindelse kommer ikke)",
)
REMINDERS_BEFORE = Text(en="{offsets} before", da="{offsets} før")
NO_REMINDERS = Text(en="none", da="ingen")
AND = Text(en="and", da="og")
ANNOUNCE_ONE = Text(
    en=":calendar: New meeting planned: *{title}* — {when}{zone}. The attached file adds it "
    "to your calendar.",
    da=":calendar: Nyt møde planlagt: *{title}* — {when}{zone}. Den vedhæftede fil sætter "
    "det i din kalender.",
)
ANNOUNCE_SERIES = Text(
    en=":calendar: {count} meetings planned: *{title}*, from {first} to {last}{zone}. "
    "The attached file adds them all to your calendar.",
    da=":calendar: {count} møder planlagt: *{title}*, fra {first} til {last}{zone}. "
    "Den vedhæftede fil sætter dem alle i din kalender.",
)
ANNOUNCE_LATER = Text(
    en=":hourglass: Meeting #{id} is planned, with its reminders, but I couldn't announce it in "
    "the channel yet; the announcement will follow as soon as Slack takes it. Please don't add "
    "the meeting again.",
    da=":hourglass: Møde nr. {id} er planlagt, med påmindelser, men jeg kunne ikke annoncere det "
    "i kanalen endnu; annonceringen kommer, så snart Slack tager imod den. Tilføj ikke mødet "
    "igen.",
)
NO_CALENDAR_FILE = Text(
    en="(I couldn't attach the calendar file here; `/klynge meeting ics {id}` sends it to you.)",
    da="(Jeg kunne ikke vedhæfte kalenderfilen her; `/klynge møde kalender {id}` sender den "
    "til dig.)",
)
NEEDS_ID = Text(
    en="Give the meeting's number, e.g. `/klynge {command} 12`. "
    "`/klynge meeting list` shows the numbers.",
    da="Angiv mødets nummer, fx `/klynge {command} 12`. `/klynge møde liste` viser numrene.",
)
BAD_ID = Text(
    en="“{value}” is not a meeting number. `/klynge meeting list` shows the numbers.",
    da="»{value}« er ikke et mødenummer. `/klynge møde liste` viser numrene.",
)
NO_SUCH_MEETING = Text(
    en="This cluster has no meeting #{id}. `/klynge meeting list` shows the numbers.",
    da="Klyngen har intet møde nr. {id}. `/klynge møde liste` viser numrene.",
)
TOO_MANY_WORDS = Text(en="I didn't expect “{extra}” here.", da="Jeg forventede ikke »{extra}« her.")
NOT_PLANNED = Text(
    en="Meeting #{id} *{title}* is {status}, so it can't be {action}.",
    da="Møde nr. {id} *{title}* er {status}, så det kan ikke {action}.",
)
ACTION_CANCELLED = Text(en="cancelled", da="aflyses")
ACTION_MOVED = Text(en="moved", da="flyttes")
ACTION_STARTED = Text(en="started", da="startes")
LIST_HEADER = Text(en="*Upcoming meetings*{zone}:", da="*Kommende møder*{zone}:")
LIST_EMPTY = Text(
    en="No meetings are planned. A coordinator adds one with "
    "`/klynge meeting add YYYY-MM-DD HH:MM [title]`.",
    da="Der er ingen planlagte møder. En koordinator planlægger et med "
    "`/klynge møde tilføj [dato] [tid] [titel]`, fx `/klynge møde tilføj 3. december kl. 16 "
    "KOL`.",
)
LIST_LINE = Text(
    en="• #{id} — {when} — *{title}*{extra}", da="• nr. {id} — {when} — *{title}*{extra}"
)
LIST_RUNNING = Text(en=" _(running now)_", da=" _(i gang nu)_")
LIST_FACILITATOR = Text(en=" · facilitator {who}", da=" · tovholder {who}")
LIST_TOPIC = Text(en=" · topic: {topic}", da=" · emne: {topic}")
LIST_MORE = Text(en="… and {count} more later.", da="… og {count} til senere.")
SHOW_TITLE = Text(en="*#{id} {title}* ({status})", da="*Nr. {id} {title}* ({status})")
SHOW_WHEN = Text(
    en="*When:* {when}{zone}, {minutes} minutes",
    da="*Hvornår:* {when}{zone}, {minutes} minutter",
)
SHOW_ZOOM = Text(en="*Zoom:* {url}", da="*Zoom:* {url}")
SHOW_REMINDERS = Text(en="*Reminders:* {reminders}", da="*Påmindelser:* {reminders}")
SHOW_RSVP = Text(
    en="*Answers so far:* {attending} coming, {absent} can't come",
    da="*Svar indtil nu:* {attending} kommer, {absent} kan ikke",
)
SHOW_SERIES = Text(en="*Series:* part of series #{id}", da="*Serie:* del af serie nr. {id}")
SHOW_HINT = Text(
    en="Change it with `/klynge meeting set {id} title|zoom|topic|agenda|prep|length|remind "
    "[value]`.",
    da="Ret det med `/klynge møde sæt {id} titel|zoom|emne|dagsorden|forberedelse|varighed|"
    "påmindelser [værdi]`.",
)
CANCELLED_ANNOUNCE = Text(
    en=":x: The meeting *{title}* on {when}{zone} is cancelled (by {by}).",
    da=":x: Mødet *{title}* {when}{zone} er aflyst (af {by}).",
)
CANCELLED_CONFIRM = Text(
    en="Cancelled meeting #{id}; {count:pending reminder was|pending reminders were} removed.",
    da="Møde nr. {id} er aflyst; {count:ventende påmindelse|ventende påmindelser} er fjernet.",
)
MOVE_NEEDS = Text(
    en="Give the meeting's number and the new date and time, e.g. "
    "`/klynge meeting move 12 2026-12-10 16:00`.",
    da="Angiv mødets nummer og den nye dato og tid, fx `/klynge møde flyt 12 10. december kl. 16`.",
)
MOVED_ANNOUNCE = Text(
    en=":arrow_right: *{title}* has moved from {old} to *{new}*{zone} (by {by}). "
    "`/klynge meeting ics {id}` gives the updated calendar file.",
    da=":arrow_right: *{title}* er flyttet fra {old} til *{new}*{zone} (af {by}). "
    "`/klynge møde kalender {id}` giver den opdaterede kalenderfil.",
)
MOVED_CONFIRM = Text(
    en="Moved meeting #{id} to {when}{zone}; its reminders follow it.",
    da="Møde nr. {id} er flyttet til {when}{zone}; påmindelserne følger med.",
)
SAME_TIME = Text(
    en="Meeting #{id} is already at {when}; nothing changed.",
    da="Møde nr. {id} ligger allerede {when}; intet blev ændret.",
)
SET_NEEDS = Text(
    en="Write `/klynge meeting set [number] title|zoom|topic|agenda|prep|length|remind [value]`, "
    "e.g. `/klynge meeting set 12 topic Antibiotics for urinary tract infections` or "
    "`/klynge meeting set 12 length 90`. Use `-` as the value to clear a topic, agenda, "
    "preparation note or Zoom link (reminders: back to the cluster's defaults). Add `--series` "
    "to change the rest of a series too.",
    da="Skriv `/klynge møde sæt [nummer] titel|zoom|emne|dagsorden|forberedelse|varighed|"
    "påmindelser [værdi]`, fx `/klynge møde sæt 12 emne Antibiotika mod urinvejsinfektion` "
    "eller `/klynge møde sæt 12 varighed 90`. Brug `-` som værdi for at rydde emne, dagsorden, "
    "forberedelse eller Zoom-link (påmindelser: tilbage til klyngens standard). Tilføj "
    "`--serie` for også at ændre resten af en serie.",
)
SET_TOO_LONG = Text(
    en="The {field} is {length} characters long; at most {limit} please.",
    da="Feltet {field} er {length} tegn langt; højst {limit}, tak.",
)
NEEDS_A_VALUE = Text(
    en="A meeting always has a {field}, so `-` can't clear it; give the new one instead.",
    da="Et møde har altid en {field}, så `-` kan ikke rydde den; angiv den nye i stedet.",
)
SET_DONE = Text(
    en="Meeting #{id} *{title}*: {field} set to:\n{value}",
    da="Møde nr. {id} *{title}*: {field} er sat til:\n{value}",
)
SET_CLEARED = Text(
    en="Meeting #{id} *{title}*: {field} cleared.",
    da="Møde nr. {id} *{title}*: {field} er ryddet.",
)
SET_SERIES = Text(
    en="\n(Changed for {count} meetings of the series, from #{id} on.)",
    da="\n(Ændret for {count} møder i serien, fra nr. {id}.)",
)
SET_UNCHANGED = Text(
    en="Meeting #{id} *{title}*: the {field} is already that; nothing changed.",
    da="Møde nr. {id} *{title}*: {field} er allerede sat sådan; intet blev ændret.",
)
NOT_A_SERIES = Text(
    en="Meeting #{id} is not part of a series, so `--series` has nothing more to change. "
    "Leave it out to change just this meeting.",
    da="Møde nr. {id} er ikke del af en serie, så `--serie` har ikke mere at ændre. "
    "Udelad det for kun at ændre dette møde.",
)
ACTION_CHANGED = Text(en="changed", da="ændres")
RENAMED_ANNOUNCE = Text(
    en=":pencil2: The meeting on {when}{zone} is now called *{title}* (was *{old}*; "
    "changed by {by}).",
    da=":pencil2: Mødet {when}{zone} hedder nu *{title}* (før *{old}*; ændret af {by}).",
)
ZOOM_ANNOUNCE = Text(
    en=":link: New Zoom link for *{title}* ({when}, {zone}): {url} (changed by {by}).",
    da=":link: Nyt Zoom-link til *{title}* ({when}, {zone}): {url} (ændret af {by}).",
)
ZOOM_REMOVED_ANNOUNCE = Text(
    en=":link: *{title}* ({when}, {zone}) no longer has a Zoom link (changed by {by}).",
    da=":link: *{title}* ({when}, {zone}) har ikke længere et Zoom-link (ændret af {by}).",
)
LENGTH_ANNOUNCE = Text(
    en=":clock3: *{title}* ({when}, {zone}) now lasts {minutes} minutes, until {end} "
    "(changed by {by}).",
    da=":clock3: *{title}* ({when}, {zone}) varer nu {minutes} minutter, til kl. {end} "
    "(ændret af {by}).",
)
ANNOUNCE_SERIES_TOO = Text(
    en=" The same for the {count} later meetings of the series.",
    da=" Det samme gælder seriens {count} senere møder.",
)
CALENDAR_UPDATED = Text(
    en=" `/klynge meeting ics {id}` gives the updated calendar file.",
    da=" `/klynge møde kalender {id}` giver den opdaterede kalenderfil.",
)
ICS_SENT = Text(
    en="I sent you the calendar file for #{id} *{title}* in a direct message.",
    da="Jeg har sendt dig kalenderfilen for nr. {id} *{title}* i en direkte besked.",
)
ICS_COMMENT = Text(
    en=":calendar: *{title}* — {when}. Open the file to add it to your calendar.",
    da=":calendar: *{title}* — {when}. Åbn filen for at sætte mødet i din kalender.",
)
ICS_FAILED = Text(
    en="Sorry, I couldn't send the calendar file just now. Please try again in a minute.",
    da="Beklager, jeg kunne ikke sende kalenderfilen lige nu. Prøv igen om et minut.",
)
CALENDAR_DESCRIPTION = Text(en="Quality cluster {name}", da="Kvalitetsklynge {name}")
CALENDAR_TOPIC = Text(en="Topic: {topic}", da="Emne: {topic}")
CALENDAR_AGENDA = Text(en="Agenda:\n{agenda}", da="Dagsorden:\n{agenda}")
CALENDAR_PREPARATION = Text(en="To prepare: {text}", da="Forberedelse: {text}")
DEFAULTS_SHOWN = Text(
    en="Reminders for new meetings: {reminders}. Change with `/klynge remind defaults 7d,1d,1h` "
    "(d days, h hours, m minutes; `none` for no reminders).",
    da="Påmindelser for nye møder: {reminders}. Skift med "
    "`/klynge påmindelser standard 7d,1d,1t` (u uger, d dage, t timer, m minutter; `ingen` "
    "for ingen påmindelser).",
)
DEFAULTS_SET = Text(
    en="Default reminders are now {reminders}; {count:upcoming meeting|upcoming meetings} "
    "that follow the defaults updated.",
    da="Standardpåmindelserne er nu {reminders}; {count:kommende møde|kommende møder}, der følger "
    "standarden, er opdateret.",
)
AGENDA_DEFAULT_SHOWN = Text(
    en="*The agenda meetings follow when they have none of their own*{whose}:\n{agenda}\n"
    "Change it with `/klynge agenda default [text]` (items on separate lines or separated by "
    "`;`); `/klynge agenda default -` brings back the built-in one.",
    da="*Den dagsorden, møderne følger, når de ikke har deres egen*{whose}:\n{agenda}\n"
    "Skift den med `/klynge dagsorden standard [tekst]` (punkterne på hver sin linje eller "
    "adskilt af `;`); `/klynge dagsorden standard -` henter den indbyggede tilbage.",
)
AGENDA_DEFAULT_BUILT_IN = Text(en=" (the built-in one)", da=" (den indbyggede)")
AGENDA_DEFAULT_OWN = Text(en=" (the cluster's own)", da=" (klyngens egen)")
AGENDA_DEFAULT_SET = Text(
    en=":white_check_mark: Meetings without an agenda of their own now follow this one:\n{agenda}",
    da=":white_check_mark: Møder uden deres egen dagsorden følger nu denne:\n{agenda}",
)
AGENDA_DEFAULT_RESTORED = Text(
    en=":leftwards_arrow_with_hook: Meetings without an agenda of their own follow the "
    "built-in one again:\n{agenda}",
    da=":leftwards_arrow_with_hook: Møder uden deres egen dagsorden følger igen den "
    "indbyggede:\n{agenda}",
)
AGENDA_DEFAULT_TOO_LONG = Text(
    en="The agenda is {length} characters long; at most {limit} please.",
    da="Dagsordenen er {length} tegn lang; højst {limit}, tak.",
)
