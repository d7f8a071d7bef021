"""One more seat in a round of the group search, even where it breaks a rule for now.

The seat goes to someone sitting out, in the room where they break the fewest rules, or in a new
room opened with one person from each room of room_size + 1; matching.group_plan then repairs
the breaches by swaps, or undoes the seat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matching.participant_index import pair

if TYPE_CHECKING:
    from matching.group_search import GroupSearch

GROW_PAIRS = 20_000  # (person sitting out, room) pairs weighed for one more seat, at most


def grow(s: GroupSearch, r: int) -> bool:
    """One seat more in round r (someone off the bench, rooms kept at size k or k + 1)."""
    k = s.ix.settings.room_size
    rs = s.rooms[r]
    bench = len(rs) - 1
    waiting = [q for q in rs[bench] if q not in s.never]
    if not waiting:
        return False
    big = [c for c in range(bench) if len(rs[c]) == k + 1]
    small = [c for c in range(bench) if len(rs[c]) == k]
    if small and len(big) < k - 1:
        # Whoever fits some room with the fewest broken rules: least to repair. (A sample
        # on large events: all pairs of them took over a second a call at n = 5,000.)
        if len(waiting) * len(small) > GROW_PAIRS:
            waiting = s.rng.sample(waiting, min(len(waiting), 20))
            small = s.rng.sample(small, min(len(small), GROW_PAIRS // len(waiting)))
        clashes = {(p, c): sum(_clash(s, r, p, q) for q in rs[c]) for p in waiting for c in small}
        least = min(clashes.values())
        p, c = s.rng.choice([pc for pc, n in clashes.items() if n == least])
        s.move(r, p, c)
        return True
    p = s.rng.choice(waiting)
    if len(big) != k - 1:
        return False
    # k - 1 rooms of k + 1: their extra people and p open a new room of k.
    bench = s.open_room(r)
    s.move(r, p, bench)
    for c in big:
        s.move(r, s.rng.choice(rs[c]), bench)
    return True


def _clash(s: GroupSearch, r: int, p: int, q: int) -> bool:
    """Whether p joining q's room in round r breaks a pair rule (p is not in that room)."""
    return s.pair_value(p, q, r) < 0 or s.occ[pair(p, q)] > 0
