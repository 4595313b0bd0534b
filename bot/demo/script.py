"""The demo's story: a cluster sets up, plans a meeting, votes on its topic, gets reminders,
meets, and follows up four weeks later."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from bot.demo.stage import ANNE, BO, CAMILLA, DORTE, INTRO, PEOPLE, START, ZONE, Demo
from bot.fakeslack.model import Message
from bot.i18n import Text, format_date


def _has_action(prefix: str) -> Callable[[Message], bool]:
    def matches(message: Message) -> bool:
        return any(
            str(element.get("action_id", "")).startswith(prefix)
            for block in message.blocks
            for element in [*(block.get("elements") or []), block.get("accessory") or {}]
        )

    return matches


def meeting_date(starts: datetime, language: str) -> str:
    """The meeting's date and time as a coordinator types them: ``2026-12-09 16:00`` /
    ``onsdag den 9. december kl. 16``."""
    if language == "da":
        day = format_date(starts, "da").removesuffix(f" {starts.year}")
        return f"{day} kl. {starts.hour}" + (f".{starts.minute:02d}" if starts.minute else "")
    return f"{starts:%Y-%m-%d %H:%M}"


def _is_followup(message: Message) -> bool:
    """A take-home message's follow-up, sent privately to the member who wrote it."""
    return message.channel.startswith("D") and _has_action("takeaway_followup:")(message)


STEP = {
    "setup": Text(en="Setting up the cluster", da="Klyngen sættes op"),
    "plan": Text(en="Planning the next meeting", da="Næste møde planlægges"),
    "poll": Text(en="The members choose the topic", da="Medlemmerne vælger emnet"),
    "votes": Text(en="{count} members vote", da="{count} medlemmer stemmer"),
    "week": Text(en="A week before the meeting", da="En uge før mødet"),
    "day": Text(en="The day before", da="Dagen før"),
    "hour": Text(en="An hour before", da="En time før"),
    "meeting": Text(
        en="The meeting (on Zoom, with Slack open)", da="Mødet (på Zoom, med Slack åben)"
    ),
    "checkins": Text(en="{count} members check in", da="{count} medlemmer tjekker ind"),
    "rsvps": Text(en="{count} members answer the invitation", da="{count} medlemmer svarer"),
    "after": Text(
        en="Four weeks later: follow-up in the clinics",
        da="Fire uger senere: opfølgning i klinikkerne",
    ),
    "followups": Text(
        en="klyngebot asks the {count} members with a take-home message, each in a direct "
        "message, whether they did it; {name} answers (see Direct messages from klyngebot)",
        da="klyngebot spørger de {count} medlemmer med en pointe, hver i en direkte besked, om "
        "de fik den gennemført; {name} svarer (se Direkte beskeder fra klyngebot)",
    ),
}
POLL = {
    "en": (
        '"Which topic shall we take up next?" "Antibiotics for respiratory infections" '
        '"Dementia in general practice" "COPD follow-up"'
    ),
    "da": (
        "“Hvilket emne tager vi op næste gang?” “Antibiotika ved luftvejsinfektioner” "
        "“Demens i almen praksis” “Opfølgning på KOL”"
    ),
}
# The commands the members type, in the cluster's language (Danish doctors type Danish words).
COMMANDS = {
    "en": {
        "setup": "setup",
        "coordinator add": "coordinator add",
        "meeting add": "meeting add",
        "meeting set": "meeting set",
        "agenda": "agenda",
        "prep": "prep",
        "facilitator list": "facilitator list",
        "poll": "poll",
        "poll close": "poll close",
        "start": "start",
        "breakout": "breakout",
        "takeaway": "takeaway",
        "end": "end",
    },
    "da": {
        "setup": "opret --sprog da",
        "coordinator add": "koordinator tilføj",
        "meeting add": "møde tilføj",
        "meeting set": "møde sæt",
        "agenda": "dagsorden",
        "prep": "forberedelse",
        "facilitator list": "tovholder liste",
        "poll": "afstemning",
        "poll close": "afstemning luk",
        "start": "start",
        "breakout": "grupper",
        "takeaway": "pointe",
        "end": "slut",
    },
}
# The meeting is two weeks and a day after the demo starts (a Wednesday), at 16.
MEETING_AFTER = timedelta(days=15)
TITLE = {"en": "Autumn meeting", "da": "Efterårsmøde"}
AGENDA = {
    "en": "16:00 check-in · 16:10 cases in small groups · 16:50 plenary · 17:20 closing round",
    "da": "16.00 check-in · 16.10 cases i små grupper · 16.50 plenum · 17.20 afrunding",
}
PREPARATION = {
    "en": "Bring one anonymised patient case where you hesitated over antibiotics "
    "(no CPR numbers or other patient-identifiable data).",
    "da": "Tag en anonymiseret patientsag med, hvor du var i tvivl om antibiotika "
    "(ingen CPR-numre eller andre patientoplysninger).",
}
TAKEAWAYS = {
    "en": [
        (CAMILLA, "Delayed prescription for otitis media: agree on it with the staff on Monday"),
        (DORTE, "Use CRP only where it changes what we do — & write that into our clinic guide"),
        ("U0EMIL", "Ask the nurses to book COPD check-ups <every 6 months>"),
    ],
    "da": [
        (CAMILLA, "Udskudt recept ved mellemørebetændelse: aftal det med personalet mandag"),
        (DORTE, "Brug kun CRP hvor det ændrer noget — & skriv det i klinikkens vejledning"),
        ("U0EMIL", "Bed sygeplejerskerne booke KOL-kontroller <hver 6. måned>"),
    ],
}


