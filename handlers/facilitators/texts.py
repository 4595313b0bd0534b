"""The facilitators feature's user-facing texts, in English and Danish."""

from __future__ import annotations

from bot.i18n import Text

NOBODY = Text(en="nobody yet", da="ingen endnu")
DELETED_SUBCLUSTER = Text(en="a deleted sub-cluster", da="en slettet babyklynge")
NEVER = Text(en="never", da="aldrig")
NEXT_FOR_MEETING = Text(
    en=":studio_microphone: {who} will facilitate *{title}* on {when}. Note-taker: {note_taker}. "
    "Thank you! `/klynge facilitator list` shows the whole plan.",
    da=":studio_microphone: {who} er tovholder på *{title}* {when}. Referent: {note_taker}. "
    "Tak! `/klynge tovholder liste` viser planen.",
)
NEXT_WITHOUT_MEETING = Text(
    en=":studio_microphone: {who} is next in the facilitator rotation (no meeting is planned yet). "
    "Thank you!",
    da=":studio_microphone: {who} står for tur som tovholder (der er ikke planlagt noget møde "
    "endnu). Tak!",
)
NOBODY_TO_ROTATE = Text(
    en="There is nobody in the rotation: the channel has no members I can count{mode_hint}. "
    "Invite the doctors to the channel and try again.",
    da="Der er ingen i turordningen: kanalen har ingen medlemmer, jeg kan tælle med{mode_hint}. "
    "Invitér lægerne til kanalen, og prøv igen.",
)
NO_SUBCLUSTERS_HINT = Text(
    en=" (sub-cluster mode: no sub-cluster has members in the channel)",
    da=" (turen går mellem babyklynger, men ingen babyklynge har medlemmer i kanalen)",
)
LIST_TITLE = Text(en="*Facilitator plan for {name}* ({mode})", da="*Tovholdere i {name}* ({mode})")
LIST_MEETING = Text(
    en="• {when} — *{title}*: facilitator {who}, note-taker {note_taker}",
    da="• {when} — *{title}*: tovholder {who}, referent {note_taker}",
)
LIST_NO_MEETINGS = Text(
    en="No meetings are planned. `/klynge facilitator next` advances the rotation by hand.",
    da="Der er ikke planlagt nogen møder. `/klynge tovholder næste` giver turen videre i hånden.",
)
LIST_QUEUE_TITLE = Text(
    en="*Everyone in turn order* — last turn and next planned turn:",
    da="*Alle i rækkefølge* — sidste tur og næste planlagte tur:",
)
LIST_QUEUE_LINE = Text(
    en="{number}. {who} — last turn: {last}; next: {next}{away}",
    da="{number}. {who} — sidste tur: {last}; næste: {next}{away}",
)
NEXT_NOT_PLANNED = Text(en="after the planned meetings", da="efter de planlagte møder")
LIST_AWAY_MARK = Text(en=" (away until {until})", da=" (væk til og med {until})")
LIST_MORE = Text(
    en="… and {count} more meetings: `/klynge facilitator list all` shows every turn.",
    da="… og {count} møder til: `/klynge tovholder liste alle` viser alle ture.",
)
LIST_QUEUE_HIDDEN = Text(
    en="The turn order of all {count}: `/klynge facilitator list all`.",
    da="Turordningen for alle {count}: `/klynge tovholder liste alle`.",
)
PLAN_CHANGED = Text(
    en=":arrows_counterclockwise: The facilitator plan changed ({reason}):",
    da=":arrows_counterclockwise: Tovholderplanen er ændret ({reason}):",
)
PLAN_UNCHANGED = Text(
    en="No planned meeting changed hands.", da="Ingen planlagte møder skiftede hænder."
)
CHANGE_LINE = Text(
    en="• {when} — *{title}*: facilitator {who}{was}, note-taker {note_taker}{note_taker_was}",
    da="• {when} — *{title}*: tovholder {who}{was}, referent {note_taker}{note_taker_was}",
)
WAS = Text(en=" (was {who})", da=" (før {who})")
# A turn freed by someone who left or was erased: who held it is not named.
HANDED_ON = Text(en=" (handed on)", da=" (givet videre)")
RELEASED_UNTAKEN = Text(en=" (released; nobody can take it)", da=" (frigivet; ingen kan tage den)")
REASON_SKIP = Text(en="{who} skips a turn", da="{who} springer en tur over")
REASON_AWAY = Text(en="{who} is away until {until}", da="{who} er væk til og med {until}")
REASON_SWAP = Text(en="{a} and {b} swapped turns", da="{a} og {b} har byttet tur")
REASON_MODE = Text(en="new rotation mode", da="turen går nu på en ny måde")
REASON_SUBCLUSTERS = Text(en="the sub-clusters changed", da="babyklyngerne er ændret")
REASON_RELEASED = Text(
    en="a member's upcoming turns were released",
    da="et medlems kommende ture er givet videre",
)
REASON_MEETING = Text(
    en="*{title}* was cancelled or moved", da="*{title}* blev aflyst eller flyttet"
)
NEEDS_MENTION = Text(
    en="Name the person with an @-mention: `{usage}`.",
    da="Nævn personen med @: `{usage}`.",
)
NOT_IN_ROTATION = Text(
    en="{who} is not in the rotation (only the channel's members are{subcluster_hint}).",
    da="{who} er ikke med i turordningen (det er kun kanalens medlemmer{subcluster_hint}).",
)
NOT_IN_SUBCLUSTER_HINT = Text(
    en=", and in sub-cluster mode only members of a sub-cluster",
    da=", og når turen går mellem babyklynger, kun medlemmer af en babyklynge",
)
SKIP_NO_TURN = Text(
    en="{who} has no turn among the planned meetings, so there is nothing to skip. "
    "If they will be unavailable for a while, use "
    "`/klynge facilitator away @name until [date]`.",
    da="{who} har ingen tur blandt de planlagte møder, så der er intet at springe over. "
    "Er personen væk et stykke tid, så brug `/klynge tovholder væk @navn til [dato]`.",
)
SKIP_ALREADY = Text(
    en="{who} already skips that turn; nothing changed.",
    da="{who} springer allerede den tur over; intet blev ændret.",
)
SKIP_PENDING = Text(
    en=":fast_forward: {who} passes on their next turn and keeps their place for the one "
    "after (set by {by}).",
    da=":fast_forward: {who} springer sin næste tur over og beholder sin plads til turen efter "
    "(sat af {by}).",
)
AWAY_USAGE = Text(
    en="Write it as `/klynge facilitator away @name until [date]`, e.g. `until {example}`.",
    da="Skriv det som `/klynge tovholder væk @navn til [dato]`, fx `til {example}`.",
)
AWAY_IN_PAST = Text(
    en="{until} has already passed; give the last day they are away.",
    da="{until} er allerede forbi; angiv den sidste dag, personen er væk.",
)
AWAY_DONE = Text(
    en=":palm_tree: {who} is away and left out of the rotation up to and including {until} "
    "(set by {by}).",
    da=":palm_tree: {who} er væk og springes over i turordningen til og med {until} (sat af {by}).",
)
SWAP_USAGE = Text(
    en="Name two different people: `/klynge facilitator swap @name @name`.",
    da="Nævn to forskellige personer: `/klynge tovholder byt @navn @navn`.",
)
SWAP_NOT_ALLOWED = Text(
    en=":lock: A swap can be asked for by one of the two people or by a coordinator.",
    da=":lock: Et bytte kan kun foreslås af en af de to personer eller af en koordinator.",
)
SWAP_NO_TURNS = Text(
    en="Neither {a} nor {b} has a turn among the planned meetings, so there is nothing to swap.",
    da="Hverken {a} eller {b} har en tur blandt de planlagte møder, så der er intet at bytte.",
)
SWAP_ASKED = Text(
    en="I asked {confirmer} to confirm the swap. The plan changes when they accept.",
    da="Jeg har bedt {confirmer} om at bekræfte byttet. Planen ændres, når vedkommende siger ja.",
)
SWAP_QUESTION = Text(
    en=":arrows_counterclockwise: {requester} asks to swap facilitator turns: {b} takes {a}'s "
    "turn on {when_a}, and {a} takes {b}'s turn on {when_b}. Do you agree?",
    da=":arrows_counterclockwise: {requester} foreslår at bytte tur som tovholder: {b} tager "
    "{a}s tur {when_a}, og {a} tager {b}s tur {when_b}. Er du med?",
)
SWAP_QUESTION_PLACE = Text(
    en=":arrows_counterclockwise: {requester} asks to swap facilitator turns: {b} takes {a}'s "
    "turn on {when_a}, and {a} takes {b}'s place in the rotation. Do you agree?",
    da=":arrows_counterclockwise: {requester} foreslår at bytte tur som tovholder: {b} tager "
    "{a}s tur {when_a}, og {a} overtager {b}s plads i turordningen. Er du med?",
)
ACCEPT = Text(en="Accept", da="Ja, byt")
DECLINE = Text(en="Decline", da="Nej tak")
SWAP_ONLY_CONFIRMER = Text(
    en="Only {confirmer} can answer this swap.", da="Kun {confirmer} kan svare på dette bytte."
)
SWAP_ALREADY_ANSWERED = Text(
    en="This swap has already been answered.", da="Dette bytte er allerede besvaret."
)
SWAP_OUTDATED = Text(
    en="The plan has changed since this swap was asked for, so nothing was swapped. "
    "Ask again with `/klynge facilitator swap @name @name`.",
    da="Planen er ændret, siden byttet blev foreslået, så intet blev byttet. "
    "Foreslå det igen med `/klynge tovholder byt @navn @navn`.",
)
SWAP_ACCEPTED = Text(
    en=":white_check_mark: You accepted: {a} and {b} have swapped turns.",
    da=":white_check_mark: Du sagde ja: {a} og {b} har byttet tur.",
)
SWAP_DECLINED = Text(
    en="You declined the swap; nothing changed.", da="Du sagde nej tak; intet blev ændret."
)
SWAP_DECLINED_NOTICE = Text(
    en="{confirmer} declined the swap of facilitator turns; the plan is unchanged.",
    da="{confirmer} sagde nej tak til at bytte tur som tovholder; planen er uændret.",
)
MODE_USAGE = Text(
    en="Choose `members` or `subclusters`: `/klynge facilitator mode members|subclusters`.",
    da="Vælg `medlemmer` eller `babyklynger`: `/klynge tovholder tilstand medlemmer|babyklynger`.",
)
MODE_SAME = Text(
    en="Facilitator duty is already {mode}; nothing changed.",
    da="Tovholder-turen {mode} allerede; intet blev ændret.",
)
MODE_SET = Text(
    en=":repeat: Facilitator duty is now {mode} (set by {by}).",
    da=":repeat: Tovholder-turen {mode} fra nu af (sat af {by}).",
)
MODE_NO_SUBCLUSTERS = Text(
    en="There are no sub-clusters with members in this channel yet, so the rotation can't go "
    "over sub-clusters. Create them first with `/klynge subcluster create`.",
    da="Der er endnu ingen babyklynger med medlemmer i kanalen, så turen kan ikke gå mellem "
    "babyklynger. Opret dem først med `/klynge babyklynge opret`.",
)
CHECKLIST = Text(
    en=":clipboard: You facilitate *{title}* on {when}. A short checklist for the week ahead:\n"
    "• Is the topic chosen?\n• Is the agenda ready and shared?\n• Have you picked a short "
    "energiser?\nAll set? Confirm below — or ask for a swap if the date no longer suits you.",
    da=":clipboard: Du er tovholder på *{title}* {when}. En kort tjekliste til ugen op til:\n"
    "• Er emnet valgt?\n• Er dagsordenen klar og delt?\n• Har du fundet en kort energizer?\n"
    "Alt klar? Bekræft herunder — eller bed om at bytte, hvis datoen ikke passer længere.",
)
CHECKLIST_CONFIRM_LABEL = Text(en="I'm ready", da="Jeg er klar")
CHECKLIST_SWAP_LABEL = Text(en="Ask for a swap", da="Bed om at bytte")
CHECKLIST_CONFIRMED = Text(
    en=":white_check_mark: Confirmed — thank you for facilitating *{title}* on {when}.",
    da=":white_check_mark: Bekræftet — tak, fordi du er tovholder på *{title}* {when}.",
)
CHECKLIST_SWAP_POSTED = Text(
    en="I asked in the channel for someone to swap with you for *{title}*.",
    da="Jeg har spurgt i kanalen, om nogen vil bytte med dig til *{title}*.",
)
SWAP_WANTED = Text(
    en=":sos: {who} would like to swap their facilitator turn for *{title}* on {when}. "
    "Can you take it? Tell {who}; then {who} runs `/klynge facilitator swap {who} @you`.",
    da=":sos: {who} vil gerne bytte sin tur som tovholder til *{title}* {when}. Kan du tage den? "
    "Sig det til {who}; så skriver {who} `/klynge tovholder byt {who} @dig`.",
)
NOT_YOUR_TURN = Text(
    en="This turn is no longer yours, so there is nothing to do.",
    da="Denne tur er ikke længere din, så der er intet at gøre.",
)
GONE = Text(
    en="That meeting or request no longer exists.", da="Det møde eller forslag findes ikke længere."
)
DUTY = Text(
    en=":busts_in_silhouette: *{group}* ({members}): your babyklynge is in charge of *{title}* "
    "on {when}. "
    "Together you choose its topic and run the meeting; {note_taker} takes the notes.\n"
    "*Topic:* {topic}\n*A short checklist:* choose the topic (a poll, or set it straight away) "
    "· agree who leads which part of the agenda · share the agenda and what to prepare in "
    "good time. Can't that day? Ask another babyklynge to swap.",
    da=":busts_in_silhouette: *{group}* ({members}): jeres babyklynge er tovholder for "
    "*{title}* {when}. "
    "I vælger emnet sammen og leder mødet; {note_taker} er referent.\n*Emne:* {topic}\n"
    "*En kort tjekliste:* vælg emnet (en afstemning, eller sæt det med det samme) · aftal, "
    "hvem der leder hvilke punkter på dagsordenen · del dagsordenen og det, der skal "
    "forberedes, i god tid. Passer dagen ikke? Spørg en anden babyklynge, om I kan bytte.",
)
DUTY_FALLBACK = Text(
    en="Your babyklynge {group} is in charge of {title} on {when}",
    da="Jeres babyklynge {group} er tovholder for {title} {when}",
)
NO_TOPIC_YET = Text(en="_not chosen yet_", da="_ikke valgt endnu_")
NOT_YOUR_GROUP = Text(
    en="Only the members of the babyklynge in charge of this meeting can do that.",
    da="Det kan kun medlemmerne af den babyklynge, der er tovholder for mødet.",
)
TOPIC_EMPTY = Text(en="Write the topic.", da="Skriv emnet.")
TOPIC_CHOSEN = Text(
    en=":dart: Babyklynge *{group}* has chosen the topic of *{title}* ({when}): “{topic}” "
    "(set by {by}).",
    da=":dart: Babyklyngen *{group}* har valgt emnet for *{title}* ({when}): »{topic}« "
    "(sat af {by}).",
)
NO_OTHER_GROUP = Text(
    en="There is no other babyklynge in the rotation to swap with.",
    da="Der er ingen anden babyklynge i turordningen at bytte med.",
)
SWAP_GROUP_ASKED = Text(
    en=":arrows_counterclockwise: {who} asked {other} to swap turns for *{title}*. The plan "
    "changes when one of them accepts.",
    da=":arrows_counterclockwise: {who} har spurgt {other}, om de vil bytte tur til *{title}*. "
    "Planen ændres, når en af dem siger ja.",
)
SWAP_SAME_GROUP = Text(
    en="{a} and {b} are in the same babyklynge, so there is nothing to swap.",
    da="{a} og {b} er i samme babyklynge, så der er intet at bytte.",
)
