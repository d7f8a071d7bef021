"""`python -m bench seat-model`: the fewest sit-outs of a generated group event, by CP-SAT.

The planner's local search can leave a few sit-outs more than a plan needs. The model
(matching.small_seating.SeatModel, the one the planner runs on events up to 24 people) only
seats: who sits in which room of which round under the pair rules, the country cap, no pair
meeting twice and the room-size rule (rooms of room_size, at most room_size - 1 of them one
larger), seats first, then the fewest sit-outs of the worst-off. Here it gets one implied
constraint more, starts from the planner's plan and reports the best seating found, the proven
bound and the planner's own figure, so the sit-outs the planner leaves can be measured
(docs/matching.md). Run after the planner's search on larger events it was not kept: at the
planner's time limits it found no better seating.
"""

from __future__ import annotations

import argparse
import time

from matching.feasibility import check_feasibility
from matching.generate import generate_participants
from matching.participant_index import build_index
from matching.policy import country_cap
from matching.score import score_plan
from matching.small_seating import SeatModel
from matching.solve import plan_event
from matching.types import EventSettings, Room, RoundPlan


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
    model.add_implied()
    model.hint([[[ix.pos[i] for i in room.participants] for room in r.rooms] for r in plan.rounds])
    start = time.monotonic()
    found, most, proven = model.solve(max(0.1, seconds), workers=2, seed=seed)
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
