"""The exact seating model behind `python -m bench seat-model` and the small-event planner
(matching.small_seating; docs/matching.md)."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from matching.small_seating import SeatModel


def test_six_people_who_may_all_meet_are_seated_as_four_triangles_and_sit_out_twice_each() -> None:
    # Six people from six countries, rooms of 3, four rounds, nobody meets twice. A room of 3
    # uses 3 of the 15 pairs, a room of 4 uses 6 for 4 seats, and at most 4 disjoint triangles
    # fit in 15 pairs: 12 seats at most, so 12 sit-outs, 2 for each person when fairly spread.
    people = list(range(6))
    model = SeatModel(
        people,
        4,
        3,
        partners_of=lambda v: [u for u in people if u != v],
        country=people,
        cap=1,
    )
    found, most, proven = model.solve(30, workers=1, seed=0)
    assert found is not None
    assert (most, proven) == (12, True)
    met = Counter(pair for rooms in found for room in rooms for pair in combinations(room, 2))
    assert max(met.values()) == 1
    assert all(len(room) == 3 for rooms in found for room in rooms)
    seated = Counter(p for rooms in found for room in rooms for p in room)
    assert sum(seated.values()) == 12
    assert set(seated.values()) == {2}  # everyone seated twice, out twice
