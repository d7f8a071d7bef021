"""CP-SAT model for the set of meetings (room size 2): which pairs meet at some point of the event.

Under policy v1 the total depends only on who meets whom, not on the round. So we choose a
degree-constrained subgraph of the allowed pairs: each person meets (rounds - sit-outs + rooms of
three) others, each pair at most once, maximising pair scores plus the diversity bonus (one per
distinct new country met). The model ignores the split into rounds, so it is a relaxation of the
full problem and its best bound is a proven upper bound on every plan.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from matching.pairs import Graph
from matching.participant_index import Pair
from matching.types import ProgressInfo, Weights

HINT_FROM = 400  # below this CP-SAT finds good solutions faster than it replays a hint
SECOND_PASS_MAX = 1500  # larger events keep the total-first choice (no time for a second pass)


@dataclass
class MeetingProblem:
    graph: Graph
    rounds: int
    country: list[int]  # by participant index
    met_countries: dict[int, set[int]]  # countries each node has already met (incl. own)
    base_score: dict[int, int]  # score from rounds already played
    sit_min: dict[int, int]  # lowest possible sit-outs per node
    sit_max: dict[int, int]
    triples: tuple[int, int]  # (min, max) rooms of three over the event
    triangles: list[tuple[int, int, int]]  # candidate rooms of three (all three pairs allowed)
    tri_max: int  # rooms of three per person
    forced: set[Pair]
    weights: Weights
    penalty: int  # cost of one sit-out: more than any score gain
    cuts: list[list[Pair]] = field(default_factory=list)  # chosen sets that could not be split
    target: int | None = None  # a proven bound on the objective: stop as soon as it is reached
    odd_sets: list[set[int]] = field(default_factory=list)  # see the odd-set cuts below


@dataclass
class MeetingChoice:
    edges: list[Pair]
    sit: dict[int, int]
    tri: dict[int, int]
    triangles: list[tuple[int, int, int]]  # chosen rooms of three, one per round at most
    total: int
    bound: int  # proven bound on the total among plans with these sit-outs
    optimal: bool


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution and stops the search once the known bound is reached."""

    def __init__(
        self, report: Callable[[ProgressInfo], None] | None, start: float, target: int | None
    ) -> None:
        super().__init__()
        self._report = report
        self._start = start
        self._target = target
        self.reached = False

    def on_solution_callback(self) -> None:
        if self._target is not None and self.objective_value >= self._target - 1e-6:
            self.reached = True
            self.stop_search()
        if self._report is None:
            return
        self._report(
            ProgressInfo(
                phase="meetings",
                elapsed_s=time.monotonic() - self._start,
                objective=int(self.objective_value),
                bound=int(self.best_objective_bound),
            )
        )


def _add_hint(
    problem: MeetingProblem,
    model: cp_model.CpModel,
    x: Sequence[cp_model.IntVar],
    new_country: dict[int, list[tuple[int, cp_model.IntVar]]],
    hint: set[Pair],
) -> None:
    """Hint x and the diversity bools it implies: CP-SAT uses a complete hint far faster."""
    met: set[tuple[int, int]] = set()
    for e, (i, j) in enumerate(problem.graph.edges):
        on = (i, j) in hint
        model.add_hint(x[e], on)
        if on:
            met.add((i, problem.country[j]))
            met.add((j, problem.country[i]))
    for v, ys in new_country.items():
        for c, y in ys:
            model.add_hint(y, (v, c) in met)


def _diversity_terms(
    problem: MeetingProblem, model: cp_model.CpModel, x: list[cp_model.IntVar]
) -> dict[int, list[tuple[int, cp_model.IntVar]]]:
    """Per node: one bool per new country it may meet, true only if it meets someone from there."""
    by_country: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for e, (i, j) in enumerate(problem.graph.edges):
        by_country.setdefault((i, problem.country[j]), []).append(x[e])
        by_country.setdefault((j, problem.country[i]), []).append(x[e])
    out: dict[int, list[tuple[int, cp_model.IntVar]]] = {v: [] for v in problem.graph.nodes}
    for (i, c), xs in by_country.items():
        if c in problem.met_countries[i]:
            continue
        y = model.new_bool_var(f"new_country_{i}_{c}")
        model.add(y <= sum(xs))  # bonus only for a country actually met
        out[i].append((c, y))
    return out


