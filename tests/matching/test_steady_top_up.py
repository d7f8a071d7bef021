"""At a round start, the room a no-show leaves short is filled back rather than scattered: its
people stay together with one newcomer, and at most one other room changes (matching.steady)."""

from __future__ import annotations

import random
from dataclasses import replace

import matching
from matching.generate import generate_participants
from matching.participant_index import Index, build_index
from matching.plan_state import Rooms, State
from matching.steady import top_up
from matching.types import EventSettings, RoundPlan
from tests.matching.factories import person

COUNTRIES = ("AT", "BE", "DE", "DK", "ES", "FR", "IT", "NL", "PT", "SE", "FI", "IE")


def event(n: int, *, twin: int | None = None) -> Index:
    """p0..p(n-1) from n countries, all speaking English, rooms of 4, one per country; `twin`:
    the last person is from p`twin`'s country."""
    countries = [COUNTRIES[i] for i in range(n)]
    if twin is not None:
        countries[-1] = countries[twin]
    people = [person(f"p{i}", c) for i, c in enumerate(countries)]
    return build_index(people, EventSettings(rounds=4, room_size=4))


def fresh(ix: Index, sat_out: dict[int, int] | None = None) -> State:
    return State(set(), {v: {ix.country[v]} for v in range(ix.n)}, sat_out or {})


def topped(
    ix: Index, planned: Rooms, state: State, newcomers: frozenset[int] = frozenset()
) -> Rooms:
    here = [v for v in range(ix.n) if v != 0]  # p0, in the first room, does not come
    return top_up(ix, here, planned, state, set(newcomers), random.Random(0))


def test_a_room_of_k_plus_one_gives_one_person_to_the_room_left_short() -> None:
    ix = event(9)
    rooms = topped(ix, [[0, 1, 2, 3], [4, 5, 6, 7, 8]], fresh(ix))
    assert sorted(rooms[0])[:3] == [1, 2, 3]
    assert len(rooms[0]) == 4
    (moved,) = set(rooms[0]) - {1, 2, 3}
    assert sorted(rooms[1]) == sorted({4, 5, 6, 7, 8} - {moved})


def test_someone_sitting_out_takes_the_seat_before_anyone_is_moved() -> None:
    ix = event(10)  # p9 sits the round out
    rooms = topped(ix, [[0, 1, 2, 3], [4, 5, 6, 7, 8]], fresh(ix))
    assert sorted(rooms[0]) == [1, 2, 3, 9]
    assert sorted(rooms[1]) == [4, 5, 6, 7, 8]


def test_a_late_arrival_comes_before_whoever_sat_out_most() -> None:
    ix = event(11)  # p9 sat out twice before; p10 just arrived
    rooms = topped(ix, [[0, 1, 2, 3], [4, 5, 6, 7]], fresh(ix, {9: 2}), newcomers=frozenset({10}))
    assert sorted(rooms[0]) == [1, 2, 3, 10]
    rooms = topped(ix, [[0, 1, 2, 3], [4, 5, 6, 7]], fresh(ix, {9: 2, 10: 0}))
    assert sorted(rooms[0]) == [1, 2, 3, 9]  # without the newcomer, the one who sat out most


def test_no_one_who_breaks_a_rule_fills_the_seat() -> None:
    ix = event(10, twin=1)  # p9, sitting out, is from p1's country: not in p1's room
    rooms = topped(ix, [[0, 1, 2, 3], [4, 5, 6, 7, 8]], fresh(ix))
    assert 9 not in rooms[0]
    assert len(rooms[0]) == 4  # someone from the room of 5 instead
    assert len(rooms[1]) == 4


def test_a_room_with_nobody_to_fill_it_is_left_short_for_the_repair() -> None:
    ix = event(8)  # two rooms of 4, no one waiting, no room of 5
    rooms = topped(ix, [[0, 1, 2, 3], [4, 5, 6, 7]], fresh(ix))
    assert rooms == [[1, 2, 3], [4, 5, 6, 7]]


def room_with(rnd: RoundPlan, pid: str) -> frozenset[str]:
    return next(frozenset(room.participants) for room in rnd.rooms if pid in room.participants)


def test_a_late_arrival_takes_the_seat_a_no_show_left_in_a_whole_replan() -> None:
    first = generate_participants(60, seed=3)
    settings = EventSettings(rounds=4, room_size=4, max_per_country=1)
    plan = matching.plan_event(first, settings, time_limit_s=2, seed=3)
    # The only teacher from France, speaking every language of the event: fits any room.
    spoken = frozenset().union(*(p.languages for p in first))
    arrival = replace(first[0], id="late", school="Lycée tardif", country="FR", languages=spoken)
    arrival = replace(arrival, requests=frozenset(), avoid=frozenset())
    people = [*first, arrival]
    short = next(room for room in plan.rounds[0].rooms if len(room.participants) == 4)
    gone = short.participants[0]

    new = matching.replan(
        people, settings, plan, played_rounds=0, absent=frozenset([gone]), steady=True
    )

    assert matching.validate_plan(people, settings, new) == []
    assert room_with(new.rounds[0], "late") == (frozenset(short.participants) - {gone}) | {"late"}
