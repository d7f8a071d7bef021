"""At a round start, the room a no-show leaves short is filled back rather than scattered: its
people stay together with one newcomer, and at most one other room changes (matching.steady)."""

from __future__ import annotations

from dataclasses import replace

import matching
from matching.generate import generate_participants
from matching.types import EventSettings, RoundPlan


def rooms_of(rnd: RoundPlan) -> set[frozenset[str]]:
    return {frozenset(room.participants) for room in rnd.rooms}


def room_with(rnd: RoundPlan, pid: str) -> frozenset[str]:
    return next(frozenset(room.participants) for room in rnd.rooms if pid in room.participants)


def changed_rooms(before: RoundPlan, after: RoundPlan, gone: str) -> set[frozenset[str]]:
    """The planned rooms (less the no-show) that did not survive as they were."""
    kept = rooms_of(after)
    return {room - {gone} for room in rooms_of(before) if room - {gone} not in kept}


def test_a_room_of_k_plus_one_gives_one_person_to_the_room_left_short() -> None:
    people = generate_participants(62, seed=1)
    settings = EventSettings(rounds=4, room_size=4, max_per_country=2)
    plan = matching.plan_event(people, settings, time_limit_s=2, seed=1)
    before = plan.rounds[0]
    assert not before.sitting_out
    assert any(len(r.participants) == 5 for r in before.rooms)
    short = next(room for room in before.rooms if len(room.participants) == 4)
    gone = short.participants[0]
    left = frozenset(short.participants) - {gone}

    new = matching.replan(
        people, settings, plan, played_rounds=0, absent=frozenset([gone]), steady=True
    )

    assert matching.validate_plan(people, settings, new) == []
    after = new.rounds[0]
    together = room_with(after, next(iter(left)))
    assert left < together
    assert len(together) == 4
    (newcomer,) = together - left
    donor = room_with(before, newcomer)
    assert len(donor) == 5
    assert donor - {newcomer} in rooms_of(after)
    # Two rooms change (the short one and the donor); scattering the three would change four.
    assert changed_rooms(before, after, gone) == {left, donor}


def test_a_late_arrival_takes_the_seat_a_no_show_left() -> None:
    first = generate_participants(60, seed=3)
    settings = EventSettings(rounds=4, room_size=4, max_per_country=1)
    plan = matching.plan_event(first, settings, time_limit_s=2, seed=3)
    # The only teacher from France, speaking every language of the event: fits any room.
    spoken = frozenset().union(*(p.languages for p in first))
    arrival = replace(first[0], id="late", school="Lycée tardif", country="FR", languages=spoken)
    arrival = replace(arrival, requests=frozenset(), avoid=frozenset())
    people, late = [*first, arrival], arrival.id
    before = plan.rounds[0]
    short = next(room for room in before.rooms if len(room.participants) == 4)
    gone = short.participants[0]
    left = frozenset(short.participants) - {gone}

    new = matching.replan(
        people, settings, plan, played_rounds=0, absent=frozenset([gone]), steady=True
    )

    assert matching.validate_plan(people, settings, new) == []
    after = new.rounds[0]
    assert room_with(after, late) == left | {late}
    # No other room changes: everyone else keeps their room-mates.
    assert changed_rooms(before, after, gone) == {left}
