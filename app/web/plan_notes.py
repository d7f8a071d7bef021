"""Which of a plan's warnings are the planner's notes on how it solved: nothing to act on.

The plan keeps every warning as stored (the API lists them all); the schedule page shows only the
ones an organiser must act on (a break kept with force, a pin not kept, who sits out) as warnings
and folds these notes away.
"""

from __future__ import annotations

from collections.abc import Iterable

from matching.notes import SOLVER_NOTES


def is_solver_note(warning: str) -> bool:
    # Prefixes: a note that gains detail after a colon still matches.
    return warning.startswith(SOLVER_NOTES)


def split_warnings(warnings: Iterable[str]) -> tuple[list[str], list[str]]:
    """(what the organiser must act on, the planner's notes), each in the stored order."""
    act: list[str] = []
    notes: list[str] = []
    for warning in warnings:
        (notes if is_solver_note(warning) else act).append(warning)
    return act, notes
