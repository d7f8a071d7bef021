"""Scoring (policy v1 totals) and validation (H1-H5, room sizes, pins) of a finished plan."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from matching.policy import pair_score
from matching.types import EventSettings, Participant, Pin, Plan, RoundPlan, Score
from matching.violations import plan_violations, round_violations


def participant_scores(
    participants: Sequence[Participant], settings: EventSettings, rounds: Sequence[RoundPlan]
) -> tuple[dict[str, int], int, int]:
    """Per-participant score (pair scores + own diversity), the pair total, the diversity total."""
    by_id = {p.id: p for p in participants}
    w = settings.weights
    met_countries = {p.id: {p.country} for p in participants}
    per: dict[str, int] = dict.fromkeys(by_id, 0)
    pair_total = diversity_total = 0
    for rnd in sorted(rounds, key=lambda r: r.number):
        for room in rnd.rooms:
            members = [by_id[i] for i in room.participants if i in by_id]
            for x, a in enumerate(members):
                for b in members[x + 1 :]:
                    s = pair_score(a, b, w)
                    pair_total += s
                    per[a.id] += s
                    per[b.id] += s
            for a in members:
                for b in members:
                    if b.id != a.id and b.country not in met_countries[a.id]:
                        met_countries[a.id].add(b.country)
                        diversity_total += w.new_country
                        per[a.id] += w.new_country
    return per, pair_total, diversity_total


def score_plan(
    participants: Sequence[Participant],
    settings: EventSettings,
    rounds: Sequence[RoundPlan],
    *,
    left_out: Collection[str] = (),
) -> Score:
    """Policy v1 total, its parts, the minimum participant score, hard violations and sit-outs.

    The minimum is over every participant except `left_out` (those who cannot be placed, or
    who dropped out): someone placeable whom the plan never seats counts, with 0.
    """
    per, pair_total, diversity_total = participant_scores(participants, settings, rounds)
    sit_outs = sum(len(r.sitting_out) for r in rounds)
    violations = len(round_violations(participants, settings, rounds))
    skip = set(left_out)
    scores = [v for i, v in per.items() if i not in skip]
    return Score(
        total=pair_total + diversity_total,
        pair=pair_total,
        diversity=diversity_total,
        min_participant=min(scores) if scores else 0,
        violations=violations,
        sit_outs=sit_outs,
    )


def validate_plan(
    participants: Sequence[Participant],
    settings: EventSettings,
    plan: Plan,
    *,
    pins: Sequence[Pin] = (),
) -> list[str]:
    """Human-readable violations of H1-H5, room-size rules and pins; empty list = valid.
    (plan_violations gives the same breaks structured.)"""
    return [v.text for v in plan_violations(participants, settings, plan.rounds, pins)]


def rule_breaks(
    participants: Sequence[Participant],
    settings: EventSettings,
    rounds: Sequence[RoundPlan],
    *,
    pins: Sequence[Pin] = (),
) -> list[str]:
    """validate_plan's problems for some rounds only (no check of the round count)."""
    return [v.text for v in round_violations(participants, settings, rounds, pins)]
