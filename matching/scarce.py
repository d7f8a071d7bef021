"""People whose possible rooms run out before the last round (group rooms, 3-6).

Nobody meets anyone twice, so the rooms one person sits in over the event have no other member
in common. Someone with few possible room-mates who may also sit with each other (a teacher who
speaks only French and Dutch, say) can then be seated in fewer rounds than the event has, however
the rounds are planned: the most is the largest number of possible groups of room_size - 1
room-mates with no one in common. (A room of room_size + 1 holds such a group too, so it adds
nothing.) The organiser is told, so that a teacher who sits out three rounds is no surprise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from ortools.sat.python import cp_model

from matching.participant_index import Index
from matching.policy import country_cap

NEAR_MAX = 100  # possible room-mates above which a person is not checked (no warning then)
GROUPS_MAX = 200  # groups listed per person; with more, they are not checked either
STEPS_MAX = 5_000  # search steps per group sought, and for the listing; past them, likewise
SOLVE_S = 0.2  # per person; an unfinished solve reports its proven upper bound


def group_among(
    ix: Index,
    near: Sequence[int],
    size: int,
    budget: int,
    fits: Callable[[int, list[int]], bool] | None = None,
) -> tuple[list[int] | None, bool]:
    """A set of `size` of `near` who may all share a room with each other (None: there is no
    such set), and whether the search finished within `budget` steps (if not: None only means
    that none was found). `fits(q, group)`: whether q may join the group (default: every pair
    allowed), tried in the order of `near`."""

    def allowed_with(q: int, group: list[int]) -> bool:
        return all(ix.allowed(q, x) for x in group)

    joins = fits or allowed_with
    room_left: list[int] | None = None  # made once a search runs long (most end at once)
    steps = 0

    def extend(group: list[int], start: int) -> list[int] | None:
        nonlocal steps, room_left
        if len(group) == size:
            return group
        if room_left is None and steps > len(near):
            room_left = _room_left(ix, near)
        if room_left is not None and (room_left[0] < size or room_left[start] < size - len(group)):
            return None  # too few countries (left) to fill the room
        for i in range(start, len(near)):
            steps += 1
            if steps > budget:
                return None
            q = near[i]
            if joins(q, group):
                found = extend([*group, q], i + 1)
                if found is not None:
                    return found
        return None

    found = extend([], 0)
    return found, steps <= budget


def _room_left(ix: Index, near: Sequence[int]) -> list[int]:
    """room_left[i]: the most of near[i:] one room can hold under the country cap (len(near)
    - i without one). Lets a search prove quickly that no room exists: 500 possible room-mates
    all from Portugal fill one seat with distinct countries, and without this bound the search
    ran out of steps and had to assume a room (generated n = 5,000, rooms of 4)."""
    cap = country_cap(ix.settings)
    if cap is None:
        return list(range(len(near), -1, -1))
    # From the end: each person counts while their country has at most `cap` so far.
    countries = ix.arrays.country[np.asarray(near, dtype=np.int64)][::-1]
    order = np.argsort(countries, kind="stable")
    ordered = countries[order]
    rank = np.empty(len(near), dtype=np.int64)
    rank[order] = np.arange(len(near)) - np.searchsorted(ordered, ordered)
    left = np.cumsum(rank < cap)[::-1]
    return [*left.tolist(), 0]


def _enough_greedily(ix: Index, near: list[int], size: int, rounds: int) -> bool:
    """Whether `rounds` groups with no one in common are found one after the other: the
    quick proof that most people's rooms cannot run out."""
    left = list(near)
    for _ in range(rounds):
        group, _ = group_among(ix, left, size, STEPS_MAX)
        if group is None:
            return False
        taken = set(group)
        left = [q for q in left if q not in taken]
    return True


def _groups(ix: Index, near: Sequence[int], size: int) -> list[list[int]] | None:
    """Every set of `size` of `near` (p's possible room-mates) who may also share a room with
    each other, or None when there are more than GROUPS_MAX (or the search ran past
    STEPS_MAX)."""
    found: list[list[int]] = []
    steps = 0

    def extend(group: list[int], start: int) -> bool:
        nonlocal steps
        if len(group) == size:
            found.append(group)
            return len(found) <= GROUPS_MAX
        for i in range(start, len(near)):
            steps += 1
            q = near[i]
            if steps > STEPS_MAX:
                return False
            if all(ix.allowed(q, x) for x in group) and not extend([*group, q], i + 1):
                return False
        return True

    return found if extend([], 0) else None


def _most_disjoint(groups: list[list[int]], cap: int) -> int:
    """An upper bound (exact when solved in time) on how many of `groups` have no member in
    common, at most `cap`."""
    model = cp_model.CpModel()
    chosen = [model.new_bool_var("") for _ in groups]
    by_member: dict[int, list[cp_model.IntVar]] = {}
    for var, group in zip(chosen, groups, strict=True):
        for q in group:
            by_member.setdefault(q, []).append(var)
    for vars_ in by_member.values():
        model.add_at_most_one(vars_)
    model.add(sum(chosen) <= cap)
    model.maximize(sum(chosen))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = SOLVE_S
    solver.parameters.num_workers = 1
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return cap
    return min(cap, int(solver.best_objective_bound + 1e-6))


def most_rounds(ix: Index, near: list[int], rounds: int) -> int | None:
    """How many rounds a person whose possible room-mates are `near` can be seated in at most,
    when that is fewer than `rounds` whatever the plan; None when their rooms cannot run out,
    or when they have over NEAR_MAX possible room-mates (a warning skipped, never a wrong one:
    on the generated events everyone found has fewer than 50)."""
    size = ix.settings.room_size - 1
    if len(near) > NEAR_MAX or _enough_greedily(ix, near, size, rounds):
        return None
    groups = _groups(ix, near, size)
    if groups is None:
        return None
    most = _most_disjoint(groups, rounds) if groups else 0
    return most if most < rounds else None
