"""Bounds and column generation for plan_rounds: the LP relaxation over all allowed pairs."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from matching.bounds import BoundInput, LagrangianResult, lagrangian
from matching.greedy import Rooms, State
from matching.pairs import Graph, Index, Pair


@dataclass
class Budget:
    start: float
    limit: float

    def left(self) -> float:
        return max(0.0, self.limit - (time.monotonic() - self.start))


def bound_for(
    ix: Index,
    graph: Graph,
    n_rounds: int,
    state: State,
    plan: Sequence[Rooms],
    people: Sequence[int],
    seated_per_round: list[int],
    *,
    full: bool = False,
    time_limit_s: float | None = None,
) -> LagrangianResult:
    k = ix.settings.room_size
    seated = dict.fromkeys(people, n_rounds if full else 0)
    if full:
        plan = []
    for rooms in plan:
        for room in rooms:
            for v in room:
                seated[v] += 1
    extra_total = sum((k + 1) * (s % k) for s in seated_per_round)
    data = BoundInput(
        graph=graph,
        degree={v: (k - 1) * seated[v] for v in graph.nodes},
        extra_max=1 if k == 2 and len(people) >= 3 * n_rounds else n_rounds,
        extra_total=extra_total,
        met_countries={v: set(state.met_countries[v]) for v in graph.nodes},
        new_country=ix.settings.weights.new_country,
    )
    return lagrangian(ix, data, time_limit_s)


def priced(
    ix: Index,
    graph: Graph,
    budget: Budget,
    n_rounds: int,
    state: State,
    nodes: Sequence[int],
    *,
    keep_free: float = 0.75,
) -> tuple[Graph, int, set[Pair], set[Pair]]:
    """Column generation: add left-out pairs whose LP reduced cost is positive, until none is.

    Then the LP of the pruned graph equals the LP over all allowed pairs, so a plan that reaches
    the returned bound is proven optimal. Also returns the LP's support, and the pairs it meets
    in whole (value 1).
    """
    seated = [len(nodes)] * n_rounds
    bound = None
    for _ in range(8):
        started = time.monotonic()
        result = bound_for(ix, graph, n_rounds, state, [], nodes, seated, full=True)
        bound = result.bound if bound is None else min(bound, result.bound)
        # The next LP is larger than this one: start it only if it likely fits in the time left (at
        # n = 5,000 one takes several seconds, and the last one used to overrun the limit).
        spent = time.monotonic() - started
        if not result.worth or budget.left() - 1.5 * spent < keep_free * budget.limit:
            break
        graph = Graph(
            graph.nodes,
            graph.edges + [(i, j) for i, j, _ in result.worth],
            graph.scores + [s for _, _, s in result.worth],
            exact=False,
        )
    return graph, bound if bound is not None else result.bound, result.support, result.whole


def restricted(graph: Graph, keep: set[Pair]) -> Graph:
    """The graph cut down to `keep`: CP-SAT's search space for large events."""
    pairs = [(e, s) for e, s in zip(graph.edges, graph.scores, strict=True) if e in keep]
    return Graph(graph.nodes, [e for e, _ in pairs], [s for _, s in pairs], exact=False)
