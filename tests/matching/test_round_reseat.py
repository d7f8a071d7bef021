"""Re-seating a whole round exactly: more seats, those who sat out first, no pair meets twice."""

import random
import time
from dataclasses import replace

import pytest

from matching import EventSettings, Participant, round_reseat
from matching.group_breaches import troubled
from matching.group_search import GroupSearch
from matching.participant_index import Index, build_index
from matching.plan_state import Rooms, State
from matching.round_reseat import reseat_neighbourhoods
from tests.matching.factories import person


def _netherlands_heavy() -> list[Participant]:
    # 7 NL, 3 BE, 3 DE in rooms of 3, one per country: 9 seats a round, 4 NL sit out.
    return [
        *(person(f"n{i}", "NL") for i in range(7)),
        *(person(f"b{i}", "BE") for i in range(3)),
        *(person(f"d{i}", "DE") for i in range(3)),
    ]


def _search(
    ix: Index, rounds: list[Rooms], together: dict[int, list[tuple[int, int]]], seed: int = 1
) -> GroupSearch:
    everyone = list(range(ix.n))
    state = State(set(), {v: {ix.country[v]} for v in everyone}, {})
    return GroupSearch(ix, everyone, rounds, state, together, random.Random(seed))


def _rooms(ix: Index, *rooms: str) -> Rooms:
    return [[ix.pos[pid] for pid in room.split()] for room in rooms]


@pytest.mark.parametrize("seed", range(6))
def test_a_short_round_is_seated_in_full_and_those_who_sat_out_get_a_seat_first(
    seed: int,
) -> None:
    # n0-n3 sit out round 1 and avoid d0 and d1: in round 2 one of them fits, in d2's room.
    people = [
        replace(p, avoid=frozenset({"d0", "d1"})) if p.id in ("n0", "n1", "n2", "n3") else p
        for p in _netherlands_heavy()
    ]
    ix = build_index(people, EventSettings(rounds=2, room_size=3))
    full = _rooms(ix, "n4 b0 d0", "n5 b1 d1", "n6 b2 d2")
    search = _search(ix, [full, []], {}, seed)  # round 2: the seating moves seated nobody

    gained = reseat_neighbourhoods(search, seats=9, deadline=time.monotonic() + 10, workers=1)

    assert gained == 9
    seated = {ix.people[p].id for room in search.rooms[1][:-1] for p in room}
    assert len(seated & {"n0", "n1", "n2", "n3"}) == 1  # n4-n6 fill the other two rooms
    # Round 1's room-mates are kept apart, and every room keeps the rules.
    assert not any(troubled(search, r) for r in range(2))
    assert search.rooms[0][:-1] == full  # the full round is left as it was


def test_events_above_the_size_limit_keep_their_seating(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same short round as above, in an event one person above the (lowered) limit.
    ix = build_index(_netherlands_heavy(), EventSettings(rounds=2, room_size=3))
    monkeypatch.setattr(round_reseat, "MAX_PEOPLE", ix.n - 1)
    full = _rooms(ix, "n4 b0 d0", "n5 b1 d1", "n6 b2 d2")
    search = _search(ix, [full, []], {})

    gained = reseat_neighbourhoods(search, seats=9, deadline=time.monotonic() + 10, workers=1)

    assert gained == 0
    assert search.rooms[1][:-1] == []  # nobody seated in round 2: the seating moves decide


def test_pins_hold_in_their_round_and_keep_the_pair_apart_in_the_others() -> None:
    people = _netherlands_heavy()
    # b0 speaks only French, as do d2, n3 and n5 besides English: b0 can only meet d2.
    people = [
        replace(p, languages=frozenset({"fr"} if p.id == "b0" else {"en", "fr"}))
        if p.id in ("b0", "d2", "n3", "n5")
        else p
        for p in people
    ]
    ix = build_index(people, EventSettings(rounds=2, room_size=3))
    b0, b1, d2, n4 = (ix.pos[i] for i in ("b0", "b1", "d2", "n4"))
    # b0 must meet d2 in round 2, n4 must meet b1 in round 1; both rounds are short.
    rounds = [_rooms(ix, "n0 b2 d1"), _rooms(ix, "n6 b1 d0", "n1 b2 d1")]
    search = _search(ix, rounds, {0: [(n4, b1)], 1: [(b0, d2)]})

    reseat_neighbourhoods(search, seats=9, deadline=time.monotonic() + 10, workers=1)

    first, second = search.where
    assert first[n4] == first[b1] != len(search.rooms[0]) - 1
    # b0's only room is kept for round 2, where the pin puts it: b0 sits out round 1.
    assert b0 in search.rooms[0][-1]
    assert second[b0] == second[d2] != len(search.rooms[1]) - 1
    assert [sum(map(len, rs[:-1])) for rs in search.rooms] == [6, 9]
    assert not any(troubled(search, r) for r in range(2))


@pytest.mark.parametrize("seed", range(8))
def test_a_pinned_pair_stays_together_when_only_one_of_them_sits_out(seed: int) -> None:
    # 8 rooms a round, more than one neighbourhood holds: the pin partner's room must come too.
    people = [
        *(person(f"n{i}", "NL") for i in range(9)),
        *(person(f"b{i}", "BE") for i in range(8)),
        *(person(f"d{i}", "DE") for i in range(8)),
    ]
    ix = build_index(people, EventSettings(rounds=2, room_size=3))
    full = _rooms(ix, *(f"n{i} b{i} d{i}" for i in range(8)))
    short = _rooms(ix, *(f"n{i} b{(i + 1) % 7} d{(i + 2) % 7}" for i in range(7)))
    n8, b3 = ix.pos["n8"], ix.pos["b3"]
    search = _search(ix, [full, short], {1: [(n8, b3)]}, seed)

    reseat_neighbourhoods(search, seats=24, deadline=time.monotonic() + 10, workers=1)

    where = search.where[1]
    assert sum(map(len, search.rooms[1][:-1])) > 21
    assert where[n8] == where[b3] != len(search.rooms[1]) - 1
    assert not any(troubled(search, r) for r in range(2))


def test_a_round_with_the_most_big_rooms_is_reseated_under_the_room_size_rule() -> None:
    # Rooms of 5, any two may meet: 41 people fit 7 rooms of 5 and one of 6. The round holds
    # 4 rooms of 6 and 3 of 5 with 2 sitting out, so all its rooms are candidates at once.
    people = [person(f"p{i:02}", "NL") for i in range(41)]
    settings = EventSettings(rounds=1, room_size=5, distinct_countries=False)
    ix = build_index(people, settings)
    sizes = [6, 6, 6, 6, 5, 5, 5]
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    rooms = [list(range(a, a + size)) for a, size in zip(starts, sizes, strict=True)]
    search = _search(ix, [rooms], {})

    gained = reseat_neighbourhoods(search, seats=41, deadline=time.monotonic() + 10, workers=1)

    assert gained == 2
    assert sorted(map(len, search.rooms[0][:-1])) == [5] * 7 + [6]  # 41 mod 5 = 1 room of 6
    assert not troubled(search, 0)
