"""Block Kit for a poll's results: counts, winner or tie, runoff rounds, by-group lines.

Pure functions; long results are split over sections of Slack's 3,000 characters, and kept
within the budget of block text (``bot.blocks``): when instant-runoff rounds of many long
options would not fit, the rounds name the options more briefly, at last by number ("#3").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from bot.blocks import (
    MESSAGE_TEXT_BUDGET,
    fallback_text,
    fit,
    line_sections,
    plain_text,
    text_length,
)
from bot.i18n import Text
from bot.mrkdwn import escape
from handlers.polls.blocks import (
    BUTTON_TEXT_LIMIT,
    BUTTONS_PER_ROW,
    OptionView,
    PollView,
    share_bar,
    shorten,
    votes_word,
)
from handlers.polls.breakdown import MIN_GROUP_BALLOTS, Breakdown
from handlers.polls.tally import Result, RunoffResult, format_count

TOPIC_ACTION = "poll_topic"
# How many characters of an option's text the runoff rounds show, tried in turn until the
# results fit the budget of block text; 0 names options by number.
ROUND_NAME_WIDTHS = (60, 24, 0)
TOPIC_BUTTONS_ROOM = BUTTONS_PER_ROW * BUTTON_TEXT_LIMIT

SUBCLUSTER_VOTES = Text(en="sub-cluster votes", da="babyklyngestemmer")
ONE_SUBCLUSTER_VOTE = Text(en="sub-cluster vote", da="babyklyngestemme")
RESULTS_TITLE = Text(
    en=":checkered_flag: *Results: {question}*", da=":checkered_flag: *Resultat: {question}*"
)
WINNER = Text(en="*Winner:* {option}", da="*Vinder:* {option}")
TIE = Text(en="*Tie* between {options}.", da="*Uafgjort* mellem {options}.")
NO_VOTES = Text(en="No votes were cast.", da="Der blev ikke afgivet nogen stemmer.")
TURNOUT = Text(en="{count} voted.", da="{count} stemte.")
OUT_IN_ROUND = Text(en="out in round {round}", da="ude i runde {round}")
ROUND_LINE = Text(en="Round {round}: {counts}", da="Runde {round}: {counts}")
ROUND_OUT = Text(en=" → out: {options}", da=" → ude: {options}")
ROUND_EXHAUSTED = Text(en=" ({count} ballots used up)", da=" ({count} stemmesedler opbrugt)")
ROUNDS_TITLE = Text(en="*Instant-runoff rounds*", da="*Afstemningsrunder (instant-runoff)*")
OVERALL_TITLE = Text(
    en="*Overall* (each sub-cluster counts as one vote):",
    da="*Samlet* (hver babyklynge tæller som én stemme):",
)
GROUP_LINE = Text(en="*{name}*: {counts} → {outcome}", da="*{name}*: {counts} → {outcome}")
GROUP_TIE = Text(en="tie: {options}", da="uafgjort: {options}")
GROUP_NONE = Text(en="no votes", da="ingen stemmer")
TOO_FEW_VOTES = Text(
    en="fewer than {minimum} votes — not shown", da="færre end {minimum} stemmer — vises ikke"
)
GROUPS_WITHHELD = Text(
    en="_The other sub-clusters' own results are not shown either: together with the totals "
    "they would give the small ones away._",
    da="_De øvrige babyklyngers egne resultater vises heller ikke: sammen med det samlede "
    "resultat ville de afsløre de små._",
)
TOPIC_BUTTON = Text(
    en="Make “{option}” the next meeting's topic", da="Gør »{option}« til næste mødes emne"
)


def _names(options: Sequence[OptionView], ids: Sequence[int], width: int | None = None) -> str:
    by_id = {option.id: option for option in options}
    return ", ".join(f"*{_label(by_id[i], width)}*" for i in ids if i in by_id)


def _label(option: OptionView, width: int | None) -> str:
    """The option's text (escaped), shortened to ``width``; by number when ``width`` is 0."""
    if width == 0:
        return f"#{option.position}"
    return escape(option.text if width is None else shorten(option.text, width))


def _outcome_line(view: PollView, result: Result, language: str, unit: Text | None) -> str:
    if not result.winners:
        return NO_VOTES.render(language)
    if result.is_tie:
        return TIE.render(language, options=_names(view.options, result.winners))
    return WINNER.render(language, option=_names(view.options, result.winners))


