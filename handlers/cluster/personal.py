"""``/klynge my data``, pure: what the bot stores about a person, as lines to read and as a
JSON file to keep (GDPR access and portability). No Slack, no database."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import clip
from bot.i18n import Text, format_date
from bot.mrkdwn import escape
from storage.personal import ClusterRecord, PersonalRecord

MAX_MEETING_LINES = 15

INTRO = Text(
    en=":file_folder: *What klyngebot stores about you* in this workspace (the attached file "
    "holds all of it, with your texts verbatim):",
    da=":file_folder: *Det gemmer klyngebot om dig* i dette workspace (den vedhæftede fil "
    "rummer det hele, med dine tekster ordret):",
)
NOTHING = Text(
    en=":file_folder: klyngebot stores nothing about you in this workspace beyond your Slack id "
    "in the clusters' channels.",
    da=":file_folder: klyngebot gemmer intet om dig i dette workspace ud over dit Slack-id i "
    "klyngernes kanaler.",
)
CLUSTER = Text(en="*{name}*", da="*{name}*")
MEMBER_SINCE = Text(en="• member since {date}", da="• medlem siden {date}")
COORDINATOR_SINCE = Text(en="• coordinator since {date}", da="• koordinator siden {date}")
CLINIC = Text(en="• your clinic: {clinic}", da="• din klinik: {clinic}")
SUBCLUSTER = Text(en="• your sub-cluster: {name}", da="• din babyklynge: {name}")
BREAKOUTS = Text(
    en="• breakout groups you were in: {count} (convener of {convened})",
    da="• grupper, du har været i: {count} (samlede {convened} af dem)",
)
TEXTS = Text(
    en="• take-home messages, decisions and instructions you wrote: {count}",
    da="• pointer, beslutninger og instrukser, du har skrevet: {count}",
)
CHECKIN_QUESTIONS = Text(
    en="• check-in questions you added: {count}",
    da="• check-in-spørgsmål, du har tilføjet: {count}",
)
VOTES = Text(
    en="• your votes in polls that show names: {count}",
    da="• dine stemmer i afstemninger, der viser navne: {count}",
)
VOTE_LINE = Text(en="  – {question}: {choice}", da="  – {question}: {choice}")
MAX_VOTE_LINES = 10
MEETING_LINE = Text(en="• {date}, *{title}*: {what}", da="• {date}, *{title}*: {what}")
MORE_MEETINGS = Text(en="• … and {count} more", da="• … og {count} mere")
WHAT = {
    "coming": Text(en="said you were coming", da="meldte, at du kom"),
    "not coming": Text(en="said you couldn't come", da="meldte afbud"),
    "checked in": Text(en="checked in", da="tjekkede ind"),
    "facilitator": Text(en="facilitator", da="tovholder"),
    "note-taker": Text(en="note-taker", da="referent"),
}
PERSON = Text(
    en="Also kept: that your Slack account is a person (not a bot), checked now and then, and "
    "when you last opened the bot's Home tab.",
    da="Desuden gemt: at din Slack-konto er en person (ikke en bot), tjekket en gang imellem, og "
    "hvornår du sidst åbnede bottens fane Hjem.",
)
NEVER = Text(
    en="Never stored: your name, e-mail address or other profile details (looked up in Slack "
    "when needed), and who cast an anonymous vote: anonymous votes cannot be linked to you, so "
    "they are not in this copy. Your take-home messages can be edited or deleted with "
    "`/klynge takeaway list`; `/klynge my data delete` in a cluster's channel erases all your "
    "data in that cluster.",
    da="Gemmes aldrig: dit navn, din e-mailadresse eller andre profiloplysninger (slås op i "
    "Slack, når der er brug for dem), og hvem der har afgivet en anonym stemme: anonyme "
    "stemmer kan ikke føres tilbage til dig og er derfor ikke med her. Dine pointer kan "
    "rettes eller slettes med `/klynge pointe liste`; `/klynge mine data slet` i en klynges "
    "kanal sletter alle dine data i den klynge.",
)


def summary_lines(record: PersonalRecord, language: str) -> list[str]:
    """The readable summary, cluster by cluster, in the cluster's own time zone."""
    if not record.clusters:
        return [NOTHING.render(language), NEVER.render(language)]
    lines = [INTRO.render(language)]
    for cluster in record.clusters:
        lines.extend(_cluster_lines(cluster, language))
    lines.append(PERSON.render(language))
    lines.append(NEVER.render(language))
    return lines