def solve_meetings(
    problem: MeetingProblem,
    *,
    time_limit_s: float,
    seed: int,
    workers: int,
    hint: set[Pair] | None,
    progress: Callable[[ProgressInfo], None] | None,
) -> MeetingChoice | None:
    """Best meeting set; None if the model is infeasible or no solution was found in time."""
    start = time.monotonic()
    g, w = problem.graph, problem.weights
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"meet_{i}_{j}") for i, j in g.edges]
    around = g.neighbours()
    sit = {
        v: model.new_int_var(problem.sit_min[v], problem.sit_max[v], f"sit_out_{v}")
        for v in g.nodes
    }
    index = {e: k for k, e in enumerate(g.edges)}
    # Rooms of three come from a candidate list; a chosen one makes its three pairs meet.
    u = [model.new_bool_var(f"room_of_three_{a}_{b}_{c}") for a, b, c in problem.triangles]
    in_three: dict[int, list[cp_model.IntVar]] = {v: [] for v in g.nodes}
    for t, (a, b, c) in enumerate(problem.triangles):
        for v in (a, b, c):
            in_three[v].append(u[t])
        for e in ((a, b), (a, c), (b, c)):
            model.add_implication(u[t], x[index[e]])
    model.add_linear_constraint(sum(u), *problem.triples)
    tri = {v: sum(in_three[v]) for v in g.nodes}
    # Each person meets one other per round seated, plus one more per round in a room of three.
    for v in g.nodes:
        model.add(sum(in_three[v]) <= problem.tri_max)
        model.add(sum(x[e] for e in around[v]) == problem.rounds - sit[v] + tri[v])
    # Redundant per-round counts: a round seats n - (its sit-outs) people, in rooms of two
    # plus one room of three exactly when that number is odd; nobody sits out twice a round.
    if any(problem.sit_max[v] for v in g.nodes):
        sits_somewhere = []
        for v in g.nodes:
            flag = model.new_bool_var(f"sits_out_{v}")
            model.add(sit[v] <= problem.rounds * flag)
            model.add(sit[v] >= flag)
            sits_somewhere.append(flag)
        out_r = [model.new_int_var(0, len(g.nodes), f"out_{r}") for r in range(problem.rounds)]
        odd_r = [model.new_bool_var(f"odd_{r}") for r in range(problem.rounds)]
        pairs_r = [model.new_int_var(0, len(g.nodes), f"pairs_{r}") for r in range(problem.rounds)]
        for r in range(problem.rounds):
            model.add(2 * pairs_r[r] + 3 * odd_r[r] == len(g.nodes) - out_r[r])
            model.add(out_r[r] <= sum(sits_somewhere))
        model.add(sum(out_r) == sum(sit.values()))
        model.add(sum(odd_r) == sum(u))
    # Organiser pins: these pairs must meet.
    for e in problem.forced:
        model.add(x[index[e]] == 1)
    # No-good cuts: meeting sets already found impossible to split into rounds.
    for cut in problem.cuts:
        model.add(sum(x[index[e]] for e in cut) <= len(cut) - 1)
    # Odd-set cuts (valid for every plan): a round's rooms of two cannot seat an odd group C
    # among themselves, so some meeting leaves C, unless a room of three lies inside C or
    # someone in C sits out that round.
    for group in problem.odd_sets:
        leaving = [x[e] for e, (i, j) in enumerate(g.edges) if (i in group) != (j in group)]
        inside = [u[t] for t, tri_ in enumerate(problem.triangles) if set(tri_) <= group]
        model.add(sum(leaving) + sum(inside) + sum(sit[v] for v in group) >= problem.rounds)
    new_country = _diversity_terms(problem, model, x)

    pair_total = sum(s * x[e] for e, s in enumerate(g.scores))
    diversity_total = w.new_country * sum(y for ys in new_country.values() for _, y in ys)
    total = pair_total + diversity_total
    sit_total = sum(sit.values())
    # First the total alone, so that the solver's bound is a proven bound on the total of every
    # plan; the fairness trade-off is the second pass below.
    model.maximize(total - problem.penalty * sit_total)
    if hint is not None and len(g.nodes) > HINT_FROM:
        _add_hint(problem, model, x, new_country, hint)

    solver = cp_model.CpSolver()
    # With fairness on, the second pass is part of the objective: keep time for it.
    second_pass = len(g.nodes) <= SECOND_PASS_MAX
    first_share = 0.7 if w.fairness > 0 and second_pass else 1.0
    solver.parameters.max_time_in_seconds = max(0.05, time_limit_s * first_share)
    _configure(solver, workers, seed)
    callback = _Progress(progress, start, problem.target)
    status = solver.solve(model, callback)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    optimal = status == cp_model.OPTIMAL or callback.reached
    chosen = {e for e in range(len(x)) if solver.boolean_value(x[e])}
    sits = {v: solver.value(sit[v]) for v in g.nodes}
    chosen_three = [t for t in range(len(u)) if solver.boolean_value(u[t])]
    total_value = int(solver.value(total))
    sit_value = int(solver.value(sit_total))
    # total <= objective bound + penalty * sit-outs, for plans with as many sit-outs.
    best_bound = int(solver.best_objective_bound + 1e-6)
    if callback.reached and problem.target is not None:
        best_bound = min(best_bound, problem.target)
    bound = best_bound + problem.penalty * sit_value

    remaining = time_limit_s - (time.monotonic() - start)
    if (optimal or w.fairness > 0) and remaining > 0.2 and second_pass:
        # Second pass, from the total-optimal choice. fairness = 0: among total-optimal choices,
        # lift the worst-off participant (lexicographic). fairness > 0: maximise
        # total + fairness x (minimum participant score), giving up to `fairness` total points
        # per point for the worst-off (with as few sit-outs either way).
        every = [*x, *sit.values(), *u]
        every += [y for ys in new_country.values() for _, y in ys]
        values = [solver.value(v) for v in every]
        floor = _min_score_var(problem, model, x, around, new_country)
        every.append(floor)
        values.append(
            min(
                problem.base_score.get(v, 0)
                + sum(g.scores[e] for e in around[v] if e in chosen)
                + w.new_country * sum(solver.value(y) for _, y in new_country[v])
                for v in g.nodes
            )
        )
        model.add(sit_total <= sit_value)
        model.clear_hints()  # type: ignore[no-untyped-call]
        for var, value in zip(every, values, strict=True):
            model.add_hint(var, value)
        if w.fairness == 0:
            model.add(total >= total_value)
            model.maximize(floor)
        else:
            model.maximize(total + w.fairness * floor)
        solver.parameters.max_time_in_seconds = (
            min(remaining * 0.3, 1.0 + len(g.nodes) / 200) if w.fairness == 0 else remaining * 0.6
        )
        status2 = solver.solve(model)
        if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = {e for e in range(len(x)) if solver.boolean_value(x[e])}
            sits = {v: solver.value(sit[v]) for v in g.nodes}
            chosen_three = [t for t in range(len(u)) if solver.boolean_value(u[t])]
            total_value = int(solver.value(total))
    return MeetingChoice(
        edges=[g.edges[e] for e in sorted(chosen)],
        sit=sits,
        tri={v: sum(v in problem.triangles[t] for t in chosen_three) for v in g.nodes},
        triangles=[problem.triangles[t] for t in chosen_three],
        total=total_value,
        bound=bound,
        optimal=optimal,
    )


def _min_score_var(
    problem: MeetingProblem,
    model: cp_model.CpModel,
    x: Sequence[cp_model.IntVar],
    around: dict[int, list[int]],
    new_country: dict[int, list[tuple[int, cp_model.IntVar]]],
) -> cp_model.IntVar:
    """A variable bounded by every participant's score (fairness)."""
    g, w = problem.graph, problem.weights
    top = sum(sorted(g.scores, reverse=True)[: 2 * problem.rounds + 2]) + 10 * problem.rounds
    top += max(problem.base_score.values(), default=0)
    floor = model.new_int_var(0, top, "min_participant_score")
    for v in g.nodes:
        own = sum(g.scores[e] * x[e] for e in around[v]) + w.new_country * sum(
            y for _, y in new_country[v]
        )
        model.add(floor <= problem.base_score.get(v, 0) + own)
    return floor


def _configure(solver: cp_model.CpSolver, workers: int, seed: int) -> None:
    """On 1-2 cores one worker with the full LP relaxation beats a thin portfolio by far."""
    if workers <= 2:
        solver.parameters.num_workers = 1
        solver.parameters.linearization_level = 2
    else:
        solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
