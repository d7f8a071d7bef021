"""The group search's state as arrays, for the compiled annealing loop (matching.anneal_kernel).

`pack` copies a GroupSearch into arrays over its people (positions 0..m-1), `unpack` writes the
rooms back and recounts the rest, and `anneal` runs the kernel in short batches until the
deadline, cooling geometrically over the whole span.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from matching import anneal_kernel as kernel

if TYPE_CHECKING:
    from matching.group_search import GroupSearch

I32 = npt.NDArray[np.int32]
BATCH_S = 0.005  # kernel time between deadline checks


@dataclass
class Packed:
    """The arrays matching.anneal_kernel works on (its docstring says what each holds)."""

    where: I32
    slot: I32
    members: I32
    size: I32
    bench: I32
    value: I32
    pinned_round: npt.NDArray[np.int8]
    occ: I32
    seen: I32
    known: npt.NDArray[np.bool_]
    sat: npt.NDArray[np.int64]
    country: I32
    frozen: npt.NDArray[np.bool_]
    by_country: I32  # people sorted by country; country_start[c] is where country c begins
    country_start: I32

    def rooms(self) -> tuple[I32, I32, I32, I32, I32]:
        return self.where, self.slot, self.members, self.size, self.bench

    def scores(self) -> tuple[object, ...]:
        return (
            self.value,
            self.pinned_round,
            self.occ,
            self.seen,
            self.known,
            self.sat,
            self.country,
        )


def pack(s: GroupSearch) -> Packed:
    people = s.people
    m, n_rounds = len(people), len(s.rooms)
    local = {p: i for i, p in enumerate(people)}
    containers = max(len(rs) for rs in s.rooms)
    width = max((len(room) for rs in s.rooms for room in rs[:-1]), default=1)
    where = np.zeros((n_rounds, m), dtype=np.int32)
    slot = np.full((n_rounds, m), -1, dtype=np.int32)
    members = np.full((n_rounds, containers, max(width, 1)), -1, dtype=np.int32)
    size = np.zeros((n_rounds, containers), dtype=np.int32)
    bench = np.array([len(rs) - 1 for rs in s.rooms], dtype=np.int32)
    frozen = np.zeros((n_rounds, m), dtype=np.bool_)
    for r, rs in enumerate(s.rooms):
        for c, room in enumerate(rs):
            ids = [local[p] for p in room]
            where[r, ids] = c
            if c < bench[r]:
                members[r, c, : len(ids)] = ids
                slot[r, ids] = range(len(ids))
                size[r, c] = len(ids)
        pinned = [local[p] for p, qs in s.pins[r].items() if qs]
        frozen[r, pinned] = True
    codes = sorted({s.ix.country[p] for p in people})
    code = {c: i for i, c in enumerate(codes)}
    country = np.array([code[s.ix.country[p]] for p in people], dtype=np.int32)
    seen = np.zeros((m, len(codes)), dtype=np.int32)
    known = np.zeros((m, len(codes)), dtype=np.bool_)
    for i, p in enumerate(people):
        for c, count in s.seen[p].items():
            seen[i, code[c]] = count
        for c in s.state.met_countries[p]:
            if c in code:
                known[i, code[c]] = True
    occ = np.zeros((m, m), dtype=np.int32)
    for (a, b), count in s.occ.items():
        occ[local[a], local[b]] = occ[local[b], local[a]] = count
    pinned_round = np.full((m, m), -1, dtype=np.int8)
    for (a, b), r in s.reserved.items():
        pinned_round[local[a], local[b]] = pinned_round[local[b], local[a]] = r
    order = np.argsort(country, kind="stable").astype(np.int32)
    starts = np.searchsorted(country[order], np.arange(len(codes) + 1)).astype(np.int32)
    return Packed(
        where=where,
        slot=slot,
        members=members,
        size=size,
        bench=bench,
        value=s.value_matrix(),
        pinned_round=pinned_round,
        occ=occ,
        seen=seen,
        known=known,
        sat=np.array([s.sat[p] for p in people], dtype=np.int64),
        country=country,
        frozen=frozen,
        by_country=order,
        country_start=starts,
    )


def unpack(s: GroupSearch, packed: Packed) -> None:
    """The packed rooms back into s (the bench keeps the search's order of people)."""
    people = s.people
    rounds = []
    for r in range(len(s.rooms)):
        bench = int(packed.bench[r])
        rooms = [
            [people[q] for q in packed.members[r, c, : packed.size[r, c]]] for c in range(bench)
        ]
        rooms.append([p for i, p in enumerate(people) if packed.where[r, i] == bench])
        rounds.append(rooms)
    s.recount(rounds)


def anneal(
    s: GroupSearch,
    deadline: float,
    temperatures: tuple[float, float],
    *,
    same: float,
    penalties: tuple[int, int],
) -> int:
    """Simulated annealing of s until the deadline, in compiled batches of swaps; `same`: the
    share of swaps within one country; `penalties`: HARD and FAIR of the search. Returns the
    objective's change."""
    t_start, t_end = temperatures
    if not s.people or not s.rooms:
        return 0
    packed = pack(s)
    kernel.seed(s.rng.getrandbits(31))
    cap = s.cap if s.cap is not None else 0
    w = s.ix.settings.weights.new_country
    start = time.monotonic()
    span = max(1e-6, deadline - start)
    steps, batch_s, gained = 1000, 0.0, 0
    while (now := time.monotonic()) < deadline:
        done = (now - start) / span
        t0 = t_start * (t_end / t_start) ** done
        t1 = t_start * (t_end / t_start) ** min(1.0, done + batch_s / span)
        gained += kernel.anneal(
            steps, t0, t1, same, packed.by_country, packed.country_start, packed.frozen,
            *packed.rooms(), *packed.scores(), cap, w, *penalties,
        )  # fmt: skip
        batch_s = max(1e-6, time.monotonic() - now)
        steps = max(100, min(1_000_000, int(steps * BATCH_S / batch_s)))
    unpack(s, packed)
    return gained
