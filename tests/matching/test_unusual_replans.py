"""Re-plans whose history or pins no longer fit the event: refused by name, or kept and reported."""

from dataclasses import replace

import pytest

from matching import (
    EventSettings,
    Participant,
    Pin,
    Plan,
    RoundPlan,
    plan_event,
    replan,
    validate_plan,
)
from tests.matching.factories import person

COUNTRIES = ["NL", "BE", "DE", "DK", "FR", "IT", "ES", "PT", "AT", "PL", "SE", "FI"]


def _people(n: int) -> list[Participant]:
    return [person(f"p{i}", COUNTRIES[i]) for i in range(n)]


def _first_pair(plan: Plan) -> tuple[str, str]:
    a, b = plan.rounds[0].rooms[0].participants[:2]
    return a, b


def test_a_previous_plan_without_the_played_rounds_is_refused() -> None:
    people = _people(8)
    settings = EventSettings(rounds=3)
    plan = plan_event(people, settings, time_limit_s=1)
    short = replace(plan, rounds=plan.rounds[:1])
    with pytest.raises(ValueError, match="must hold rounds 1 to 2 once each; it holds rounds 1"):
        replan(people, settings, short, played_rounds=2, time_limit_s=1)


def test_someone_unknown_sitting_out_a_played_round_is_refused_by_name() -> None:
    people = _people(8)
    settings = EventSettings(rounds=2)
    plan = plan_event(people, settings, time_limit_s=1)
    first = plan.rounds[0]
    odd = replace(plan, rounds=(RoundPlan(1, first.rooms, ("ghost",)), *plan.rounds[1:]))
    with pytest.raises(ValueError, match="round 1 has 'ghost' sitting out"):
        replan(people, settings, odd, played_rounds=1, time_limit_s=1)


def test_a_played_round_that_breaks_a_rule_added_since_is_kept_and_reported() -> None:
    # a and b met in round 1; then a put b on the avoid list. Round 1 happened as it did.
    people = _people(8)
    settings = EventSettings(rounds=3)
    plan = plan_event(people, settings, time_limit_s=1)
    a, b = _first_pair(plan)
    now = [replace(p, avoid=frozenset({b})) if p.id == a else p for p in people]
    again = replan(now, settings, plan, played_rounds=1, time_limit_s=1)
    assert again.rounds[0] == plan.rounds[0]
    problems = validate_plan(now, settings, again)
    assert problems == [f"round 1, room 1: {a} and {b}: asked not to meet"]
    assert f"played round kept as it was: {problems[0]}" in again.warnings


def test_a_never_pin_on_a_pair_that_met_in_a_played_round_is_reported() -> None:
    people = _people(8)
    settings = EventSettings(rounds=3, room_size=3)
    plan = plan_event(people, settings, time_limit_s=1)
    a, b = _first_pair(plan)
    pin = Pin(a, b, together=False)
    again = replan(people, settings, plan, played_rounds=1, pins=[pin], time_limit_s=1)
    notes = [w for w in again.warnings if w.startswith("played round kept as it was")]
    assert notes == [f"played round kept as it was: pin: {a} and {b} must never meet (round 1)"]
    assert all({a, b} - set(room.participants) for r in again.rounds[1:] for room in r.rooms)


def test_rooms_of_a_new_size_after_a_played_round_plan_the_rest_at_that_size() -> None:
    people = _people(12)
    plan = plan_event(people, EventSettings(rounds=3), time_limit_s=1)
    bigger = EventSettings(rounds=3, room_size=3)
    again = replan(people, bigger, plan, played_rounds=1, time_limit_s=2)
    assert again.rounds[0] == plan.rounds[0]
    assert all(len(room.participants) in (3, 4) for r in again.rounds[1:] for room in r.rooms)
    assert all("2 people, rooms hold 3 or 4" in p for p in validate_plan(people, bigger, again))
    assert sum(w.startswith("played round kept as it was") for w in again.warnings) == 6


@pytest.mark.parametrize("room_size", [2, 3])
def test_a_pin_naming_an_absent_participant_is_reported_not_a_crash(room_size: int) -> None:
    people = _people(12)
    settings = EventSettings(rounds=3, room_size=room_size)
    plan = plan_event(people, settings, time_limit_s=1)
    # Someone p0 did not meet in round 1: a pin on a pair that met is kept by that round.
    met = next(set(r.participants) for r in plan.rounds[0].rooms if "p0" in r.participants)
    pin = Pin("p0", next(p.id for p in people if p.id not in met | {"p0"}), together=True)
    again = replan(
        people, settings, plan, played_rounds=1, absent=frozenset({"p0"}), pins=[pin],
        time_limit_s=1,
    )  # fmt: skip
    assert again.warnings[-1] == f"not kept: pin: p0 and {pin.b} must meet"
    assert all("p0" not in room.participants for r in again.rounds[1:] for room in r.rooms)
