"""One round's rooms, built greedily and kept valid: the engine of the round-by-round plan.

`RoundBuilder` checks who may join a room (every hard rule, pins of other rounds, the country
cap), values rooms (pair scores plus new countries met), builds a round (a matching for room
size 2, a room-by-room fill for 3-6), improves it by swaps, and commits it to the State.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence

from matching.pairs import partners
from matching.participant_index import Index, Pair, pair
from matching.plan_state import Rooms, State
from matching.policy import country_cap


class RoundBuilder:
    def __init__(self, ix: Index, state: State, rng: random.Random) -> None:
        self.ix = ix
        self.state = state
        self.rng = rng
        self.k = ix.settings.room_size
        self.cap = country_cap(ix.settings)
        self.w_new = ix.settings.weights.new_country
        self.reserved: set[Pair] = set()  # pinned to meet in another round: not in this one
        self.pinned: set[int] = set()  # pinned to meet someone in this round: swaps leave them
        # After this (time.monotonic()), rounds are no longer seated by CP-SAT: building its
        # model takes 0.3 s a round at 100 people, whatever the round's own deadline.
        self.seat_by_cp_until = math.inf

    def ok(self, p: int, room: Sequence[int]) -> bool:
        ix = self.ix
        for q in room:
            key = pair(p, q)
            if q == p or not ix.allowed(p, q) or key in self.state.met or key in self.reserved:
                return False
        if self.cap is not None:
            same = sum(ix.country[q] == ix.country[p] for q in room)
            if same + 1 > self.cap:
                return False
        return True

    def _options(self, p: int, people: Sequence[int]) -> int:
        """How many of `people` p may share a room with this round (as `ok(p, [q])` counts)."""
        met, reserved = self.state.met, self.reserved
        return sum(
            pair(p, q) not in met and pair(p, q) not in reserved
            for q in partners(self.ix, p, people)
        )

    def value(self, room: Sequence[int]) -> int:
        ix = self.ix
        v = 0
        for x, a in enumerate(room):
            for b in room[x + 1 :]:
                v += ix.score(a, b)
            seen = self.state.met_countries[a]
            new = {ix.country[b] for b in room if b != a} - seen
            v += self.w_new * len(new)
        return v

    def gain(self, p: int, room: list[int]) -> int:
        return self.value([*room, p]) - self.value(room)

    def pairs(
        self,
        people: Sequence[int],
        together: Sequence[Pair],
        edges: Sequence[tuple[int, int, int]],
        deadline: float,
    ) -> Rooms:
        """Room size 2: greedy matching on score + diversity, augmenting paths, 2-opt swaps."""
        ix, met, w = self.ix, self.state.met, self.w_new
        free = set(people)
        rooms: Rooms = []
        for a, b in together:
            if a in free and b in free and self.ok(a, [b]):
                rooms.append([a, b])
                free -= {a, b}
        mc = self.state.met_countries

        def gain(s: int, i: int, j: int) -> int:
            return s + w * ((ix.country[j] not in mc[i]) + (ix.country[i] not in mc[j]))

        ranked = sorted(
            (
                (gain(s, i, j), self.rng.random(), i, j)
                for i, j, s in edges
                if (i, j) not in met and (i, j) not in self.reserved
            ),
            reverse=True,
        )
        for _, _, i, j in ranked:
            if i in free and j in free:
                rooms.append([i, j])
                free -= {i, j}
        # Augment: seat free u with a, and a's old partner b with another free v.
        for u in sorted(free):
            if u not in free:
                continue
            for room in rooms:
                a, b = room
                for x, y in ((a, b), (b, a)):
                    if u not in free or not self.ok(u, [x]):
                        continue
                    v = next((v for v in free if v != u and self.ok(v, [y])), None)
                    if v is not None:
                        room[:] = [x, u]
                        rooms.append([y, v])
                        free -= {u, v}
        if len(free) % 2 == 1 or len(free) == 1:
            u = min(free)
            fits = [room for room in rooms if self.ok(u, room)]
            if fits:  # the room that gains most from them (a re-plan's kept rooms come first)
                max(fits, key=lambda room: self.gain(u, room)).append(u)
                free.discard(u)
        self.improve(rooms, deadline)
        return rooms

    def build(self, people: Sequence[int], together: Sequence[Pair], deadline: float) -> Rooms:
        k = self.k
        total = len(people)
        m = total // k
        if m == 0:
            return []
        big = min(total % k, m)
        sizes = [k + 1] * big + [k] * (m - big)
        rooms: Rooms = [[] for _ in range(m)]
        placed: set[int] = set()
        here = set(people)
        for group in pin_groups(together):  # people pinned together share a room
            members: list[int] = []
            for p in group:  # as many as may share it (a pin can clash with another's)
                if p in here and self.ok(p, members):
                    members.append(p)
            r = next((r for r in range(m) if not rooms[r] and sizes[r] >= len(members)), None)
            if r is not None and len(members) > 1:
                rooms[r] = members
                placed.update(members)
        order = [p for p in people if p not in placed]
        self.rng.shuffle(order)
        options = {p: self._options(p, people) for p in order[:400]}
        order.sort(key=lambda p: (-self.state.sat_out.get(p, 0), options.get(p, 10**6)))
        unplaced: list[int] = []
        limit = 160
        for n, p in enumerate(order):
            if n % 64 == 0 and time.monotonic() > deadline:
                limit = 8  # late (n = 5,000 took 14 s a round): fewer rooms tried per person
            open_rooms = [r for r in range(m) if len(rooms[r]) < sizes[r]]
            if len(open_rooms) > limit:
                open_rooms = self.rng.sample(open_rooms, limit)
            best, best_gain = -1, -1
            for r in open_rooms:
                if self.ok(p, rooms[r]):
                    g = self.gain(p, rooms[r]) + (1000 if rooms[r] else 0)
                    if g > best_gain:
                        best, best_gain = r, g
            if best < 0:
                unplaced.append(p)
            else:
                rooms[best].append(p)
        self._repair(rooms, sizes, unplaced, deadline)
        rooms = self.finalise(rooms)
        self.improve(rooms, deadline)
        return rooms

    def _repair(self, rooms: Rooms, sizes: list[int], unplaced: list[int], deadline: float) -> None:
        """Seat each unplaced person by moving one occupant to another open room (until the
        deadline: at n = 5,000 this took 32 s a round when every room was scanned for each)."""
        for p in list(unplaced):
            open_rooms = [r for r, room in enumerate(rooms) if len(room) < sizes[r]]
            if not open_rooms or time.monotonic() > deadline:
                return
            for r, room in enumerate(rooms):
                to = next(
                    (
                        (v, r2)
                        for v in room
                        if v not in self.pinned and self.ok(p, [q for q in room if q != v])
                        for r2 in open_rooms
                        if r2 != r and self.ok(v, rooms[r2])
                    ),
                    None,
                )
                if to is not None:
                    v, r2 = to
                    rooms[r2].append(v)
                    room.remove(v)
                    room.append(p)
                    unplaced.remove(p)
                    break

    def finalise(self, rooms: Rooms) -> Rooms:
        """Dissolve rooms below size k; keep exactly (seated mod k) rooms of k+1."""
        k = self.k
        small = [r for r in rooms if len(r) < k]
        rooms = [r for r in rooms if len(r) >= k]
        for r in small:
            for p in r:
                big = sum(len(x) == k + 1 for x in rooms)
                for room in rooms:
                    if len(room) == k and big < k - 1 and self.ok(p, room):
                        room.append(p)
                        break
        return rooms

    def improve(self, rooms: Rooms, deadline: float) -> None:
        """Swap two people between rooms while the total improves."""
        if len(rooms) < 2:
            return
        tries = 0
        while time.monotonic() < deadline and tries < 200 * len(rooms):
            tries += 1
            r1, r2 = self.rng.sample(range(len(rooms)), 2)
            a_room, b_room = rooms[r1], rooms[r2]
            a = self.rng.choice(a_room)
            b = self.rng.choice(b_room)
            if a in self.pinned or b in self.pinned:
                continue
            rest_a = [q for q in a_room if q != a]
            rest_b = [q for q in b_room if q != b]
            if not (self.ok(b, rest_a) and self.ok(a, rest_b)):
                continue
            before = self.value(a_room) + self.value(b_room)
            after = self.value([*rest_a, b]) + self.value([*rest_b, a])
            if after > before:
                a_room[:] = [*rest_a, b]
                b_room[:] = [*rest_b, a]

    def commit(self, rooms: Rooms, people: Sequence[int]) -> None:
        ix = self.ix
        seated = {p for room in rooms for p in room}
        for room in rooms:
            for x, a in enumerate(room):
                for b in room[x + 1 :]:
                    self.state.met.add(pair(a, b))
                for b in room:
                    if b != a:
                        self.state.met_countries[a].add(ix.country[b])
        for p in people:
            if p not in seated:
                self.state.sat_out[p] = self.state.sat_out.get(p, 0) + 1


def pin_groups(together: Sequence[Pair]) -> list[list[int]]:
    """People pinned to meet in one round, grouped: pins a-b and a-c make one room a, b, c.
    Groups in the order of their first pin, members in the order they appear."""
    groups: list[list[int]] = []
    for a, b in together:
        joined = [g for g in groups if a in g or b in g]
        if not joined:
            groups.append([a, b])
            continue
        first = joined[0]
        for g in joined[1:]:
            first.extend(g)
            groups.remove(g)  # groups are disjoint, so equal lists are the same group
        first.extend(p for p in (a, b) if p not in first)
    return groups
