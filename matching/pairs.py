"""Who may meet whom, and at what score: per-person scans and the graph of allowed meetings.

The pairwise hard rules (H1 school, H2 country when the room cap is 1, H3 language, H4 met before,
H5 avoid, organiser "never" pins) decide which pairs are edges; s(a, b) is the edge weight.

Scans over all pairs (n = 5,000 is 12.5 million of them) run one person at a time against numpy
arrays of everyone else: the array rules (H1-H3) and the base score vectorised, the sparse rules
(H4, H5, pins) and request bonuses looked up for the few pairs that pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching.participant_index import Index, IntArray, Pair, pair, share_any, shared_count
from matching.policy import country_cap


@dataclass
class Graph:
    """Allowed meetings among `nodes`; `exact` is False when low-score edges were pruned."""

    nodes: list[int]
    edges: list[Pair]
    scores: list[int]
    exact: bool

    def neighbours(self) -> dict[int, list[int]]:
        """node -> indices into `edges`."""
        out: dict[int, list[int]] = {v: [] for v in self.nodes}
        for k, (i, j) in enumerate(self.edges):
            out[i].append(k)
            out[j].append(k)
        return out


def _candidates(ix: Index, i: int, others: IntArray) -> tuple[IntArray, IntArray]:
    """(j, base score) for every j in `others` allowed with i by the array rules (H1-H3)."""
    a, w = ix.arrays, ix.settings.weights
    ok = (a.school[others] != a.school[i]) & share_any(a.lang, others, i)
    if country_cap(ix.settings) == 1:
        ok &= a.country[others] != a.country[i]
    js = others[ok]
    scores = (
        w.same_sector * (a.sector[js] == a.sector[i])
        + w.shared_interest * np.minimum(shared_count(a.interests, js, i), w.max_shared_interests)
        + w.shared_programme
        * np.minimum(shared_count(a.programmes, js, i), w.max_shared_programmes)
    ).astype(np.int64)
    return js, scores


def partners(ix: Index, i: int, others: Sequence[int] | IntArray) -> list[int]:
    """Those of `others` who may share a room with i (every pairwise hard rule)."""
    js: list[int] = partner_arrays(ix, i, others)[0].tolist()
    return js


def scored_partners(ix: Index, i: int, others: Sequence[int]) -> list[tuple[int, int]]:
    """(j, s(i, j)) for those of `others` who may share a room with i."""
    js, scores = partner_arrays(ix, i, others)
    return list(zip(js.tolist(), scores.tolist(), strict=True))


def partner_arrays(
    ix: Index, i: int, others: Sequence[int] | IntArray
) -> tuple[IntArray, IntArray]:
    """scored_partners as two arrays (vectorised: a loop over the candidates took 24 s of
    check_feasibility at n = 5,000)."""
    # asarray: callers scanning everyone pass one array (a list each call took 0.8 s at 5,000)
    js, base = _candidates(ix, i, np.asarray(others, dtype=np.int64))
    if ruled_out := ix.excluded[i]:
        keep = ~np.isin(js, np.fromiter(ruled_out, dtype=np.int64, count=len(ruled_out)))
        js, base = js[keep], base[keep]
    wanted, times = ix.requested[i]
    if len(wanted) and len(js):
        at = np.minimum(np.searchsorted(wanted, js), len(wanted) - 1)
        base = base + ix.settings.weights.request * np.where(wanted[at] == js, times[at], 0)
    return js, base


def _sparse_ok(ix: Index, i: int, j: int) -> bool:
    if j in ix.avoid[i] or i in ix.avoid[j]:
        return False
    key = pair(i, j)
    return key not in ix.met and key not in ix.never


def _request_bonus(ix: Index, i: int, j: int) -> int:
    return ix.settings.weights.request * ((j in ix.requests[i]) + (i in ix.requests[j]))


def build_graph(ix: Index, nodes: Sequence[int], *, edge_limit: int, keep: int) -> Graph:
    """All allowed pairs among `nodes` if at most `edge_limit`, else each node's `keep` best."""
    order = sorted(nodes)
    everyone = np.array(order, dtype=np.int64)
    edges: list[Pair] = []
    scores: list[int] = []
    for k, i in enumerate(order):
        js, base = _candidates(ix, i, everyone[k + 1 :])
        for j, s in zip(js.tolist(), base.tolist(), strict=True):
            if _sparse_ok(ix, i, j):
                edges.append((i, j))
                scores.append(s + _request_bonus(ix, i, j))
        if len(edges) > edge_limit:
            return _pruned_graph(ix, order, keep)
    return Graph(order, edges, scores, exact=True)