def _cluster_lines(record: ClusterRecord, language: str) -> list[str]:
    zone = ZoneInfo(record.cluster.timezone)

    def day(moment: datetime) -> str:
        return format_date(moment.astimezone(zone), language)

    lines = [CLUSTER.render(language, name=escape(record.cluster.name))]
    if record.member_since:
        lines.append(MEMBER_SINCE.render(language, date=day(record.member_since)))
    if record.coordinator_since:
        lines.append(COORDINATOR_SINCE.render(language, date=day(record.coordinator_since)))
    if record.clinic:
        lines.append(CLINIC.render(language, clinic=escape(record.clinic)))
    if record.subcluster:
        lines.append(SUBCLUSTER.render(language, name=escape(record.subcluster)))
    for part in record.meetings[-MAX_MEETING_LINES:]:
        what = WHAT[part.what].render(language)
        title = escape(clip(part.title, 80))
        lines.append(
            MEETING_LINE.render(language, date=day(part.starts_at), title=title, what=what)
        )
    if len(record.meetings) > MAX_MEETING_LINES:
        more = len(record.meetings) - MAX_MEETING_LINES
        lines.append(MORE_MEETINGS.render(language, count=more))
    if record.breakout_seats:
        lines.append(
            BREAKOUTS.render(language, count=record.breakout_seats, convened=record.convened)
        )
    if record.texts:
        lines.append(TEXTS.render(language, count=len(record.texts)))
    if record.checkin_questions:
        lines.append(CHECKIN_QUESTIONS.render(language, count=len(record.checkin_questions)))
    if record.votes:
        lines.append(VOTES.render(language, count=len(record.votes)))
        lines.extend(
            VOTE_LINE.render(
                language,
                question=escape(clip(vote.question, 80)),
                choice=escape(clip(vote.choice, 80)),
            )
            for vote in record.votes[:MAX_VOTE_LINES]
        )
        if len(record.votes) > MAX_VOTE_LINES:
            more = len(record.votes) - MAX_VOTE_LINES
            lines.append(MORE_MEETINGS.render(language, count=more))
    return lines


def export_json(record: PersonalRecord, *, team_id: str, now: datetime) -> str:
    """Everything in ``record`` as a JSON document (times in UTC, ISO 8601)."""

    def when(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    document: dict[str, Any] = {
        "slack_user_id": record.user_id,
        "slack_workspace_id": team_id,
        "exported_at": when(now),
        "is_a_person": record.is_person,
        "home_tab_last_opened_at": when(record.home_opened_at),
        "anonymous_votes": "not included: an anonymous vote is stored under a one-way key "
        "and cannot be linked to you",
        "clusters": [
            {
                "name": cluster.cluster.name,
                "slack_channel_id": cluster.cluster.channel_id,
                "member_since": when(cluster.member_since),
                "coordinator_since": when(cluster.coordinator_since),
                "clinic": cluster.clinic,
                "sub_cluster": cluster.subcluster,
                "meetings": [
                    {"title": part.title, "starts_at": when(part.starts_at), "what": part.what}
                    for part in cluster.meetings
                ],
                "breakout_groups": cluster.breakout_seats,
                "breakout_groups_convened": cluster.convened,
                "texts": [
                    {
                        "kind": text.kind,
                        "text": text.text,
                        "meeting_id": text.meeting_id,
                        "written_at": when(text.created_at),
                        "edited_at": when(text.edited_at),
                        "follow_up_answer": text.followup_answer,
                    }
                    for text in cluster.texts
                ],
                "check_in_questions_added": [
                    {"text": question.text, "added_at": when(question.added_at)}
                    for question in cluster.checkin_questions
                ],
                "votes_in_polls_that_show_names": [
                    {
                        "poll_question": vote.question,
                        "choice": vote.choice,
                        "rank": vote.rank,
                        "voted_at": when(vote.voted_at),
                    }
                    for vote in cluster.votes
                ],
            }
            for cluster in record.clusters
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
