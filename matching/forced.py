"""A proven lower bound on sit-outs per round in group rooms (3-6).

Two reasons force sit-outs. Someone may have no valid room at all: no room_size - 1 others who
may all share a room with them and with each other (having possible room-mates is not enough:
at the generated n=200 event three people speak only Spanish and Portuguese, and no room of 3
seats them). They sit out every round. The others fill at most `max_seated` seats a round under
the country cap. Neither looks at who met in the rounds being planned, so the bound holds in
every round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from matching.feasibility import max_seated
from matching.pairs import Index
from matching.policy import country_cap

SEARCH_BUDGET = 20_000  # clique-search steps per person; past it, assume a room exists


def _has_room(ix: Index, p: int, others: Sequence[int], k: int) -> bool:
    near = [q for q in others if ix.allowed(p, q)]
    steps = 0

    def extend(room: list[int], start: int) -> bool:
        nonlocal steps
        if len(room) == k:
            return True
        for i in range(start, len(near)):
            steps += 1
            if steps > SEARCH_BUDGET:
                return True  # not proven roomless: keep the bound valid
            q = near[i]
            if all(ix.allowed(q, x) for x in room) and extend([*room, q], i + 1):
                return True
        return False

    return extend([p], 0)


def roomless(ix: Index, people: Sequence[int]) -> list[int]:
    """People who fit no room of room_size at all (pairwise rules only, cap 1 included)."""
    k = ix.settings.room_size
    return [p for p in people if not _has_room(ix, p, people, k)]


def forced_sit_outs(ix: Index, people: Sequence[int], never: Sequence[int] = ()) -> int:
    """At least this many of `people` sit out in every round; `never`: their roomless ones."""
    gone = set(never)
    rest = [p for p in people if p not in gone]
    counts = Counter(ix.country[p] for p in rest)
    k = ix.settings.room_size
    return len(people) - max_seated(list(counts.values()), len(rest), k, country_cap(ix.settings))
