"""The group search's objective, from scratch and as the change one swap makes to it.

The objective is the event's total (pair scores plus the event-wide diversity bonus) minus HARD
per hard-rule breach (H1-H5, country cap, a pair meeting twice in the event, a broken pin) minus
FAIR per repeated sit-out of one person. Repeats are counted across rounds, so a full round 4 can
be bought by changing rounds 1-3. `delta` is the Python scorer that matching.anneal_kernel
mirrors; the tests compare the two swap by swap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from matching.participant_index import Pair, pair

if TYPE_CHECKING:
    from matching.group_search import GroupSearch

HARD = 10_000  # per breach: above any score or fairness gain of one swap
FAIR = 100  # per extra sit-out of one person: sit-outs rotate before score counts


def delta(s: GroupSearch, r: int, a: int, b: int) -> int:
    """The objective's change if a and b swap containers in round r."""
    rs, where = s.rooms[r], s.where[r]
    ca, cb = where[a], where[b]
    bench = len(rs) - 1
    country = s.ix.country
    d = 0
    for x, cx, y, cy in ((a, ca, b, cb), (b, cb, a, ca)):
        # x leaves container cx for cy, y takes its place.
        mates: list[int] = []
        if cx == bench:
            d -= FAIR * (s.sat[y] - (s.sat[x] - 1))
        else:
            mates = [q for q in rs[cx] if q != x]
            for q in mates:
                e_out, e_in = pair(x, q), pair(y, q)
                d -= s.pair_value(x, q, r) - HARD * (s.occ[e_out] >= 2)
                d += s.pair_value(y, q, r) - HARD * (s.occ[e_in] >= 1)
                d += _lose_gain(s, q, country[x], country[y])
            d -= HARD * _capped(s, rs[cx], x, y)
        gain = [country[q] for q in rs[cy] if q != y] if cy != bench else []
        d += _diversity(s, x, [country[q] for q in mates], gain)
    if s.pins[r]:
        moved = {a: cb, b: ca}
        for e in {pair(p, q) for p in (a, b) for q in s.pins[r].get(p, ())}:
            d -= HARD * (broken_pin(s, r, e, moved) - broken_pin(s, r, e, {}))
    return d


def objective(s: GroupSearch) -> int:
    """The objective from scratch (what `delta` tracks): for checks, not for the search."""
    total = 0
    country = s.ix.country
    for r, rs in enumerate(s.rooms):
        for room in rs[:-1]:
            for x, a in enumerate(room):
                total += sum(s.pair_value(a, b, r) for b in room[x + 1 :])
            if s.cap is not None and s.cap > 1 and room:
                over = Counter(country[q] for q in room).values()
                total -= HARD * sum(max(0, n - s.cap) for n in over)
        pins = {pair(p, q) for p, qs in s.pins[r].items() for q in qs}
        total -= HARD * sum(broken_pin(s, r, e, {}) for e in pins)
    total -= HARD * sum(max(0, n - 1) for n in s.occ.values())
    total -= FAIR * sum(n * (n - 1) // 2 for n in s.sat.values())
    for p in s.people:
        new = {c for c, n in s.seen[p].items() if n > 0} - s.state.met_countries[p]
        total += s.w * len(new)
    return total


def _lose_gain(s: GroupSearch, p: int, lose: int, gain: int) -> int:
    """Diversity change for p when one room-mate of country `lose` becomes one of `gain`."""
    if lose == gain:
        return 0
    seen, known = s.seen[p], s.state.met_countries[p]
    d = -(seen[lose] == 1 and lose not in known)
    return s.w * (d + (seen[gain] == 0 and gain not in known))


def _diversity(s: GroupSearch, p: int, lose: Sequence[int], gain: Sequence[int]) -> int:
    seen, known = s.seen[p], s.state.met_countries[p]
    change = Counter(gain)
    change.subtract(lose)
    d = 0
    for c, n in change.items():
        if n and c not in known:
            d += (seen[c] + n > 0) - (seen[c] > 0)
    return s.w * d


def _capped(s: GroupSearch, room: Sequence[int], out: int, into: int) -> int:
    """Country-cap breaches added when `out` leaves and `into` joins (cap above 1)."""
    if s.cap is None or s.cap == 1:
        return 0  # cap 1 is a pair rule, in pair_value
    cx, ci = s.ix.country[out], s.ix.country[into]
    if cx == ci:
        return 0
    same_i = sum(s.ix.country[q] == ci for q in room)
    same_x = sum(s.ix.country[q] == cx for q in room)
    return int(same_i >= s.cap) - int(same_x > s.cap)


def broken_pin(s: GroupSearch, r: int, e: Pair, moved: dict[int, int]) -> int:
    """Whether pin e of round r is broken, with `moved` overriding `where`."""
    c, d = (moved.get(p, s.where[r][p]) for p in e)
    return int(c != d or c == len(s.rooms[r]) - 1)
