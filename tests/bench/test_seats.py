"""`python -m bench seats`: plans with and without the neighbourhood search on seats."""

from __future__ import annotations

import matching.round_reseat
from bench import seats


def test_both_variants_plan_every_event_and_the_planner_is_left_as_it_was() -> None:
    rows = seats.plan_rows(12, 3, events=2, runs=1, seconds=0.5)

    assert [(r.variant, r.event) for r in rows] == [
        ("without", 1),
        ("with", 1),
        ("without", 2),
        ("with", 2),
    ]
    assert all(r.violations == 0 for r in rows)
    assert matching.round_reseat.RESEAT_SHARE > 0  # the benchmark's switch is put back
    lines = seats.summary(rows)
    assert lines[0].startswith("without the neighbourhood search, 2 plans: mean sit-outs ")
    assert lines[1].startswith("with the neighbourhood search, 2 plans: mean sit-outs ")