def result_lines(
    view: PollView,
    result: Result,
    language: str,
    *,
    groups: Breakdown | None = None,
    width: int = ROUND_NAME_WIDTHS[0],
) -> list[str]:
    """The results as Markdown-ish lines: each option with its count, winner or tie, rounds
    (naming options with at most ``width`` characters); by sub-cluster, each one's line first."""
    lines = [RESULTS_TITLE.render(language, question=escape(view.question))]
    grouped = groups is not None and bool(groups.lines or groups.withheld)
    if groups is not None and grouped:

        def shown(name: str, group_result: Result) -> str:
            return _group_line(view, name, group_result, language, min(width, 40))

        lines.extend(group_lines(groups, language, shown))
        lines.append(OVERALL_TITLE.render(language))
    whole = (
        view.ballots
        if view.max_choices > 1 and view.kind != "ranked" and not grouped
        else sum(result.counts.values(), Fraction(0))
    )
    for option in view.options:
        count = result.counts.get(option.id, 0)
        word = votes_word(count, language)
        if grouped:
            word = (ONE_SUBCLUSTER_VOTE if count == 1 else SUBCLUSTER_VOTES).render(language)
        bar = share_bar(count, whole, language)
        line = f"{option.position}. {escape(option.text)}: *{format_count(count)}* {word} {bar}"
        if isinstance(result, RunoffResult) and option.id in result.out_in_round:
            line += f" ({OUT_IN_ROUND.render(language, round=result.out_in_round[option.id])})"
        lines.append(line)
    lines.append(_outcome_line(view, result, language, None))
    if not grouped:
        lines.append(TURNOUT.render(language, count=view.ballots))
    if isinstance(result, RunoffResult) and len(result.rounds) > 1:
        lines.append(ROUNDS_TITLE.render(language))
        lines.extend(_round_lines(view, result, language, width))
    return lines


def _round_lines(view: PollView, result: RunoffResult, language: str, width: int) -> list[str]:
    by_id = {option.id: option for option in view.options}
    lines = []
    for number, round_ in enumerate(result.rounds, start=1):
        counts = " · ".join(
            f"{_label(by_id[o], width)} {c}" for o, c in round_.counts.items() if o in by_id
        )
        line = ROUND_LINE.render(language, round=number, counts=counts)
        if round_.eliminated:
            out = _names(view.options, round_.eliminated, width)
            line += ROUND_OUT.render(language, options=out)
        if round_.exhausted:
            line += ROUND_EXHAUSTED.render(language, count=round_.exhausted)
        lines.append(line)
    return lines


def group_lines(groups: Breakdown, language: str, shown: Callable[[str, Result], str]) -> list[str]:
    """A line per sub-cluster (``shown`` renders one whose result may be shown), and the note
    when some are held back."""
    lines = [
        shown(line.name, line.result)
        if line.result is not None
        else f"*{escape(line.name)}*: {TOO_FEW_VOTES.render(language, minimum=MIN_GROUP_BALLOTS)}"
        for line in groups.lines
    ]
    if groups.withheld:
        lines.append(GROUPS_WITHHELD.render(language))
    return lines


def _group_line(view: PollView, name: str, result: Result, language: str, width: int) -> str:
    counts = " · ".join(
        f"{_label(option, width)} {format_count(result.counts.get(option.id, 0))}"
        for option in view.options
    )
    winners = _names(view.options, result.winners, width)
    if not result.winners:
        outcome = GROUP_NONE.render(language)
    elif result.is_tie:
        outcome = GROUP_TIE.render(language, options=winners)
    else:
        outcome = winners
    return GROUP_LINE.render(language, name=escape(name), counts=counts, outcome=outcome)


def results_message(
    view: PollView,
    result: Result,
    language: str,
    *,
    groups: Breakdown | None = None,
    topic_buttons: bool = True,
) -> tuple[str, list[dict[str, Any]]]:
    """The results post: one line per option with its count, the winner or the tie, rounds."""
    for width in ROUND_NAME_WIDTHS:
        lines = result_lines(view, result, language, groups=groups, width=width)
        blocks = line_sections(lines, block_id=f"pollres:{view.id}:")
        if text_length(blocks) <= MESSAGE_TEXT_BUDGET - TOPIC_BUTTONS_ROOM:
            break
    if topic_buttons and result.winners:
        by_id = {option.id: option for option in view.options}
        buttons = [
            {
                "type": "button",
                "action_id": f"{TOPIC_ACTION}:{index}",
                "text": plain_text(
                    shorten(
                        TOPIC_BUTTON.render(language, option=shorten(by_id[winner].text, 40)),
                        BUTTON_TEXT_LIMIT,
                    )
                ),
                "value": f"{view.id}:{winner}",
            }
            for index, winner in enumerate(result.winners[:BUTTONS_PER_ROW])
            if winner in by_id
        ]
        if buttons:
            blocks.append(
                {"type": "actions", "block_id": f"pollres:{view.id}:topic", "elements": buttons}
            )
    return fallback_text(lines), fit(blocks[:50])
