"""One method of `python -m bench matching` on one generated event, timed in its own process."""

from __future__ import annotations

import resource
import time
from typing import Any

from bench.child_process import result_from_child
from bench.matching_baselines import greedy_rounds, networkx_rounds, random_rooms
from matching import EventSettings, check_feasibility, plan_event, replan, score_plan
from matching.generate import generate_participants

REPLAN = {60: 0.5, 200: 1.0, 1000: 5.0, 5000: 30.0}  # re-plan time limits (s)


def for_size(table: dict[int, float], n: int) -> float:
    """A time limit for n people: that of the largest listed size up to n (or of the smallest
    size, below it), so that sizes between the listed ones (n = 61: an odd count) run too."""
    return table[max((size for size in table if size <= n), default=min(table))]


def _measure(method: str, n: int, room_size: int, seed: int, limit: float, queue: Any) -> None:
    people = generate_participants(n, seed=seed)
    settings = EventSettings(rounds=4, room_size=room_size)
    start = time.monotonic()
    bound = None
    absent: frozenset[str] = frozenset()
    if method == "random":
        rounds = random_rooms(people, settings, seed)
    elif method == "networkx":
        rounds = networkx_rounds(people, settings)
    elif method == "greedy":
        rounds = greedy_rounds(people, settings)
    elif method == "replan":
        # Plan, then time only the re-plan of rounds 2-4 after 3 drop-outs.
        first = plan_event(people, settings, time_limit_s=limit, seed=seed, workers=2)
        absent = frozenset(p.id for p in people[:3])
        start = time.monotonic()
        plan = replan(
            people,
            settings,
            first,
            played_rounds=1,
            absent=absent,
            time_limit_s=for_size(REPLAN, n),
        )
        rounds, bound = list(plan.rounds), plan.upper_bound
    else:
        plan = plan_event(people, settings, time_limit_s=limit, seed=seed, workers=2)
        rounds, bound = list(plan.rounds), plan.upper_bound
    wall = time.monotonic() - start
    # Every method's minimum over the same people: all but those no plan can place (and the
    # drop-outs of a re-plan); someone placeable but never seated counts with 0.
    left_out = set(check_feasibility(people, settings).reasons) | absent
    score = score_plan(people, settings, rounds, left_out=left_out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rooms = [list(room.participants) for r in rounds for room in r.rooms]
    out = {**score.__dict__, "bound": bound, "wall_s": round(wall, 2), "peak_mib": round(peak)}
    queue.put({**out, "rooms": rooms})


def run_one(method: str, n: int, room_size: int, seed: int, limit: float) -> dict[str, Any]:
    """The method's score, bound, wall time and peak memory, measured in a fresh process."""
    return result_from_child(_measure, method, n, room_size, seed, limit)
