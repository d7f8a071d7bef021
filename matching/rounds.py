"""Split a chosen meeting set into rounds (an edge colouring), with CP-SAT.

Each round is a perfect matching of the people seated that round, plus one room of three when
the seated count is odd. A meeting set that cannot be split is reported as None; the caller cuts
it off and re-solves the meeting model.
"""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from matching.participant_index import Pair


def split_rounds(
    nodes: Sequence[int],
    edges: Sequence[Pair],
    rounds: int,
    sit: dict[int, int],
    tri: dict[int, int],
    triangles: Sequence[tuple[int, int, int]],
    pinned: dict[Pair, int],
    *,
    time_limit_s: float,
    seed: int,
    workers: int,
    repair: dict[Pair, int] | None = None,
) -> list[list[tuple[int, ...]]] | None:
    """Rooms per round (0-based rounds), or None if the set cannot be split in time.

    With `repair` (spare pair -> score), chosen meetings may be dropped and spare pairs used
    instead, keeping as much score as possible: for sets that no split exists for.
    """
    all_rounds = range(rounds)
    chosen = len(edges)
    if repair:
        edges = [*edges, *(e for e in repair if e not in set(edges))]
    model = cp_model.CpModel()
    z = {
        (e, r): model.new_bool_var(f"meet_{e}_round_{r}")
        for e in range(len(edges))
        for r in all_rounds
    }
    around: dict[int, list[int]] = {v: [] for v in nodes}
    for e, (i, j) in enumerate(edges):
        around[i].append(e)
        around[j].append(e)
    # Every chosen meeting happens in exactly one round (at most one when repairing).
    for e in range(len(edges)):
        if repair:
            model.add_at_most_one(z[e, r] for r in all_rounds)
        else:
            model.add_exactly_one(z[e, r] for r in all_rounds)
    if repair:
        worth = [10 * repair.get(edges[e], 0) + (5 if e < chosen else 0) for e in range(len(edges))]
        model.maximize(sum(worth[e] * z[e, r] for e in range(len(edges)) for r in all_rounds))
    flexible = [v for v in nodes if sit[v] or tri[v]]
    is_flexible = set(flexible)
    seated = {(v, r): model.new_bool_var(f"seated_{v}_{r}") for v in flexible for r in all_rounds}
    three = {(v, r): model.new_bool_var(f"three_{v}_{r}") for v in flexible for r in all_rounds}
    for v in nodes:
        for r in all_rounds:
            deg = sum(z[e, r] for e in around[v])
            if v in is_flexible:
                model.add(deg == seated[v, r] + three[v, r])
                model.add_implication(three[v, r], seated[v, r])
            else:
                model.add(deg == 1)  # one room-mate in every round
    for v in flexible:
        model.add(sum(seated[v, r] for r in all_rounds) == rounds - sit[v])
        model.add(sum(three[v, r] for r in all_rounds) == tri[v])
    # Each chosen room of three takes place in one round, at most one per round, all three together.
    w = {
        (t, r): model.new_bool_var(f"three_{t}_round_{r}")
        for t in range(len(triangles))
        for r in all_rounds
    }
    index = {e: k for k, e in enumerate(edges)}
    for t, (a, b, c) in enumerate(triangles):
        model.add_exactly_one(w[t, r] for r in all_rounds)
        for r in all_rounds:
            for side in ((a, b), (a, c), (b, c)):
                model.add(z[index[side], r] == w[t, r])
    for r in all_rounds:
        model.add_at_most_one(w[t, r] for t in range(len(triangles)))
    for v in flexible:
        for r in all_rounds:
            model.add(three[v, r] == sum(w[t, r] for t, tri_ in enumerate(triangles) if v in tri_))
    for key, r in pinned.items():
        if key in edges:
            model.add(z[index[key], r] == 1)
    # Symmetry breaking: rounds are interchangeable, so fix the rounds of one person's meetings.
    if not pinned and nodes and not repair:
        anchor = next((v for v in nodes if v not in flexible), None)
        if anchor is not None:
            for r, e in enumerate(around[anchor][:rounds]):
                model.add(z[e, r] == 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
    # A pure SAT model: one worker without the LP relaxation is the fastest on few cores.
    solver.parameters.num_workers = 1 if workers <= 2 else workers
    solver.parameters.linearization_level = 0
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    plan: list[list[tuple[int, ...]]] = []
    for r in all_rounds:
        triple = sorted(v for v in flexible if solver.boolean_value(three[v, r]))
        rooms: list[tuple[int, ...]] = [tuple(triple)] if triple else []
        rooms += [
            edges[e]
            for e in range(len(edges))
            if solver.boolean_value(z[e, r]) and edges[e][0] not in triple
        ]
        plan.append(rooms)
    return plan
