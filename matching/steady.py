"""The round about to start, changed as little as possible when someone is missing.

At a round start with a no-show, the organiser has the next round's rooms on screen (and may have
opened its breakout rooms), and every teacher whose room-mates change is told so. A re-plan that
searches all remaining rounds afresh re-seats nearly everyone for a point or two (one no-show of
60 with rooms of 4: 55 people told their room changed). So `replan(steady=True)` first repairs
that round alone: the planned rooms less the absent; each room the absent left short topped up
(by a late arrival, someone sitting the round out, or else one person from a room of k + 1, so one
room changes rather than the three or four its people would be scattered into); anyone who now
breaks a rule benched, rooms still short dissolved, and whoever is left over seated where they fit;
surviving rooms keep their numbers, so their video rooms stay the same. The later rounds are then
re-planned as usual with it fixed. If the repair seats fewer people than the planned round did
(less the absent), or leaves out a late arrival, it is not used and the whole re-plan runs as
before.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Sequence

from matching.extra_seat import grow
from matching.group_plan import GROW_TRIES, REPAIR_STEPS, descend, keep_rounds, seat_waiting, settle
from matching.group_search import GroupSearch
from matching.participant_index import Index, Pair
from matching.plan_state import Rooms, State
from matching.round_builder import RoundBuilder
from matching.types import Room, RoundPlan


def steady_round(
    ix: Index,
    people: Sequence[int],
    planned: Rooms,
    state: State,
    together: Sequence[Pair],
    *,
    newcomers: set[int],
    seed: int,
    deadline: float,
) -> Rooms | None:
    """`planned` (indices) repaired for `people` (those to seat now), or None when the repair
    seats fewer than the planned round did, or leaves out a newcomer (a late arrival)."""
    pins = {0: list(together)} if together else {}
    rng = random.Random(seed)
    topped = top_up(ix, people, planned, state, newcomers, rng)
    kept = keep_rounds(ix, people, [topped], copy.deepcopy(state), pins, seed)
    search = GroupSearch(ix, people, kept, copy.deepcopy(state), pins, rng)
    seat_waiting(search, 0, deadline)
    for _ in range(GROW_TRIES):  # one seat more with a few swaps, as the planner's search does
        if time.monotonic() > deadline:
            break
        if not _left_out(search.result()[0], planned, newcomers, search.people):
            break
        saved = search.snapshot()
        search.touched.clear()
        if not (grow(search, 0) and descend(search, REPAIR_STEPS)):
            search.restore(saved)
    rooms = settle(ix, people, search.result(), copy.deepcopy(state), pins, rng)[0]
    return None if _left_out(rooms, planned, newcomers, people) else rooms


def top_up(
    ix: Index,
    people: Sequence[int],
    planned: Rooms,
    state: State,
    newcomers: set[int],
    rng: random.Random,
) -> Rooms:
    """`planned` less those not among `people`, each room the absent left below size filled
    back to it where someone fits: a newcomer first, then whoever sat out most (sit-outs rotate),
    then whoever adds most to the room; failing that, one person from a room of k + 1."""
    k = ix.settings.room_size
    here = set(people)
    rooms = [[p for p in room if p in here] for room in planned]
    seated = {p for room in rooms for p in room}
    waiting = [p for p in people if p not in seated]
    b = RoundBuilder(ix, state, rng)
    for room, was in zip(rooms, planned, strict=True):
        while room and len(was) >= k > len(room):
            fits = [p for p in waiting if b.ok(p, room)]
            if fits:
                p = max(
                    fits, key=lambda q: (q in newcomers, state.sat_out.get(q, 0), b.gain(q, room))
                )
                waiting.remove(p)
            else:
                spare = [
                    (big, q) for big in rooms if len(big) == k + 1 for q in big if b.ok(q, room)
                ]
                if not spare:
                    break
                big, p = max(spare, key=lambda bq: b.gain(bq[1], room))
                big.remove(p)
            room.append(p)
    return rooms


def _left_out(rooms: Rooms, planned: Rooms, newcomers: set[int], people: Sequence[int]) -> bool:
    """Whether the round seats fewer of `people` than the planned round did (less the absent),
    or leaves a newcomer out. Where the country rule forces sit-outs, someone who sat out may take
    the seat of someone left over: as many are seated, and sit-outs rotate anyway."""
    seated = {p for room in rooms for p in room} & set(people)
    was_seated = {p for room in planned for p in room} & set(people)
    return not newcomers <= seated or len(seated) < len(was_seated | newcomers)


def numbered_like(rooms: Sequence[RoundPlan], number: int, planned: RoundPlan) -> RoundPlan:
    """The round `number` of `rooms` (as `_to_rounds` numbered it), each room renumbered to the
    planned room it keeps most of its people from; a new room takes a number left free."""
    new = next(r for r in rooms if r.number == number)
    taken: set[int] = set()
    numbers: dict[int, int] = {}
    by_overlap = sorted(
        (-len(set(room.participants) & set(old.participants)), room.number, old.number)
        for room in new.rooms
        for old in planned.rooms
    )
    for overlap, room_no, old_no in by_overlap:
        if overlap < 0 and room_no not in numbers and old_no not in taken:
            numbers[room_no] = old_no
            taken.add(old_no)
    free = (n for n in range(1, len(new.rooms) + len(planned.rooms) + 1) if n not in taken)
    renumbered = [
        Room(numbers.get(room.number) or next(free), room.participants, room.explanations)
        for room in new.rooms
    ]
    return RoundPlan(
        number=new.number,
        rooms=tuple(sorted(renumbered, key=lambda room: room.number)),
        sitting_out=new.sitting_out,
    )
