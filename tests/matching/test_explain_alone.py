"""Someone alone in a room (an organiser's move in a played round): said plainly, not a crash."""

from dataclasses import replace

from matching import EventSettings, Room, RoundPlan, explain, plan_event, replan
from tests.matching.factories import person

COUNTRIES = ["NL", "BE", "DE", "DK", "FR", "IT", "ES", "PT"]


def test_a_person_alone_is_told_so() -> None:
    alone = person("a", "NL", interests=("inclusion",))
    assert explain(alone, [], {"BE"}) == "alone in the room this round"


def test_a_re_plan_keeps_a_played_room_of_one_and_explains_it() -> None:
    people = [person(f"p{i}", COUNTRIES[i]) for i in range(8)]
    settings = EventSettings(rounds=3)
    plan = plan_event(people, settings, time_limit_s=1)
    first, second = plan.rounds[0].rooms[:2]
    moved = second.participants[-1]
    # During round 1 the organiser moved someone from room 2 into room 1, leaving one alone.
    played = RoundPlan(
        1,
        (
            Room(1, (*first.participants, moved)),
            Room(2, second.participants[:-1]),
            *plan.rounds[0].rooms[2:],
        ),
        plan.rounds[0].sitting_out,
    )
    lone = second.participants[0]
    again = replan(
        people,
        settings,
        replace(plan, rounds=(played, *plan.rounds[1:])),
        played_rounds=1,
        absent=frozenset({lone}),
        time_limit_s=1,
    )
    kept = again.rounds[0].rooms[1]
    assert kept.participants == (lone,)
    assert kept.explanations[lone] == "alone in the room this round"
    assert all(lone not in room.participants for r in again.rounds[1:] for room in r.rooms)
