"""The room LP for group rooms (3-6): rooms as columns, solved with GLOP, grown by pricing.

Under policy v1 the total depends only on which rooms occur over the event, so any plan is a set
of rooms x_r (cliques of allowed people, room_size or room_size + 1 of them, at most `cap` per
country) with
- each person in at most `rounds` rooms, each pair in at most one room (H4);
- at most rounds * floor(S / k) rooms, at most rounds * min(k - 1, floor(S / k)) rooms of
  k + 1 and at most rounds * S seats, where S is the most people any round can seat
  (`matching.forced`); the room-size rule gives each round floor(seated / k) rooms, seated mod k
  of them of k + 1, so when plans must seat (nearly) everyone the rooms of k + 1 are fewer
  (`_most_big`);
- y[p, c] <= 1 and y[p, c] <= the rooms that put p with someone of country c (the bonus for a
  country p had not met).
`matching.room_bound` runs the column generation and turns the duals into a proven bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from matching.pairs import scored_partners
from matching.participant_index import Index, Pair
from matching.policy import country_cap
from matching.room_pricing import FloatArray, Pricing

Room = tuple[int, ...]
LACK = 1000.0  # LP price of a missing seat (above any room's score per seat)
# Above this many allowed pairs, pair rows are made as rooms need them: every one up front took
# 250 MiB at n = 1000, where the LP barely runs anyway (one pricing pass takes over 10 s).
PAIR_ROWS_UP_FRONT = 100_000


class RoomLP:
    """The LP over a set of candidate rooms, with incremental columns."""

    def __init__(
        self,
        ix: Index,
        nodes: Sequence[int],
        n_rounds: int,
        met_countries: dict[int, set[int]],
        seats: int,
        min_seats: int = 0,
        *,
        seats_only: bool = False,
    ) -> None:
        self.ix, self.rounds = ix, n_rounds
        self.k = k = ix.settings.room_size
        self.nodes = sorted(nodes)
        self.local = {v: i for i, v in enumerate(self.nodes)}
        # seats_only: a room is worth its size (the LP then bounds the seats of any plan).
        self.w = 0.0 if seats_only else float(ix.settings.weights.new_country)
        self.per_seat = 1.0 if seats_only else 0.0
        cap = country_cap(ix.settings)
        self.cap = None if cap is None or cap == 1 else cap  # cap 1 is a pair rule (H2)
        m = len(self.nodes)
        self.adj = np.zeros((m, m), dtype=np.bool_)
        self.score = np.zeros((m, m), dtype=np.float64)
        for v in self.nodes:
            found = scored_partners(ix, v, self.nodes)
            if found:
                js, ss = np.array(found, dtype=np.int64).T
                where = np.searchsorted(np.array(self.nodes), js)  # nodes are sorted
                self.adj[self.local[v], where] = True
                self.score[self.local[v], where] = 0.0 if seats_only else ss
        self.country = np.array([ix.country[v] for v in self.nodes], dtype=np.int64)
        rooms = seats // k
        big = _most_big(k, n_rounds, seats, min_seats)
        self.big_allowed = big > 0
        lp = pywraplp.Solver.CreateSolver("GLOP")
        assert lp is not None
        self.lp = lp
        # GLOP re-solves from the last basis when the only change is new columns: so no presolve
        # and no scaling (either changes the old columns), and every pair row exists from the
        # start (below). At n = 200 that took column generation from 29 s to 5 s.
        lp.SetSolverSpecificParametersAsString("use_scaling:false use_preprocessing:false")
        self.params = pywraplp.MPSolverParameters()
        self.params.SetIntegerParam(self.params.PRESOLVE, self.params.PRESOLVE_OFF)
        inf = lp.infinity()
        self.person = [lp.Constraint(-inf, float(n_rounds)) for _ in self.nodes]
        self.rooms_row = lp.Constraint(-inf, float(n_rounds * rooms))
        self.big_row = lp.Constraint(-inf, float(big))
        self.seats_row = lp.Constraint(float(min_seats), float(n_rounds * seats))
        # Seats the candidate rooms cannot provide yet, at a price: keeps the LP feasible while
        # columns are added (a relaxation, so the bound stays valid).
        self.lack = lp.NumVar(0.0, float(min_seats), "")
        self.seats_row.SetCoefficient(self.lack, 1.0)
        self.pair_rows: dict[Pair, pywraplp.Constraint] = {}
        # y[p, c]: p meets someone of a new country c (one a possible room-mate comes from).
        self.link: dict[tuple[int, int], pywraplp.Constraint] = {}
        objective = lp.Objective()
        objective.SetMaximization()
        objective.SetCoefficient(self.lack, -LACK)
        for i, v in enumerate(self.nodes):
            reach = set(self.country[self.adj[i]].tolist()) - met_countries[v] if self.w else ()
            for c in sorted(reach):
                y = lp.NumVar(0.0, 1.0, "")
                row = lp.Constraint(-inf, 0.0)
                row.SetCoefficient(y, 1.0)
                objective.SetCoefficient(y, self.w)
                self.link[(i, c)] = row
        allowed = np.nonzero(np.triu(self.adj, 1))
        if len(allowed[0]) <= PAIR_ROWS_UP_FRONT:  # H4 rows, made now for warm starts
            for a, b in zip(*allowed, strict=True):
                self.pair_rows[(int(a), int(b))] = lp.Constraint(-inf, 1.0)
        self.columns: list[Room] = []
        self.vars: list[pywraplp.Variable] = []
        self.known: set[Room] = set()

    def valid(self, room: Room) -> bool:
        """Whether a room (local indices) is a clique of allowed people within the cap."""
        if len(room) not in (self.k, self.k + 1) or len(set(room)) != len(room):
            return False
        if len(room) == self.k + 1 and not self.big_allowed:
            return False
        if not all(self.adj[a, b] for x, a in enumerate(room) for b in room[x + 1 :]):
            return False
        if self.cap is not None:
            counts = np.bincount(self.country[list(room)])
            return int(counts.max()) <= self.cap
        return True

    def _countries_seen(self, room: Room) -> list[tuple[int, int]]:
        """(member, country) links a room provides: each member's distinct room-mate countries."""
        out = []
        for a in room:
            for c in {int(self.country[b]) for b in room if b != a}:
                if (a, c) in self.link:
                    out.append((a, c))
        return out

    def room_score(self, room: Room) -> float:
        pairs = sum(self.score[a, b] for x, a in enumerate(room) for b in room[x + 1 :])
        return float(pairs) + self.per_seat * len(room)

    def add(self, room: Room) -> bool:
        room = tuple(sorted(room))
        if room in self.known or not self.valid(room):
            return False
        self.known.add(room)
        lp = self.lp
        # No upper bound of 1: the pair rows imply it, and their duals then carry the proof.
        x = lp.NumVar(0.0, lp.infinity(), "")
        lp.Objective().SetCoefficient(x, self.room_score(room))
        for a in room:
            self.person[a].SetCoefficient(x, 1.0)
        for i, a in enumerate(room):
            for b in room[i + 1 :]:
                row = self.pair_rows.get((a, b))
                if row is None:
                    row = self.pair_rows[(a, b)] = lp.Constraint(-lp.infinity(), 1.0)
                row.SetCoefficient(x, 1.0)
        self.rooms_row.SetCoefficient(x, 1.0)
        self.big_row.SetCoefficient(x, float(len(room) == self.k + 1))
        self.seats_row.SetCoefficient(x, float(len(room)))
        for key in self._countries_seen(room):
            self.link[key].SetCoefficient(x, -1.0)
        self.columns.append(room)
        self.vars.append(x)
        return True

    def solve(self) -> bool:
        return bool(self.lp.Solve(self.params) == pywraplp.Solver.OPTIMAL)

    def duals(self) -> Duals:
        """The LP's duals, clipped to the signs a Lagrangian bound needs (all >= 0)."""

        def d(row: pywraplp.Constraint) -> float:
            return max(0.0, float(row.dual_value()))

        return Duals(
            person=np.array([d(r) for r in self.person]),
            pairs={e: v for e, r in self.pair_rows.items() if (v := d(r)) > 0},
            rooms=d(self.rooms_row),
            big=d(self.big_row),
            seats=float(self.seats_row.dual_value()),  # signed: the row has two sides
            link={key: d(r) for key, r in self.link.items()},
        )

    def dual_value(self, du: Duals) -> float:
        """The dual objective: the rows' right-hand sides times their duals, plus the y terms."""
        value: float = self.rounds * float(du.person.sum()) + sum(du.pairs.values())
        value += float(self.rooms_row.ub()) * du.rooms + float(self.big_row.ub()) * du.big
        side = float(self.seats_row.ub() if du.seats >= 0 else self.seats_row.lb())
        value += side * du.seats + self.lack.ub() * max(0.0, -LACK - du.seats)
        value += sum(max(0.0, self.w - lam) for lam in du.link.values())
        return value

    def reduced(self, room: Room, du: Duals) -> float:
        room = tuple(sorted(room))
        rc = self.room_score(room) - du.rooms - du.seats * len(room)
        rc -= du.big * (len(room) == self.k + 1)
        rc -= sum(float(du.person[a]) for a in room)
        rc -= sum(du.pairs.get((a, b), 0.0) for i, a in enumerate(room) for b in room[i + 1 :])
        rc += sum(du.link[key] for key in self._countries_seen(room))
        return rc

    def pricing(self, du: Duals, deadline: float) -> Pricing:
        """Edge and node weights whose clique sums bound every room's reduced cost from above
        (exact with one person per country; with a looser cap a country may count twice)."""
        m = len(self.nodes)
        lam = np.zeros((m, int(self.country.max(initial=0)) + 1))
        for (a, c), v in du.link.items():
            lam[a, c] = v
        weight = self.score + lam[:, self.country] + lam[:, self.country].T
        for (a, b), v in du.pairs.items():
            weight[a, b] -= v
            weight[b, a] -= v
        node = self.per_seat - du.person - du.seats
        exact = None if self.cap is None else (lambda room: self.reduced(room, du))
        return Pricing(self.adj, weight, node, self.country, self.cap, deadline, exact=exact)

    def sizes(self) -> list[tuple[int, float]]:
        """Room sizes with the reduced-cost constant each pays."""
        return [(self.k, 0.0)] + ([(self.k + 1, 1.0)] if self.big_allowed else [])


def _most_big(k: int, n_rounds: int, seats: int, min_seats: int) -> int:
    """The most rooms of k + 1 over all rounds of a plan seating at least `min_seats`
    person-rounds, when a round seats at most `seats`.

    A round seating s has exactly s mod k rooms of k + 1. A full round has `seats mod k` of
    them; fewer when it is at most that many seats short, and more only when it is at least
    one seat further short, which few rounds can be when plans must seat nearly everyone.
    """
    most = min(k - 1, seats // k)  # in any round
    full = seats % k
    if full > most:  # a round cannot seat `seats`: no sharper count
        return n_rounds * most
    short_rounds = max(0, n_rounds * seats - min_seats) // (full + 1)
    return n_rounds * full + min(n_rounds, short_rounds) * (most - full)


@dataclass
class Duals:
    person: FloatArray
    pairs: dict[Pair, float]
    rooms: float
    big: float
    seats: float
    link: dict[tuple[int, int], float]
