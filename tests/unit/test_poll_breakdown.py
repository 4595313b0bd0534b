"""What an anonymous poll shows of each sub-cluster's own result (handlers/polls/breakdown.py)."""

from __future__ import annotations

import itertools

from handlers.polls import results
from handlers.polls.blocks import OptionView, PollView
from handlers.polls.breakdown import MIN_GROUP_BALLOTS, Breakdown, GroupLine, breakdown
from handlers.polls.tally import Result, by_group, plurality

OPTIONS = [1, 2]


def group(name: str, *ballots: int) -> tuple[str, Result]:
    return name, plurality(OPTIONS, [[choice] for choice in ballots])


def test_the_minimum_is_three_ballots() -> None:
    assert MIN_GROUP_BALLOTS == 3


def test_a_poll_that_shows_names_shows_every_sub_cluster_however_small() -> None:
    groups = [group("Nord", 1, 1, 1), group("Syd", 2)]

    shown = breakdown(groups, anonymous=False)

    assert shown == Breakdown(tuple(GroupLine(name, result) for name, result in groups))


def test_anonymous_sub_clusters_of_three_ballots_or_none_are_all_shown() -> None:
    groups = [group("Nord", 1, 1, 2), group("Syd"), group("Vest", 2, 2, 2, 1)]

    shown = breakdown(groups, anonymous=True)

    assert shown.withheld == 0
    assert [line.result for line in shown.lines] == [result for _, result in groups]


def test_a_sub_cluster_of_two_ballots_is_not_shown_and_neither_are_the_others() -> None:
    groups = [group("Nord", 1, 1, 1, 1), group("Syd", 2, 2), group("Øst"), group("Vest", 2, 2, 2)]

    shown = breakdown(groups, anonymous=True)

    assert [line.name for line in shown.lines] == ["Syd", "Øst"]
    assert shown.lines[0].result is None  # too few: not shown
    assert shown.lines[1].result == groups[2][1]  # no ballots: nothing to give away
    assert shown.withheld == 2


def test_no_shown_sub_cluster_count_can_be_subtracted_from_the_totals() -> None:
    # Every way of spreading up to four ballots over three sub-clusters: whenever one is too
    # small to show, the counts that are shown add up to nothing, so totals minus shown counts
    # say nothing about any one sub-cluster.
    ballots = [(), (1,), (2,), (1, 2), (1, 1), (2, 2, 1), (1, 1, 1, 2)]
    for spread in itertools.product(ballots, repeat=3):
        groups = [group(f"G{n}", *chosen) for n, chosen in enumerate(spread)]
        shown = breakdown(groups, anonymous=True)
        small = [g for g in spread if 0 < len(g) < MIN_GROUP_BALLOTS]
        visible = [line.result for line in shown.lines if line.result is not None]
        if small:
            assert all(result.ballots == 0 for result in visible), spread
            assert len(shown.lines) + shown.withheld == len(groups)
        else:
            assert len(visible) == len(groups)


def view() -> PollView:
    return PollView(
        id=4,
        question="Emne?",
        kind="single",
        max_choices=1,
        anonymous=True,
        open_options=False,
        closed=True,
        options=(OptionView(id=1, position=1, text="A"), OptionView(id=2, position=2, text="B")),
        ballots=6,
        by_subcluster=True,
    )


def test_results_say_in_english_and_danish_that_a_small_sub_cluster_is_not_shown() -> None:
    grouped = by_group(OPTIONS, {"Nord": [[1], [1], [1], [1]], "Syd <b>": [[2]]}, ranked=False)
    shown = breakdown(list(grouped.groups.items()), anonymous=True)

    english = "\n".join(results.result_lines(view(), grouped.overall, "en", groups=shown))
    danish = "\n".join(results.result_lines(view(), grouped.overall, "da", groups=shown))

    assert "*Syd &lt;b&gt;*: fewer than 3 votes — not shown" in english
    assert "*Syd &lt;b&gt;*: færre end 3 stemmer — vises ikke" in danish
    assert "The other sub-clusters' own results are not shown either" in english
    assert "De øvrige babyklyngers egne resultater vises heller ikke" in danish
    assert "*Nord*" not in english + danish
    assert "Overall" in english
    assert "Samlet" in danish
