"""CP-SAT for one round of group rooms: seat as many people as the hard rules allow.

Rooms hold room_size or room_size + 1 people, fewer than room_size rooms are larger, and every
pair in a room passes H1-H5 (plus the country cap). Among maximal seatings it prefers people
who sat out before; the score is then raised by validity-preserving swaps
(matching.round_builder).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ortools.sat.python import cp_model

from matching.participant_index import Pair, pair
from matching.plan_state import Rooms
from matching.round_builder import RoundBuilder


def seat_round(
    b: RoundBuilder,
    people: Sequence[int],
    n_rooms: int,
    hint: Rooms,
    together: Sequence[Pair],
    time_limit_s: float,
    workers: int = 1,
) -> Rooms | None:
    """`people` in `n_rooms` rooms (some may stay shut), starting from `hint`; None if CP-SAT
    found no seating in time. Pairs in `b.state.met` never share a room."""
    ix, k, cap = b.ix, b.k, b.cap
    all_rooms = range(n_rooms)
    model = cp_model.CpModel()
    x = {(p, j): model.new_bool_var(f"seat_{p}_{j}") for p in people for j in all_rooms}
    for p in people:
        model.add_at_most_one(x[p, j] for j in all_rooms)
    big = [model.new_bool_var(f"big_{j}") for j in all_rooms]
    used = [model.new_bool_var(f"used_{j}") for j in all_rooms]
    for j in all_rooms:
        # Room size: room_size, or one more in fewer than room_size rooms; or the room stays shut.
        model.add(sum(x[p, j] for p in people) == k * used[j] + big[j])
        model.add_implication(big[j], used[j])
        if j:
            model.add_implication(used[j], used[j - 1])  # symmetry breaking: open rooms first
    model.add(sum(big) <= k - 1)
    by_country: dict[int, list[int]] = defaultdict(list)
    by_school: dict[int, list[int]] = defaultdict(list)
    for p in people:
        by_country[ix.country[p]].append(p)
        by_school[ix.school[p]].append(p)
    for j in all_rooms:
        if cap is not None:
            for members in by_country.values():
                if len(members) > cap:
                    model.add(sum(x[p, j] for p in members) <= cap)  # H2 / country cap
        for members in by_school.values():
            if len(members) > 1:
                model.add_at_most_one(x[p, j] for p in members)  # H1
    # H3 language, H4 met before, H5 avoid, never-pins: such pairs never share a room.
    for a_pos, p in enumerate(people):
        for q in people[a_pos + 1 :]:
            if ix.school[p] == ix.school[q] or (cap == 1 and ix.country[p] == ix.country[q]):
                continue  # already covered by the group constraints above
            if not ix.allowed(p, q) or pair(p, q) in b.state.met:
                for j in all_rooms:
                    model.add_bool_or([x[p, j].Not(), x[q, j].Not()])
    for a, c in together:
        if a in people and c in people:
            model.add(sum(x[a, j] for j in all_rooms) == 1)
            for j in all_rooms:
                model.add(x[a, j] == x[c, j])
    weight = {p: 1000 + b.state.sat_out.get(p, 0) for p in people}
    model.maximize(sum(weight[p] * x[p, j] for p in people for j in all_rooms))
    for j, room in enumerate(hint[:n_rooms]):
        for p in room:
            model.add_hint(x[p, j], True)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = b.rng.randrange(1 << 30)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [[p for p in people if solver.boolean_value(x[p, j])] for j in all_rooms]
