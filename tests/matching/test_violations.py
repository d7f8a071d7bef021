"""Each rule break comes as a structured Violation (kind, round, room, people, numbers), and its
English text is validate_plan's wording, unchanged: stored warnings and the API keep it."""

from __future__ import annotations

import pytest

from matching import (
    EventSettings,
    Participant,
    Pin,
    Plan,
    Room,
    RoundPlan,
    Score,
    Violation,
    ViolationKind,
    plan_violations,
    round_violations,
    validate_plan,
)
from matching.policy import pair_conflict
from matching.violations import PAIR_KINDS
from tests.matching.factories import person

K = ViolationKind


def _round(number: int, *rooms: tuple[str, ...], out: tuple[str, ...] = ()) -> RoundPlan:
    return RoundPlan(number, tuple(Room(k + 1, r) for k, r in enumerate(rooms)), out)


def _plan(*rounds: RoundPlan) -> Plan:
    return Plan(rounds=rounds, score=Score(0, 0, 0, 0, 0, 0), upper_bound=0, elapsed_s=0.0)


def test_pair_rules_name_the_round_room_and_pair() -> None:
    people = [
        person("a", "NL", school="Het Lyceum"),
        person("b", "BE", school="Het Lyceum"),
        person("c", "DE", languages=("de",)),
        person("d", "DK", avoid=("e",)),
        person("e", "FR"),
    ]
    rounds = [_round(1, ("a", "b"), ("c", "d")), _round(2, ("d", "e"), ("a", "b"))]
    found = round_violations(people, EventSettings(rounds=2), rounds)
    assert found == [
        Violation(K.SAME_SCHOOL, round=1, room=1, people=("a", "b")),
        Violation(K.NO_SHARED_LANGUAGE, round=1, room=2, people=("c", "d")),
        Violation(K.AVOID, round=2, room=1, people=("d", "e")),
        Violation(K.SAME_SCHOOL, round=2, room=2, people=("a", "b")),
        Violation(K.MET_BEFORE, round=2, room=2, people=("a", "b"), other_round=1),
    ]
    assert [v.text for v in found] == [
        "round 1, room 1: a and b: same school",
        "round 1, room 2: c and d: no shared language",
        "round 2, room 1: d and e: asked not to meet",
        "round 2, room 2: a and b: same school",
        "round 2, room 2: a and b already met in round 1",
    ]


def test_country_cap_carries_the_country_and_both_numbers() -> None:
    people = [person("a", "DE"), person("b", "DE"), person("c", "NL")]
    settings = EventSettings(rounds=1, room_size=3, max_per_country=1)
    (found,) = round_violations(people, settings, [_round(1, ("a", "b", "c"))])
    assert found == Violation(K.COUNTRY_CAP, round=1, room=1, count=2, limit=1, country="DE")
    assert found.text == "round 1, room 1: 2 people from DE, at most 1 allowed"


def test_room_sizes_and_seats() -> None:
    people = [person(p, c) for p, c in zip("abcde", ("NL", "BE", "DE", "DK", "FR"), strict=True)]
    settings = EventSettings(rounds=1, room_size=2, distinct_countries=False)
    rounds = [_round(1, ("a", "b", "x", "c"), ("a",), out=("b", "d", "e"))]
    found = round_violations(people, settings, rounds)
    assert found == [
        Violation(K.UNKNOWN_PARTICIPANT, round=1, room=1, people=("x",)),
        Violation(K.ROOM_SIZE, round=1, room=1, count=4, limit=2),
        Violation(K.SEATED_TWICE, round=1, room=2, people=("a",)),
        Violation(K.ROOM_SIZE, round=1, room=2, count=1, limit=2),
        Violation(K.SEATED_AND_OUT, round=1, people=("b",)),
        Violation(K.BIG_ROOMS, round=1, count=0, limit=2, seated=5),
    ]
    assert found[-1].needed == 1
    assert [v.text for v in found] == [
        "round 1, room 1: unknown participant 'x'",
        "round 1, room 1: 4 people, rooms hold 2 or 3",
        "round 1, room 2: a is seated twice in round 1",
        "round 1, room 2: 1 person, rooms hold 2 or 3",
        "round 1: b is both seated and sitting out",
        "round 1: 0 rooms of 3, but 5 seated needs exactly 1",
    ]


def test_pins_and_the_round_count_are_not_tied_to_a_room() -> None:
    people = [person(p, c) for p, c in zip("abcd", ("NL", "BE", "DE", "DK"), strict=True)]
    rounds = [_round(1, ("a", "b"), ("c", "d")), _round(2, ("a", "c"), ("b", "d"))]
    pins = [Pin("a", "b", False), Pin("a", "d", True), Pin("a", "c", True, round=1)]
    found = plan_violations(people, EventSettings(rounds=3), rounds, pins)
    assert found == [
        Violation(K.PIN_NEVER, people=("a", "b"), other_round=1),
        Violation(K.PIN_MUST, people=("a", "d")),
        Violation(K.PIN_ROUND, people=("a", "c"), other_round=1),
        Violation(K.ROUND_COUNT, count=2, limit=3),
    ]
    assert [v.text for v in found] == [
        "pin: a and b must never meet (round 1)",
        "pin: a and d must meet",
        "pin: a and c must meet in round 1",
        "the plan has 2 rounds, the event 3",
    ]
    assert validate_plan(people, EventSettings(rounds=3), _plan(*rounds), pins=pins) == [
        v.text for v in found
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (person("a", "NL", school="X"), person("b", "BE", school="X")),
        (person("a", "NL", languages=("nl",)), person("b", "BE", languages=("fr",))),
        (person("a", "NL", avoid=("b",)), person("b", "BE")),
    ],
)
def test_every_reason_policy_gives_for_a_pair_has_a_kind(a: Participant, b: Participant) -> None:
    """A new or reworded reason in matching.policy must get its kind here too."""
    why = pair_conflict(a, b, EventSettings(rounds=1))
    assert why in PAIR_KINDS
    (found,) = round_violations([a, b], EventSettings(rounds=1), [_round(1, ("a", "b"))])
    assert found.text == f"round 1, room 1: a and b: {why}"
