"""The texts of running a meeting: starting it, checking in, ending it, and RSVPs; English and
Danish."""

from __future__ import annotations

from bot.i18n import Text

AD_HOC_TITLE = Text(en="Meeting {date}", da="Møde {date}")
ALREADY_RUNNING = Text(
    en="Meeting #{id} *{title}* is already running. End it with `/klynge end` first.",
    da="Møde nr. {id} *{title}* er allerede i gang. Afslut det først med `/klynge slut`.",
)
STARTED_MEANWHILE = Text(
    en="Another coordinator started a meeting just now; its agenda is in the channel.",
    da="En anden koordinator startede et møde lige nu; dagsordenen står i kanalen.",
)
STARTED_CONFIRM = Text(
    en="Started #{id} *{title}*. The agenda and check-in button are in the channel; "
    "`/klynge end` closes the meeting.",
    da="Møde nr. {id} *{title}* er startet. Dagsordenen og check-in-knappen er i kanalen; "
    "`/klynge slut` afslutter mødet.",
)
STARTED_AD_HOC = Text(
    en="No planned meeting is due now, so I started an unplanned one: #{id} *{title}*. "
    "The agenda and check-in button are in the channel; `/klynge end` closes it.",
    da="Der er ikke noget planlagt møde nu, så jeg har startet et uplanlagt: møde nr. {id} "
    "*{title}*. Dagsordenen og check-in-knappen er i kanalen; `/klynge slut` afslutter det.",
)
UNPLANNED_QUESTION = Text(
    en=":question: No planned meeting is due now{next}. Start an unplanned meeting anyway? "
    "It posts an agenda and a check-in button in the channel, for everyone.",
    da=":question: Intet planlagt møde er på vej nu{next}. Vil du alligevel starte et uplanlagt "
    "møde? Det lægger en dagsorden og en tjek-ind-knap i kanalen, til alle.",
)
UNPLANNED_NEXT = Text(
    en=" (the next one is #{id} *{title}*, {when})",
    da=" (det næste er nr. {id} *{title}*, {when})",
)
NOT_STARTED = Text(
    en="Fine — nothing was started and nothing was posted.",
    da="Fint — intet er startet, og intet er lagt i kanalen.",
)
START_WORDS = Text(
    en="`/klynge start` takes nothing or a meeting number, e.g. `/klynge start 12` "
    "(`--unplanned` starts an unplanned meeting without asking).",
    da="`/klynge start` tager intet eller et mødenummer, fx `/klynge start 12` "
    "(`--uplanlagt` starter et uplanlagt møde uden at spørge).",
)
NOTHING_RUNNING = Text(
    en="No meeting is running, so there is nothing to end. `/klynge start` starts one.",
    da="Intet møde er i gang, så der er intet at afslutte. `/klynge start` starter et.",
)
END_WORDS = Text(en="`/klynge end` takes no words.", da="`/klynge slut` tager ingen ord.")
ENDED_CONFIRM = Text(
    en="Ended #{id} *{title}* ({count} checked in). The closing-round questions are in the "
    "channel.",
    da="Møde nr. {id} *{title}* er afsluttet ({count} tjekkede ind). Spørgsmålene til "
    "afrundingen er i kanalen.",
)
ENDED_POST_LATER = Text(
    en=":hourglass: Ended #{id} *{title}* ({count} checked in). I couldn't post the closing-round "
    "questions in the channel yet; they (and the summary and minutes) will follow as soon as "
    "Slack takes them. No need to end it again.",
    da=":hourglass: Møde nr. {id} *{title}* er afsluttet ({count} tjekkede ind). Jeg kunne ikke "
    "sætte spørgsmålene til afrundingen i kanalen endnu; de (og referatet og "
    "beslutningsreferatet) kommer, så snart Slack tager imod dem. Du behøver ikke afslutte "
    "mødet igen.",
)
RSVP_THANKS_YES = Text(
    en="Thanks — you're down as coming to *{title}* ({when}).",
    da="Tak — du er noteret som deltager i *{title}* ({when}).",
)
RSVP_THANKS_NO = Text(
    en="Thanks for letting us know you can't come to *{title}* ({when}).",
    da="Tak, fordi du gav besked om, at du ikke kan komme til *{title}* ({when}).",
)
RSVP_CLOSED = Text(
    en="*{title}* is {status}, so answers are no longer collected.",
    da="*{title}* er {status}, så der indsamles ikke længere svar.",
)
MEETING_GONE = Text(
    en="That meeting no longer exists in this cluster.",
    da="Det møde findes ikke længere i denne klynge.",
)
CHECKED_IN = Text(
    en="You're checked in to *{title}*. Welcome!",
    da="Du er tjekket ind til *{title}*. Velkommen!",
)
ALREADY_CHECKED_IN = Text(
    en="You were already checked in to *{title}*.",
    da="Du var allerede tjekket ind til *{title}*.",
)
CHECKIN_CLOSED = Text(
    en="*{title}* is {status}; check-in is only open while the meeting runs.",
    da="*{title}* er {status}; man kan kun tjekke ind, mens mødet er i gang.",
)
