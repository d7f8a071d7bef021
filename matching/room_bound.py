"""The proven upper bound for group rooms (3-6): the room LP (`matching.room_lp`) solved by
column generation.

The LP maximises room scores + new_country * sum y with GLOP over a growing set of columns;
`matching.room_pricing` finds rooms of positive reduced cost. Whatever the pricing reached, the
bound is made proven by Lagrangian duality: for the (clipped) LP duals, any plan's total is at
most the dual objective plus, for each person p, rounds * max(0, the best reduced cost of a room
p leads), because every room has one leader and p leads at most `rounds` rooms of a plan.

`min_seats` restricts the bound to plans seating at least that many person-rounds (a row
sum |r| x_r >= min_seats; a priced "lack" variable keeps the LP feasible while columns are
missing, a relaxation). With `seats_only` a room is worth its size instead, and the LP bounds
the seats of any plan, i.e. gives a lower bound on sit-outs.
On generated events the converged room LP is only 0.1-1.7 % below the pair bound
(docs/matching.md): the remaining gap to the plans is integrality, not the clique structure.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from matching.feasibility import roomless
from matching.forced import forced_sit_outs
from matching.participant_index import Index
from matching.room_lp import Duals, Room, RoomLP
from matching.room_pricing import Lead

EPS = 1e-7


@dataclass
class RoomBound:
    bound: int | None  # proven bound on the total of any plan of these rounds (None: no LP)
    lp_value: float  # the LP's value over the columns it saw
    columns: list[Room] = field(default_factory=list)  # every room the LP saw
    support: dict[Room, float] = field(default_factory=dict)  # rooms the LP uses, with x_r
    converged: bool = False  # pricing proved that no column of positive reduced cost is left
    iterations: int = 0


def room_bound(
    ix: Index,
    nodes: Sequence[int],
    n_rounds: int,
    met_countries: dict[int, set[int]],
    seats: int,
    start_rooms: Iterable[Sequence[int]],
    *,
    deadline: float,
    min_seats: int = 0,
    max_passes: int | None = None,
    seats_only: bool = False,
) -> RoomBound:
    """Column generation until no room of positive reduced cost is left or time runs out.

    `seats`: at most this many people are seated in any one round. `min_seats`: only plans
    seating at least this many person-rounds are bounded (0: every plan). `start_rooms`: rooms
    (of participant indices) to start from, e.g. the current plan's. Every pricing pass that
    finishes before `deadline` gives a proven bound; the smallest is returned (None if none
    finished). `max_passes`: stop after this many pricing passes (for tests). `seats_only`:
    bound the seated person-rounds instead of the total.
    """
    lp = RoomLP(ix, nodes, n_rounds, met_countries, seats, min_seats, seats_only=seats_only)
    if len(lp.nodes) < ix.settings.room_size:
        return RoomBound(0, 0.0, converged=True)
    for room in start_rooms:
        if all(v in lp.local for v in room):
            lp.add(tuple(lp.local[v] for v in room))
    result = RoomBound(None, 0.0)
    while lp.solve():
        result.iterations += 1
        result.lp_value = float(lp.lp.Objective().Value())
        result.support = {
            tuple(lp.nodes[a] for a in room): float(x.solution_value())
            for room, x in zip(lp.columns, lp.vars, strict=True)
            if x.solution_value() > 1e-6
        }
        du = lp.duals()
        started = time.monotonic()
        leads = _price(lp, du, deadline)
        if any(lead.bound == math.inf for lead in leads):
            break  # the pass did not finish: no proof from these duals
        value = lp.dual_value(du) + n_rounds * sum(max(0.0, lead.bound) for lead in leads)
        bound = math.floor(value + 1e-6)
        result.bound = bound if result.bound is None else min(result.bound, bound)
        if all(lead.bound <= EPS for lead in leads):
            result.converged = True
            break
        added = [room for lead in leads for _, room in lead.found if lp.reduced(room, du) > EPS]
        if not sum(lp.add(room) for room in added) or result.iterations == max_passes:
            break
        if deadline - time.monotonic() < 1.5 * (time.monotonic() - started):
            break  # the next solve and pass would not finish in time
    result.columns = [tuple(lp.nodes[a] for a in room) for room in lp.columns]
    return result


def _price(lp: RoomLP, du: Duals, deadline: float) -> list[Lead]:
    pricing = lp.pricing(du, deadline)
    leads = [Lead() for _ in lp.nodes]
    for size, big in lp.sizes():
        const = -du.rooms - du.big * big
        for p, lead in enumerate(leads):
            pricing.lead(p, size, const, lead)
    return leads


def plan_bound(
    ix: Index,
    people: Sequence[int],
    n_rounds: int,
    met_countries: dict[int, set[int]],
    plan: Sequence[Sequence[Sequence[int]]],
    *,
    deadline: float,
) -> int | None:
    """The room bound for every plan of these rounds that seats at least as many person-rounds
    as `plan` (so also for the plan with the fewest sit-outs), or None if no pass finished."""
    never = set(roomless(ix, people))
    nodes = [v for v in people if v not in never]
    seats = len(people) - forced_sit_outs(ix, people, sorted(never))
    seated = sum(len(room) for rooms in plan for room in rooms)
    result = room_bound(
        ix, nodes, n_rounds, met_countries, seats, rooms_of(plan),
        deadline=deadline, min_seats=seated,
    )  # fmt: skip
    return result.bound


def sit_out_bound(
    ix: Index,
    people: Sequence[int],
    n_rounds: int,
    met_countries: dict[int, set[int]],
    start_rooms: Iterable[Sequence[int]],
    *,
    deadline: float,
) -> int:
    """At least this many person-rounds of `people` sit out in any plan: the room LP of seats
    (no pair meets twice, the country cap, the seats a round can hold), or, where it did not
    finish in time, `matching.forced`'s count."""
    never = set(roomless(ix, people))
    nodes = [v for v in people if v not in never]
    seats = len(people) - forced_sit_outs(ix, people, sorted(never))
    forced = n_rounds * (len(people) - seats)
    result = room_bound(
        ix, nodes, n_rounds, met_countries, seats, start_rooms,
        deadline=deadline, seats_only=True,
    )  # fmt: skip
    if result.bound is None:
        return forced
    return max(forced, n_rounds * len(people) - result.bound)


def rooms_of(rounds: Iterable[Iterable[Sequence[int]]]) -> list[Room]:
    """The distinct rooms of planned rounds, as sorted tuples."""
    return sorted({tuple(sorted(room)) for rooms in rounds for room in rooms})
