"""Must-meet pins for any round, dealt to rounds so that each round's pinned people fit a room.

The planner seats pins round by round, so a pin for "any round" is first given one. Dealt in
turn, two pins of one person could land in the same round with partners who may not share a
room (X must meet two Belgians: in rounds of X's own room, only one of them fits), and one of
them was then not kept although another round had room for it. Here each pin goes to a round
where the people pinned together there still form a valid room, spreading a person's pins over
the rounds; only a pin that fits no round falls back to the round with the fewest pins.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from matching.participant_index import Index, Pair
from matching.policy import country_cap

NODE_LIMIT = 5_000  # dealings tried; organisers set a handful of pins, so this is ample


def deal_anytime(
    ix: Index, together: Mapping[int, Sequence[Pair]], anytime: Sequence[Pair], n_rounds: int
) -> dict[int, list[Pair]]:
    """Round pins (0-based rounds) with every anytime pin added to one round: as many as can
    be fitted (a short depth-first search), the rest to the round with the fewest pins."""
    rounds = range(max(1, n_rounds))
    out = {r: list(together.get(r, [])) for r in rounds}
    best: list[int | None] = []
    chosen: list[int | None] = []
    nodes = 0

    def search(i: int, kept: int) -> None:
        nonlocal best, nodes
        nodes += 1
        if nodes > NODE_LIMIT or kept + len(anytime) - i <= sum(r is not None for r in best):
            return
        if i == len(anytime):
            best = list(chosen)
            return
        a, b = anytime[i]
        fitting = [r for r in rounds if _fits(ix, _linked(out[r], a, b))]
        # Spread a person's pins, then fill the emptier rounds first.
        fitting.sort(key=lambda r: (sum(1 for p in out[r] if a in p or b in p), len(out[r]), r))
        for r in [*fitting, None]:
            if r is not None:
                out[r].append((a, b))
            chosen.append(r)
            search(i + 1, kept + (r is not None))
            chosen.pop()
            if r is not None:
                out[r].pop()
            if sum(r is not None for r in best) == len(anytime):
                return

    search(0, 0)
    best += [None] * (len(anytime) - len(best))
    for pin, r in zip(anytime, best, strict=True):
        if r is None:
            r = min(rounds, key=lambda q: (len(out[q]), q))
        out[r].append(pin)
    return {r: pins for r, pins in out.items() if pins or r in together}


def _linked(pins: Sequence[Pair], a: int, b: int) -> set[int]:
    """Everyone joined to a or b by this round's pins (one room must hold them all)."""
    group = {a, b}
    grew = True
    while grew:
        grew = False
        for i, j in pins:
            if (i in group) != (j in group):
                group |= {i, j}
                grew = True
    return group


def _fits(ix: Index, group: set[int]) -> bool:
    members = sorted(group)
    if len(members) > ix.settings.room_size:
        return False
    cap = country_cap(ix.settings)
    if cap is not None and max(Counter(ix.country[v] for v in members).values()) > cap:
        return False
    return all(ix.allowed(i, j) for n, i in enumerate(members) for j in members[n + 1 :])
