"""Small group events: the seating of every round at once, by CP-SAT, where rounds run out.

The round-by-round start fills each round as full as it can, and on a small event that can
leave later rounds with no valid room at all: 8 people from 8 countries in rooms of 3 sit 4 + 4
in round 1, and in round 2 every room of 3 would hold two who met. Seating 3 + 3 first, then
two rooms of one person from each first room plus one who sat out, seats 12 person-rounds, not 8
(16 teachers from 16 countries in rooms of 4 over 4 rounds: 48 seated where all 64 fit). The
event-wide search never lowers a round's seats, so it cannot get there from the start plan.

For events up to SMALL_MAX people this model chooses who sits in which room of which round:
rooms of room_size or room_size + 1 with at most room_size - 1 of the larger a round, every
pairwise rule (H1, H3, H5, never pins, H4 against played rounds), the country cap, no pair
meeting twice, and the organiser's round pins. Most seats first, then the fewest sit-outs of
the worst-off person. The planner takes its seating only where it seats more than the start
plan; the search then raises the score without giving a seat back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from ortools.sat.python import cp_model

from matching.pairs import partners
from matching.participant_index import Index, Pair, pair
from matching.plan_state import Rooms, State
from matching.policy import country_cap

SMALL_MAX = 24  # people (measured at 12-24: built in well under a second, better seatings found)


def seat_all_rounds(
    ix: Index,
    people: Sequence[int],
    n_rounds: int,
    state: State,
    together: dict[int, list[Pair]],
    hint: Sequence[Rooms],
    *,
    time_limit_s: float,
    seed: int,
    workers: int,
) -> list[Rooms] | None:
    """Rooms of each round (lists of `people`), or None if CP-SAT found no seating in time.

    `together[r]`: pairs pinned to meet in round r (0-based), seated in one room there and in
    no other round; `hint`: a plan to start from (the round-by-round start)."""
    k, cap = ix.settings.room_size, country_cap(ix.settings)
    n = len(people)
    slots = n // k  # rooms a round can open
    if slots == 0:
        return None
    all_rounds, all_slots, everyone = range(n_rounds), range(slots), range(n)
    model = cp_model.CpModel()
    # x[p, r, s]: person p (position in `people`) sits in room s of round r. Rooms are ordered
    # by their first member, so p only ever uses rooms 0..p (symmetry breaking).
    x = {
        (p, r, s): model.new_bool_var(f"seat_{p}_round_{r}_room_{s}")
        for p in everyone
        for r in all_rounds
        for s in range(min(p + 1, slots))
    }
    used = {(r, s): model.new_bool_var(f"open_{r}_{s}") for r in all_rounds for s in all_slots}
    big = {(r, s): model.new_bool_var(f"big_{r}_{s}") for r in all_rounds for s in all_slots}

    def room(r: int, s: int) -> list[cp_model.IntVar]:
        return [x[p, r, s] for p in range(s, n)]

    for r in all_rounds:
        for p in everyone:
            model.add_at_most_one(x[p, r, s] for s in range(min(p + 1, slots)))
        for s in all_slots:
            # Room size: room_size, or one more in a big room; or the room stays shut.
            model.add(sum(room(r, s)) == k * used[r, s] + big[r, s])
            model.add_implication(big[r, s], used[r, s])
            if s:
                # Symmetry breaking: open rooms first, each first member after the last one's.
                model.add_implication(used[r, s], used[r, s - 1])
                for p in range(s, n):
                    earlier = [x[q, r, s - 1] for q in range(s - 1, p)]
                    model.add_bool_or([*earlier, x[p, r, s].Not()])
        # (seated mod room_size) rooms get one extra person: fewer than room_size of them.
        model.add(sum(big[r, s] for s in all_slots) <= k - 1)

    # H2 / the country cap: at most `cap` people of one country in a room.
    if cap is not None:
        by_country: dict[int, list[int]] = defaultdict(list)
        for p in everyone:
            by_country[ix.country[people[p]]].append(p)
        for members in by_country.values():
            for r in all_rounds:
                for s in all_slots:
                    here = [x[p, r, s] for p in members if p >= s]
                    if len(here) > cap:
                        model.add(sum(here) <= cap)

    # H1, H3, H5, never pins and pairs met in played rounds: such pairs never share a room;
    # pairs pinned to one round share no room in any other.
    among = np.array(people, dtype=np.int64)
    at = {v: p for p, v in enumerate(people)}
    allowed = [sorted(at[q] for q in partners(ix, v, among)) for v in people]
    pinned_round = {pair(a, b): r for r, ps in together.items() for a, b in ps}
    meets: dict[Pair, list[cp_model.IntVar]] = {}
    for p in everyone:
        ok = set(allowed[p])
        for q in range(p + 1, n):
            same_country = ix.country[people[p]] == ix.country[people[q]]
            met = pair(people[p], people[q]) in state.met
            if q not in ok or met:
                if not (cap == 1 and same_country and not met):  # the cap says it already
                    for r in all_rounds:
                        for s in range(min(p + 1, slots)):
                            model.add_bool_or([x[p, r, s].Not(), x[q, r, s].Not()])
                continue
            # H4: a pair shares a room in at most one round (a flag per round, at most one set).
            flags = [model.new_bool_var(f"meet_{p}_{q}_round_{r}") for r in all_rounds]
            for r in all_rounds:
                for s in range(min(p + 1, slots)):
                    model.add_bool_or([x[p, r, s].Not(), x[q, r, s].Not(), flags[r]])
            model.add_at_most_one(flags)
            meets[p, q] = flags
            fixed = pinned_round.get(pair(people[p], people[q]))
            if fixed is not None:
                for r in all_rounds:
                    if r != fixed:
                        model.add(flags[r] == 0)

    # Round pins: both seated in that round, in the same room.
    for r, ps in together.items():
        if r >= n_rounds:
            continue
        for a, b in ps:
            if a not in at or b not in at:
                continue
            pa, pb = sorted((at[a], at[b]))
            model.add(sum(x[pa, r, s] for s in range(min(pa + 1, slots))) == 1)
            for s in range(min(pb + 1, slots)):
                if s <= pa:
                    model.add(x[pa, r, s] == x[pb, r, s])
                else:
                    model.add(x[pb, r, s] == 0)  # a room whose first member comes after pa

    # Most seats first; then the fewest sit-outs of the worst-off person.
    seated = [
        sum(x[p, r, s] for r in all_rounds for s in range(min(p + 1, slots))) for p in everyone
    ]
    worst = model.new_int_var(0, n_rounds, "most_sit_outs_of_one")
    for p in everyone:
        model.add(worst >= n_rounds - seated[p])
    model.maximize((n_rounds + 1) * sum(seated) - worst)

    for r, planned in enumerate(hint[:n_rounds]):
        ordered = sorted(
            (
                sorted(at[v] for v in room)
                for room in planned
                if room and all(v in at for v in room)
            ),
            key=lambda members: members[0],
        )[:slots]
        where = {p: s for s, members in enumerate(ordered) for p in members}
        for (p, r2, s), var in x.items():
            if r2 == r:
                model.add_hint(var, where.get(p) == s)
        for s in all_slots:
            size = len(ordered[s]) if s < len(ordered) else 0
            model.add_hint(used[r, s], size > 0)
            model.add_hint(big[r, s], size > k)
        for (p, q), flags in meets.items():
            model.add_hint(flags[r], p in where and where.get(q) == where[p])

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    out: list[Rooms] = []
    for r in all_rounds:
        rooms: Rooms = [[] for _ in all_slots]
        for (p, r2, s), var in x.items():
            if r2 == r and solver.boolean_value(var):
                rooms[s].append(people[p])
        out.append([members for members in rooms if members])
    return out
