"""`python -m bench matching`: our planner against simple baselines on generated events.

For each size and room size, on one seeded event modelled on the real one: (a) random feasible
rooms, (b) round-by-round maximum-weight matching with networkx (room size 2; rooms of 3-6 use
our round-by-round greedy instead), (c) our plan, and its proven upper bound. Each method runs in
a fresh child process so that its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.command_line import comma_separated_ints, markdown_header
from bench.fairness_check import best_total_minimum
from bench.matching_bounds import forced_minimum, min_participant_bound, room_lp_bound
from bench.matching_runs import REPLAN, for_size, run_one

__all__ = ["REPLAN", "for_size", "forced_minimum", "main"]  # tests and docs import these here


def _best_total_row(n: int, seed: int, limit: float, seconds: float) -> dict[str, Any]:
    """The most the worst-off can get among plans with the best total (bench.fairness_check)."""
    found = best_total_minimum(n, seed, limit, seconds)
    second = found["second_pass"]
    if found["total"] != found["bound"] or second is None:
        how, best = "not checked: the best total was not proven", "-"
    else:
        status, value, bound = second
        best = f"{value:.0f}" if status == "OPTIMAL" else f"{value:.0f} (bound {bound:.0f})"
        how = f"fairness 0, CP-SAT {status} in at most {seconds:g} s"
    print(
        f"| {n} | 2 | min participant among plans with the best total ({how}) | "
        f"{found['total']} | {best} | | | | | |",
        flush=True,
    )
    return {"n": n, "room_size": 2, "method": "best-total-min", **found}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench matching", description=__doc__)
    parser.add_argument("--sizes", type=comma_separated_ints, default="60,200,1000,5000")
    parser.add_argument("--room-sizes", type=comma_separated_ints, default="2,4")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--networkx-max", type=int, default=1000, help="skip networkx above this")
    parser.add_argument("--limits", default="60:2,200:5,1000:30,5000:120", help="n:seconds")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    parser.add_argument(
        "--replan", action="store_true", help="also time a re-plan after 3 drop-outs"
    )
    parser.add_argument(
        "--room-lp-s", type=float, default=60.0, help="group rooms: time for the room LP rows"
    )
    parser.add_argument(
        "--room-lp-max", type=int, default=200, help="group rooms: no room LP above this n"
    )
    parser.add_argument(
        "--best-total-min-s",
        type=float,
        default=0.0,
        help="rooms of 2: seconds to prove the best minimum among best-total plans (0: skip)",
    )
    args = parser.parse_args(argv)
    limits = {int(a): float(b) for a, b in (x.split(":") for x in args.limits.split(","))}
    rows = []
    columns = ["n", "room", "method", "total", "min participant", "gap to bound", "sit-outs"]
    columns += ["violations", "wall s", "peak MiB"]
    print(markdown_header(columns))
    for n in args.sizes:
        for k in args.room_sizes:
            limit, replan_s = for_size(limits, n), for_size(REPLAN, n)
            methods = ["random", "networkx" if k == 2 else "greedy", "ours"]
            if args.replan:
                methods.append("replan")
            if k == 2 and n > args.networkx_max:
                methods.remove("networkx")
            results = {m: run_one(m, n, k, args.seed, limit) for m in methods}
            bound = results["ours"]["bound"]
            for m, r in results.items():
                gap = f"{100 * (bound - r['total']) / bound:.2f} %" if bound else "-"
                name = {
                    "ours": f"ours ({limit:g} s limit)",
                    "replan": f"re-plan rounds 2-4 after 3 drop-outs ({replan_s:g} s limit)",
                }.get(m, m)
                if m == "replan":
                    gap = f"{100 * (r['bound'] - r['total']) / r['bound']:.2f} % (own bound)"

                line = (
                    f"| {n} | {k} | {name} | {r['total']} | {r['min_participant']} | {gap} | "
                    f"{r['sit_outs']} | {r['violations']} | {r['wall_s']} | {r['peak_mib']} |"
                )
                print(line, flush=True)
                r = {key: v for key, v in r.items() if key != "rooms"}
                rows.append({"n": n, "room_size": k, "method": m, **r, "upper_bound": bound})
            print(f"| {n} | {k} | upper bound | {bound} | | | | | | |", flush=True)
            best = min_participant_bound(n, k, args.seed)
            print(f"| {n} | {k} | min participant, best possible (bound) | | {best} | | | | | |")
            rows.append({"n": n, "room_size": k, "method": "min-bound", "min_participant": best})
            if k == 2 and args.best_total_min_s > 0:
                rows.append(_best_total_row(n, args.seed, limit, args.best_total_min_s))
            if k > 2:
                lp_s = args.room_lp_s if n <= args.room_lp_max else 0.0  # else the count alone
                least = forced_minimum(n, k, args.seed, lp_s)
                print(f"| {n} | {k} | sit-outs forced (lower bound) | | | | {least} | | | |")
                rows.append({"n": n, "room_size": k, "method": "forced", "sit_outs": least})
            if k > 2 and n <= args.room_lp_max:
                ours = results["ours"]
                room, done, took = room_lp_bound(n, k, args.seed, ours["rooms"], args.room_lp_s)
                how = "converged" if done else "stopped early: an early pass's bound"
                gap = f"{100 * (room - ours['total']) / room:.2f} %" if room else "-"
                print(
                    f"| {n} | {k} | upper bound, room LP, plans seating >= ours "
                    f"({how}, {took:.0f} s, own time) | {room} | | {gap} (ours) | | | | |",
                    flush=True,
                )
                rows.append({"n": n, "room_size": k, "method": "room-lp", "bound": room})
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
