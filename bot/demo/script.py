"""The demo's story: a cluster sets up, plans a meeting, votes on its topic, gets reminders,
meets, and follows up four weeks later."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from bot.demo.stage import ANNE, BO, CAMILLA, DORTE, INTRO, PEOPLE, ZONE, Demo
from bot.fakeslack.model import Message
from bot.i18n import Text


def _has_action(prefix: str) -> Callable[[Message], bool]:
    def matches(message: Message) -> bool:
        return any(
            str(element.get("action_id", "")).startswith(prefix)
            for block in message.blocks
            for element in [*(block.get("elements") or []), block.get("accessory") or {}]
        )

    return matches


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
    people = list(PEOPLE)
    print(demo.t(INTRO), file=demo.out)

    demo.heading("setup", demo.t(STEP["setup"]))
    await demo.command(ANNE, "setup --language da" if lang == "da" else "setup")
    await demo.command(ANNE, f"coordinator add <@{BO}>")

    demo.heading("plan", demo.t(STEP["plan"]))
    day = (demo.clock.now + timedelta(days=10)).astimezone(ZONE).date()
    await demo.command(
        ANNE, f"meeting add {day:%Y-%m-%d} 16:00 {TITLE[lang]} --zoom https://zoom.us/j/5551234567"
    )
    await demo.command(ANNE, f"meeting set 1 agenda {AGENDA[lang]}")
    await demo.command(ANNE, f"meeting set 1 prep {PREPARATION[lang]}")
    await demo.command(ANNE, "facilitator list")

    demo.heading("poll", demo.t(STEP["poll"]))
    await demo.command(BO, f"poll {POLL[lang]}")
    poll = demo.latest_post(_has_action("poll_vote"))
    choices = [1, 1, 2, 1, 3, 1, 2, 1, 1, 3, 2, 1]
    demo.note(demo.t(STEP["votes"], count=len(choices)))
    for user, choice in zip(people, choices, strict=True):
        await demo.click(user, poll, f"poll_vote:{choice}", quiet=True)
    demo.clock.now += timedelta(seconds=2)
    await demo.run_due_jobs()  # the poll message is refreshed at most once a second
    demo.show()
    await demo.command(BO, "poll close")
    results = demo.latest_post(_has_action("poll_topic"))
    await demo.click(ANNE, results, "poll_topic:0")

    starts = datetime.combine(day, time(16, 0), ZONE)
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
    await demo.command(ANNE, "start")
    agenda = demo.latest_post(_has_action("meeting_checkin"))
    demo.note(demo.t(STEP["checkins"], count=10))
    for user in people[:10]:
        await demo.click(user, agenda, "meeting_checkin", quiet=True)
    demo.show()
    await demo.command(ANNE, "breakout 3")
    demo.clock.now += timedelta(minutes=40)
    await demo.command(ANNE, "breakout 4")
    for user, text in TAKEAWAYS[lang]:
        await demo.command(user, f"takeaway {text}")
    demo.clock.now += timedelta(minutes=40)
    await demo.command(ANNE, "end")

    await demo.pass_time(
        demo.clock.now + timedelta(weeks=4, hours=1), "after", demo.t(STEP["after"])
    )
    followup = demo.latest_message(f"D{CAMILLA}", _has_action("takeaway_followup:"))
    await demo.click(CAMILLA, followup, "takeaway_followup:done")
