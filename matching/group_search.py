"""Group rooms (3-6): all rounds of a plan as one state, changed by swaps and scored by deltas.

A move swaps two people of one round between rooms, or between a room and the bench of those
sitting out, so seat counts never drop. The objective is the event's total (pair scores plus the
event-wide diversity bonus) minus HARD per hard-rule breach (H1-H5, country cap, a pair meeting
twice in the event, a broken pin) minus FAIR per repeated sit-out of one person. Repeats are
counted across rounds, so a full round 4 can be bought by changing rounds 1-3.
"""

from __future__ import annotations

import random
import time
from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from matching import packed_search
from matching.greedy import Rooms, State
from matching.pairs import Index, Pair, pair, partner_arrays
from matching.policy import country_cap

HARD = 10_000  # per breach: above any score or fairness gain of one swap
FAIR = 100  # per extra sit-out of one person: sit-outs rotate before score counts
SAME = 0.7  # share of swaps proposed within one country
LIFT_SAMPLE = 60  # people tried as the other side of a swap that lifts the worst-off
LIFT_APPLY = 4  # of those, the best tried for real
LIFT_TRIES = 200  # failed lifts in a row before the worst-off are left as they are
GROW_PAIRS = 20_000  # (person sitting out, room) pairs weighed for one more seat, at most

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
        self._value = _pair_values(ix, self.people, state)
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
        """Score of a and b meeting in round r, less HARD for each rule it breaks."""
        v = self._value[a][b]
        if self.reserved and self.reserved.get(pair(a, b), r) != r:
            v -= HARD  # pinned to meet in another round
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

    def _lose_gain(self, p: int, lose: int, gain: int) -> int:
        """Diversity change for p when one room-mate of country `lose` becomes one of `gain`."""
        if lose == gain:
            return 0
        seen, known = self.seen[p], self.state.met_countries[p]
        d = -(seen[lose] == 1 and lose not in known)
        return self.w * (d + (seen[gain] == 0 and gain not in known))

    def _diversity(self, p: int, lose: Sequence[int], gain: Sequence[int]) -> int:
        seen, known = self.seen[p], self.state.met_countries[p]
        change = Counter(gain)
        change.subtract(lose)
        d = 0
        for c, n in change.items():
            if n and c not in known:
                d += (seen[c] + n > 0) - (seen[c] > 0)
        return self.w * d

    def _capped(self, room: Sequence[int], out: int, into: int) -> int:
        """Country-cap breaches added when `out` leaves and `into` joins (cap above 1)."""
        if self.cap is None or self.cap == 1:
            return 0  # cap 1 is a pair rule, in pair_value
        cx, ci = self.ix.country[out], self.ix.country[into]
        if cx == ci:
            return 0
        same_i = sum(self.ix.country[q] == ci for q in room)
        same_x = sum(self.ix.country[q] == cx for q in room)
        return int(same_i >= self.cap) - int(same_x > self.cap)

    def _broken(self, r: int, e: Pair, moved: dict[int, int]) -> int:
        """Whether pin e of round r is broken, with `moved` overriding `where`."""
        c, d = (moved.get(p, self.where[r][p]) for p in e)
        return int(c != d or c == len(self.rooms[r]) - 1)

    def delta(self, r: int, a: int, b: int) -> int:
        rs, where = self.rooms[r], self.where[r]
        ca, cb = where[a], where[b]
        bench = len(rs) - 1
        country = self.ix.country
        d = 0
        for x, cx, y, cy in ((a, ca, b, cb), (b, cb, a, ca)):
            # x leaves container cx for cy, y takes its place.
            mates: list[int] = []
            if cx == bench:
                d -= FAIR * (self.sat[y] - (self.sat[x] - 1))
            else:
                mates = [q for q in rs[cx] if q != x]
                for q in mates:
                    e_out, e_in = pair(x, q), pair(y, q)
                    d -= self.pair_value(x, q, r) - HARD * (self.occ[e_out] >= 2)
                    d += self.pair_value(y, q, r) - HARD * (self.occ[e_in] >= 1)
                    d += self._lose_gain(q, country[x], country[y])
                d -= HARD * self._capped(rs[cx], x, y)
            gain = [country[q] for q in rs[cy] if q != y] if cy != bench else []
            d += self._diversity(x, [country[q] for q in mates], gain)
        if self.pins[r]:
            moved = {a: cb, b: ca}
            for e in {pair(p, q) for p in (a, b) for q in self.pins[r].get(p, ())}:
                d -= HARD * (self._broken(r, e, moved) - self._broken(r, e, {}))
        return d

    def objective(self) -> int:
        """The objective from scratch (what `delta` tracks): for checks, not for the search."""
        total = 0
        country = self.ix.country
        for r, rs in enumerate(self.rooms):
            for room in rs[:-1]:
                for x, a in enumerate(room):
                    total += sum(self.pair_value(a, b, r) for b in room[x + 1 :])
                if self.cap is not None and self.cap > 1 and room:
                    over = Counter(country[q] for q in room).values()
                    total -= HARD * sum(max(0, n - self.cap) for n in over)
            pins = {pair(p, q) for p, qs in self.pins[r].items() for q in qs}
            total -= HARD * sum(self._broken(r, e, {}) for e in pins)
        total -= HARD * sum(max(0, n - 1) for n in self.occ.values())
        total -= FAIR * sum(s * (s - 1) // 2 for s in self.sat.values())
        for p in self.people:
            new = {c for c, n in self.seen[p].items() if n > 0} - self.state.met_countries[p]
            total += self.w * len(new)
        return total

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

    def grow(self, r: int) -> bool:
        """One seat more in round r (someone off the bench, rooms kept at size k or k + 1)."""
        k = self.ix.settings.room_size
        rs = self.rooms[r]
        bench = len(rs) - 1
        waiting = [q for q in rs[bench] if q not in self.never]
        if not waiting:
            return False
        big = [c for c in range(bench) if len(rs[c]) == k + 1]
        small = [c for c in range(bench) if len(rs[c]) == k]
        if small and len(big) < k - 1:
            # Whoever fits some room with the fewest broken rules: least to repair. (A sample
            # on large events: all pairs of them took over a second a call at n = 5,000.)
            if len(waiting) * len(small) > GROW_PAIRS:
                waiting = self.rng.sample(waiting, min(len(waiting), 20))
                small = self.rng.sample(small, min(len(small), GROW_PAIRS // len(waiting)))
            clashes = {
                (p, c): sum(self._clash(r, p, q) for q in rs[c]) for p in waiting for c in small
            }
            least = min(clashes.values())
            p, c = self.rng.choice([pc for pc, n in clashes.items() if n == least])
            self.move(r, p, c)
            return True
        p = self.rng.choice(waiting)
        if len(big) != k - 1:
            return False
        # k - 1 rooms of k + 1: their extra people and p open a new room of k.
        bench = self.open_room(r)
        self.move(r, p, bench)
        for c in big:
            self.move(r, self.rng.choice(rs[c]), bench)
        return True

    def _clash(self, r: int, p: int, q: int) -> bool:
        """Whether p joining q's room in round r breaks a pair rule (p is not in that room)."""
        return self.pair_value(p, q, r) < 0 or self.occ[pair(p, q)] > 0

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

    def troubled(self, r: int) -> list[int]:
        """People of round r in a room that breaks a hard rule, every room scanned (for checks;
        the search's repairs use troubled_touched)."""
        out: list[int] = []
        for room in self.rooms[r][:-1]:
            if self._room_breaches(r, room)[0]:
                out += room
        for a, qs in self.pins[r].items():
            out += [a, *qs] if self._pin_broken(r, a) else []
        return out

    def _room_breaches(self, r: int, room: Sequence[int]) -> tuple[bool, list[Pair]]:
        """Whether a room of round r breaks a hard rule, and its pairs that meet more than once
        in the event."""
        bad, repeated = False, []
        for x, a in enumerate(room):
            for b in room[x + 1 :]:
                if self.occ[pair(a, b)] > 1:
                    repeated.append(pair(a, b))
                    bad = True
                elif self.pair_value(a, b, r) < 0:
                    bad = True
        if not bad and self.cap is not None and self.cap > 1 and room:
            bad = max(Counter(self.ix.country[q] for q in room).values()) > self.cap
        return bad, repeated

    def _pin_broken(self, r: int, a: int) -> bool:
        return any(self._broken(r, pair(a, q), {}) for q in self.pins[r].get(a, ()))

    def troubled_touched(self) -> list[tuple[int, int]]:
        """(round, person) for people in a broken room that a move joined since `touched` was
        last cleared, or in the other room where a pair of such a room meets again.

        Exact when the rooms were unbroken at the mark: a move breaks only the rooms it joins
        (a room someone leaves loses pairs, and a pin broken that way moves a pinned person
        into a joined container), besides the twin of a pair it makes meet twice. At n = 5,000
        a full scan of every round took 45 ms.
        """
        out: set[tuple[int, int]] = set()
        twins: set[Pair] = set()
        for r, c in self.touched:
            rs = self.rooms[r]
            if c >= len(rs):
                continue
            room = rs[c]
            for a in room:
                if self._pin_broken(r, a):
                    out.update((r, x) for x in (a, *self.pins[r][a]))
            if c == len(rs) - 1:
                continue
            bad, repeated = self._room_breaches(r, room)
            twins.update(repeated)
            if bad:
                out.update((r, q) for q in room)
        for a, b in twins:
            for r, where in enumerate(self.where):
                c = where[a]
                if c == where[b] != len(self.rooms[r]) - 1:
                    out.update((r, q) for q in self.rooms[r][c])
        return sorted(out)

    def anneal(self, deadline: float, t_start: float = 4.0, t_end: float = 0.2) -> int:
        """Random swaps until the deadline, cooling from t_start to t_end; returns the
        objective's change (compiled: matching.anneal_kernel scores a swap as `delta` does)."""
        temperatures = (t_start, t_end)
        return packed_search.anneal(self, deadline, temperatures, same=SAME, penalties=(HARD, FAIR))

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

    def lift_worst(self, deadline: float, fairness: int, base: dict[int, int]) -> None:
        """Raise the worst-off person's score where the event's total pays at most
        `fairness` points per point raised (the trade-off of Weights.fairness).

        With m people tied at the minimum, lifting one of them may cost fairness / m. Swaps
        never add a breach, so seating and validity stay as they are.
        """
        if fairness <= 0:
            return
        # Not those who fit no room at all: they stay at their score whatever the plan.
        score = {p: base.get(p, 0) + self.own_score(p) for p in self.people if p not in self.never}
        stale = 0 if score else LIFT_TRIES
        while time.monotonic() < deadline and stale < LIFT_TRIES:
            low = min(score.values())
            worst = [p for p, v in score.items() if v == low]
            allowed = fairness // len(worst)  # what one lift may cost the total
            p, r = self.rng.choice(worst), self.rng.randrange(len(self.rooms))
            stale += 1
            for d, a, b in self._lift_moves(r, p, -allowed):
                mates = self._affected(r, a, b)
                self.swap(r, a, b)
                after = {q: base.get(q, 0) + self.own_score(q) for q in mates if q in score}
                others = [v for q, v in score.items() if q not in after]
                new_low = min([*others, *after.values()])
                ties = sum(v == new_low for v in [*others, *after.values()])
                lifted = new_low > low or (new_low == low and ties < len(worst))
                if lifted and (d + fairness * (new_low - low) > 0 or d >= -allowed):
                    score.update(after)
                    stale = 0
                    break
                self.swap(r, a, b)  # undo

    def _lift_moves(self, r: int, p: int, least: int) -> list[tuple[int, int, int]]:
        """Swaps in round r that move p, or bring p a new room-mate, costing at most -least;
        best first."""
        rs, where = self.rooms[r], self.where[r]
        mine = where[p]
        movers = [p] + ([q for q in rs[mine] if q != p] if mine != len(rs) - 1 else [])
        others = [b for b in self.people if where[b] != mine]
        if len(others) > LIFT_SAMPLE:
            others = self.rng.sample(others, LIFT_SAMPLE)
        moves = []
        for a in movers:
            for b in others:
                d = self.delta(r, a, b)
                if d >= least:
                    moves.append((d, a, b))
        moves.sort(reverse=True)
        return moves[:LIFT_APPLY]

    def _affected(self, r: int, a: int, b: int) -> list[int]:
        """Whose score a swap of a and b in round r can change: both rooms' members."""
        rs, where = self.rooms[r], self.where[r]
        bench = len(rs) - 1
        return [q for c in {where[a], where[b]} - {bench} for q in rs[c]] + [a, b]

    def result(self) -> list[Rooms]:
        return [[list(room) for room in rs[:-1] if room] for rs in self.rooms]


def _pair_values(ix: Index, people: Sequence[int], state: State) -> list[array[int]]:
    """value[a][b]: s(a, b) if a and b may meet (H1-H5, pins), else -HARD; rows of `people`
    only (a numpy scan per person: the search reads this in its innermost loop). Rows are
    int32 arrays, which index to Python ints: lists of ints took 36 bytes a pair, 900 MB at
    n = 5,000."""
    nobody = array("i", [-HARD]) * ix.n
    value = [nobody] * ix.n
    met: dict[int, list[int]] = defaultdict(list)
    for a, b in state.met:
        met[a].append(b)
        met[b].append(a)
    everyone = np.array(people, dtype=np.int64)
    for a in people:
        row = np.full(ix.n, -HARD, dtype=np.int32)
        js, scores = partner_arrays(ix, a, everyone)
        row[js] = scores
        row[met[a]] = -HARD  # met in a played round (H4)
        value[a] = array("i", row.tobytes())
    return value
