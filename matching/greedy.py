"""Round-by-round plans with local search: valid by construction, any room size.

It is the start plan for group rooms (3-6), which matching.group_plan then improves over all
rounds at once; the fallback when the meeting decomposition cannot split its choice into
rounds; and the source of hints for CP-SAT. Each round is built by matching.round_builder.
"""

from __future__ import annotations

import itertools
import math
import random
import time
from collections.abc import Sequence

from matching.groups import build_groups
from matching.participant_index import Index, Pair, pair
from matching.plan_state import Rooms, State
from matching.round_builder import RoundBuilder, pin_groups


def plan_greedy(
    ix: Index,
    people: Sequence[int],
    rounds: int,
    state: State,
    *,
    together: dict[int, list[Pair]],
    seed: int,
    time_limit_s: float,
    edges: Sequence[tuple[int, int, int]] = (),
    edges_by_round: Sequence[Sequence[tuple[int, int, int]]] = (),
    seat_by_cp_until: float = math.inf,
) -> list[Rooms]:
    """Plan `rounds` rounds one by one; `together[r]`: pairs pinned into round r (0-based).
    Room size 2: `edges_by_round[r]`, where given, replaces `edges` in round r."""
    rng = random.Random(seed)
    builder = RoundBuilder(ix, state, rng)
    builder.seat_by_cp_until = seat_by_cp_until
    out: list[Rooms] = []
    start = time.monotonic()
    # Pins a-b and a-c in one round seat b and c together too: that pair is kept for it.
    rooms_of = {r: _pairs_within(pin_groups(ps)) for r, ps in together.items()}
    pinned = {p for ps in rooms_of.values() for p in ps}
    for r in range(rounds):
        mine = together.get(r, [])
        builder.reserved = pinned - rooms_of.get(r, set())
        builder.pinned = {p for ps in mine for p in ps}
        deadline = start + time_limit_s * (r + 1) / rounds
        round_edges = edges_by_round[r] if edges_by_round else edges
        if ix.settings.room_size == 2 and round_edges:
            rooms = builder.pairs(people, mine, round_edges, deadline)
        else:
            # Two constructions, keep the one keeping more of the round's pins, then seating
            # more people, then scoring more.
            now = time.monotonic()
            half = now + (deadline - now) / 2
            options = [
                builder.build(people, mine, half),
                build_groups(builder, people, mine, deadline),
            ]
            rooms = max(
                options,
                key=lambda o: (kept(o, mine), sum(map(len, o)), sum(map(builder.value, o))),
            )
        builder.commit(rooms, people)
        out.append(rooms)
    return out


def _pairs_within(groups: Sequence[Sequence[int]]) -> set[Pair]:
    return {pair(a, b) for g in groups for a, b in itertools.combinations(g, 2)}


def kept(rooms: Rooms, pins: Sequence[Pair]) -> int:
    """How many of `pins` share a room in `rooms`."""
    room_of = {p: n for n, room in enumerate(rooms) for p in room}
    return sum(a in room_of and room_of.get(a) == room_of.get(b) for a, b in pins)


def repair_rounds(
    ix: Index,
    people: Sequence[int],
    previous: Sequence[Rooms],
    state: State,
    *,
    edges: Sequence[tuple[int, int, int]],
    seed: int,
) -> list[Rooms]:
    """Room size 2 re-plan: keep every previous room that is still valid, re-pair the rest."""
    rng = random.Random(seed)
    builder = RoundBuilder(ix, state, rng)
    here = set(people)
    out: list[Rooms] = []
    for rooms in previous:
        kept = [
            list(room)
            for room in rooms
            if len(room) == 2 and all(p in here for p in room) and builder.ok(room[0], [room[1]])
        ]
        in_kept = {p for room in kept for p in room}
        free = [p for p in people if p not in in_kept]
        # The kept rooms go in first; the matching's augmenting step may still re-pair one of
        # them to seat someone whose partner dropped out (the free alone often cannot pair
        # them: at n = 1,000, 3 drop-outs left 6 person-rounds unseated).
        rooms_now = builder.pairs(people, [(a, b) for a, b in kept], edges, time.monotonic())
        seated = {p for room in rooms_now for p in room}
        for u in (p for p in free if p not in seated):
            # An odd count: the one left over joins the kept room that gains most from them,
            # so nobody sits out while a room of three can hold them.
            fits = [room for room in rooms_now if len(room) == 2 and builder.ok(u, room)]
            if fits and not any(len(room) == 3 for room in rooms_now):
                max(fits, key=lambda room: builder.gain(u, room)).append(u)
        builder.commit(rooms_now, people)
        out.append(rooms_now)
    return out
