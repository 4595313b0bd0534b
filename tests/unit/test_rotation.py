"""The pure rotation: fairness, ties, skips, absences, pins, newcomers and leavers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from handlers.facilitators.rotation import (
    Candidate,
    Slot,
    away_keys,
    passed_over,
    plan,
    queue,
    waited_since,
)

START = datetime(2027, 1, 1, 15, 0, tzinfo=UTC)
JOINED = START - timedelta(days=365)


def people(*keys: str, joined: datetime = JOINED) -> list[Candidate]:
    return [Candidate(key, joined, order) for order, key in enumerate(keys, start=1)]


def slots(
    count: int, *, first: datetime = START, every: timedelta = timedelta(days=28)
) -> list[Slot]:
    return [Slot(id=number, at=first + number * every) for number in range(count)]


def test_first_round_follows_join_order() -> None:
    candidates = people("U3", "U1", "U2")

    assert plan(candidates, {}, slots(3)) == ["U3", "U1", "U2"]


def test_ties_in_join_order_fall_back_to_the_key() -> None:
    candidates = [Candidate("U2", JOINED, 1), Candidate("U1", JOINED, 1)]

    assert queue(candidates, {}) == ["U1", "U2"]


def test_whoever_waited_longest_goes_first() -> None:
    candidates = people("A", "B", "C")
    history = {"A": START - timedelta(days=10), "B": START - timedelta(days=40)}

    assert queue(candidates, history) == ["C", "B", "A"]
    assert plan(candidates, history, slots(3)) == ["C", "B", "A"]


def test_over_two_rounds_each_serves_twice_in_the_same_order() -> None:
    candidates = people(*(f"U{number:02d}" for number in range(12)))

    holders = plan(candidates, {}, slots(24))

    assert holders[:12] == holders[12:]
    assert sorted(h for h in holders[:12] if h) == sorted(c.key for c in candidates)


def test_skipped_person_keeps_their_place_for_the_next_turn() -> None:
    candidates = people("A", "B", "C", "D")
    turns = slots(5)
    turns[0] = Slot(id=0, at=turns[0].at, excluded=frozenset({"A"}))

    assert plan(candidates, {}, turns) == ["B", "A", "C", "D", "B"]


def test_away_person_is_left_out_then_comes_first() -> None:
    candidates = people("A", "B", "C", "D")
    turns = [
        Slot(id=s.id, at=s.at, excluded=frozenset({"B"}) if s.id < 3 else frozenset())
        for s in slots(6)
    ]

    assert plan(candidates, {}, turns) == ["A", "C", "D", "B", "A", "C"]


def test_pinned_turns_hold_and_the_pinned_person_gets_no_earlier_turn() -> None:
    candidates = people("A", "B", "C", "D")
    turns = slots(8)
    turns[0] = Slot(id=0, at=turns[0].at, pinned="C")
    turns[2] = Slot(id=2, at=turns[2].at, pinned="A")

    assert plan(candidates, {}, turns) == ["C", "B", "A", "D", "C", "B", "A", "D"]


def test_a_pin_on_someone_unavailable_is_ignored() -> None:
    candidates = people("A", "B", "C")
    turns = slots(3)
    turns[0] = Slot(id=0, at=turns[0].at, pinned="C", excluded=frozenset({"C"}))
    turns[1] = Slot(id=1, at=turns[1].at, pinned="GONE")

    assert plan(candidates, {}, turns) == ["A", "B", "C"]


def test_newcomer_joins_at_the_end_of_the_queue() -> None:
    candidates = [*people("A", "B", "C"), Candidate("NEW", START - timedelta(days=5), 4)]
    history = {"A": START - timedelta(days=60), "B": START - timedelta(days=30)}

    assert plan(candidates, history, slots(4)) == ["C", "A", "B", "NEW"]


def test_a_turn_taken_the_moment_everyone_joined_ranks_after_them() -> None:
    candidates = people("A", "B", joined=START)

    assert queue(candidates, {"A": START}) == ["B", "A"]


def test_a_rejoining_member_waits_from_rejoining() -> None:
    rejoined = Candidate("A", START - timedelta(days=1), 1)

    assert waited_since(rejoined, {"A": START - timedelta(days=90)}) == rejoined.joined_at


def test_nobody_available_leaves_the_slot_empty() -> None:
    candidates = people("A")
    turns = [Slot(id=0, at=START, excluded=frozenset({"A"})), Slot(id=1, at=START + timedelta(1))]

    assert plan(candidates, {}, turns) == [None, "A"]
    assert plan([], {}, slots(2)) == [None, None]


def test_away_includes_the_last_day() -> None:
    away = {"A": date(2027, 3, 1), "B": date(2027, 2, 1)}

    assert away_keys(away, date(2027, 3, 1)) == {"A"}
    assert away_keys(away, date(2027, 3, 2)) == frozenset()


def test_passed_over_are_those_ahead_of_the_chosen() -> None:
    assert passed_over(["A", "B", "C"], "C") == ["A", "B"]
    assert passed_over(["A", "B"], None) == []


# --- properties ---------------------------------------------------------------------------------

keys = st.lists(
    st.text("ABCDEFGHJK0123456789", min_size=1, max_size=4), min_size=1, max_size=12, unique=True
)


@st.composite
def rotations(draw: st.DrawFn) -> tuple[list[Candidate], dict[str, datetime]]:
    names = draw(keys)
    candidates = [
        Candidate(name, JOINED + timedelta(days=draw(st.integers(0, 3))), order)
        for order, name in enumerate(names)
    ]
    history = {
        name: JOINED + timedelta(days=draw(st.integers(0, 300)))
        for name in names
        if draw(st.booleans())
    }
    return candidates, history


@given(rotations())
def test_any_n_consecutive_turns_give_everyone_exactly_one(
    rotation: tuple[list[Candidate], dict[str, datetime]],
) -> None:
    candidates, history = rotation
    n = len(candidates)

    holders = plan(candidates, history, slots(3 * n))

    for start in range(2 * n + 1):
        assert sorted(h for h in holders[start : start + n] if h) == sorted(
            c.key for c in candidates
        )
    assert holders[:n] == holders[n : 2 * n] == holders[2 * n :]


@given(rotations(), st.data())
def test_each_turn_goes_to_the_head_of_the_queue_among_those_available(
    rotation: tuple[list[Candidate], dict[str, datetime]], data: st.DataObject
) -> None:
    candidates, history = rotation
    names = [c.key for c in candidates]
    turns = [
        Slot(
            id=s.id,
            at=s.at,
            excluded=frozenset(data.draw(st.sets(st.sampled_from(names), max_size=len(names)))),
        )
        for s in slots(2 * len(names))
    ]

    holders = plan(candidates, history, turns)

    seen = dict(history)
    for slot, holder in zip(turns, holders, strict=True):
        available = [c for c in candidates if c.key not in slot.excluded]
        if not available:
            assert holder is None
            continue
        assert holder == queue(available, seen)[0]
        seen[holder] = slot.at
