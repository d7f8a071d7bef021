"""Group rooms (3-6): all rounds of a plan as one state, changed by swaps and scored by deltas.

A move swaps two people of one round between rooms, or between a room and the bench of those
sitting out, so seat counts never drop. `GroupSearch` holds the rooms and what they imply
(pairs met, countries seen, sit-outs, pins); its objective and the change a swap makes are
matching.group_objective's, and the compiled anneal (matching.packed_search) makes the same
moves faster. The operations built on it live beside it: matching.group_breaches,
matching.extra_seat, matching.worst_off, matching.group_plan.
"""

from __future__ import annotations

import random
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from matching import group_objective, packed_search
from matching.group_objective import FAIR, HARD, scale
from matching.pairs import partner_arrays
from matching.participant_index import Index, Pair, pair
from matching.plan_state import Rooms, State
from matching.policy import country_cap

SAME = 0.7  # share of swaps proposed within one country

Snapshot = tuple[
    list[list[list[int]]],
    list[dict[int, int]],
    Counter[Pair],
    dict[int, Counter[int]],
    dict[int, int],
]


class GroupSearch:
    def __init__(
        self,
        ix: Index,
        people: Sequence[int],
        rounds: list[Rooms],
        state: State,
        together: dict[int, list[Pair]],
        rng: random.Random,
    ) -> None:
        self.ix, self.state, self.rng = ix, state, rng
        self.cap = country_cap(ix.settings)
        self.w = ix.settings.weights.new_country
        self.people = list(people)
        # Penalties per broken rule and per repeated sit-out, scaled to the event's weights.
        self.unit = scale(ix, self.people)
        self.hard, self.fair = HARD * self.unit, FAIR * self.unit
        bench = [[p for p in people if all(p not in room for room in rooms)] for rooms in rounds]
        # rooms[r][c]: members of container c in round r; the last container is the bench.
        self.rooms = [
            [list(room) for room in rs] + [b] for rs, b in zip(rounds, bench, strict=True)
        ]
        self.where: list[dict[int, int]] = []
        self.occ: Counter[Pair] = Counter()
        self.seen: dict[int, Counter[int]] = defaultdict(Counter)
        self.sat: dict[int, int] = {}
        self.never: set[int] = set()  # people who fit no room at all: not worth a try
        self.pins: list[dict[int, list[int]]] = [defaultdict(list) for _ in rounds]
        self.reserved: dict[Pair, int] = {}
        here = set(self.people)
        for r, ps in together.items():
            for a, b in ps:
                if r < len(rounds) and a in here and b in here:
                    self.pins[r][a].append(b)
                    self.pins[r][b].append(a)
                    self.reserved[pair(a, b)] = r
        self.touched: set[tuple[int, int]] = set()  # (round, container) joined since a mark
        self.compatriots: dict[int, list[int]] = defaultdict(list)  # country: its people
        for p in self.people:
            self.compatriots[ix.country[p]].append(p)
        self._everyone = np.asarray(self.people, dtype=np.int64)
        self._value = _pair_values(ix, self.people, state, self.hard)
        self._matrix: np.ndarray[Any, np.dtype[np.int32]] | None = None
        self.recount(self.rooms)

    def recount(self, rooms: list[list[list[int]]]) -> None:
        """Take `rooms` (every round's rooms, its bench last) and count what they imply."""
        self.rooms = rooms
        self.where = [{p: c for c, room in enumerate(rs) for p in room} for rs in rooms]
        self.occ = Counter()
        self.seen = defaultdict(Counter)
        self.sat = {p: self.state.sat_out.get(p, 0) for p in self.people}
        for rs in rooms:
            for room in rs[:-1]:
                for x, a in enumerate(room):
                    for b in room[x + 1 :]:
                        self.occ[pair(a, b)] += 1
                    self.seen[a].update(self.ix.country[b] for b in room if b != a)
            for p in rs[-1]:
                self.sat[p] += 1

    def partners_of(self, p: int) -> list[int]:
        """The search's people who may share a room with p, in their order (read from the pair
        values, which hold them already: computing them again took 0.7 s at n = 5,000)."""
        row = np.frombuffer(self._value[p], dtype=np.int32)[self._everyone]
        found: list[int] = self._everyone[row >= 0].tolist()
        return found

    def value_matrix(self) -> np.ndarray[Any, np.dtype[np.int32]]:
        """pair values among the search's people (positions in `people`), for the kernel."""
        if self._matrix is None:
            rows = np.array([np.frombuffer(self._value[p], dtype=np.int32) for p in self.people])
            self._matrix = np.ascontiguousarray(rows[:, self.people])
        return self._matrix

    def snapshot(self) -> Snapshot:
        """A copy of everything a move changes, for `restore` (by hand: copy.deepcopy took
        20 ms at n = 200)."""
        return (
            [[list(room) for room in rs] for rs in self.rooms],
            [dict(w) for w in self.where],
            Counter(self.occ),
            defaultdict(Counter, {p: Counter(c) for p, c in self.seen.items()}),
            dict(self.sat),
        )

    def restore(self, saved: Snapshot) -> None:
        self.rooms, self.where, self.occ, self.seen, self.sat = saved

    def pair_value(self, a: int, b: int, r: int) -> int:
        """Score of a and b meeting in round r, less `hard` for each rule it breaks."""
        v = self._value[a][b]
        if self.reserved and self.reserved.get(pair(a, b), r) != r:
            v -= self.hard  # pinned to meet in another round
        return v

    def may_join(self, r: int, q: int, members: Sequence[int]) -> bool:
        """Whether q may join `members` in round r: q is not pinned there, every pair is allowed
        and new to the event (a pair already sharing a room in round r may stay together), and
        the country cap holds."""
        if self.pins[r].get(q):
            return False  # pinned people stay where the pins put them
        where, bench = self.where[r], len(self.rooms[r]) - 1
        for m in members:
            together = where[q] == where[m] != bench
            if self.pair_value(q, m, r) < 0 or self.occ[pair(q, m)] - together > 0:
                return False
        if self.cap is not None and self.cap > 1:
            country = self.ix.country
            return sum(country[m] == country[q] for m in members) < self.cap
        return True

    def delta(self, r: int, a: int, b: int) -> int:
        """The objective's change if a and b swap containers in round r."""
        return group_objective.delta(self, r, a, b)

    def objective(self) -> int:
        """The objective from scratch (what `delta` tracks): for checks, not for the search."""
        return group_objective.objective(self)

    def _leave(self, r: int, x: int) -> None:
        room = self.rooms[r][self.where[r][x]]
        room.remove(x)
        if room is self.rooms[r][-1]:
            self.sat[x] -= 1
            return
        for q in room:
            self.occ[pair(x, q)] -= 1
            self.seen[x][self.ix.country[q]] -= 1
            self.seen[q][self.ix.country[x]] -= 1

    def _join(self, r: int, x: int, c: int) -> None:
        room = self.rooms[r][c]
        self.where[r][x] = c
        self.touched.add((r, c))
        if c == len(self.rooms[r]) - 1:
            self.sat[x] += 1
        else:
            for q in room:
                self.occ[pair(x, q)] += 1
                self.seen[x][self.ix.country[q]] += 1
                self.seen[q][self.ix.country[x]] += 1
        room.append(x)

    def swap(self, r: int, a: int, b: int) -> None:
        ca, cb = self.where[r][a], self.where[r][b]
        self._leave(r, a)
        self._leave(r, b)
        self._join(r, a, cb)
        self._join(r, b, ca)

    def open_room(self, r: int) -> int:
        """Add an empty room to round r (before the bench); returns its container."""
        rs = self.rooms[r]
        c = len(rs) - 1
        for q in rs[c]:
            self.where[r][q] += 1
        rs.insert(c, [])
        if (r, c) in self.touched:
            self.touched.add((r, c + 1))  # the bench moved up; (r, c) is the new room
        return c

    def move(self, r: int, p: int, c: int) -> None:
        self._leave(r, p)
        self._join(r, p, c)

    def anneal(self, deadline: float, t_start: float = 4.0, t_end: float = 0.2) -> int:
        """Random swaps until the deadline, cooling from t_start to t_end; returns the
        objective's change (compiled: matching.anneal_kernel scores a swap as `delta` does)."""
        temperatures = (t_start, t_end)
        penalties = (self.hard, self.fair)
        return packed_search.anneal(self, deadline, temperatures, same=SAME, penalties=penalties)

    def own_score(self, p: int) -> int:
        """p's score in these rounds: pair scores with room-mates plus new countries met."""
        value = self._value[p]
        total = 0
        for r, rs in enumerate(self.rooms):
            c = self.where[r][p]
            if c != len(rs) - 1:
                total += sum(value[q] for q in rs[c] if q != p)
        known = self.state.met_countries[p]
        return total + self.w * sum(n > 0 and c not in known for c, n in self.seen[p].items())

    def result(self) -> list[Rooms]:
        return [[list(room) for room in rs[:-1] if room] for rs in self.rooms]


def _pair_values(ix: Index, people: Sequence[int], state: State, hard: int) -> list[array[int]]:
    """value[a][b]: s(a, b) if a and b may meet (H1-H5, pins), else -hard; rows of `people`
    only (a numpy scan per person: the search reads this in its innermost loop). Rows are
    int32 arrays, which index to Python ints: lists of ints took 36 bytes a pair, 900 MB at
    n = 5,000."""
    nobody = array("i", [-hard]) * ix.n
    value = [nobody] * ix.n
    met: dict[int, list[int]] = defaultdict(list)
    for a, b in state.met:
        met[a].append(b)
        met[b].append(a)
    everyone = np.array(people, dtype=np.int64)
    for a in people:
        row = np.full(ix.n, -hard, dtype=np.int32)
        js, scores = partner_arrays(ix, a, everyone)
        row[js] = scores
        row[met[a]] = -hard  # met in a played round (H4)
        value[a] = array("i", row.tobytes())
    return value
