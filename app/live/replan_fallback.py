"""A round start whose re-plan failed: close the gaps by hand, so the round still starts."""

from __future__ import annotations

from collections.abc import Sequence

import matching


def patch_rounds(
    rounds: list[matching.RoundPlan], first_round: int, absent: frozenset[str], late: frozenset[str]
) -> list[matching.RoundPlan]:
    """Without the solver: drop absent people, leave nobody alone, add late arrivals."""
    out = []
    for r in rounds:
        if r.number < first_round:
            continue
        rooms = [[p for p in room.participants if p not in absent] for room in r.rooms]
        extra = [room[0] for room in rooms if len(room) == 1] + sorted(late)
        rooms = [room for room in rooms if len(room) >= 2]
        if not rooms:
            rooms = [extra] if extra else []
        else:
            for pid in extra:
                min(rooms, key=len).append(pid)
        out.append(
            matching.RoundPlan(
                r.number,
                tuple(matching.Room(k, tuple(room)) for k, room in enumerate(rooms, start=1)),
                tuple(p for p in r.sitting_out if p not in absent),
            )
        )
    return out


def patched_plan(
    people: Sequence[matching.Participant],
    settings: matching.EventSettings,
    rounds: list[matching.RoundPlan],
    *,
    first_round: int,
    absent: frozenset[str],
    late: frozenset[str],
    bound: int,
) -> matching.Plan:
    """The stored rounds patched from `first_round` on, scored as a plan is stored.

    `bound`: the plan's in force; no solve proved a new one (as after a hand edit).
    """
    played = [r for r in rounds if r.number < first_round]
    all_rounds = [*played, *patch_rounds(rounds, first_round, absent, late)]
    score = matching.score_plan(people, settings, all_rounds, left_out=absent)
    return matching.Plan(
        rounds=tuple(all_rounds),
        score=score,
        upper_bound=max(bound, score.total),  # never below what the rooms score
        elapsed_s=0.0,
    )
