"""Last resort for group rooms: seat a pinned pair together in their round by swapping people.

The group search honours pins through a penalty, and its final pass makes anyone still breaking
a rule sit out, which can leave a pinned pair apart (both sitting out, say). Here each unmet
round pin gets one targeted try: move the pair into one room, the people they replace go where
the pair were (another room or the sitting-out list), and every room touched must stay valid
with the whole plan (no pair meets twice, country cap, pairwise rules).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from matching.participant_index import Index, Pair, pair
from matching.plan_state import Rooms, State
from matching.policy import country_cap


def repair_pins(
    ix: Index, plan: list[Rooms], state: State, together: dict[int, list[Pair]]
) -> list[Rooms]:
    """`plan` with as many unmet round pins met as single swaps allow (changed in place)."""
    for r, pins in together.items():
        if r >= len(plan):
            continue
        for a, c in pins:
            if not _together(plan[r], a, c):
                _seat_pair(ix, plan, state, r, a, c)
    return plan


def _together(rooms: Rooms, a: int, c: int) -> bool:
    return any(a in room and c in room for room in rooms)


def _met_elsewhere(plan: Sequence[Rooms], state: State, r: int) -> set[Pair]:
    met = set(state.met)
    for other, rooms in enumerate(plan):
        if other != r:
            met |= {pair(x, y) for room in rooms for x in room for y in room if x < y}
    return met


def _valid(ix: Index, room: Sequence[int], met: set[Pair]) -> bool:
    cap = country_cap(ix.settings)
    if cap is not None and max(Counter(ix.country[p] for p in room).values(), default=0) > cap:
        return False
    return all(
        ix.allowed(x, y) and pair(x, y) not in met
        for i, x in enumerate(room)
        for y in room[i + 1 :]
    )


def _seat_pair(ix: Index, plan: list[Rooms], state: State, r: int, a: int, c: int) -> None:
    rooms = plan[r]
    met = _met_elsewhere(plan, state, r)
    home = {p: j for j, room in enumerate(rooms) for p in room}
    for j, room in enumerate(rooms):
        # Make room j hold a and c: whoever of them is elsewhere swaps with someone of room j.
        incoming = [p for p in (a, c) if home.get(p) != j]
        others = [p for p in room if p not in (a, c)]
        if len(incoming) > len(others):
            continue
        for leaving in _choices(others, len(incoming)):
            new_room = [p for p in room if p not in leaving] + incoming
            if not _valid(ix, new_room, met):
                continue
            changed = {j: new_room}
            for p, q in zip(incoming, leaving, strict=True):  # q takes p's old place
                k = home.get(p)
                if k is not None:  # else p was sitting out, and now q does
                    changed[k] = [q if x == p else x for x in changed.get(k, rooms[k])]
            if all(_valid(ix, members, met) for members in changed.values()):
                for k, members in changed.items():
                    rooms[k] = members
                return


def _choices(people: list[int], n: int) -> list[tuple[int, ...]]:
    if n == 0:
        return [()]
    if n == 1:
        return [(p,) for p in people]
    return [(p, q) for i, p in enumerate(people) for q in people[i + 1 :]]
