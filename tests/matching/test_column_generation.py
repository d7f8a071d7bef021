"""Column generation on a pruned graph reaches the LP bound over every allowed pair, and every
bound on the way is proven."""

from __future__ import annotations

import time

import pytest

from matching import EventSettings, plan_event
from matching.generate import generate_participants
from matching.pairs import Graph, build_graph
from matching.participant_index import Index, build_index
from matching.plan_state import Rooms, State
from matching.pricing import Budget, ColumnGeneration


def _event(n: int, seed: int, room_size: int = 2) -> tuple[Index, State]:
    settings = EventSettings(rounds=4, room_size=room_size)
    ix = build_index(generate_participants(n, seed=seed), settings)
    return ix, State(set(), {v: {ix.country[v]} for v in range(ix.n)}, {})


def _lp_bound(ix: Index, state: State, graph: Graph, plan: list[Rooms] | None) -> int:
    lp = ColumnGeneration(ix, graph, 4, state, graph.nodes, plan)
    return lp.run(Budget(time.monotonic(), 60), keep_free=0)


def _plan(ix: Index, room_size: int) -> list[Rooms] | None:
    """Rooms of 2: None (everyone seated every round); else a real plan, with sit-outs."""
    if room_size == 2:
        return None
    plan = plan_event(ix.people, ix.settings, time_limit_s=1)
    assert plan.score.sit_outs > 0  # the bound is for plans seated like this one
    return [[[ix.pos[p] for p in room.participants] for room in r.rooms] for r in plan.rounds]


@pytest.mark.parametrize(("n", "seed", "room_size"), [(80, 3, 2), (150, 4, 2), (60, 2, 4)])
def test_pricing_a_pruned_graph_converges_to_the_bound_over_every_allowed_pair(
    n: int, seed: int, room_size: int
) -> None:
    ix, state = _event(n, seed, room_size)
    everyone = list(range(ix.n))
    plan = _plan(ix, room_size)
    exact = _lp_bound(ix, state, build_graph(ix, everyone, edge_limit=10**9, keep=0), plan)
    pruned = build_graph(ix, everyone, edge_limit=100, keep=3)
    lp = ColumnGeneration(ix, pruned, 4, state, everyone, plan)
    budget = Budget(time.monotonic(), 60)
    bounds: list[int] = []
    while not lp.converged and len(bounds) < 30:
        bounds.append(lp.run(budget, keep_free=1))  # one solve a call
    assert lp.converged
    assert len(bounds) >= 2  # three partners each are too few: pairs were added
    assert len(lp.graph.edges) > len(pruned.edges)
    assert all(b >= exact for b in bounds)  # proven before it converges, too
    assert bounds[-1] == exact
    assert lp.whole <= lp.support <= set(lp.graph.edges)


def test_pairs_a_plan_met_outside_the_graph_join_the_lp() -> None:
    ix, state = _event(60, 5)
    everyone = list(range(ix.n))
    pruned = build_graph(ix, everyone, edge_limit=100, keep=3)
    lp = ColumnGeneration(ix, pruned, 4, state, everyone)
    lp.run(Budget(time.monotonic(), 60), keep_free=1)
    known = set(lp.graph.edges)
    extra = next(
        (i, j)
        for i in everyone
        for j in everyone
        if i < j and ix.allowed(i, j) and (i, j) not in known
    )
    plan_graph = Graph(
        everyone, [*lp.graph.edges, extra], [*lp.graph.scores, ix.score(*extra)], False
    )
    lp.include(plan_graph)
    assert not lp.converged
    assert extra in lp.graph.edges
    assert lp.graph.edges.count(extra) == 1
