"""`python -m bench steady`: how much of the round starting a no-show re-plan changes.

One participant of round `played + 1`'s first room is absent; the remaining rounds are re-planned
freely and with `steady=True` (docs/matching.md, "The round about to start"). For the round
starting it prints how many people's room-mates change (each is told "your room changed"), how
many keep their room-mates but get another room number (another video room, untold), and each
plan's total and time.
"""

from __future__ import annotations

import argparse
import time

from matching.generate import generate_participants
from matching.solve import plan_event, replan
from matching.types import EventSettings, Plan, RoundPlan


def _rooms(rnd: RoundPlan) -> tuple[dict[str, frozenset[str]], dict[str, int]]:
    mates = {p: frozenset(room.participants) for room in rnd.rooms for p in room.participants}
    numbers = {p: room.number for room in rnd.rooms for p in room.participants}
    return mates, numbers


def _changes(before: RoundPlan, after: RoundPlan) -> tuple[int, int]:
    (old_mates, old_no), (new_mates, new_no) = _rooms(before), _rooms(after)
    told = {p for p in old_mates.keys() | new_mates.keys() if old_mates.get(p) != new_mates.get(p)}
    renumbered = {p for p in old_no.keys() & new_no.keys() if p not in told}
    return len(told), len({p for p in renumbered if old_no[p] != new_no[p]})


def run(n: int, room_size: int, played: int, seed: int, seconds: float) -> list[str]:
    people = generate_participants(n, seed=seed)
    settings = EventSettings(rounds=4, room_size=room_size)
    plan: Plan = plan_event(people, settings, time_limit_s=2 * seconds, seed=seed, workers=2)
    before = plan.rounds[played]
    absent = frozenset([before.rooms[0].participants[0]])
    lines = []
    for steady in (False, True):
        start = time.monotonic()
        new = replan(
            people, settings, plan, played_rounds=played, absent=absent,
            time_limit_s=seconds, seed=seed, steady=steady,
        )  # fmt: skip
        took = time.monotonic() - start
        told, renumbered = _changes(before, new.rounds[played])
        lines.append(
            f"n={n} rooms of {room_size} round {played + 1} {'steady' if steady else 'free  '}: "
            f"room-mates changed {told}, same room-mates in another room {renumbered}; "
            f"total {new.score.total} (bound {new.upper_bound}), {new.score.sit_outs} sit-outs, "
            f"{took:.2f} s"
        )
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench steady", description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("room_size", type=int)
    parser.add_argument("--played", type=int, default=0, help="rounds played before the start")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=1.0, help="the re-plan's time limit")
    args = parser.parse_args(argv)
    for line in run(args.n, args.room_size, args.played, args.seed, args.seconds):
        print(line, flush=True)
    return 0
