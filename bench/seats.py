"""`python -m bench seats N ROOM_SIZE`: sit-outs over several events, with and without the
neighbourhood search on seats.

Plans generated events (seeds 1..EVENTS), each RUNS times with different planner seeds, once
with matching.round_reseat's neighbourhood search and once without it (its share of the search
time set to 0, so scoring gets that time, as before the search existed), alternating so that
both see the same machine. One plan's sit-outs vary by several between seeds at n = 60, so only
means over many plans say whether a change seats more people (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass

import matching.round_reseat
from matching import EventSettings, plan_event
from matching.generate import generate_participants

VARIANTS = {"without": 0.0, "with": matching.round_reseat.RESEAT_SHARE}


@dataclass(frozen=True)
class Row:
    variant: str
    event: int
    run: int
    sit_outs: int
    total: int
    min_participant: int
    violations: int


def plan_rows(n: int, room_size: int, events: int, runs: int, seconds: float) -> list[Row]:
    rows = []
    settings = EventSettings(rounds=4, room_size=room_size)
    for event in range(1, events + 1):
        people = generate_participants(n, seed=event)
        for run in range(1, runs + 1):
            for variant, share in VARIANTS.items():
                matching.round_reseat.RESEAT_SHARE = share
                try:
                    plan = plan_event(
                        people, settings, time_limit_s=seconds, seed=100 * run + event
                    )
                finally:
                    matching.round_reseat.RESEAT_SHARE = VARIANTS["with"]
                score = plan.score
                rows.append(
                    Row(
                        variant=variant,
                        event=event,
                        run=run,
                        sit_outs=score.sit_outs,
                        total=score.total,
                        min_participant=score.min_participant,
                        violations=score.violations,
                    )
                )
                print(
                    f"event {event} run {run} {variant}: {score.sit_outs} sit-outs, "
                    f"total {score.total}, worst-off {score.min_participant}, "
                    f"{score.violations} violations",
                    flush=True,
                )
    return rows


def summary(rows: list[Row]) -> list[str]:
    lines = []
    for variant in VARIANTS:
        mine = [r for r in rows if r.variant == variant]
        lines.append(
            f"{variant} the neighbourhood search, {len(mine)} plans: mean sit-outs "
            f"{statistics.mean(r.sit_outs for r in mine):.2f}, mean total "
            f"{statistics.mean(r.total for r in mine):.1f}, mean worst-off "
            f"{statistics.mean(r.min_participant for r in mine):.2f}, violations "
            f"{sum(r.violations for r in mine)}"
        )
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench seats", description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("room_size", type=int)
    parser.add_argument("--events", type=int, default=6)
    parser.add_argument("--runs", type=int, default=2, help="planner seeds per event")
    parser.add_argument("--seconds", type=float, default=10.0, help="the planner's time limit")
    args = parser.parse_args(argv)
    rows = plan_rows(args.n, args.room_size, args.events, args.runs, args.seconds)
    print("\n".join(summary(rows)), flush=True)
    return 0
