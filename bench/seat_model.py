"""`python -m bench seat-model`: the fewest sit-outs of a generated group event, by CP-SAT.

The planner's local search can leave a few sit-outs more than a plan needs. This model only
seats: who sits in which room of which round under the pair rules, the country cap, no pair
meeting twice and the room-size rule (rooms of room_size, at most room_size - 1 of them one
larger), seats first, then the fewest sit-outs of the worst-off. It starts from the planner's
plan and reports the best seating found, the proven bound and the planner's own figure, so the
sit-outs the planner leaves can be measured (docs/matching.md). It was tried inside the planner
and not kept: at the planner's time limits it found no better seating.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from matching.feasibility import check_feasibility
from matching.generate import generate_participants
from matching.participant_index import build_index
from matching.plan_state import Rooms
from matching.policy import country_cap
from matching.score import score_plan
from matching.solve import plan_event
from matching.types import EventSettings, Room, RoundPlan


class SeatModel:
    """x[p][r][s]: person p sits in room slot s of round r. People are numbered 0..n-1 in the
    model; person p may only use slots 0..p, and slot s's smallest member is above slot s-1's,
    so each seating has exactly one encoding (rooms ordered by their first member)."""

    def __init__(
        self,
        people: Sequence[int],
        n_rounds: int,
        room_size: int,
        *,
        partners_of: Callable[[int], Sequence[int]],
        country: Sequence[int],
        cap: int | None,
    ) -> None:
        self.people = list(people)
        n, k = len(self.people), room_size
        self.slots = n // k
        self.k = k
        m = self.model = cp_model.CpModel()
        at = self.at = {v: i for i, v in enumerate(self.people)}
        self.x = [
            [
                [m.new_bool_var(f"x{p}r{r}s{s}") for s in range(min(p + 1, self.slots))]
                for r in range(n_rounds)
            ]
            for p in range(n)
        ]
        self.used = [
            [m.new_bool_var(f"u{r}s{s}") for s in range(self.slots)] for r in range(n_rounds)
        ]
        self.big = [
            [m.new_bool_var(f"b{r}s{s}") for s in range(self.slots)] for r in range(n_rounds)
        ]
        ok = [sorted(at[q] for q in partners_of(v) if q in at) for v in self.people]
        for r in range(n_rounds):
            for p in range(n):
                m.add_at_most_one(self.x[p][r])
            for s in range(self.slots):
                members = [self.x[p][r][s] for p in range(s, n)]
                # Empty, or room_size people plus one when the room is one of the big ones.
                m.add(sum(members) == k * self.used[r][s] + self.big[r][s])
                m.add_implication(self.big[r][s], self.used[r][s])
                if s:
                    m.add_implication(self.used[r][s], self.used[r][s - 1])
                    for p in range(s, n):  # slot s's first member comes after slot s-1's
                        m.add_bool_or(
                            [self.x[q][r][s - 1] for q in range(s - 1, p)] + [~self.x[p][r][s]]
                        )
                for p in range(s, n):
                    allowed = set(ok[p])
                    for q in range(p + 1, n):
                        if q not in allowed and (
                            cap != 1 or country[self.people[p]] != country[self.people[q]]
                        ):
                            m.add_bool_or([~self.x[p][r][s], ~self.x[q][r][s]])
            # (seated mod room_size) rooms get one extra person: at most room_size - 1 of them.
            m.add(sum(self.big[r]) <= k - 1)
            if cap is not None:
                self._country_cap(r, country, cap)
        self.meets = self._meet_once(ok, n_rounds)
        seated = [sum(v for room in self.x[p] for v in room) for p in range(n)]
        self.seats = sum(seated)
        worst = m.new_int_var(0, n_rounds, "worst")
        for p in range(n):
            m.add(worst >= n_rounds - seated[p])
        # One more seat outweighs any change in the worst-off person's sit-outs.
        self.weight = n_rounds + 1
        m.maximize(self.weight * self.seats - worst)

    def _country_cap(self, r: int, country: Sequence[int], cap: int) -> None:
        by_country: dict[int, list[int]] = {}
        for p, v in enumerate(self.people):
            by_country.setdefault(country[v], []).append(p)
        for members in by_country.values():
            if len(members) <= cap:
                continue
            for s in range(self.slots):
                here = [self.x[p][r][s] for p in members if s <= p]
                if len(here) > cap:
                    self.model.add(sum(here) <= cap)
            # Implied, and it helps the search: a round seats at most cap per room of a country.
            everyone = [v for p in members for v in self.x[p][r]]
            self.model.add(sum(everyone) <= cap * sum(self.used[r]))

    def _meet_once(
        self, ok: list[list[int]], n_rounds: int
    ) -> dict[tuple[int, int], list[cp_model.IntVar]]:
        """No pair shares a room in two rounds: a flag per pair and round, at most one set."""
        meets: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        for p, partners in enumerate(ok):
            for q in partners:
                if q <= p:
                    continue
                flags = [self.model.new_bool_var(f"m{p}_{q}r{r}") for r in range(n_rounds)]
                for r in range(n_rounds):
                    for s in range(min(p + 1, self.slots)):
                        self.model.add_bool_or([~self.x[p][r][s], ~self.x[q][r][s], flags[r]])
                self.model.add_at_most_one(flags)
                meets[p, q] = flags
        return meets

    def hint(self, rounds: Sequence[Rooms]) -> None:
        """Start from `rounds` (rooms of the model's people), in the model's room order."""
        at = self.at
        for r, rooms in enumerate(rounds):
            ordered = sorted(
                (
                    sorted(at[v] for v in room)
                    for room in rooms
                    if room and all(v in at for v in room)
                ),
                key=lambda room: room[0],
            )[: self.slots]
            where = {p: s for s, room in enumerate(ordered) for p in room}
            for p in range(len(self.people)):
                for s, var in enumerate(self.x[p][r]):
                    self.model.add_hint(var, where.get(p) == s)
            for s in range(self.slots):
                size = len(ordered[s]) if s < len(ordered) else 0
                self.model.add_hint(self.used[r][s], size > 0)
                self.model.add_hint(self.big[r][s], size > self.k)
            for (p, q), flags in self.meets.items():
                self.model.add_hint(flags[r], p in where and where.get(q) == where[p])

    def solve(
        self, seconds: float, workers: int, seed: int
    ) -> tuple[list[Rooms] | None, int, bool]:
        """(the best seating found in `seconds`, or None; the most seats any seating can have,
        as proven; whether the seating found is proven best)."""
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, seconds)
        solver.parameters.num_workers = max(1, workers)
        solver.parameters.random_seed = seed
        status = solver.solve(self.model)
        # The objective is weight x seats - worst, with 0 <= worst < weight.
        most = int((solver.best_objective_bound + self.weight - 1) // self.weight)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None, most, False
        out: list[Rooms] = []
        for r in range(len(self.used)):
            rooms: Rooms = [[] for _ in range(self.slots)]
            for p, v in enumerate(self.people):
                for s, var in enumerate(self.x[p][r]):
                    if solver.value(var):
                        rooms[s].append(v)
            out.append([room for room in rooms if room])
        return out, most, status == cp_model.OPTIMAL


def run(n: int, room_size: int, seed: int, seconds: float, planner_s: float) -> str:
    people = generate_participants(n, seed=seed)
    settings = EventSettings(rounds=4, room_size=room_size)
    plan = plan_event(people, settings, time_limit_s=planner_s, seed=seed, workers=2)
    ix = build_index(people, settings)
    out = set(check_feasibility(people, settings).reasons)
    placeable = [i for i, p in enumerate(people) if p.id not in out]
    model = SeatModel(
        placeable,
        settings.rounds,
        room_size,
        partners_of=lambda v: [u for u in placeable if ix.allowed(v, u)],
        country=ix.country,
        cap=country_cap(settings),
    )
    model.hint([[[ix.pos[i] for i in room.participants] for room in r.rooms] for r in plan.rounds])
    start = time.monotonic()
    found, most, proven = model.solve(seconds, workers=2, seed=seed)
    took = time.monotonic() - start
    least = n * settings.rounds - most
    line = (
        f"n={n} rooms of {room_size} seed {seed}: planner ({planner_s:g} s) "
        f"{plan.score.sit_outs} sit-outs; no plan has fewer than {least}"
    )
    if found is None:
        return f"{line}; the model found no seating in {took:.0f} s"
    rounds = [
        RoundPlan(
            r + 1,
            tuple(Room(j + 1, tuple(people[i].id for i in room)) for j, room in enumerate(rooms)),
            tuple(p.id for i, p in enumerate(people) if all(i not in room for room in rooms)),
        )
        for r, rooms in enumerate(found)
    ]
    score = score_plan(people, settings, rounds)
    best = "proven the fewest" if proven else "best found"
    return (
        f"{line}; the model: {score.sit_outs} sit-outs ({best}, {score.violations} violations) "
        f"in {took:.0f} s; people who fit no room at all: {len(out)}"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench seat-model", description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("room_size", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=120.0, help="for the model")
    parser.add_argument("--planner-seconds", type=float, default=2.0)
    args = parser.parse_args(argv)
    print(run(args.n, args.room_size, args.seed, args.seconds, args.planner_seconds), flush=True)
    return 0
