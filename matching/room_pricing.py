"""Pricing for the room LP: the room of most reduced cost that a given person leads.

A room is a clique of people (every pair allowed) of a fixed size, at most `cap` per country.
Its reduced cost is `const + sum(node[q] for q in room) + sum(weight[a, b] for pairs a, b)`.
Each room is searched once, from its first member in index order. The search is a branch and
bound over cliques: the last two members are chosen together by one numpy step, and above that
a branch is cut when its star bound (each candidate's gain plus half its best positive edges)
cannot beat the best room found or zero. Past the deadline no branch is opened and the bound
of what was left unexplored is kept (a first member not reached gets an infinite bound), so
`Lead.bound` is always a proven upper bound.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass
class Lead:
    """For one first member: the best room found (with its value) and a proven upper bound."""

    best: float = -np.inf
    room: tuple[int, ...] = ()
    bound: float = -np.inf  # no room this person leads has a higher reduced cost
    found: list[tuple[float, tuple[int, ...]]] = field(default_factory=list)


@dataclass
class Pricing:
    adj: BoolArray  # adj[a, b]: a and b may share a room
    weight: FloatArray  # reduced-cost weight of a pair (meaningful where adj)
    node: FloatArray  # reduced-cost weight of a member
    country: IntArray
    cap: int | None  # at most this many per country in a room (None: no limit)
    deadline: float
    keep: int = 8  # positive rooms kept per first member
    # The exact reduced cost of a room, where the weights only bound it (a country cap above
    # one: two room-mates of one country count its diversity dual twice).
    exact: Callable[[tuple[int, ...]], float] | None = None

    def lead(self, p: int, size: int, const: float, out: Lead) -> None:
        """Search the rooms of `size` whose first member is p, into `out`."""
        if time.monotonic() > self.deadline:
            out.bound = np.inf  # not searched: no bound
            return
        n = len(self.node)
        cand = np.nonzero(self.adj[p, p + 1 :])[0].astype(np.int64) + p + 1
        if n and len(cand) >= size - 1:
            gain = self.node[cand] + self.weight[p, cand]
            self._search([p], cand, gain, const + float(self.node[p]), size - 1, out)

    def _allowed_by_cap(self, members: list[int], cand: IntArray) -> IntArray:
        if self.cap is None or self.cap >= len(members) + 1:
            return cand
        full = np.nonzero(np.bincount(self.country[members]) >= self.cap)[0]
        return cand[~np.isin(self.country[cand], full)] if len(full) else cand

    def _leaves(
        self, out: Lead, values: FloatArray, room: Callable[[int], tuple[int, ...]]
    ) -> None:
        """Record the best complete rooms; `values` bound each one's reduced cost from above
        (exactly so unless `exact` is set), so the scan stops at the first that cannot count."""
        order = np.argsort(-values, kind="stable")
        for at, i in enumerate(order.tolist()):
            v = float(values[i])
            if not np.isfinite(v):
                return
            if (at >= self.keep and self.exact is None) or v <= self._floor(out):
                out.bound = max(out.bound, min(v, self._floor(out)))
                return
            r = room(i)
            self._record(out, v if self.exact is None else min(v, self.exact(r)), r)

    def _floor(self, out: Lead) -> float:
        """Branches that cannot beat this are cut: zero, or the worst room kept once full."""
        return max(0.0, out.found[-1][0]) if len(out.found) >= self.keep else 0.0

    def _record(self, out: Lead, value: float, room: tuple[int, ...]) -> None:
        out.bound = max(out.bound, value)
        if value > out.best:
            out.best, out.room = value, room
        if value > 1e-9:
            out.found.append((value, room))
            out.found.sort(reverse=True)
            del out.found[self.keep :]

    def _search(
        self,
        members: list[int],
        cand: IntArray,
        gain: FloatArray,
        value: float,
        need: int,
        out: Lead,
    ) -> None:
        keep = self._allowed_by_cap(members, cand)
        if len(keep) < len(cand):
            gain = gain[np.isin(cand, keep)]
            cand = keep
        if len(cand) < need:
            return
        if need == 1:
            self._leaves(out, value + gain, lambda i: (*members, int(cand[i])))
            return
        # take() twice: a quarter of the time of fancy indexing with np.ix_ (hot path).
        sub_adj = self.adj.take(cand, 0).take(cand, 1)
        sub_w = self.weight.take(cand, 0).take(cand, 1)
        if need == 2:
            total = gain[:, None] + gain[None, :] + sub_w
            ok = sub_adj & _upper(len(cand))
            if self.cap is not None and self.cap < len(members) + 2:
                ok &= ~self._same_country_full(members, cand)
            if not ok.any():
                return
            flat = value + np.where(ok, total, -np.inf).ravel()
            c = len(cand)
            self._leaves(out, flat, lambda f: (*members, int(cand[f // c]), int(cand[f % c])))
            return
        # Star bound: a candidate adds its gain plus at most half of its best positive edges.
        pos = np.where(sub_adj, np.maximum(sub_w, 0.0), 0.0)
        top = -np.partition(-pos, need - 2, axis=1)[:, : need - 1].sum(axis=1)
        h = gain + 0.5 * top
        order = np.argsort(-h)
        hs = h[order]
        for at in range(len(order) - need + 1):
            reach = value + float(hs[at : at + need].sum())
            if reach <= self._floor(out):
                return
            if time.monotonic() > self.deadline:
                out.bound = max(out.bound, reach)  # unexplored: keep its bound
                return
            i = int(order[at])
            rest = order[at + 1 :]
            rest = rest[sub_adj[i, rest]]
            if len(rest) < need - 1:
                continue
            q = int(cand[i])
            self._search(
                [*members, q],
                cand[rest],
                gain[rest] + sub_w[i, rest],
                value + float(gain[i]),
                need - 1,
                out,
            )

    def _same_country_full(self, members: list[int], cand: IntArray) -> BoolArray:
        """Pairs of candidates of one country that would exceed the cap together."""
        assert self.cap is not None
        per_country = np.bincount(self.country[members], minlength=int(self.country.max()) + 1)
        counts = per_country[self.country[cand]]
        same: BoolArray = self.country[cand][:, None] == self.country[cand][None, :]
        return same & (counts[:, None] + 2 > self.cap)


@functools.cache
def _upper(n: int) -> BoolArray:
    """The strict upper triangle of an n x n matrix (each pair once)."""
    return np.triu(np.ones((n, n), dtype=np.bool_), 1)
