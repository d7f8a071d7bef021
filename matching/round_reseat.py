"""More seats for group rooms: re-seat a few rooms of a round and those sitting it out, exactly.

The search's seating moves (matching.group_plan) change one or two seats at a time and give up
after a dozen failures in a row. They left 1-10 sit-outs per generated event (n = 60 and 200,
rooms of 5) that CP-SAT finds seats for when it re-seats a handful of rooms of one round
together with the people sitting that round out, the rest of the plan fixed: a large
neighbourhood search on seats (docs/matching.md). The neighbourhood is every room of
room_size + 1 (so the round keeps at most room_size - 1 of them), rooms where someone sitting
out nearly fits, and rooms at random. A change is kept only if it seats more people. Its rooms
are new, so their score is won back by the annealing that follows; seats come first (policy v1).
"""

from __future__ import annotations

import time
from itertools import combinations

from matching.group_search import GroupSearch
from matching.participant_index import Pair, pair
from matching.plan_state import State
from matching.round_builder import RoundBuilder
from matching.seating import seat_round

NEIGHBOURHOOD_ROOMS = 6  # rooms re-seated at once, besides the bigger ones
NEIGHBOURHOOD_BENCH = 15  # people sitting out taken into one neighbourhood, at most
SOLVE_S = 0.15  # CP-SAT time for one neighbourhood
GIVE_UP = 40  # neighbourhoods in a row that seat nobody more before the search stops
RESEAT_SHARE = 0.3  # of the search time left after the seating moves, at most
# Measured (docs/benchmarks.md): 3.2 and 4.7 fewer sit-outs at 300 and 400 people, 4.5 and 2.7
# more at 500 and 1,000, where the scoring phase's own seating moves do more with the time.
MAX_PEOPLE = 499


def reseat_neighbourhoods(s: GroupSearch, seats: int, deadline: float, workers: int) -> int:
    """Re-seat neighbourhoods of rounds seating fewer than `seats` until `deadline` or GIVE_UP
    failures in a row; returns the seats gained. Events above MAX_PEOPLE are left as they are."""
    if len(s.people) > MAX_PEOPLE:
        return 0
    gained, failures = 0, 0
    while failures < GIVE_UP and time.monotonic() + SOLVE_S < deadline:
        short = [r for r in range(len(s.rooms)) if _seated(s, r) < seats]
        if not short:
            break
        r = s.rng.choice(short)
        more = _reseat_one(s, r, workers)
        gained += more
        failures = 0 if more else failures + 1
    return gained


def _seated(s: GroupSearch, r: int) -> int:
    return sum(map(len, s.rooms[r][:-1]))


def _reseat_one(s: GroupSearch, r: int, workers: int) -> int:
    """One neighbourhood of round r re-seated; returns the seats gained (0: nothing changed)."""
    rooms, bench = s.rooms[r][:-1], [p for p in s.rooms[r][-1] if p not in s.never]
    if not bench:
        return 0
    k = s.ix.settings.room_size
    anchor = s.rng.choice(bench)
    picked = {c for c, room in enumerate(rooms) if len(room) > k}
    near = [
        c for c, room in enumerate(rooms) if c not in picked and _nearly_fits(s, r, anchor, room)
    ]
    picked |= set(s.rng.sample(near, min(len(near), NEIGHBOURHOOD_ROOMS // 2)))
    others = [c for c in range(len(rooms)) if c not in picked]
    room_left = max(0, NEIGHBOURHOOD_ROOMS - len(picked))  # big and near rooms may fill it
    picked |= set(s.rng.sample(others, min(len(others), room_left)))
    s.rng.shuffle(bench)
    bench.sort(key=lambda p: p != anchor)
    waiting = bench[:NEIGHBOURHOOD_BENCH]
    picked = _with_pin_partners(s, r, picked, waiting)
    people = [p for c in sorted(picked) for p in rooms[c]] + waiting
    before = sum(len(rooms[c]) for c in picked)
    builder = RoundBuilder(s.ix, _fixed_around(s, r, people), s.rng)
    together = [(a, b) for a in people for b in s.pins[r].get(a, []) if a < b]
    hint = [rooms[c] for c in sorted(picked)]
    found = seat_round(builder, people, len(people) // k, hint, together, SOLVE_S, workers)
    found = [room for room in found or [] if room]
    if sum(map(len, found)) <= before:
        return 0
    kept = [room for c, room in enumerate(rooms) if c not in picked]
    placed = {p for room in [*kept, *found] for p in room}
    new_round = [*kept, *found, [p for p in s.people if p not in placed]]
    s.recount([*s.rooms[:r], new_round, *s.rooms[r + 1 :]])
    return sum(map(len, found)) - before


def _nearly_fits(s: GroupSearch, r: int, p: int, room: list[int]) -> bool:
    """Whether p, sitting out round r, may meet all but one member of `room` there (so
    swapping one out could seat p); p has met those counted in `occ` in other rounds."""
    misfits = sum(s.pair_value(p, q, r) < 0 or s.occ[pair(p, q)] > 0 for q in room)
    return misfits <= 1


def _with_pin_partners(s: GroupSearch, r: int, picked: set[int], waiting: list[int]) -> set[int]:
    """`picked` plus the rooms of pin partners of anyone re-seated, so pins can still hold;
    partners sitting the round out are appended to `waiting`."""
    where = s.where[r]
    bench = len(s.rooms[r]) - 1
    todo = [p for c in picked for p in s.rooms[r][c]] + waiting
    while todo:
        p = todo.pop()
        for q in s.pins[r].get(p, []):
            c = where[q]
            if c != bench and c not in picked:
                picked.add(c)
                todo += s.rooms[r][c]
            elif c == bench and q not in waiting and q not in s.never:
                waiting.append(q)
                todo.append(q)
    return picked


def _fixed_around(s: GroupSearch, r: int, people: list[int]) -> State:
    """What the rest of the plan fixes for `people` in round r: pairs that meet in another
    round (or in a played one, or are pinned to meet in another round) are kept apart; how
    often each sits out elsewhere, so those who sit out most are seated first."""
    where = s.where[r]
    bench = len(s.rooms[r]) - 1
    apart: set[Pair] = set()
    for a, b in combinations(people, 2):
        key = pair(a, b)
        here = where[a] == where[b] != bench
        if s.occ[key] > here or key in s.state.met or s.reserved.get(key, r) != r:
            apart.add(key)
    sat_elsewhere = {p: s.sat[p] - (where[p] == bench) for p in people}
    return State(apart, {}, sat_elsewhere)
