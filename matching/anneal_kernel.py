"""The annealing loop of the group search, compiled with numba.

`GroupSearch.delta` in Python makes about 100,000 moves a second; these kernels make the same
moves, with the same scores, on the search's state held as arrays, tens of times faster, so the
same time limit anneals much further. `matching.packed_search` copies the search's state in
and out; the tests check `swap_delta` against `GroupSearch.delta` move by move.

The arrays, with m the people of the search (positions 0..m-1) and R the rounds:
- where[r, p]: p's container in round r; bench[r] is the bench's container (those sitting out).
- members[r, c, :size[r, c]]: the room c of round r; slot[r, p] is p's place in it.
- value[a, b]: s(a, b) if a and b may meet, else -HARD; pinned_round[a, b]: the round a and b
  are pinned to meet in, or -1 (meeting in any other round costs HARD).
- occ[a, b]: rooms a and b share in the event; seen[p, c]: p's room-mates from country c;
  known[p, c]: p met country c in a played round; sat[p]: rounds p sits out.
- frozen[r, p]: p is pinned in round r and is not moved.
The numba signatures are given, so the kernels compile (or load from numba's cache) on import,
never inside a plan's time limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numba
import numpy as np

_I2 = "int32[:, ::1]"  # a C-contiguous int32 matrix
_ROOMS = f"{_I2}, {_I2}, int32[:, :, ::1], {_I2}, int32[::1]"  # where, slot, members, size, bench
_SCORES = f"{_I2}, int8[:, ::1], {_I2}, {_I2}, boolean[:, ::1], int64[::1], int32[::1]"
_CONST = "int64, int64, int64, int64"  # cap, w (new country), HARD, FAIR


def compiled(signature: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """numba's njit with an explicit signature (compiled on import) and an on-disk cache."""
    return cast(
        Callable[[Callable[..., Any]], Callable[..., Any]], numba.njit(signature, cache=True)
    )


@compiled(f"int64({_I2}, int8[:, ::1], int64, int64, int64, int64)")
def _pair_value(value: Any, pinned_round: Any, a: int, b: int, r: int, hard: int) -> int:
    v = value[a, b]
    pinned = pinned_round[a, b]
    if pinned >= 0 and pinned != r:
        v -= hard
    return int(v)


@compiled("int64(int32[:, :, ::1], int32[:, ::1], int32[::1], int64, int64, int64, int64, int64)")
def _capped(
    members: Any, size: Any, country: Any, r: int, c: int, out: int, into: int, cap: int
) -> int:
    """Country-cap breaches added in room c when `out` leaves and `into` joins (cap above 1)."""
    cx, ci = country[out], country[into]
    if cx == ci:
        return 0
    same_i = 0
    same_x = 0
    for i in range(size[r, c]):
        cq = country[members[r, c, i]]
        same_i += cq == ci
        same_x += cq == cx
    return int(same_i >= cap) - int(same_x > cap)


@compiled(f"int64(int64, int64, int64, {_ROOMS}, {_SCORES}, {_CONST}, int64[::1])")
def swap_delta(
    r: int, a: int, b: int,
    where: Any, slot: Any, members: Any, size: Any, bench: Any,
    value: Any, pinned_round: Any, occ: Any, seen: Any, known: Any, sat: Any, country: Any,
    cap: int, w: int, hard: int, fair: int, change: Any,
) -> int:  # fmt: skip
    """The objective's change if a and b, neither pinned in round r, swap containers there (as
    GroupSearch.delta; `change` is scratch space, one zero per country, left zeroed)."""
    d = 0
    for side in range(2):
        x, y = (a, b) if side == 0 else (b, a)
        cx, cy = where[r, x], where[r, y]
        if cx == bench[r]:
            d -= fair * (sat[y] - (sat[x] - 1))
        else:
            lose_c, gain_c = country[x], country[y]
            for i in range(size[r, cx]):
                q = members[r, cx, i]
                if q == x:
                    continue
                d -= _pair_value(value, pinned_round, x, q, r, hard) - hard * (occ[x, q] >= 2)
                d += _pair_value(value, pinned_round, y, q, r, hard) - hard * (occ[y, q] >= 1)
                if lose_c != gain_c:  # q's diversity: one room-mate of lose_c becomes gain_c
                    lost = seen[q, lose_c] == 1 and not known[q, lose_c]
                    found = seen[q, gain_c] == 0 and not known[q, gain_c]
                    d += w * (int(found) - int(lost))
                change[country[q]] -= 1
            if cap > 1:
                d -= hard * _capped(members, size, country, r, cx, x, y, cap)
        if cy != bench[r]:
            for i in range(size[r, cy]):
                q = members[r, cy, i]
                if q != y:
                    change[country[q]] += 1
        # x's diversity: the countries of its old room-mates for those of its new ones.
        for c_room in (cx, cy):
            if c_room == bench[r]:
                continue
            for i in range(size[r, c_room]):
                c = country[members[r, c_room, i]]
                n = change[c]
                if n != 0:
                    if not known[x, c]:
                        d += w * (int(seen[x, c] + n > 0) - int(seen[x, c] > 0))
                    change[c] = 0
    return d


