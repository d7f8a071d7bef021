"""Small group events: the seating of every round at once, by CP-SAT, where rounds run out.

The round-by-round start fills each round as full as it can, and on a small event that can
leave later rounds with no valid room at all: 8 people from 8 countries in rooms of 3 sit 4 + 4
in round 1, and in round 2 every room of 3 would hold two who met. Seating 3 + 3 first, then
two rooms of one person from each first room plus one who sat out, seats 12 person-rounds, not 8
(16 teachers from 16 countries in rooms of 4 over 4 rounds: 48 seated where all 64 fit). The
event-wide search never lowers a round's seats, so it cannot get there from the start plan.

SeatModel chooses who sits in which room of which round: rooms of room_size or room_size + 1
with at most room_size - 1 of the larger a round, every pairwise rule (H1, H3, H5, never pins,
H4 against played rounds), the country cap, no pair meeting twice, and the organiser's round
pins. Most seats first, then the fewest sit-outs of the worst-off person. The planner runs it
on events up to SMALL_MAX people (seat_all_rounds) and takes its seating only where it seats
more than the start plan; the search then raises the score without giving a seat back.
`python -m bench seat-model` runs the same model on larger events to measure the sit-outs the
planner leaves, with its proven bound.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
from ortools.sat.python import cp_model

from matching.pairs import partners
from matching.participant_index import Index, Pair, pair
from matching.plan_state import Rooms, State
from matching.policy import country_cap

SMALL_MAX = 24  # people (measured at 12-24: built in well under a second, better seatings found)


class Seating(NamedTuple):
    """What a solve found: each round's rooms (None if no seating in time), the most seats any
    seating can have (proven), and whether `rounds` is proven the best."""

    rounds: list[Rooms] | None
    most_seats: int
    proven: bool


class SeatModel:
    """x[p, r, s]: person p (position in `people`) sits in room s of round r. Rooms are ordered
    by their first member, so p only ever uses rooms 0..p and each seating has one encoding.

    `partners_of(v)`: those v may share a room with (pairwise rules); `met`: pairs that met in
    played rounds; `together[r]`: pairs pinned to meet in round r (0-based), seated in one
    room there and in no other round. People are ids as `partners_of`, `met` and `country`
    use them."""

    def __init__(
        self,
        people: Sequence[int],
        n_rounds: int,
        room_size: int,
        *,
        partners_of: Callable[[int], Iterable[int]],
        country: Sequence[int],
        cap: int | None,
        met: Container[Pair] = frozenset(),
        together: Mapping[int, Sequence[Pair]] | None = None,
    ) -> None:
        self.people = list(people)
        self.n_rounds, self.k, self.cap = n_rounds, room_size, cap
        n = len(self.people)
        self.slots = n // room_size  # rooms a round can open
        all_rounds, all_slots, everyone = range(n_rounds), range(self.slots), range(n)
        m = self.model = cp_model.CpModel()
        at = self.at = {v: p for p, v in enumerate(self.people)}
        self.x = {
            (p, r, s): m.new_bool_var(f"seat_{p}_round_{r}_room_{s}")
            for p in everyone
            for r in all_rounds
            for s in self._rooms_of(p)
        }
        self.used = {(r, s): m.new_bool_var(f"open_{r}_{s}") for r in all_rounds for s in all_slots}
        self.big = {(r, s): m.new_bool_var(f"big_{r}_{s}") for r in all_rounds for s in all_slots}

        for r in all_rounds:
            for p in everyone:
                m.add_at_most_one(self.x[p, r, s] for s in self._rooms_of(p))
            for s in all_slots:
                # Room size: room_size, or one more in a big room; or the room stays shut.
                room = [self.x[p, r, s] for p in range(s, n)]
                m.add(sum(room) == room_size * self.used[r, s] + self.big[r, s])
                m.add_implication(self.big[r, s], self.used[r, s])
                if s:
                    # Symmetry breaking: open rooms first, each first member after the last one's.
                    m.add_implication(self.used[r, s], self.used[r, s - 1])
                    for p in range(s, n):
                        earlier = [self.x[q, r, s - 1] for q in range(s - 1, p)]
                        m.add_bool_or([*earlier, self.x[p, r, s].Not()])
            # (seated mod room_size) rooms get one extra person: fewer than room_size of them.
            m.add(sum(self.big[r, s] for s in all_slots) <= room_size - 1)

        # H2 / the country cap: at most `cap` people of one country in a room.
        self.by_country: dict[int, list[int]] = defaultdict(list)
        for p in everyone:
            self.by_country[country[self.people[p]]].append(p)
        if cap is not None:
            for members in self.by_country.values():
                for r in all_rounds:
                    for s in all_slots:
                        here = [self.x[p, r, s] for p in members if p >= s]
                        if len(here) > cap:
                            m.add(sum(here) <= cap)

        # H1, H3, H5, never pins and pairs met in played rounds: such pairs never share a room;
        # pairs pinned to one round share no room in any other.
        pinned = together or {}
        pinned_round = {pair(a, b): r for r, ps in pinned.items() for a, b in ps}
        self.meets: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        for p in everyone:
            ok = {at[q] for q in partners_of(self.people[p]) if q in at}
            for q in range(p + 1, n):
                same_country = country[self.people[p]] == country[self.people[q]]
                met_before = pair(self.people[p], self.people[q]) in met
                if q not in ok or met_before:
                    if not (cap == 1 and same_country and not met_before):  # the cap says it
                        for r in all_rounds:
                            for s in self._rooms_of(p):
                                m.add_bool_or([self.x[p, r, s].Not(), self.x[q, r, s].Not()])
                    continue
                # H4: a pair shares a room in at most one round (a flag per round, at most one).
                flags = [m.new_bool_var(f"meet_{p}_{q}_round_{r}") for r in all_rounds]
                for r in all_rounds:
                    for s in self._rooms_of(p):
                        m.add_bool_or([self.x[p, r, s].Not(), self.x[q, r, s].Not(), flags[r]])
                m.add_at_most_one(flags)
                self.meets[p, q] = flags
                fixed = pinned_round.get(pair(self.people[p], self.people[q]))
                if fixed is not None:
                    for r in all_rounds:
                        if r != fixed:
                            m.add(flags[r] == 0)

        # Round pins: both seated in that round, in the same room.
        for r, ps in pinned.items():
            if r >= n_rounds:
                continue
            for a, b in ps:
                if a not in at or b not in at:
                    continue
                pa, pb = sorted((at[a], at[b]))
                m.add(sum(self.x[pa, r, s] for s in self._rooms_of(pa)) == 1)
                for s in self._rooms_of(pb):
                    if s <= pa:
                        m.add(self.x[pa, r, s] == self.x[pb, r, s])
                    else:
                        m.add(self.x[pb, r, s] == 0)  # a room whose first member is after pa

        # Most seats first; then the fewest sit-outs of the worst-off person. One more seat
        # outweighs any change in the worst-off person's sit-outs (0 <= worst < weight).
        seated = [
            sum(self.x[p, r, s] for r in all_rounds for s in self._rooms_of(p)) for p in everyone
        ]
        worst = m.new_int_var(0, n_rounds, "most_sit_outs_of_one")
        for p in everyone:
            m.add(worst >= n_rounds - seated[p])
        self.weight = n_rounds + 1
        m.maximize(self.weight * sum(seated) - worst)

    def _rooms_of(self, p: int) -> range:
        """The rooms p may sit in: a room's first member is its lowest position."""
        return range(min(p + 1, self.slots))

    def add_implied(self) -> None:
        """Redundant: a round seats at most `cap` people of a country per open room. Not in the
        planner's model; it helped the bench tool's longer searches at n = 60."""
        if self.cap is None:
            return
        for members in self.by_country.values():
            if len(members) <= self.cap:
                continue
            for r in range(self.n_rounds):
                everyone = [self.x[p, r, s] for p in members for s in self._rooms_of(p)]
                opened = sum(self.used[r, s] for s in range(self.slots))
                self.model.add(sum(everyone) <= self.cap * opened)

    def hint(self, rounds: Sequence[Rooms]) -> None:
        """Start from `rounds` (rooms of the model's people), in the model's room order."""
        at = self.at
        for r, planned in enumerate(rounds[: self.n_rounds]):
            ordered = sorted(
                (
                    sorted(at[v] for v in room)
                    for room in planned
                    if room and all(v in at for v in room)
                ),
                key=lambda members: members[0],
            )[: self.slots]
            where = {p: s for s, members in enumerate(ordered) for p in members}
            for (p, r2, s), var in self.x.items():
                if r2 == r:
                    self.model.add_hint(var, where.get(p) == s)
            for s in range(self.slots):
                size = len(ordered[s]) if s < len(ordered) else 0
                self.model.add_hint(self.used[r, s], size > 0)
                self.model.add_hint(self.big[r, s], size > self.k)
            for (p, q), flags in self.meets.items():
                self.model.add_hint(flags[r], p in where and where.get(q) == where[p])

    def solve(self, seconds: float, *, workers: int, seed: int) -> Seating:
        """The best seating found in `seconds` (the caller's limit, used as given)."""
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = max(1, workers)
        solver.parameters.random_seed = seed
        status = solver.solve(self.model)
        most = int((solver.best_objective_bound + self.weight - 1) // self.weight)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Seating(None, most, False)
        out: list[Rooms] = []
        for r in range(self.n_rounds):
            rooms: Rooms = [[] for _ in range(self.slots)]
            for (p, r2, s), var in self.x.items():
                if r2 == r and solver.boolean_value(var):
                    rooms[s].append(self.people[p])
            out.append([members for members in rooms if members])
        return Seating(out, most, status == cp_model.OPTIMAL)


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

    `together[r]`: pairs pinned to meet in round r (0-based); `hint`: a plan to start from
    (the round-by-round start)."""
    if len(people) // ix.settings.room_size == 0:
        return None
    among = np.array(people, dtype=np.int64)
    model = SeatModel(
        people,
        n_rounds,
        ix.settings.room_size,
        partners_of=lambda v: partners(ix, v, among),
        country=ix.country,
        cap=country_cap(ix.settings),
        met=state.met,
        together=together,
    )
    model.hint(hint)
    return model.solve(max(0.05, time_limit_s), workers=workers, seed=seed).rounds
