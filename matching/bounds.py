"""The proven upper bound on the total, for any room size, from a Lagrangian relaxation.

Relaxation: each person v meets at most `degree[v]` others (plus `extra` meetings from rooms of
room_size+1, at most `extra_total` over everyone), each allowed pair at most once; the diversity
bonus counts distinct new countries met. The LP of that model is solved with GLOP on the
(possibly pruned) candidate graph, and its duals are turned into a Lagrangian bound over *all*
allowed pairs: L(u, lam, tau) is an upper bound for any non-negative multipliers, so the result
is proven even when the candidate graph left pairs out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp

from matching.pairs import Graph, positive_reduced, scored_partners
from matching.participant_index import Index, Pair

NO_PRESOLVE = "use_preprocessing:false"


@dataclass
class BoundInput:
    graph: Graph
    degree: dict[int, int]  # meetings per node without extra places
    extra_max: int  # extra meetings per node from larger rooms
    extra_total: int  # extra meetings over everyone
    met_countries: dict[int, set[int]]
    new_country: int  # weight of the diversity bonus


@dataclass
class LagrangianResult:
    bound: int
    worth: list[tuple[int, int, int]]  # left-out pairs with positive reduced cost (i, j, score)
    support: set[tuple[int, int]]  # graph edges the LP uses
    whole: set[tuple[int, int]] = field(default_factory=set)  # those at value 1


def lagrangian_bound(ix: Index, data: BoundInput) -> int:
    return lagrangian(ix, data).bound


def lagrangian(ix: Index, data: BoundInput, time_limit_s: float | None = None) -> LagrangianResult:
    """The bound, the pairs worth adding to the graph, and the LP's support, from one solve. An
    LP that does not finish within `time_limit_s` gives the weak bound of each person's best
    partners."""
    return PairLP(ix, data).solve(time_limit_s)


class PairLP:
    """The LP on the candidate graph, kept between solves so that column generation can add
    pairs as new columns.

    No presolve, so that a pass after new columns starts from the last basis; the passes
    after the first use the primal simplex. Rooms of 2 at n = 5,000: 18 s for the first pass
    (primal, no scaling), then 18, 5, 3 and 3 s, against 34 s each from scratch with the dual
    simplex and presolve; n = 1,000: 0.5 s, then 0.1-0.2 s. Group rooms (three times the
    degree) start with the dual simplex: rooms of 4 at n = 5,000, 23 s (65 s with the primal,
    19 s with presolve), then 20 and 6 s.
    """

    def __init__(self, ix: Index, data: BoundInput) -> None:
        self.ix, self.data = ix, data
        g = data.graph
        self.nodes = g.nodes
        self.edges: list[Pair] = []
        self.scores: list[int] = []
        self.exact = g.exact
        lp = pywraplp.Solver.CreateSolver("GLOP")
        assert lp is not None
        self.lp = lp
        self.params = pywraplp.MPSolverParameters()
        self.params.SetIntegerParam(self.params.PRESOLVE, self.params.PRESOLVE_OFF)
        self.next_passes: str | None = None  # GLOP parameters after the first solve
        if ix.settings.room_size > 2:
            lp.SetSolverSpecificParametersAsString(f"{NO_PRESOLVE} use_dual_simplex:true")
            self.next_passes = NO_PRESOLVE
        else:
            lp.SetSolverSpecificParametersAsString(f"{NO_PRESOLVE} use_scaling:false")
        inf = lp.infinity()
        countries = {ix.country[v] for v in g.nodes}
        self.x: list[pywraplp.Variable] = []
        self.t = {v: lp.NumVar(0.0, float(data.extra_max), "") for v in g.nodes}
        self.y = {
            (v, c): lp.NumVar(0.0, 1.0, "")
            for v in g.nodes
            for c in countries
            if c not in data.met_countries[v]
        }
        self.deg_rows = {v: lp.Constraint(-inf, float(data.degree[v])) for v in g.nodes}
        self.link_rows = {key: lp.Constraint(-inf, 0.0) for key in self.y}
        self.extra_row = lp.Constraint(-inf, float(data.extra_total))
        objective = lp.Objective()
        for v in g.nodes:
            self.deg_rows[v].SetCoefficient(self.t[v], -1.0)
            self.extra_row.SetCoefficient(self.t[v], 1.0)
        for key, var in self.y.items():
            objective.SetCoefficient(var, float(data.new_country))
            self.link_rows[key].SetCoefficient(var, 1.0)
        objective.SetMaximization()
        self.add(list(zip(g.edges, g.scores, strict=True)))

    def add(self, edges: Sequence[tuple[Pair, int]]) -> None:
        """New pairs (not in the LP yet) as columns."""
        lp, ix = self.lp, self.ix
        objective = lp.Objective()
        for (i, j), s in edges:
            x = lp.NumVar(0.0, 1.0, "")
            objective.SetCoefficient(x, float(s))
            self.deg_rows[i].SetCoefficient(x, 1.0)
            self.deg_rows[j].SetCoefficient(x, 1.0)
            for a, b in ((i, j), (j, i)):
                row = self.link_rows.get((a, ix.country[b]))
                if row is not None:
                    row.SetCoefficient(x, -1.0)
            self.x.append(x)
            self.edges.append((i, j))
            self.scores.append(s)

    def graph(self) -> Graph:
        return Graph(self.nodes, list(self.edges), list(self.scores), self.exact)

    def solve(self, time_limit_s: float | None = None) -> LagrangianResult:
        ix, data, lp = self.ix, self.data, self.lp
        if time_limit_s is not None:
            lp.SetTimeLimit(max(1, int(time_limit_s * 1000)))
        status = lp.Solve(self.params)
        if self.next_passes is not None:
            lp.SetSolverSpecificParametersAsString(self.next_passes)
            self.next_passes = None
        if status != pywraplp.Solver.OPTIMAL:
            return LagrangianResult(_trivial_bound(ix, data), [], set())
        # Any non-negative multipliers give a valid bound; the LP duals make it tight.
        u: dict[int, float] = {v: abs(row.dual_value()) for v, row in self.deg_rows.items()}
        lam: dict[tuple[int, int], float] = {
            key: abs(row.dual_value()) for key, row in self.link_rows.items()
        }
        tau = float(abs(self.extra_row.dual_value()))

        def reduced(i: int, j: int, s: int) -> float:
            return (
                float(s)
                - u[i]
                - u[j]
                + lam.get((i, ix.country[j]), 0.0)
                + lam.get((j, ix.country[i]), 0.0)
            )

        value = sum(data.degree[v] * u[v] for v in self.nodes) + data.extra_total * tau
        value += sum(data.extra_max * max(0.0, u[v] - tau) for v in self.nodes)
        value += sum(max(0.0, data.new_country - lam[key]) for key in self.y)
        value += sum(
            max(0.0, reduced(i, j, s)) for (i, j), s in zip(self.edges, self.scores, strict=True)
        )
        worth: list[tuple[int, int, int]] = []
        if not self.exact:
            ncountry = max(ix.country, default=0) + 1
            lam_rows = {v: [lam.get((v, c), 0.0) for c in range(ncountry)] for v in self.nodes}
            for i, j, s, rc in positive_reduced(ix, self.graph(), u, lam_rows):
                value += rc
                worth.append((i, j, s))
        values = [var.solution_value() for var in self.x]
        support = {e for e, v in zip(self.edges, values, strict=True) if v > 1e-6}
        whole = {e for e, v in zip(self.edges, values, strict=True) if v > 1 - 1e-6}
        return LagrangianResult(int(value + 1e-6), worth, support, whole)


def _trivial_bound(ix: Index, data: BoundInput) -> int:
    around = data.graph.neighbours()
    total = 0.0
    for v in data.graph.nodes:
        best = sorted((data.graph.scores[e] for e in around[v]), reverse=True)
        total += sum(best[: data.degree[v] + data.extra_max]) / 2
        total += data.new_country * (data.degree[v] + data.extra_max)
    return int(total)


def best_possible(ix: Index, meetings: int) -> list[int]:
    """Each person's own score can be at most this, in any plan where they meet `meetings`
    others: their best pair scores plus one diversity bonus per other country among those
    they may meet. The smallest entry bounds the minimum participant score of every plan."""
    w = ix.settings.weights
    everyone = list(range(ix.n))
    out = []
    for i in everyone:
        mates = scored_partners(ix, i, everyone)
        best = sorted((s for _, s in mates), reverse=True)[:meetings]
        countries = len({ix.country[j] for j, _ in mates} - {ix.country[i]})
        out.append(sum(best) + w.new_country * min(countries, meetings))
    return out
