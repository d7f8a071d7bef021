"""What no plan can beat, for the bound rows of `python -m bench matching`."""

from __future__ import annotations

import time

from matching import EventSettings, check_feasibility
from matching.bounds import best_possible
from matching.feasibility import roomless
from matching.forced import forced_sit_outs
from matching.generate import generate_participants
from matching.participant_index import build_index
from matching.room_bound import room_bound, sit_out_bound


def forced_minimum(n: int, room_size: int, seed: int, seconds: float) -> int:
    """Sit-outs no plan avoids over 4 rounds: people with no valid room, the country cap, and
    the seat LP (matching.room_bound.sit_out_bound) where its pricing finishes in `seconds`."""
    people = generate_participants(n, seed=seed)
    ix = build_index(people, EventSettings(rounds=4, room_size=room_size))
    everyone = list(range(ix.n))
    met = {v: {ix.country[v]} for v in everyone}
    return sit_out_bound(ix, everyone, 4, met, [], deadline=time.monotonic() + seconds)


def room_lp_bound(
    n: int, room_size: int, seed: int, plan: list[list[str]], seconds: float
) -> tuple[int | None, bool, float]:
    """The room LP bound for plans seating at least as many person-rounds as `plan` (its rooms,
    by id, are the first columns), computed here with its own time, not the plan's:
    (bound, converged, seconds taken)."""
    people = generate_participants(n, seed=seed)
    ix = build_index(people, EventSettings(rounds=4, room_size=room_size))
    everyone = list(range(ix.n))
    never = set(roomless(ix, everyone))
    nodes = [v for v in everyone if v not in never]
    seats = ix.n - forced_sit_outs(ix, everyone, sorted(never))
    start = time.monotonic()
    met = {v: {ix.country[v]} for v in everyone}
    rooms = [[ix.pos[i] for i in room] for room in plan]
    seated = sum(map(len, rooms))
    result = room_bound(ix, nodes, 4, met, seats, rooms, deadline=start + seconds, min_seats=seated)
    return result.bound, result.converged, time.monotonic() - start


def min_participant_bound(n: int, room_size: int, seed: int) -> int:
    """No plan gives its worst-off participant more (4 rounds; rooms of room_size + 1 let
    someone meet room_size others in a round, except with rooms of 2 and an even count)."""
    people = generate_participants(n, seed=seed)
    settings = EventSettings(rounds=4, room_size=room_size)
    ix = build_index(people, settings)
    per_round = room_size - 1 if room_size == 2 and n % 2 == 0 else room_size
    best = best_possible(ix, 4 * per_round)
    # Like the plans' minimum: among the people who can be placed at all.
    out = check_feasibility(people, settings).reasons
    return min(b for p, b in zip(people, best, strict=True) if p.id not in out)
