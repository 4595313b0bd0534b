"""The attendance feature's user-facing texts, in English and Danish."""

from __future__ import annotations

from bot.i18n import Text

ATTENDANCE_FORM = Text(
    en="`{value}` is not a meeting number. Use `/klynge attendance [meeting id]` for one "
    "meeting or `/klynge attendance year` for the last 12 months (`/klynge meeting list` "
    "shows the numbers).",
    da="`{value}` er ikke et mødenummer. Brug `/klynge fremmøde [mødenummer]` for et møde "
    "eller `/klynge fremmøde år` for de seneste 12 måneder (`/klynge møde liste` viser "
    "numrene).",
)
NO_SUCH_MEETING = Text(
    en="This cluster has no meeting number {id}. `/klynge meeting list` shows the meetings.",
    da="Klyngen har intet møde nr. {id}. `/klynge møde liste` viser møderne.",
)
NOT_HELD = Text(
    en="Meeting {id} (*{title}*) has not been held, so nobody could check in. "
    "Attendance is kept from `/klynge start` on.",
    da="Møde nr. {id} (*{title}*) er ikke blevet holdt, så ingen kunne tjekke ind. "
    "Fremmødet registreres fra `/klynge start`.",
)
NO_MEETING_YET = Text(
    en="No meeting has been held yet, so there is no attendance to send. "
    "It is kept from `/klynge start` on, when members click *I'm here*.",
    da="Der er ikke holdt noget møde endnu, så der er intet fremmøde at sende. "
    "Det registreres fra `/klynge start`, når medlemmerne klikker *Jeg er her*.",
)
NO_MEETINGS_IN_YEAR = Text(
    en="No meeting was held in the last 12 months, so there is no attendance to send.",
    da="Der er ikke holdt møder de seneste 12 måneder, så der er intet fremmøde at sende.",
)
SENT = Text(
    en=":white_check_mark: I sent you the attendance register in a direct message (`{filename}`).",
    da=":white_check_mark: Jeg har sendt dig fremmødelisten i en direkte besked (`{filename}`).",
)
NOT_SENT = Text(
    en="I couldn't send you the attendance register in a direct message just now. "
    "Please try again in a minute.",
    da="Jeg kunne ikke sende dig fremmødelisten i en direkte besked lige nu. "
    "Prøv igen om et minut.",
)
MEETING_COMMENT = Text(
    en=":clipboard: Attendance at *{title}* ({date}) in *{cluster}*: {count} of {members} "
    "checked in.",
    da=":clipboard: Fremmøde til *{title}* ({date}) i *{cluster}*: {count} af {members} "
    "tjekkede ind.",
)
YEAR_COMMENT = Text(
    en=":clipboard: Attendance in *{cluster}* at the {count} meetings of the last 12 months.",
    da=":clipboard: Fremmøde i *{cluster}* til de {count} møder de seneste 12 måneder.",
)
MEETING_FILE_TITLE = Text(en="Attendance — {title}", da="Fremmøde — {title}")
YEAR_FILE_TITLE = Text(en="Attendance — the last 12 months", da="Fremmøde — de seneste 12 måneder")
RULE_FORM = Text(
    en="Write the rule as `/klynge attendance rule 3 of 4` (at least 3 of the last 4 meetings; "
    "up to 24) or `/klynge attendance rule off`.",
    da="Skriv reglen som `/klynge fremmøde regel 3 af 4` (mindst 3 af de seneste 4 møder; "
    "højst 24) eller `/klynge fremmøde regel fra`.",
)
RULE_NOW = Text(
    en="The attendance rule: at least {required} of the last {out_of} meetings. "
    "Change it with `/klynge attendance rule 3 of 4`, or `off`.",
    da="Fremmødereglen: mindst {required} af de seneste {out_of} møder. "
    "Ret den med `/klynge fremmøde regel 3 af 4`, eller `fra`.",
)
RULE_NONE = Text(
    en="There is no attendance rule. Set one with `/klynge attendance rule 3 of 4`: members "
    "who drop below it are told privately.",
    da="Der er ingen fremmøderegel. Sæt en med `/klynge fremmøde regel 3 af 4`: medlemmer, "
    "der kommer under den, får besked privat.",
)
RULE_SET = Text(
    en=":clipboard: Attendance rule: at least {required} of the last {out_of} meetings (set by "
    "{by}). A member who drops below it is told privately after a meeting.",
    da=":clipboard: Fremmøderegel: mindst {required} af de seneste {out_of} møder (sat af {by}). "
    "Et medlem, der kommer under den, får besked privat efter et møde.",
)
RULE_OFF = Text(
    en=":clipboard: The attendance rule was removed (by {by}).",
    da=":clipboard: Fremmødereglen er fjernet (af {by}).",
)
BELOW_RULE = Text(
    en=":wave: A friendly note from *{cluster}*: you checked in at {attended} of the last "
    "{out_of} meetings, and the cluster agreed on at least {required}. We hope to see you next "
    "time! If something keeps you away, tell a coordinator: {coordinators}.",
    da=":wave: En venlig påmindelse fra *{cluster}*: du tjekkede ind til {attended} af de "
    "seneste {out_of} møder, og klyngen har aftalt mindst {required}. Vi håber at se dig næste "
    "gang! Er der noget, der holder dig væk, så sig det til en koordinator: {coordinators}.",
)
