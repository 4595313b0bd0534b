"""Block Kit for meetings: reminders with RSVP, the agenda post with check-in, the closing round.

Pure functions: they take a ``Meeting``, the cluster's zone and language and the numbers to show,
and return blocks; nothing here talks to Slack or the database. User-written text (title, topic,
agenda, preparation note) is escaped for Slack here, once. The agenda and the preparation note
(2,900 characters each) have sections of their own, and every post keeps within the budget of
block text (``bot.blocks.fit``), however much the other features add to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot.blocks import Block, button, context, fit, header, section
from bot.i18n import Text, format_datetime, format_duration, format_time
from bot.mrkdwn import escape
from handlers.meetings.shape import Agenda, one_line
from storage.meetings import Meeting

RSVP_YES_ACTION: Final = "meeting_rsvp_yes"
RSVP_NO_ACTION: Final = "meeting_rsvp_no"
CHECKIN_ACTION: Final = "meeting_checkin"
RSVP_COUNTS_BLOCK: Final = "meeting_rsvp_counts"
CHECKIN_COUNT_BLOCK: Final = "meeting_checkin_count"
ZOOM_ACTION_PREFIX: Final = "link:zoom:"
START_UNPLANNED_ACTION: Final = "meeting_start_unplanned"
START_CANCEL_ACTION: Final = "meeting_start_cancel"
CALENDAR_ACTION: Final = "meeting_calendar"
# A reminder this long before the meeting, or the first one sent, is the full card (details,
# agenda, the follow-up of the last meeting); later ones are short for a phone.
FULL_REMINDER_FROM: Final = timedelta(days=2)


# --- texts ------------------------------------------------------------------------------------

REMINDER_TEXT = Text(
    en=":calendar: Reminder: *{title}* starts in {until} — {when}.",
    da=":calendar: Påmindelse: *{title}* begynder om {until} — {when}.",
)
REMINDER_HEADER = Text(en="Reminder: {title}", da="Påmindelse: {title}")
REMINDER_WHEN = Text(
    en=":calendar: *{title}* starts in *{until}*: {when}.",
    da=":calendar: *{title}* begynder om *{until}*: {when}.",
)
REMINDER_SHORT = Text(
    en=":alarm_clock: *{title}* starts in *{until}* ({time}).",
    da=":alarm_clock: *{title}* begynder om *{until}* (kl. {time}).",
)
TOPIC_LINE = Text(en="*Topic:* {topic}", da="*Emne:* {topic}")
FACILITATOR_LINE = Text(en="*Facilitator:* {user}", da="*Tovholder:* {user}")
GROUP_LINE = Text(en="*Facilitating sub-cluster:* {name}", da="*Tovholder er babyklyngen:* {name}")
NOTE_TAKER_LINE = Text(en="*Note-taker:* {user}", da="*Referent:* {user}")
AGENDA_LINE = Text(en="*Agenda:*\n{agenda}", da="*Dagsorden:*\n{agenda}")
DEFAULT_AGENDA_LINE = Text(
    en="*Agenda* _(the cluster's usual shape)_:\n{agenda}",
    da="*Dagsorden* _(klyngens faste form)_:\n{agenda}",
)
PREPARATION_LINE = Text(en="*To prepare:* {preparation}", da="*Forberedelse:* {preparation}")
JOIN_ZOOM = Text(en="Join Zoom", da="Deltag i Zoom")
RSVP_YES = Text(en="I'm coming", da="Jeg kommer")
RSVP_NO = Text(en="Can't come", da="Jeg kan ikke")
RSVP_COUNTS = Text(
    en=":white_check_mark: {attending} coming · :x: {absent} can't come",
    da=":white_check_mark: {attending} kommer · :x: {absent} kan ikke",
)
START_UNPLANNED = Text(en="Start unplanned meeting", da="Start uplanlagt møde")
DONT_START = Text(en="Cancel", da="Annullér")
CALENDAR_BUTTON = Text(en="Add to calendar", da="Sæt i kalender")
DETAILS_HINT = Text(
    en="Everything about it: `/klynge meeting show {id}`",
    da="Alt om mødet: `/klynge møde vis {id}`",
)

AGENDA_TEXT = Text(
    en=":arrow_forward: *{title}* has started. Click “I'm here” to check in.\nAgenda: {agenda}",
    da=":arrow_forward: *{title}* er begyndt. Klik på »Jeg er her« for at tjekke ind.\n"
    "Dagsorden: {agenda}",
)
AGENDA_HEADER = Text(en="{title} has started", da="{title} er begyndt")
AGENDA_INTRO = Text(
    en="Welcome! Please click *I'm here* so we know who is with us — breakout groups are "
    "made from those who checked in.",
    da="Velkommen! Klik på *Jeg er her*, så vi ved, hvem der er med — grupperne laves ud fra "
    "dem, der har tjekket ind.",
)
CHECKIN_BUTTON = Text(en="I'm here", da="Jeg er her")
CHECKIN_COUNT = Text(
    en=":raised_hand: {count} checked in", da=":raised_hand: {count} har tjekket ind"
)

CLOSING_TEXT = Text(
    en=":checkered_flag: *{title}* has ended. Closing round: what did you take with you, "
    "what can you use, and what will you work on in your own clinic?",
    da=":checkered_flag: *{title}* er slut. Afrunding: hvad tager du med dig, hvad kan du "
    "bruge, og hvad vil du arbejde med i din egen klinik?",
)
CLOSING_HEADER = Text(en="{title} has ended", da="{title} er slut")
CLOSING_INTRO = Text(
    en="Thank you all! Before you go, a closing round — a sentence or two each, aloud or as a "
    "reply to this message:",
    da="Tak til jer alle! Inden I går, en afrunding — en sætning eller to hver, højt "
    "eller som svar på denne besked:",
)
CLOSING_QUESTIONS = (
    Text(
        en="1. What did you take with you from today?",
        da="1. Hvad tager du med dig fra i dag?",
    ),
    Text(
        en="2. What can you use in your everyday work?",
        da="2. Hvad kan du bruge i din hverdag?",
    ),
    Text(
        en="3. What will you work on in your own clinic?",
        da="3. Hvad vil du arbejde med i din egen klinik?",
    ),
    Text(
        en="4. What did we decide or agree on together?",
        da="4. Hvad besluttede eller aftalte vi sammen?",
    ),
    Text(
        en="5. What should the staff in your clinic do? (an instruction for them)",
        da="5. Hvad skal personalet i din klinik gøre? (en instruks til dem)",
    ),
)
CLOSING_ATTENDANCE = Text(
    en="{count} checked in at this meeting.", da="{count} tjekkede ind til mødet."
)


# --- helpers ----------------------------------------------------------------------------------


def zone_note(tz: ZoneInfo, home: str) -> str:
    """`` (Europe/London)`` after a time, when the cluster's zone ``tz`` is not ``home`` (the
    zone everybody here assumes: ``KLYNGE_TIMEZONE``); nothing when it is."""
    return "" if tz.key == home else f" ({tz.key})"


def when_text(starts_at: datetime, tz: ZoneInfo, language: str, *, home: str) -> str:
    """``Thursday 3 December 2026 at 16:00`` (with the zone when it is not ``home``)."""
    return format_datetime(starts_at.astimezone(tz), language) + zone_note(tz, home)


def zoom_button(meeting: Meeting, language: str) -> Block | None:
    if not meeting.zoom_url:
        return None
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": JOIN_ZOOM.render(language), "emoji": True},
        "action_id": f"{ZOOM_ACTION_PREFIX}{meeting.id}",
        "url": meeting.zoom_url,
    }


def detail_lines(
    meeting: Meeting, language: str, *, agenda: Agenda | None = None, group: str | None = None
) -> list[str]:
    """Topic, facilitator, note-taker, agenda and preparation note, as far as they are known.

    ``agenda`` is what the meeting follows (its own or the cluster's default; None: the
    meeting's own, if it has one); ``group`` is the name of the facilitating sub-cluster, if
    the rotation chose one.
    """
    return [*_short_details(meeting, language, group), *_long_details(meeting, language, agenda)]


def detail_sections(
    meeting: Meeting,
    language: str,
    *,
    intro: str = "",
    group: str | None = None,
    agenda: Agenda | None = None,
) -> list[Block]:
    """``intro`` and the short details in one section; the agenda and the preparation note,
    each up to 2,900 characters, in sections of their own."""
    short = [intro] if intro else []
    short += _short_details(meeting, language, group)
    blocks = [section("\n".join(short))] if short else []
    return blocks + [section(line) for line in _long_details(meeting, language, agenda)]


def _short_details(meeting: Meeting, language: str, group: str | None) -> list[str]:
    lines = []
    if meeting.topic:
        lines.append(TOPIC_LINE.render(language, topic=escape(meeting.topic)))
    if group:
        lines.append(GROUP_LINE.render(language, name=escape(group)))
    if meeting.facilitator_id:
        lines.append(FACILITATOR_LINE.render(language, user=f"<@{meeting.facilitator_id}>"))
    if meeting.note_taker_id:
        lines.append(NOTE_TAKER_LINE.render(language, user=f"<@{meeting.note_taker_id}>"))
    return lines


def _long_details(meeting: Meeting, language: str, agenda: Agenda | None) -> list[str]:
    lines = []
    if agenda is None and meeting.agenda:
        agenda = Agenda(meeting.agenda, is_default=False)
    if agenda is not None:
        line = DEFAULT_AGENDA_LINE if agenda.is_default else AGENDA_LINE
        lines.append(line.render(language, agenda=escape(agenda.text)))
    if meeting.preparation:
        lines.append(PREPARATION_LINE.render(language, preparation=escape(meeting.preparation)))
    return lines


def replace_block(blocks: Sequence[Block], block_id: str, new: Block) -> list[Block]:
    """``blocks`` with the block ``block_id`` replaced by ``new`` (the rest untouched)."""
    return [new if block.get("block_id") == block_id else block for block in blocks]


# --- reminder ---------------------------------------------------------------------------------


def rsvp_counts_block(attending: int, absent: int, language: str) -> Block:
    text = RSVP_COUNTS.render(language, attending=attending, absent=absent)
    return context(text, block_id=RSVP_COUNTS_BLOCK)


def reminder_text(
    meeting: Meeting, tz: ZoneInfo, language: str, *, now: datetime, home: str
) -> str:
    """The notification text of a reminder (also what screen readers and push previews show)."""
    return REMINDER_TEXT.render(
        language,
        title=escape(meeting.title),
        until=format_duration(meeting.starts_at - now, language),
        when=when_text(meeting.starts_at, tz, language, home=home),
    )


def reminder_buttons(meeting: Meeting, language: str, *, calendar: bool) -> Block:
    """Zoom, "I'm coming", "Can't come" (and the calendar file on the full card)."""
    value = str(meeting.id)
    buttons = [
        found
        for found in (
            zoom_button(meeting, language),
            button(RSVP_YES.render(language), RSVP_YES_ACTION, value, style="primary"),
            button(RSVP_NO.render(language), RSVP_NO_ACTION, value),
            button(CALENDAR_BUTTON.render(language), CALENDAR_ACTION, value) if calendar else None,
        )
        if found is not None
    ]
    return {"type": "actions", "block_id": f"meeting_rsvp:{meeting.id}", "elements": buttons}


def reminder_blocks(
    meeting: Meeting,
    tz: ZoneInfo,
    language: str,
    *,
    now: datetime,
    home: str,
    attending: int,
    absent: int,
    full: bool = True,
    group: str | None = None,
    agenda: Agenda | None = None,
    extra: Sequence[Block] = (),
) -> list[Block]:
    """A reminder. The full card: when, how long until, the details (with the agenda the
    meeting follows), the Zoom, RSVP and calendar buttons, then ``extra``. The short one
    (``full=False``, a day or an hour before, read on a phone): the time, Zoom and RSVP, the
    count, then ``extra`` (what is new since the full card; the caller decides)."""
    until = format_duration(max(meeting.starts_at - now, timedelta(0)), language)
    if not full:
        local = meeting.starts_at.astimezone(tz)
        line = REMINDER_SHORT.render(
            language,
            title=escape(meeting.title),
            until=until,
            time=format_time(local, language) + zone_note(tz, home),
        )
        short = [
            section(line),
            reminder_buttons(meeting, language, calendar=False),
            rsvp_counts_block(attending, absent, language),
        ]
        return fit([*short, *extra][:50])
    blocks: list[Block] = [
        header(REMINDER_HEADER.render(language, title=meeting.title)),
        section(
            REMINDER_WHEN.render(
                language,
                title=escape(meeting.title),
                until=until,
                when=when_text(meeting.starts_at, tz, language, home=home),
            )
        ),
    ]
    blocks.extend(detail_sections(meeting, language, group=group, agenda=agenda))
    blocks.append(reminder_buttons(meeting, language, calendar=True))
    blocks.append(rsvp_counts_block(attending, absent, language))
    blocks.extend(extra)
    blocks.append(context(DETAILS_HINT.render(language, id=meeting.id)))
    return fit(blocks[:50])


# --- agenda (start) and closing round (end) ---------------------------------------------------


def checkin_count_block(count: int, language: str) -> Block:
    return context(CHECKIN_COUNT.render(language, count=count), block_id=CHECKIN_COUNT_BLOCK)


def agenda_text(meeting: Meeting, agenda: Agenda, language: str) -> str:
    """The start post's notification text: the title and the agenda on one line."""
    return AGENDA_TEXT.render(
        language, title=escape(meeting.title), agenda=escape(one_line(agenda.text))
    )


def agenda_blocks(
    meeting: Meeting,
    tz: ZoneInfo,
    language: str,
    *,
    checked_in: int,
    agenda: Agenda,
    group: str | None = None,
    sections: Sequence[Block] = (),
    extra: Sequence[Block] = (),
) -> list[Block]:
    """The post of a started meeting: details, the agenda it follows, ``sections`` (the
    check-in question, the follow-up on last time), the check-in button and its count, then
    ``extra``."""
    details = detail_sections(
        meeting, language, intro=AGENDA_INTRO.render(language), group=group, agenda=agenda
    )
    buttons = [
        button(CHECKIN_BUTTON.render(language), CHECKIN_ACTION, str(meeting.id), style="primary")
    ]
    if zoom := zoom_button(meeting, language):
        buttons.append(zoom)
    blocks: list[Block] = [
        header(AGENDA_HEADER.render(language, title=meeting.title)),
        *details,
        *sections,
        {"type": "actions", "block_id": f"meeting_checkin:{meeting.id}", "elements": buttons},
        checkin_count_block(checked_in, language),
    ]
    blocks.extend(extra)
    return fit(blocks[:50])


def closing_text(meeting: Meeting, language: str) -> str:
    return CLOSING_TEXT.render(language, title=escape(meeting.title))


def closing_blocks(
    meeting: Meeting, language: str, *, checked_in: int, extra: Sequence[Block] = ()
) -> list[Block]:
    """The closing round: the three questions everyone answers before leaving."""
    questions = "\n".join(question.render(language) for question in CLOSING_QUESTIONS)
    blocks = [
        header(CLOSING_HEADER.render(language, title=meeting.title)),
        section(f"{CLOSING_INTRO.render(language)}\n{questions}"),
        context(CLOSING_ATTENDANCE.render(language, count=checked_in)),
        *extra,
    ]
    return fit(blocks[:50])


def unplanned_confirmation(question: str, cluster_id: int, language: str) -> list[Block]:
    """``question`` with the buttons that start an unplanned meeting or leave it."""
    value = str(cluster_id)
    return [
        section(question),
        {
            "type": "actions",
            "block_id": "meeting_start_confirm",
            "elements": [
                button(
                    START_UNPLANNED.render(language), START_UNPLANNED_ACTION, value, style="primary"
                ),
                button(DONT_START.render(language), START_CANCEL_ACTION, value),
            ],
        },
    ]