@compiled(
    f"void(int64, int64, int64, int64, int32[:, :, ::1], {_I2}, int32[::1], {_I2}, {_I2}, "
    "int64[::1], int32[::1])"
)
def _leave_join(
    r: int, x: int, c_from: int, y: int,
    members: Any, size: Any, bench: Any, occ: Any, seen: Any, sat: Any, country: Any,
) -> None:  # fmt: skip
    """y takes x's place in container c_from of round r (x's membership there is undone)."""
    if c_from == bench[r]:
        sat[x] -= 1
        sat[y] += 1
        return
    cx, cy = country[x], country[y]
    for i in range(size[r, c_from]):
        q = members[r, c_from, i]
        if q == x:
            continue
        occ[x, q] -= 1
        occ[q, x] -= 1
        seen[x, country[q]] -= 1
        seen[q, cx] -= 1
        occ[y, q] += 1
        occ[q, y] += 1
        seen[y, country[q]] += 1
        seen[q, cy] += 1


@compiled(f"void(int64, int64, int64, {_ROOMS}, {_I2}, {_I2}, int64[::1], int32[::1])")
def swap(
    r: int, a: int, b: int,
    where: Any, slot: Any, members: Any, size: Any, bench: Any,
    occ: Any, seen: Any, sat: Any, country: Any,
) -> None:  # fmt: skip
    ca, cb = where[r, a], where[r, b]
    sa, sb = slot[r, a], slot[r, b]
    _leave_join(r, a, ca, b, members, size, bench, occ, seen, sat, country)
    _leave_join(r, b, cb, a, members, size, bench, occ, seen, sat, country)
    if ca != bench[r]:
        members[r, ca, sa] = b
    if cb != bench[r]:
        members[r, cb, sb] = a
    where[r, a], where[r, b] = cb, ca
    slot[r, a], slot[r, b] = sb, sa


@compiled(
    "int64(int64, float64, float64, float64, int32[::1], int32[::1], boolean[:, ::1], "
    f"{_ROOMS}, {_SCORES}, {_CONST})"
)
def anneal(
    steps: int, t_start: float, t_end: float, same_share: float,
    by_country: Any, country_start: Any, frozen: Any,
    where: Any, slot: Any, members: Any, size: Any, bench: Any,
    value: Any, pinned_round: Any, occ: Any, seen: Any, known: Any, sat: Any, country: Any,
    cap: int, w: int, hard: int, fair: int,
) -> int:  # fmt: skip
    """`steps` proposed swaps of two people of one round (within one country at the rate
    `same_share`), each kept if it gains or with probability exp(delta / t), t cooling
    geometrically from t_start to t_end. Returns the objective's change."""
    n_rounds, m = where.shape
    change = np.zeros(seen.shape[1], dtype=np.int64)
    cool = (t_end / t_start) ** (1.0 / max(steps, 1))
    t = t_start
    total = 0
    for _ in range(steps):
        t *= cool
        r = np.random.randint(0, n_rounds)
        a = np.random.randint(0, m)
        if np.random.random() < same_share:  # mostly within a country: keeps rooms' spread
            lo, hi = country_start[country[a]], country_start[country[a] + 1]
            b = by_country[np.random.randint(lo, hi)]
        else:
            b = np.random.randint(0, m)
        if where[r, a] == where[r, b] or frozen[r, a] or frozen[r, b]:
            continue
        d = swap_delta(
            r, a, b, where, slot, members, size, bench, value, pinned_round, occ, seen, known,
            sat, country, cap, w, hard, fair, change,
        )  # fmt: skip
        if d >= 0 or np.random.random() < np.exp(d / t):
            swap(r, a, b, where, slot, members, size, bench, occ, seen, sat, country)
            total += d
    return total


@compiled("void(int64)")
def seed(value: int) -> None:
    np.random.seed(value)
