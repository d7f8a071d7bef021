"""Bounds and column generation for plan_rounds: the LP relaxation over all allowed pairs."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from matching.bounds import BoundInput, PairLP
from matching.pairs import Graph
from matching.participant_index import Index, Pair
from matching.plan_state import Rooms, State


@dataclass
class Budget:
    start: float
    limit: float

    def left(self) -> float:
        return max(0.0, self.limit - (time.monotonic() - self.start))


def _seated(plan: Sequence[Rooms], people: Sequence[int]) -> dict[int, int]:
    """How many rounds of `plan` seat each person."""
    seated = dict.fromkeys(people, 0)
    for rooms in plan:
        for room in rooms:
            for v in room:
                seated[v] += 1
    return seated


def _bound_input(
    ix: Index,
    graph: Graph,
    n_rounds: int,
    state: State,
    seated: dict[int, int],  # rounds each person is seated in
    seated_per_round: list[int],
) -> BoundInput:
    k = ix.settings.room_size
    return BoundInput(
        graph=graph,
        degree={v: (k - 1) * seated[v] for v in graph.nodes},
        extra_max=1 if k == 2 and len(seated) >= 3 * n_rounds else n_rounds,
        extra_total=sum((k + 1) * (s % k) for s in seated_per_round),
        met_countries={v: set(state.met_countries[v]) for v in graph.nodes},
        new_country=ix.settings.weights.new_country,
    )


class ColumnGeneration:
    """The LP bound for plans that seat everyone every round (or, given `plan`, each person and
    each round as often as `plan` does), on a pruned graph: left-out pairs whose reduced cost is
    positive join the graph until none is left. Then the LP of the pruned graph equals the LP
    over all allowed pairs, so a plan that reaches the bound is proven optimal. Every solve's
    Lagrangian bound is proven, converged or not.
    """

    def __init__(
        self,
        ix: Index,
        graph: Graph,
        n_rounds: int,
        state: State,
        nodes: Sequence[int],
        plan: Sequence[Rooms] | None = None,
    ) -> None:
        if plan is None:
            seated, per_round = dict.fromkeys(nodes, n_rounds), [len(nodes)] * n_rounds
        else:
            seated = _seated(plan, nodes)
            per_round = [sum(len(room) for room in rooms) for rooms in plan]
        data = _bound_input(ix, graph, n_rounds, state, seated, per_round)
        self.lp = PairLP(ix, data)
        self.bound: int | None = None
        self.support: set[Pair] = set()  # the LP's pairs in its last solve
        self.whole: set[Pair] = set()  # those at value 1
        self.converged = graph.exact
        self.last_s = 0.0  # how long the last solve took

    def run(self, budget: Budget, keep_free: float) -> int:
        """Solve and add pairs until none is worth adding, or the next solve would likely leave
        less than `keep_free` of the time limit (at n = 5,000 one takes up to 18-23 s)."""
        for _ in range(12):
            started = time.monotonic()
            result = self.lp.solve(max(0.1, budget.left()))
            self.last_s = time.monotonic() - started
            self.bound = result.bound if self.bound is None else min(self.bound, result.bound)
            if result.support:  # else the LP ran out of time: keep the last solve's
                self.support, self.whole = result.support, result.whole
            self.converged = not result.worth and bool(result.support)
            if result.worth:
                self.lp.add([((i, j), s) for i, j, s in result.worth])
            if self.converged or budget.left() - 1.5 * self.last_s < keep_free * budget.limit:
                break
        assert self.bound is not None
        return self.bound

    def include(self, graph: Graph) -> None:
        """Pairs of `graph` that the LP lacks (a plan's meetings outside the pruned graph)."""
        known = set(self.lp.edges)
        extra = [(e, s) for e, s in zip(graph.edges, graph.scores, strict=True) if e not in known]
        if extra:
            self.lp.add(extra)
            self.converged = False

    @property
    def graph(self) -> Graph:
        """The graph with every pair priced in so far."""
        return self.lp.graph()


def restricted(graph: Graph, keep: set[Pair]) -> Graph:
    """The graph cut down to `keep`: CP-SAT's search space for large events."""
    pairs = [(e, s) for e, s in zip(graph.edges, graph.scores, strict=True) if e in keep]
    return Graph(graph.nodes, [e for e, _ in pairs], [s for _, s in pairs], exact=False)
