"""Group rooms (3-6): a new room around someone who sits out most.

Some people fit only rooms that need one particular person: a teacher who speaks only French and
Dutch, in rooms of 5 with one person per country, needs a French speaker from four other
countries, and an event may have a single French speaker from Portugal. The search's swaps move
one person at a time and cannot assemble such a room. Here it is built at once: p's possible
room-mates, rarest country first (so that one Portuguese speaker is tried first), are taken from
wherever they sit in the round; the rooms they leave are refilled (someone sitting out, an
extra from a room of room_size + 1, or someone from another room whose place someone sitting out
takes), or else their members sit out. The change is kept only if the round seats no fewer
people and repeated sit-outs fall.

Where every room has someone of p's country (rooms of 5 with one per country, and the largest
country sitting out in turns), no room can be refilled from those sitting out: they are p's
compatriots. Then `swap_in` seats p in place of a compatriot who sat out less, and replaces each
room-mate p may not meet by someone of the same country from another room, so every room keeps
its countries and the round its seats.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence

from matching.group_breaches import troubled_touched
from matching.group_search import GroupSearch
from matching.participant_index import pair
from matching.scarce import group_among

TRIES = 6  # rooms tried around one person in one round
STEPS = 2_000  # search steps per room sought
STAND_INS = 200  # compatriots tried in place of one room-mate p may not meet


def room_around(
    s: GroupSearch,
    r: int,
    p: int,
    seat_waiting: Callable[[GroupSearch, int], object],
    deadline: float,
) -> bool:
    """Try to seat p, sitting out round r, in a new room; `seat_waiting` seats whoever the
    change left out where they fit. True if the round changed."""
    k = s.ix.settings.room_size
    if s.pins[r].get(p):
        return False
    near = [q for q in s.people if q != p and q not in s.never and s.may_join(r, q, [p])]
    per_country = Counter(s.ix.country[q] for q in near)
    before = (_seats(s, r), -_repeats(s))
    tried: set[tuple[int, ...]] = set()
    for _ in range(TRIES):
        if time.monotonic() > deadline:
            return False
        rs, where = s.rooms[r], s.where[r]
        bench = len(rs) - 1
        s.rng.shuffle(near)
        # Rarest countries first; within one, those sitting out (a seat gained each).
        near.sort(key=lambda q: (per_country[s.ix.country[q]], where[q] != bench))
        group, _ = group_among(
            s.ix, near, k - 1, STEPS, lambda q, group: s.may_join(r, q, [p, *group])
        )
        if group is None:
            return False
        if tuple(sorted(group)) in tried:
            continue
        tried.add(tuple(sorted(group)))
        saved = s.snapshot()
        room = s.open_room(r)
        left = {s.where[r][q] for q in group} - {room + 1}  # the bench moved up by one
        for q in [p, *group]:
            s.move(r, q, room)
        for c in left:
            _refill(s, r, c)
        seat_waiting(s, r)
        if (_seats(s, r), -_repeats(s)) > before and _seats(s, r) >= before[0]:
            return True
        s.restore(saved)
    return False


def swap_in(s: GroupSearch, r: int, p: int, deadline: float) -> bool:
    """Seat p, sitting out round r, in place of someone who sat out at least two rounds fewer,
    replacing the room-mates p may not meet by compatriots of theirs. True if the round changed."""
    rs = s.rooms[r]
    bench = len(rs) - 1
    if s.pins[r].get(p):
        return False
    before = (_seats(s, r), -_repeats(s))
    country = s.ix.country
    # A room-mate from a country p may meet nobody of has no stand-in: p must take their place.
    reach = {country[q] for q in s.partners_of(p)}
    for c in s.rng.sample(range(bench), bench):
        if time.monotonic() > deadline:
            return False
        beyond = [q for q in rs[c] if country[q] not in reach]
        for x in beyond if beyond else list(rs[c]):
            if len(beyond) > 1 or s.sat[x] + 2 > s.sat[p] or s.pins[r].get(x):
                continue  # p cannot stay, no fewer repeated sit-outs, or x is pinned here
            stand_ins = _stand_ins(s, r, c, p, x)
            if stand_ins is None:
                continue
            swaps = [(p, x), *stand_ins]
            s.touched.clear()
            for a, b in swaps:
                s.swap(r, a, b)
            if not troubled_touched(s) and (_seats(s, r), -_repeats(s)) > before:
                return True
            for a, b in reversed(swaps):  # a swap undoes itself
                s.swap(r, a, b)
    return False


def _stand_ins(s: GroupSearch, r: int, c: int, p: int, x: int) -> list[tuple[int, int]] | None:
    """With p in x's place in room c of round r: for each room-mate y p may not meet, a
    compatriot z from another room who may join the room and whose room may take y."""
    rs, where = s.rooms[r], s.where[r]
    bench = len(rs) - 1
    mates = [q for q in rs[c] if q != x]
    clashes = [y for y in mates if s.pair_value(p, y, r) < 0 or s.occ[pair(p, y)] > 0]
    if any(s.pins[r].get(y) for y in clashes):
        return None
    stay = [p, *(q for q in mates if q not in clashes)]
    found: list[tuple[int, int]] = []
    for y in clashes:
        same = s.compatriots[s.ix.country[y]]
        z = next(
            (
                z
                for z in s.rng.sample(same, min(len(same), STAND_INS))
                if where[z] not in (c, bench)
                and s.may_join(r, z, stay)
                and s.may_join(r, y, [q for q in rs[where[z]] if q != z])
            ),
            None,
        )
        if z is None:
            return None
        stay.append(z)
        found.append((y, z))
    return found


def _refill(s: GroupSearch, r: int, c: int) -> None:
    """Bring room c of round r back to room_size, or else seat its members nowhere."""
    k = s.ix.settings.room_size
    rs = s.rooms[r]
    while 0 < len(rs[c]) < k:
        bench = len(rs) - 1
        waiting = sorted((q for q in rs[bench] if q not in s.never), key=lambda q: -s.sat[q])
        extras = [q for d in range(bench) if len(rs[d]) == k + 1 for q in rs[d]]
        fit = next((q for q in [*waiting, *extras] if s.may_join(r, q, rs[c])), None)
        if fit is not None:
            s.move(r, fit, c)
            continue
        chain = _chain(s, r, c, waiting)
        if chain is None:
            for q in list(rs[c]):
                s.move(r, q, bench)
            return
        w, b = chain
        d = s.where[r][w]
        s.move(r, w, c)
        s.move(r, b, d)


def _chain(s: GroupSearch, r: int, c: int, waiting: Sequence[int]) -> tuple[int, int] | None:
    """Someone w of another room who fits room c, and someone b sitting out who fits w's room
    without w."""
    rs, where = s.rooms[r], s.where[r]
    k, bench = s.ix.settings.room_size, len(rs) - 1
    for w in s.rng.sample(s.people, len(s.people)):
        d = where[w]
        if d in (c, bench) or len(rs[d]) < k or not s.may_join(r, w, rs[c]):
            continue
        rest = [q for q in rs[d] if q != w]
        b = next((q for q in waiting if s.may_join(r, q, rest)), None)
        if b is not None:
            return w, b
    return None


def _seats(s: GroupSearch, r: int) -> int:
    return sum(map(len, s.rooms[r][:-1]))


def _repeats(s: GroupSearch) -> int:
    """Repeated sit-outs, as the search counts them (FAIR each)."""
    return sum(n * (n - 1) // 2 for n in s.sat.values())
