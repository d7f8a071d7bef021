"""Group rooms (3-6): from a valid round-by-round plan, seat more people, then raise the score.

Seats first: a person sitting out is seated where they fit a room without breaking a rule, or
joins others sitting out (and at most one extra person from each room of room_size + 1) in a new
room. Where nothing fits, one seat is added and a few best swaps in any round (which may change
earlier rounds to free a pair) must remove every breach, or the change is undone. Then the score
is annealed over all rounds at once (matching.group_search), with seating rounds in between, in
which those who sit out most also get a room built around them (matching.fair_seat).
`settle` finally benches whatever still breaks a rule, so the plan is valid by construction.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Sequence

from matching import round_reseat
from matching.extra_seat import grow
from matching.fair_seat import room_around, swap_in
from matching.feasibility import roomless
from matching.forced import forced_sit_outs
from matching.group_breaches import troubled_touched
from matching.group_search import GroupSearch
from matching.groups import conflicted
from matching.participant_index import Index, Pair, pair
from matching.plan_state import Rooms, State
from matching.round_builder import RoundBuilder
from matching.worst_off import lift_worst

GROUP_SEARCH_MAX = 5000  # larger events keep the round-by-round plan (unmeasured there)
CLIQUE_TRIES = 30  # random starts when looking for a new room among those sitting out
TRIED = 8  # people sitting out tried per seating pass (those who sat out most first)
EJECT_ROOMS = 16  # rooms searched for an occupant to move elsewhere, per person
GROW_TRIES = 12  # failed attempts in a row at one more seat before a round is left as it is
REPAIR_STEPS = 8  # swaps allowed to repair the breaches of one more seat
REPAIR_PARTNERS = 200  # compatriots tried as the other side of a repairing swap, at most
FAIR_TRIES = 2  # people who sit out most, a new room tried for per round and scoring slice
FAIR_SHARE = 0.1  # of the scoring time, at most, for those new rooms
LIFT_SHARE = 0.15  # of the scoring time, for lifting the worst-off (Weights.fairness > 0)
LEFT_OUT_SHARE = 0.05  # of the scoring time kept with fairness 0, to seat those out of every round


def _new_room(s: GroupSearch, r: int) -> bool:
    """Open a room of room_size from people sitting out, plus at most one from each big room."""
    k = s.ix.settings.room_size
    rs = s.rooms[r]
    bench = len(rs) - 1
    donors = [(q, c) for c in range(bench) if len(rs[c]) == k + 1 for q in rs[c]]
    waiting = [(q, bench) for q in rs[bench] if q not in s.never]
    for _ in range(CLIQUE_TRIES):
        s.rng.shuffle(waiting)
        s.rng.shuffle(donors)
        members: list[int] = []
        used: set[int] = set()
        for q, c in [*waiting, *donors]:  # those sitting out first: each is a seat gained
            if (c == bench or c not in used) and s.may_join(r, q, members):
                members.append(q)
                used.add(c)
                if len(members) == k:
                    break
        if len(members) == k and bench in used:
            room = s.open_room(r)
            for q in members:
                s.move(r, q, room)
            return True
        if not waiting:
            return False
    return False


def _seat_one(s: GroupSearch, r: int, p: int) -> bool:
    """Seat p in a room of room_size, directly or by moving one occupant x to another one."""
    rs = s.rooms[r]
    k, bench = s.ix.settings.room_size, len(rs) - 1
    small = [c for c in range(bench) if len(rs[c]) == k]
    options = [c for c in small if s.may_join(r, p, rs[c])]
    if options:
        s.move(r, p, s.rng.choice(options))
        return True
    for c in s.rng.sample(range(bench), min(bench, EJECT_ROOMS)):
        for x in rs[c]:
            if not s.may_join(r, p, [q for q in rs[c] if q != x]):
                continue
            to = [d for d in small if d != c and s.may_join(r, x, rs[d])]
            if to:
                s.move(r, x, s.rng.choice(to))
                s.move(r, p, c)
                return True
    return False


def seat_waiting(s: GroupSearch, r: int, deadline: float) -> int:
    """Seat people sitting out in round r wherever no rule breaks; returns how many."""
    k = s.ix.settings.room_size
    rs = s.rooms[r]
    seated = 0
    while time.monotonic() < deadline:
        bench = len(rs) - 1
        big = sum(len(rs[c]) == k + 1 for c in range(bench))
        waiting = sorted((q for q in rs[bench] if q not in s.never), key=lambda q: -s.sat[q])
        placed = big < k - 1 and any(_seat_one(s, r, p) for p in waiting[:TRIED])
        if not placed and not (rs[bench] and _new_room(s, r)):
            break
        seated += 1
    return seated


def seat_most_benched(s: GroupSearch, r: int, deadline: float) -> int:
    """A new room in round r for those sitting it out who sit out most (twice or more), most
    first; returns how many were seated."""
    waiting = [q for q in s.rooms[r][-1] if q not in s.never and s.sat[q] >= 2]
    waiting.sort(key=lambda q: -s.sat[q])
    seated = 0
    for p in waiting[:FAIR_TRIES]:
        if time.monotonic() > deadline:
            break
        still_out = p in s.rooms[r][-1]  # an earlier new room may have seated p
        if not still_out:
            continue
        # The swaps first: they keep every room and cost little.
        if swap_in(s, r, p, deadline) or _room_around_now(s, r, p, deadline):
            seated += 1
    return seated


def seat_left_out(s: GroupSearch, deadline: float) -> None:
    """One seat, in any round, for each placeable person the search left out of every round:
    the worst a plan can do to one teacher (7 of 8 plans of a generated event of 200 with
    rooms of 5 had one or two)."""
    rounds = range(len(s.rooms))
    left_out = [p for p in s.people if p not in s.never and all(p in rs[-1] for rs in s.rooms)]
    for p in left_out:
        # The swaps in every round before any new room: a few ms against tens of ms.
        tries = [(r, swap_in) for r in rounds] + [(r, _room_around_now) for r in rounds]
        for r, seat in tries:
            if time.monotonic() > deadline or seat(s, r, p, deadline):
                break


def _room_around_now(s: GroupSearch, r: int, p: int, deadline: float) -> bool:
    return room_around(s, r, p, lambda s, r: seat_waiting(s, r, deadline), deadline)


def descend(s: GroupSearch, steps: int) -> bool:
    """Best swaps for people in broken rooms, never adding a breach; True once none is left.

    Only rooms joined since `s.touched` was cleared are checked (group_breaches.troubled_touched),
    so the rooms must have been unbroken then. Sideways swaps are allowed (a breach may move to
    where it can be fixed), with a tabu list so that a swap is not undone at once.
    """
    tabu: set[tuple[int, int, int]] = set()
    for _ in range(steps):
        troubled = troubled_touched(s)
        if not troubled:
            return True
        best, best_d = (-1, -1, -1), -s.hard // 2
        for r, a in s.rng.sample(troubled, min(len(troubled), 2)):
            where = s.where[r]
            same = s.compatriots[s.ix.country[a]]
            if len(same) > REPAIR_PARTNERS:  # large events: a sample (all took 18 ms a step)
                same = s.rng.sample(same, REPAIR_PARTNERS)
            for b in [*same, *s.rng.sample(s.people, min(len(s.people), 20))]:
                if where[b] == where[a] or (r, a, b) in tabu:
                    continue
                d = s.delta(r, a, b)
                if d > best_d:
                    best, best_d = (r, a, b), d
        if best[0] < 0:
            return False
        r, a, b = best
        tabu.add((r, a, b))
        tabu.add((r, b, a))
        s.swap(r, a, b)
    return not troubled_touched(s)


def improve_groups(
    ix: Index,
    people: Sequence[int],
    rounds: Sequence[Rooms],
    state: State,
    *,
    together: dict[int, list[Pair]],
    seed: int,
    deadline: float,
    base_score: dict[int, int] | None = None,
    workers: int = 1,
) -> list[Rooms]:
    """Seat more people in every round where the country rule allows it, anneal the total,
    then lift the worst-off participant (`base_score`: what each has from played rounds).
    `people`: those check_feasibility did not find unplaceable.
    `workers`: CP-SAT workers for re-seating neighbourhoods (matching.round_reseat)."""
    rng = random.Random(seed)
    s = GroupSearch(ix, people, [list(map(list, rs)) for rs in rounds], state, together, rng)
    # Played rounds may leave someone without a room (H4); otherwise check_feasibility has
    # already taken out whoever fits none (scanning again took 2.6 s at n = 5,000).
    never = set(roomless(ix, people, s.partners_of)) if state.met else set()
    seats = len(people) - forced_sit_outs(ix, people, list(never))
    s.never = never
    n_rounds = len(s.rooms)
    start = time.monotonic()
    grow_until = start + 0.6 * (deadline - start)
    failed: Counter[int] = Counter()
    while time.monotonic() < grow_until:
        for r in range(n_rounds):
            seat_waiting(s, r, grow_until)
        short = [r for r, rs in enumerate(s.rooms) if sum(map(len, rs[:-1])) < seats]
        short = [r for r in short if failed[r] < GROW_TRIES]
        if not short:
            break
        r = rng.choice(short)
        saved = s.snapshot()
        s.touched.clear()
        if not grow(s, r):
            failed[r] = GROW_TRIES
            continue
        if descend(s, REPAIR_STEPS):
            failed[r] = 0
        else:
            s.restore(saved)
            failed[r] += 1
    now = time.monotonic()
    share = round_reseat.RESEAT_SHARE  # read here, so `python -m bench seats` can set it to 0
    round_reseat.reseat_neighbourhoods(s, seats, now + share * (deadline - now), workers)
    # Score, in slices: every slice reshuffles rooms, which may let someone else in.
    chunks, hot, cold = 4, 3.0, 0.2  # one cooling schedule, cut into slices
    fairness = ix.settings.weights.fairness
    # The last share of the time: seat whoever is still out of every round, then (fairness > 0)
    # lift the worst-off participant.
    end_share = LIFT_SHARE if fairness else LEFT_OUT_SHARE
    lift_from = deadline - end_share * (deadline - time.monotonic())
    for i in range(chunks):
        for r in range(n_rounds):
            seat_waiting(s, r, lift_from)
            now = time.monotonic()
            share = FAIR_SHARE * (lift_from - now) / ((chunks - i) * n_rounds)
            seat_most_benched(s, r, min(lift_from, now + share))
        now = time.monotonic()
        t = [hot * (cold / hot) ** (j / chunks) for j in (i, i + 1)]
        s.anneal(now + (lift_from - now) / (chunks - i), t[0], t[1])
    # All of it if need be: while someone is out of every round, the minimum is theirs, 0.
    seat_left_out(s, deadline)
    lift_worst(s, deadline, fairness, base_score or {})
    return settle(ix, people, s.result(), state, together, rng)


def keep_rounds(
    ix: Index,
    people: Sequence[int],
    previous: Sequence[Rooms],
    state: State,
    together: dict[int, list[Pair]],
    seed: int,
) -> list[Rooms]:
    """The previous rounds for the people still here, with rule breaches benched; the search
    then seats whoever is left out (late arrivals, room-mates of rooms that fell below size)."""
    here = set(people)
    kept = [[[p for p in room if p in here] for room in rooms] for rooms in previous]
    return settle(ix, people, kept, state, together, random.Random(seed))


def settle(
    ix: Index,
    people: Sequence[int],
    rounds: Sequence[Rooms],
    state: State,
    together: dict[int, list[Pair]],
    rng: random.Random,
) -> list[Rooms]:
    """Bench whoever still breaks a rule, round by round, and keep the room-size rule."""
    b = RoundBuilder(ix, state, rng)
    pinned = {pair(*p) for ps in together.values() for p in ps}
    out: list[Rooms] = []
    for r, planned in enumerate(rounds):
        b.reserved = pinned - {pair(*p) for p in together.get(r, [])}
        rooms = [list(room) for room in planned]
        for room in rooms:
            while bad := conflicted(b, room):
                worst = max(bad, key=lambda p: sum(not b.ok(p, [q]) for q in room if q != p))
                room.remove(worst)
        rooms = b.finalise(rooms)
        b.commit(rooms, people)
        out.append(rooms)
    return out