async def play(demo: Demo) -> None:
    """The meeting, step by step: set-up, plan, poll, reminders, meeting, follow-up."""
    lang = demo.language
    say = COMMANDS[lang]
    people = list(PEOPLE)
    print(demo.t(INTRO), file=demo.out)

    demo.heading("setup", demo.t(STEP["setup"]))
    await demo.command(ANNE, say["setup"])
    await demo.command(ANNE, f"{say['coordinator add']} <@{BO}>")

    demo.heading("plan", demo.t(STEP["plan"]))
    starts = datetime.combine((START + MEETING_AFTER).date(), time(16, 0), ZONE)
    await demo.command(
        ANNE,
        f"{say['meeting add']} {meeting_date(starts, lang)} {TITLE[lang]} "
        "--zoom https://zoom.us/j/5551234567",
    )
    await demo.command(ANNE, f"{say['meeting set']} 1 {say['agenda']} {AGENDA[lang]}")
    await demo.command(ANNE, f"{say['meeting set']} 1 {say['prep']} {PREPARATION[lang]}")
    await demo.command(ANNE, say["facilitator list"])

    demo.heading("poll", demo.t(STEP["poll"]))
    await demo.command(BO, f"{say['poll']} {POLL[lang]}")
    poll = demo.latest_post(_has_action("poll_vote"))
    choices = [1, 1, 2, 1, 3, 1, 2, 1, 1, 3, 2, 1]
    demo.note(demo.t(STEP["votes"], count=len(choices)))
    for user, choice in zip(people, choices, strict=True):
        await demo.click(user, poll, f"poll_vote:{choice}", quiet=True)
    demo.clock.now += timedelta(seconds=2)
    await demo.run_due_jobs()  # the poll message is refreshed at most once a second
    demo.show()
    await demo.command(BO, say["poll close"])
    results = demo.latest_post(_has_action("poll_topic"))
    await demo.click(ANNE, results, "poll_topic:0")

    await demo.pass_time(starts - timedelta(days=6, hours=23), "week", demo.t(STEP["week"]))
    reminder = demo.latest_post(_has_action("meeting_rsvp_yes"))
    demo.note(demo.t(STEP["rsvps"], count=9))
    for user in people[:8]:
        await demo.click(user, reminder, "meeting_rsvp_yes", quiet=True)
    await demo.click(people[8], reminder, "meeting_rsvp_no", quiet=True)
    demo.show()
    for user in (ANNE, CAMILLA):
        await demo.open_home(user)  # the facilitator's and a member's, for the HTML page
    await demo.pass_time(starts - timedelta(hours=23), "day", demo.t(STEP["day"]))
    await demo.pass_time(starts - timedelta(minutes=50), "hour", demo.t(STEP["hour"]))

    demo.clock.now = starts.astimezone(UTC)
    demo.heading("meeting", demo.t(STEP["meeting"]))
    await demo.command(ANNE, say["start"])
    agenda = demo.latest_post(_has_action("meeting_checkin"))
    demo.note(demo.t(STEP["checkins"], count=10))
    for user in people[:10]:
        await demo.click(user, agenda, "meeting_checkin", quiet=True)
    demo.show()
    await demo.command(ANNE, f"{say['breakout']} 3")
    demo.clock.now += timedelta(minutes=40)
    await demo.command(ANNE, f"{say['breakout']} 4")
    for user, text in TAKEAWAYS[lang]:
        await demo.command(user, f"{say['takeaway']} {text}")
    demo.clock.now += timedelta(minutes=40)
    await demo.command(ANNE, say["end"])

    await demo.pass_time(
        demo.clock.now + timedelta(weeks=4, hours=1), "after", demo.t(STEP["after"])
    )
    asked = [message for message in demo.slack.messages if _is_followup(message)]
    # The follow-ups go to each member privately: the channel says so, with the day they went.
    demo.note(demo.t(STEP["followups"], count=len(asked), name=PEOPLE[CAMILLA]))
    followup = demo.latest_message(f"D{CAMILLA}", _is_followup)
    await demo.click(CAMILLA, followup, "takeaway_followup:done")
