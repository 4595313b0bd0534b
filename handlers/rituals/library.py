"""The built-in check-in questions and energisers, and which one a cluster uses next. Pure.

A quality cluster meets a few times a year; each meeting opens with a check-in question and
its facilitators get an energiser to suggest. Neither repeats within a year in a cluster: the
next one is one the cluster never used, else the one it used longest ago. There are 15 of
each, more than a cluster meeting every four weeks uses in a year (with more meetings than
that, a repeat is unavoidable, and then it is the oldest one). A cluster's own check-in
questions (``/klynge checkin add``) come before the built-in ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.i18n import Text

CHECKIN_QUESTIONS: dict[str, Text] = {
    "c01": Text(
        en="What has given you energy in your clinic since we last met?",
        da="Hvad har givet dig energi i klinikken, siden vi sidst sås?",
    ),
    "c02": Text(
        en="In one word: how are you arriving today?",
        da="Med ét ord: hvordan lander du i dag?",
    ),
    "c03": Text(
        en="What is one thing that worked well in your clinic this month?",
        da="Hvad er én ting, der fungerede godt i din klinik i denne måned?",
    ),
    "c04": Text(
        en="What have you changed in your daily work since the last meeting?",
        da="Hvad har du ændret i din hverdag siden sidste møde?",
    ),
    "c05": Text(
        en="What do you hope to take home from today?",
        da="Hvad håber du at tage med hjem fra i dag?",
    ),
    "c06": Text(
        en="Which colleague or member of staff deserves a thank-you this month, and why?",
        da="Hvilken kollega eller medarbejder fortjener et tak i denne måned, og hvorfor?",
    ),
    "c07": Text(
        en="Which small habit saves you time in the consultation?",
        da="Hvilken lille vane sparer dig tid i konsultationen?",
    ),
    "c08": Text(
        en="What have you learnt recently — from a course, a colleague or a patient encounter?",
        da="Hvad har du lært for nylig — på et kursus, af en kollega eller i en konsultation?",
    ),
    "c09": Text(
        en="What made you smile at work this week?",
        da="Hvad fik dig til at smile på arbejdet i denne uge?",
    ),
    "c10": Text(
        en="Which question about today's topic would you most like answered?",
        da="Hvilket spørgsmål om dagens emne vil du helst have svar på?",
    ),
    "c11": Text(
        en="On a scale from 1 to 10, how busy was your last week — and what would make the "
        "next one a point better?",
        da="På en skala fra 1 til 10, hvor travl var din seneste uge — og hvad ville gøre den "
        "næste ét point bedre?",
    ),
    "c12": Text(
        en="What are you looking forward to in the coming month, at work or outside it?",
        da="Hvad glæder du dig til den kommende måned, på arbejdet eller uden for det?",
    ),
    "c13": Text(
        en="Which task would you most like to hand over to your staff — and what stops you?",
        da="Hvilken opgave ville du helst overlade til personalet — og hvad holder dig tilbage?",
    ),
    "c14": Text(
        en="What is the best piece of advice a colleague has given you?",
        da="Hvad er det bedste råd, en kollega har givet dig?",
    ),
    "c15": Text(
        en="Which take-home from the last meeting did you actually use?",
        da="Hvilken pointe fra sidste møde har du faktisk brugt?",
    ),
}

ENERGISERS: dict[str, Text] = {
    "e01": Text(
        en="Stand up and stretch for one minute, cameras on — the facilitator leads.",
        da="Rejs jer og stræk ud i ét minut med kameraet tændt — tovholderen viser vej.",
    ),
    "e02": Text(
        en="Chat waterfall: everyone types an answer to a quick question in the Zoom chat, "
        "and all press Enter at the same moment.",
        da="Chat-vandfald: alle skriver et svar på et hurtigt spørgsmål i Zoom-chatten og "
        "trykker Enter på samme tid.",
    ),
    "e03": Text(
        en="Emoji round: describe your week with three emoji in the chat.",
        da="Emoji-runde: beskriv din uge med tre emojis i chatten.",
    ),
    "e04": Text(
        en="Show and tell: hold up one thing from your desk and say in 30 seconds why it is there.",
        da="Vis og fortæl: hold én ting fra dit skrivebord op og fortæl på 30 sekunder, "
        "hvorfor den står der.",
    ),
    "e05": Text(
        en="Two truths and a lie about your working life; the others guess the lie.",
        da="To sandheder og en løgn om dit arbejdsliv; de andre gætter løgnen.",
    ),
    "e06": Text(
        en="Best tip in 30 seconds: one practical trick from your clinic that others could "
        "use tomorrow.",
        da="Bedste tip på 30 sekunder: ét praktisk greb fra din klinik, som de andre kan "
        "bruge i morgen.",
    ),
    "e07": Text(
        en="Finish the sentence in one round: “The best thing about general practice is …”",
        da="Færdiggør sætningen i én runde: »Det bedste ved almen praksis er …«",
    ),
    "e08": Text(
        en="Would you rather …? Two options; everyone votes with a thumb up or down on camera.",
        da="Hvad vil du helst …? To muligheder; alle stemmer med tommelen op eller ned på "
        "kameraet.",
    ),
    "e09": Text(
        en="Common ground: in pairs, find three things you have in common in two minutes.",
        da="Fælles fodslag: find i par tre ting, I har til fælles, på to minutter.",
    ),
    "e10": Text(
        en="A breathing minute: one minute of calm breathing together before the topic starts.",
        da="Et åndehul: ét minuts rolig vejrtrækning sammen, inden emnet går i gang.",
    ),
    "e11": Text(
        en="The view from here: everyone describes the view from their window in one sentence.",
        da="Udsigten herfra: alle beskriver udsigten fra deres vindue i én sætning.",
    ),
    "e12": Text(
        en="Quick quiz: the facilitator asks three light questions about the cluster's area; "
        "answers in the chat.",
        da="Lynquiz: tovholderen stiller tre lette spørgsmål om klyngens område; svarene i "
        "chatten.",
    ),
    "e13": Text(
        en="Headlines: everyone gives their month a newspaper headline in the chat.",
        da="Overskrifter: alle giver deres måned en avisoverskrift i chatten.",
    ),
    "e14": Text(
        en="Rock, paper, scissors in pairs, cameras on, until one champion is left.",
        da="Sten, saks, papir i par med kameraet tændt, til der er én vinder tilbage.",
    ),
    "e15": Text(
        en="A minute of thanks: one thing from work you are grateful for this month, in one "
        "sentence.",
        da="Et minuts tak: én ting fra arbejdet, du er taknemmelig for i denne måned, i én "
        "sætning.",
    ),
}


def choose(keys: Sequence[str], last_used: Mapping[str, datetime]) -> str | None:
    """The one to use next among ``keys`` (in order of preference): the first never used,
    else the one used longest ago. None when there are none."""
    if not keys:
        return None
    for key in keys:
        if key not in last_used:
            return key
    order = {key: index for index, key in enumerate(keys)}
    return min(keys, key=lambda key: (last_used[key], order[key]))
