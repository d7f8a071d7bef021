"""Rooms of 2: the most the worst-off participant can get among plans with the best total.

With `Weights.fairness` 0 the planner's meeting model (matching.meetings) solves twice on one
CP-SAT solver: first the best total, then, keeping that total, the highest minimum participant
score. Every plan's meetings are a solution of that model, so when the first pass reaches the
proven bound and the second pass ends OPTIMAL, no plan with the best total gives everyone more.
Planning caps the second pass at a few seconds; this check gives it `seconds`. It does so by
handing matching.meetings a solver class that changes the time of a solver's second solve and
records its result: a benchmark hook, not a planner option.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ortools.sat.python import cp_model

import matching.meetings
from bench.child_process import result_from_child
from matching import EventSettings, plan_event
from matching.generate import generate_participants
from matching.types import Weights


class _CpModule:
    """`cp_model`, with a CpSolver whose second solve gets `seconds` and is recorded."""

    def __init__(self, seconds: float, seen: list[tuple[str, float, float]]) -> None:
        outer = self

        class Solver(cp_model.CpSolver):
            def __init__(self) -> None:
                super().__init__()
                self.calls = 0

            def solve(self, model: Any, *args: Any, **kwargs: Any) -> Any:
                self.calls += 1
                if self.calls == 2:
                    self.parameters.max_time_in_seconds = outer.seconds
                status = super().solve(model, *args, **kwargs)
                if self.calls == 2:
                    outer.seen.append(
                        (self.status_name(status), self.objective_value, self.best_objective_bound)
                    )
                return status

        self.seconds, self.seen, self.CpSolver = seconds, seen, Solver

    def __getattr__(self, name: str) -> Any:
        return getattr(cp_model, name)


def _child(n: int, seed: int, limit: float, seconds: float, queue: Any) -> None:
    seen: list[tuple[str, float, float]] = []
    matching.meetings.cp_model = _CpModule(seconds, seen)  # type: ignore[attr-defined,assignment]
    people = generate_participants(n, seed=seed)
    weights = dataclasses.replace(Weights(), fairness=0)
    settings = EventSettings(rounds=4, room_size=2, weights=weights)
    plan = plan_event(people, settings, time_limit_s=limit + seconds, seed=seed, workers=2)
    queue.put(
        {
            "total": plan.score.total,
            "bound": plan.upper_bound,
            "min_participant": plan.score.min_participant,
            "second_pass": seen[-1] if seen else None,
        }
    )


def best_total_minimum(n: int, seed: int, limit: float, seconds: float) -> dict[str, Any]:
    """In a child process (the hook stays there): the plan's total and bound, its minimum, and
    the second pass's (status, best minimum found, proven bound on it)."""
    return result_from_child(_child, n, seed, limit, seconds)
