"""matching.impossible_pins: each pin the rules refuse, named with why, and only those, so a
caller can drop exactly them and keep the rest (a round start after a live edit)."""

from __future__ import annotations

import re

import pytest

from matching import EventSettings, Pin, impossible_pins, plan_event
from tests.matching.factories import person

PEOPLE = [
    person("a", "NL"),
    person("b", "DE"),
    person("c", "NL"),  # a's country: H2 keeps a and c apart
    person("d", "FR"),
    person("e", "BE"),
    person("f", "IT"),
]
SETTINGS = EventSettings(rounds=3)


def test_only_the_pins_the_rules_refuse_are_listed_each_with_why() -> None:
    same_country = Pin("a", "c", together=True)
    kept = Pin("b", "d", together=True)
    never_same_country = Pin("a", "c", together=False)  # asks for what H2 does anyway
    both = Pin("e", "f", together=True)
    never_both = Pin("e", "f", together=False)
    in_round_1 = Pin("b", "e", together=True, round=1)
    in_round_2 = Pin("b", "e", together=True, round=2)
    pins = [same_country, kept, never_same_country, both, never_both, in_round_1, in_round_2]

    assert impossible_pins(PEOPLE, SETTINGS, pins) == [
        (same_country, "pin a-c: they cannot share a room (same country)"),
        (both, "pin e-f: they are pinned both to meet and never to meet"),
        (
            in_round_2,
            "pin b-e: they are pinned to meet in rounds 1 and 2, but two people meet at most once",
        ),
    ]


def test_the_pins_left_can_all_be_kept_and_are_planned() -> None:
    pins = [
        Pin("a", "c", together=True),
        Pin("b", "d", together=True, round=2),
        Pin("b", "d", together=True, round=3),
        Pin("a", "b", together=False),
    ]
    refused = [pin for pin, _ in impossible_pins(PEOPLE, SETTINGS, pins)]
    left = [pin for pin in pins if pin not in refused]

    assert refused == [pins[0], pins[2]]
    assert impossible_pins(PEOPLE, SETTINGS, left) == []
    plan = plan_event(PEOPLE, SETTINGS, pins=left, time_limit_s=5)
    second = next(r for r in plan.rounds if r.number == 2)
    assert any({"b", "d"} <= set(room.participants) for room in second.rooms)
    assert not [w for w in plan.warnings if w.startswith("not kept")]


@pytest.mark.parametrize(
    ("pin", "why"),
    [
        (Pin("a", "zz", together=False), "pin a-zz: unknown participant 'zz'"),
        (Pin("a", "a", together=True), "pin a-a: a participant cannot be pinned to themself"),
        (Pin("a", "b", together=False, round=4), "pin a-b: round 4 is not in 1..3"),
    ],
)
def test_a_malformed_pin_is_listed_with_the_text_the_planner_refuses_it_with(
    pin: Pin, why: str
) -> None:
    assert impossible_pins(PEOPLE, SETTINGS, [Pin("b", "d", together=True), pin]) == [(pin, why)]
    with pytest.raises(ValueError, match=f"^{re.escape(why)}$"):
        plan_event(PEOPLE, SETTINGS, pins=[Pin("b", "d", together=True), pin], time_limit_s=1)
