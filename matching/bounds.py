"""The proven upper bound on the total, for any room size, from a Lagrangian relaxation.

Relaxation: each person v meets at most `degree[v]` others (plus `extra` meetings from rooms of
room_size+1, at most `extra_total` over everyone), each allowed pair at most once; the diversity
bonus counts distinct new countries met. The LP of that model is solved with GLOP on the
(possibly pruned) candidate graph, and its duals are turned into a Lagrangian bound over *all*
allowed pairs: L(u, lam, tau) is an upper bound for any non-negative multipliers, so the result
is proven even when the candidate graph left pairs out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp

from matching.pairs import Graph, Index, positive_reduced, scored_partners


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
    """The bound, the pairs worth adding to the graph, and the LP's support. An LP that does
    not finish within `time_limit_s` gives the weak bound of each person's best partners."""
    g = data.graph
    countries = {ix.country[v] for v in g.nodes}
    lp = pywraplp.Solver.CreateSolver("GLOP")
    # Dual simplex: 23 s instead of 59 s at n = 5,000 with rooms of 4 (128,000 pairs).
    lp.SetSolverSpecificParametersAsString("use_dual_simplex: true")
    if time_limit_s is not None:
        lp.SetTimeLimit(max(1, int(time_limit_s * 1000)))
    x = [lp.NumVar(0.0, 1.0, "") for _ in g.edges]
    t = {v: lp.NumVar(0.0, float(data.extra_max), "") for v in g.nodes}
    y = {
        (v, c): lp.NumVar(0.0, 1.0, "")
        for v in g.nodes
        for c in countries
        if c not in data.met_countries[v]
    }
    deg_rows = {v: lp.Constraint(-lp.infinity(), float(data.degree[v])) for v in g.nodes}
    link_rows = {key: lp.Constraint(-lp.infinity(), 0.0) for key in y}
    extra_row = lp.Constraint(-lp.infinity(), float(data.extra_total))
    objective = lp.Objective()
    for e, (i, j) in enumerate(g.edges):
        objective.SetCoefficient(x[e], float(g.scores[e]))
        deg_rows[i].SetCoefficient(x[e], 1.0)
        deg_rows[j].SetCoefficient(x[e], 1.0)
        for a, b in ((i, j), (j, i)):
            key = (a, ix.country[b])
            if key in link_rows:
                link_rows[key].SetCoefficient(x[e], -1.0)
    for v in g.nodes:
        deg_rows[v].SetCoefficient(t[v], -1.0)
        extra_row.SetCoefficient(t[v], 1.0)
    for key, var in y.items():
        objective.SetCoefficient(var, float(data.new_country))
        link_rows[key].SetCoefficient(var, 1.0)
    objective.SetMaximization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return LagrangianResult(_trivial_bound(ix, data), [], set())
    # Any non-negative multipliers give a valid bound; the LP duals make it tight.
    u: dict[int, float] = {v: abs(row.dual_value()) for v, row in deg_rows.items()}
    lam: dict[tuple[int, int], float] = {
        key: abs(row.dual_value()) for key, row in link_rows.items()
    }
    tau = float(abs(extra_row.dual_value()))

    def reduced(i: int, j: int, s: int) -> float:
        return (
            float(s)
            - u[i]
            - u[j]
            + lam.get((i, ix.country[j]), 0.0)
            + lam.get((j, ix.country[i]), 0.0)
        )

    value = sum(data.degree[v] * u[v] for v in g.nodes) + data.extra_total * tau
    value += sum(data.extra_max * max(0.0, u[v] - tau) for v in g.nodes)
    value += sum(max(0.0, data.new_country - lam[key]) for key in y)
    value += sum(max(0.0, reduced(i, j, s)) for (i, j), s in zip(g.edges, g.scores, strict=True))
    worth: list[tuple[int, int, int]] = []
    if not g.exact:
        ncountry = max(ix.country, default=0) + 1
        lam_rows = {v: [lam.get((v, c), 0.0) for c in range(ncountry)] for v in g.nodes}
        for i, j, s, rc in positive_reduced(ix, g, u, lam_rows):
            value += rc
            worth.append((i, j, s))
    values = [var.solution_value() for var in x]
    support = {e for e, v in zip(g.edges, values, strict=True) if v > 1e-6}
    whole = {e for e, v in zip(g.edges, values, strict=True) if v > 1 - 1e-6}
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
