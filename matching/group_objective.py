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

from matching.participant_index import Index, Pair, pair

if TYPE_CHECKING:
    from matching.group_search import GroupSearch

HARD = 10_000  # per breach: above any score or fairness gain of one swap
FAIR = 100  # per extra sit-out of one person: sit-outs rotate before score counts
# The most one pair (plus one new country) can be worth under the default weights: 3 + 2 x 3
# + 1 x 2 + 2 x 4 + 1. HARD and FAIR hold for pairs worth up to this; larger weights scale them.
DEFAULT_TOP = 20


def scale(ix: Index, people: Sequence[int]) -> int:
    """How many times DEFAULT_TOP the most valuable pair among `people` may be worth (at least
    1): HARD and FAIR are multiplied by it, so that with weights of 100 a breach still costs
    more than any swap gains (with HARD fixed, a pair worth 10,000 paid for meeting twice, and
    the search left people out to settle the breaches)."""
    w = ix.settings.weights
    interests = max((ix.interests[p].bit_count() for p in people), default=0)
    programmes = max((ix.programmes[p].bit_count() for p in people), default=0)
    top = (
        w.same_sector
        + w.shared_interest * min(interests, w.max_shared_interests)
        + w.shared_programme * min(programmes, w.max_shared_programmes)
        + 2 * w.request
        + w.new_country
    )
    return max(1, -(-top // DEFAULT_TOP))


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
            d -= s.fair * (s.sat[y] - (s.sat[x] - 1))
        else:
            mates = [q for q in rs[cx] if q != x]
            for q in mates:
                e_out, e_in = pair(x, q), pair(y, q)
                d -= s.pair_value(x, q, r) - s.hard * (s.occ[e_out] >= 2)
                d += s.pair_value(y, q, r) - s.hard * (s.occ[e_in] >= 1)
                d += _lose_gain(s, q, country[x], country[y])
            d -= s.hard * _capped(s, rs[cx], x, y)
        gain = [country[q] for q in rs[cy] if q != y] if cy != bench else []
        d += _diversity(s, x, [country[q] for q in mates], gain)
    if s.pins[r]:
        moved = {a: cb, b: ca}
        for e in {pair(p, q) for p in (a, b) for q in s.pins[r].get(p, ())}:
            d -= s.hard * (broken_pin(s, r, e, moved) - broken_pin(s, r, e, {}))
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
                total -= s.hard * sum(max(0, n - s.cap) for n in over)
        pins = {pair(p, q) for p, qs in s.pins[r].items() for q in qs}
        total -= s.hard * sum(broken_pin(s, r, e, {}) for e in pins)
    total -= s.hard * sum(max(0, n - 1) for n in s.occ.values())
    total -= s.fair * sum(n * (n - 1) // 2 for n in s.sat.values())
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
