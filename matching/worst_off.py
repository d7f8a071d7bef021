"""Raise the worst-off participant's score by swaps, at a bounded cost to the event's total.

The trade-off is Weights.fairness: the total may give up that many points per point the
minimum rises. Swaps never add a breach, so seating and validity stay as they are.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matching.group_search import GroupSearch

LIFT_SAMPLE = 60  # people tried as the other side of a swap that lifts the worst-off
LIFT_APPLY = 4  # of those, the best tried for real
LIFT_TRIES = 200  # failed lifts in a row before the worst-off are left as they are


def lift_worst(s: GroupSearch, deadline: float, fairness: int, base: dict[int, int]) -> None:
    """Raise the worst-off person's score where the event's total pays at most
    `fairness` points per point raised (the trade-off of Weights.fairness).

    With m people tied at the minimum, lifting one of them may cost fairness / m. Swaps
    never add a breach, so seating and validity stay as they are.
    """
    if fairness <= 0:
        return
    # Not those who fit no room at all: they stay at their score whatever the plan.
    score = {p: base.get(p, 0) + s.own_score(p) for p in s.people if p not in s.never}
    stale = 0 if score else LIFT_TRIES
    while time.monotonic() < deadline and stale < LIFT_TRIES:
        low = min(score.values())
        worst = [p for p, v in score.items() if v == low]
        allowed = fairness // len(worst)  # what one lift may cost the total
        p, r = s.rng.choice(worst), s.rng.randrange(len(s.rooms))
        stale += 1
        for d, a, b in _lift_moves(s, r, p, -allowed):
            mates = _affected(s, r, a, b)
            s.swap(r, a, b)
            after = {q: base.get(q, 0) + s.own_score(q) for q in mates if q in score}
            others = [v for q, v in score.items() if q not in after]
            new_low = min([*others, *after.values()])
            ties = sum(v == new_low for v in [*others, *after.values()])
            lifted = new_low > low or (new_low == low and ties < len(worst))
            if lifted and (d + fairness * (new_low - low) > 0 or d >= -allowed):
                score.update(after)
                stale = 0
                break
            s.swap(r, a, b)  # undo


def _lift_moves(s: GroupSearch, r: int, p: int, least: int) -> list[tuple[int, int, int]]:
    """Swaps in round r that move p, or bring p a new room-mate, costing at most -least;
    best first."""
    rs, where = s.rooms[r], s.where[r]
    mine = where[p]
    movers = [p] + ([q for q in rs[mine] if q != p] if mine != len(rs) - 1 else [])
    others = [b for b in s.people if where[b] != mine]
    if len(others) > LIFT_SAMPLE:
        others = s.rng.sample(others, LIFT_SAMPLE)
    moves = []
    for a in movers:
        for b in others:
            d = s.delta(r, a, b)
            if d >= least:
                moves.append((d, a, b))
    moves.sort(reverse=True)
    return moves[:LIFT_APPLY]


def _affected(s: GroupSearch, r: int, a: int, b: int) -> list[int]:
    """Whose score a swap of a and b in round r can change: both rooms' members."""
    rs, where = s.rooms[r], s.where[r]
    bench = len(rs) - 1
    return [q for c in {where[a], where[b]} - {bench} for q in rs[c]] + [a, b]
