"""`python -m bench matching`: our planner against simple baselines on generated events.

For each size and room size, on one seeded event modelled on the real one: (a) random feasible
rooms, (b) round-by-round maximum-weight matching with networkx (room size 2; rooms of 3-6 use
our round-by-round greedy instead), (c) our plan, and its proven upper bound. Each method runs in
a fresh child process so that its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import resource
import time
from pathlib import Path
from typing import Any

from bench.fairness_check import best_total_minimum
from matching import (
    EventSettings,
    Participant,
    Room,
    RoundPlan,
    check_feasibility,
    plan_event,
    replan,
    score_plan,
)
from matching.bounds import best_possible
from matching.feasibility import roomless
from matching.forced import forced_sit_outs
from matching.generate import generate_participants
from matching.greedy import RoundBuilder, State
from matching.pairs import Index, build_index, pair
from matching.room_bound import room_bound, sit_out_bound

REPLAN = {60: 0.5, 200: 1.0, 1000: 5.0, 5000: 30.0}  # re-plan time limits (s)


def for_size(table: dict[int, float], n: int) -> float:
    """A time limit for n people: that of the largest listed size up to n (or of the smallest
    size, below it), so that sizes between the listed ones (n = 61: an odd count) run too."""
    return table[max((size for size in table if size <= n), default=min(table))]


def _rounds(ix: Index, planned: list[list[list[int]]]) -> list[RoundPlan]:
    everyone = {p.id for p in ix.people}
    out = []
    for r, rooms in enumerate(planned):
        seated = {ix.people[v].id for room in rooms for v in room}
        out.append(
            RoundPlan(
                r + 1,
                tuple(
                    Room(k + 1, tuple(ix.people[v].id for v in room))
                    for k, room in enumerate(rooms)
                ),
                tuple(sorted(everyone - seated)),
            )
        )
    return out


def random_rooms(people: list[Participant], settings: EventSettings, seed: int) -> list[RoundPlan]:
    """Breakout rooms filled at random, with valid room-mates only (what a careful host does)."""
    ix = build_index(people, settings)
    rng = random.Random(seed)
    state = State(set(), {v: {ix.country[v]} for v in range(ix.n)}, {})
    builder = RoundBuilder(ix, state, rng)
    k = settings.room_size
    planned = []
    for _ in range(settings.rounds):
        order = list(range(ix.n))
        rng.shuffle(order)
        m = ix.n // k
        sizes = [k + 1] * min(ix.n % k, m) + [k] * (m - min(ix.n % k, m))
        rooms: list[list[int]] = [[] for _ in range(m)]
        for p in order:
            fits = [r for r in range(m) if len(rooms[r]) < sizes[r] and builder.ok(p, rooms[r])]
            if fits:
                rooms[rng.choice(fits)].append(p)
        rooms = builder.finalise(rooms)
        builder.commit(rooms, order)
        planned.append(rooms)
    return _rounds(ix, planned)


def networkx_rounds(people: list[Participant], settings: EventSettings) -> list[RoundPlan]:
    """Room size 2: each round a maximum-weight matching of the pairs still allowed."""
    import networkx as nx

    ix = build_index(people, settings)
    w = settings.weights.new_country
    met: set[tuple[int, int]] = set()
    seen = {v: {ix.country[v]} for v in range(ix.n)}
    planned = []
    for _ in range(settings.rounds):
        graph = nx.Graph()
        for i in range(ix.n):
            for j in range(i + 1, ix.n):
                if ix.allowed(i, j) and (i, j) not in met:
                    gain = ix.score(i, j) + w * (
                        (ix.country[j] not in seen[i]) + (ix.country[i] not in seen[j])
                    )
                    graph.add_edge(i, j, weight=gain + 1)
        matching = nx.max_weight_matching(graph, maxcardinality=True)
        rooms = [sorted(e) for e in matching]
        for a, b in rooms:
            met.add(pair(a, b))
            seen[a].add(ix.country[b])
            seen[b].add(ix.country[a])
        planned.append(rooms)
    return _rounds(ix, planned)


def greedy_rounds(people: list[Participant], settings: EventSettings) -> list[RoundPlan]:
    from matching.greedy import plan_greedy

    ix = build_index(people, settings)
    state = State(set(), {v: {ix.country[v]} for v in range(ix.n)}, {})
    planned = plan_greedy(
        ix, list(range(ix.n)), settings.rounds, state, together={}, seed=0, time_limit_s=10
    )
    return _rounds(ix, planned)


def _child(method: str, n: int, room_size: int, seed: int, limit: float, queue: Any) -> None:
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


def run_one(method: str, n: int, room_size: int, seed: int, limit: float) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=_child, args=(method, n, room_size, seed, limit, queue))
    child.start()
    result: dict[str, Any] = queue.get()
    child.join()
    return result


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
    parser.add_argument("--sizes", default="60,200,1000,5000")
    parser.add_argument("--room-sizes", default="2,4")
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
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * 10)
    for n in (int(x) for x in args.sizes.split(",")):
        for k in (int(x) for x in args.room_sizes.split(",")):
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
