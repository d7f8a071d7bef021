"""Group rooms (3-6) for one round: seat as many as the country rule allows, then improve.

People are dealt into rooms country by country (largest first, one level of seats at a time),
so that each country spreads over distinct rooms; remaining conflicts (school, language, met
before, avoid) are repaired by swaps; then swaps raise the score while every room stays valid.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence

from matching.feasibility import max_seated
from matching.participant_index import Pair, pair
from matching.plan_state import Rooms
from matching.round_builder import RoundBuilder
from matching.seating import seat_round

SEATING_MAX = 100  # up to this many people a round is seated by CP-SAT


def _who_sits(
    b: RoundBuilder, people: Sequence[int], seats: int, per_country: int | None
) -> list[int]:
    """Pick `seats` people, at most `per_country` of each country; those who sat out most first."""
    ix = b.ix
    order = sorted(people, key=lambda p: (-b.state.sat_out.get(p, 0), b.rng.random()))
    taken: Counter[int] = Counter()
    chosen: list[int] = []
    for p in order:
        c = ix.country[p]
        if per_country is None or taken[c] < per_country:
            taken[c] += 1
            chosen.append(p)
    while len(chosen) > seats:
        # Drop from the most represented country, the person who sat out least.
        top = max(taken, key=lambda c: taken[c])
        victim = max((p for p in chosen if ix.country[p] == top), key=chosen.index)
        chosen.remove(victim)
        taken[top] -= 1
    return chosen


def conflicted(b: RoundBuilder, room: list[int]) -> list[int]:
    return [p for p in room if not b.ok(p, [q for q in room if q != p])]


def _clashes(b: RoundBuilder, p: int, room: Sequence[int]) -> int:
    """Hard-rule conflicts p would have in `room` (pairs, plus the country cap)."""
    ix = b.ix
    n = sum(1 for q in room if q != p and (not ix.allowed(p, q) or pair(p, q) in b.state.met))
    if b.cap is not None:
        n += max(0, sum(ix.country[q] == ix.country[p] for q in room if q != p) + 1 - b.cap)
    return n


def _repair(b: RoundBuilder, rooms: Rooms, deadline: float) -> None:
    """Min-conflicts local search: swap a conflicted person with whoever helps most."""
    where = {p: j for j, room in enumerate(rooms) for p in room}
    for _ in range(60 * len(where)):
        if time.monotonic() > deadline:
            return
        # People pinned together this round stay; the others move around them.
        bad = [p for p in where if p not in b.pinned and _clashes(b, p, rooms[where[p]])]
        if not bad:
            return
        p = b.rng.choice(bad)
        a = where[p]
        rest_a = [x for x in rooms[a] if x != p]
        here = _clashes(b, p, rest_a)
        best: list[int] = []
        best_delta = 1
        candidates = [q for q in where if where[q] != a and q not in b.pinned]
        if not candidates:
            return  # one room: no swap can help (CP-SAT found no seating of the round in time)
        if len(candidates) > 300:
            candidates = b.rng.sample(candidates, 300)
        for q in candidates:
            c = where[q]
            rest_c = [x for x in rooms[c] if x != q]
            before = here + _clashes(b, q, rest_c)
            before += sum(_clashes(b, x, rooms[a]) for x in rest_a) + sum(
                _clashes(b, x, rooms[c]) for x in rest_c
            )
            after = _clashes(b, q, rest_a) + _clashes(b, p, rest_c)
            after += sum(_clashes(b, x, [*rest_a, q]) for x in rest_a) + sum(
                _clashes(b, x, [*rest_c, p]) for x in rest_c
            )
            delta = after - before
            if delta < best_delta:
                best, best_delta = [q], delta
            elif delta == best_delta:
                best.append(q)
        if not best and b.rng.random() < 0.1:
            best = [b.rng.choice(candidates)]  # noise: escape a local minimum
        if best:
            q = b.rng.choice(best)
            c = where[q]
            rooms[a][rooms[a].index(p)] = q
            rooms[c][rooms[c].index(q)] = p
            where[p], where[q] = c, a


def build_groups(
    b: RoundBuilder, people: Sequence[int], together: Sequence[Pair], deadline: float
) -> Rooms:
    ix, k, cap = b.ix, b.k, b.cap
    counts = Counter(ix.country[p] for p in people)
    seats = max_seated(list(counts.values()), len(people), k, cap)
    m = seats // k
    if m == 0:
        return []
    big = seats - k * m
    sizes = [k + 1] * big + [k] * (m - big)
    chosen = _who_sits(b, people, seats, cap * m if cap is not None else None)
    size_of = Counter(ix.country[p] for p in chosen)
    chosen.sort(key=lambda p: (-size_of[ix.country[p]], ix.country[p], b.rng.random()))
    slots = [j for level in range(k + 1) for j in range(m) if level < sizes[j]]
    rooms: Rooms = [[] for _ in range(m)]
    for p, j in zip(chosen, slots, strict=False):
        rooms[j].append(p)
    for a, c in together:
        _pin(rooms, a, c, b.pinned)
    if len(people) <= SEATING_MAX and time.monotonic() < b.seat_by_cp_until:
        left = deadline - time.monotonic()
        by_cp = seat_round(b, people, m, rooms, together, left * 0.5)
        if by_cp is not None:
            rooms = [room for room in by_cp if room]
    _repair(b, rooms, deadline)
    for room in rooms:
        while bad := conflicted(b, room):
            # Unrepaired: the member with the most conflicts sits out this round.
            worst = max(
                bad,
                key=lambda p: (p not in b.pinned, sum(not b.ok(p, [q]) for q in room if q != p)),
            )
            room.remove(worst)
    seated = {p for room in rooms for p in room}
    pool = sorted((p for p in people if p not in seated), key=lambda p: -b.state.sat_out.get(p, 0))
    for j, room in enumerate(rooms):
        for p in list(pool):
            if len(room) >= sizes[j]:
                break
            if b.ok(p, room):
                room.append(p)
                pool.remove(p)
    rooms = b.finalise(rooms)
    b.improve(rooms, deadline)
    return rooms


def _pin(rooms: Rooms, a: int, c: int, pinned: set[int]) -> None:
    """Move c into a's room (swapping with someone not pinned) so that a pinned pair meets."""
    room_a = next((r for r in rooms if a in r), None)
    room_c = next((r for r in rooms if c in r), None)
    if room_a is None or room_c is None or room_a is room_c:
        return
    other = next((q for q in room_a if q != a and q not in pinned), None)
    if other is None:
        return
    room_a[room_a.index(other)] = c
    room_c[room_c.index(c)] = other