def _pruned_graph(ix: Index, order: list[int], keep: int) -> Graph:
    """Each node's `keep` best partners by base score (ties by a fixed hash), plus requests."""
    everyone = np.array(order, dtype=np.int64)
    chosen: set[Pair] = set()
    for i in order:
        js, base = _candidates(ix, i, everyone[everyone != i])
        tie = (js * 7919 + i * 104729) % 65521
        # One sortable key per pair: score first, then the hash, then j (as heapq.nlargest would).
        keys = (base << 40) | (tie << 20) | js
        best: list[int] = []
        take = min(len(keys), 2 * keep)
        while len(best) < keep and take > 0:
            top = np.sort(keys[np.argpartition(keys, len(keys) - take)[len(keys) - take :]])[::-1]
            best = [j for j in (top & 0xFFFFF).tolist() if _sparse_ok(ix, i, j)][:keep]
            if take == len(keys):
                break
            take = min(len(keys), 2 * take)
        chosen.update(pair(i, j) for j in best)
        for j in ix.requests[i]:
            if ix.allowed(i, j):
                chosen.add(pair(i, j))
    members = set(order)
    edges = sorted(e for e in chosen if e[0] in members and e[1] in members)
    return Graph(order, edges, [ix.score(i, j) for i, j in edges], exact=False)


def positive_reduced(
    ix: Index, graph: Graph, u: dict[int, float], lam: dict[int, list[float]]
) -> list[tuple[int, int, int, float]]:
    """Allowed pairs left out of the graph whose LP reduced cost
    s - u[i] - u[j] + lam[i][country j] + lam[j][country i] is positive: (i, j, s, rc).

    Pairs with a request are always in the graph, so the base score (no request bonus) is exact
    for every pair this scan can return.
    """
    present = set(graph.edges)
    order = graph.nodes
    everyone = np.array(order, dtype=np.int64)
    country = ix.arrays.country
    ncountry = max(len(row) for row in lam.values()) if lam else 1
    u_of = np.zeros(ix.n)
    lam_of = np.zeros((ix.n, ncountry))
    for v in order:
        u_of[v] = u[v]
        lam_of[v, : len(lam[v])] = lam[v]
    out = []
    for k, i in enumerate(order):
        js, base = _candidates(ix, i, everyone[k + 1 :])
        rc = base - u_of[i] - u_of[js] + lam_of[i, country[js]] + lam_of[js, country[i]]
        hits = np.nonzero(rc > 1e-7)[0]
        for j, s, r in zip(js[hits].tolist(), base[hits].tolist(), rc[hits].tolist(), strict=True):
            if (i, j) not in present and _sparse_ok(ix, i, j):
                out.append((i, j, s, r))
    return out


def partner_counts(ix: Index) -> list[int]:
    """How many others each participant may share a room with (pairwise hard rules)."""
    everyone = np.arange(ix.n, dtype=np.int64)
    counts = []
    for i in range(ix.n):
        js, _ = _candidates(ix, i, everyone)
        ruled_out = ix.excluded[i]
        counts.append(len(js) - int(np.isin(js, list(ruled_out)).sum()) if ruled_out else len(js))
    return counts
