"""Who in a group search sits in a room that breaks a hard rule, for the repairs that follow.

`troubled` scans a whole round (for checks); `troubled_touched` only the rooms joined since
`GroupSearch.touched` was cleared, which the search's repairs (matching.group_plan.descend,
matching.fair_seat) rely on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from matching.group_objective import broken_pin
from matching.participant_index import Pair, pair

if TYPE_CHECKING:
    from matching.group_search import GroupSearch


def troubled(s: GroupSearch, r: int) -> list[int]:
    """People of round r in a room that breaks a hard rule, every room scanned (for checks;
    the search's repairs use troubled_touched)."""
    out: list[int] = []
    for room in s.rooms[r][:-1]:
        if _room_breaches(s, r, room)[0]:
            out += room
    for a, qs in s.pins[r].items():
        out += [a, *qs] if _pin_broken(s, r, a) else []
    return out


def troubled_touched(s: GroupSearch) -> list[tuple[int, int]]:
    """(round, person) for people in a broken room that a move joined since `touched` was
    last cleared, or in the other room where a pair of such a room meets again.

    Exact when the rooms were unbroken at the mark: a move breaks only the rooms it joins
    (a room someone leaves loses pairs, and a pin broken that way moves a pinned person
    into a joined container), besides the twin of a pair it makes meet twice. At n = 5,000
    a full scan of every round took 45 ms.
    """
    out: set[tuple[int, int]] = set()
    twins: set[Pair] = set()
    for r, c in s.touched:
        rs = s.rooms[r]
        if c >= len(rs):
            continue
        room = rs[c]
        for a in room:
            if _pin_broken(s, r, a):
                out.update((r, x) for x in (a, *s.pins[r][a]))
        if c == len(rs) - 1:
            continue
        bad, repeated = _room_breaches(s, r, room)
        twins.update(repeated)
        if bad:
            out.update((r, q) for q in room)
    for a, b in twins:
        for r, where in enumerate(s.where):
            c = where[a]
            if c == where[b] != len(s.rooms[r]) - 1:
                out.update((r, q) for q in s.rooms[r][c])
    return sorted(out)


def _room_breaches(s: GroupSearch, r: int, room: Sequence[int]) -> tuple[bool, list[Pair]]:
    """Whether a room of round r breaks a hard rule, and its pairs that meet more than once
    in the event."""
    bad, repeated = False, []
    for x, a in enumerate(room):
        for b in room[x + 1 :]:
            if s.occ[pair(a, b)] > 1:
                repeated.append(pair(a, b))
                bad = True
            elif s.pair_value(a, b, r) < 0:
                bad = True
    if not bad and s.cap is not None and s.cap > 1 and room:
        bad = max(Counter(s.ix.country[q] for q in room).values()) > s.cap
    return bad, repeated


def _pin_broken(s: GroupSearch, r: int, a: int) -> bool:
    return any(broken_pin(s, r, pair(a, q), {}) for q in s.pins[r].get(a, ()))
