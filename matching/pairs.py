"""Participants compiled to integer arrays, and the graph of allowed meetings with their scores.

The pairwise hard rules (H1 school, H2 country when the room cap is 1, H3 language, H4 met before,
H5 avoid, organiser "never" pins) decide which pairs are edges; s(a, b) is the edge weight.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from matching.policy import country_cap, school_key
from matching.types import EventSettings, Participant, Sector

Pair = tuple[int, int]


def pair(i: int, j: int) -> Pair:
    return (i, j) if i < j else (j, i)


@dataclass
class Index:
    """Participants as integer arrays (positions in `people`), for fast pair checks."""

    people: list[Participant]
    settings: EventSettings
    pos: dict[str, int]
    country: list[int]
    country_codes: list[str]
    school: list[int]
    lang: list[int]
    interests: list[int]
    programmes: list[int]
    sector: list[int]
    requests: list[frozenset[int]]
    avoid: list[frozenset[int]]
    never: set[Pair] = field(default_factory=set)
    met: set[Pair] = field(default_factory=set)

    @property
    def n(self) -> int:
        return len(self.people)

    def allowed(self, i: int, j: int) -> bool:
        """Pairwise hard rules H1-H5 plus organiser 'never' pins."""
        if i == j or self.school[i] == self.school[j] or not self.lang[i] & self.lang[j]:
            return False
        if self.country[i] == self.country[j] and country_cap(self.settings) == 1:
            return False
        if j in self.avoid[i] or i in self.avoid[j]:
            return False
        key = pair(i, j)
        return key not in self.met and key not in self.never

    def score(self, i: int, j: int) -> int:
        w = self.settings.weights
        s = w.same_sector if self.sector[i] == self.sector[j] else 0
        s += w.shared_interest * min(
            (self.interests[i] & self.interests[j]).bit_count(), w.max_shared_interests
        )
        s += w.shared_programme * min(
            (self.programmes[i] & self.programmes[j]).bit_count(), w.max_shared_programmes
        )
        s += w.request * ((j in self.requests[i]) + (i in self.requests[j]))
        return s


def _interner() -> dict[str, int]:
    return {}


def _mask(values: Iterable[str], table: dict[str, int]) -> int:
    m = 0
    for v in values:
        m |= 1 << table.setdefault(v, len(table))
    return m


def build_index(
    people: Sequence[Participant],
    settings: EventSettings,
    *,
    never: Iterable[tuple[str, str]] = (),
    met: Iterable[tuple[str, str]] = (),
) -> Index:
    pos = {p.id: k for k, p in enumerate(people)}
    countries, schools, langs, tags, progs = (_interner() for _ in range(5))
    sectors = {s: k for k, s in enumerate(Sector)}
    ix = Index(
        people=list(people),
        settings=settings,
        pos=pos,
        country=[countries.setdefault(p.country, len(countries)) for p in people],
        country_codes=[],
        school=[schools.setdefault(school_key(p), len(schools)) for p in people],
        lang=[_mask(p.languages, langs) for p in people],
        interests=[_mask(p.interests, tags) for p in people],
        programmes=[_mask(p.programmes, progs) for p in people],
        sector=[sectors[p.sector] for p in people],
        requests=[frozenset(pos[r] for r in p.requests if r in pos) for p in people],
        avoid=[frozenset(pos[r] for r in p.avoid if r in pos) for p in people],
    )
    ix.country_codes = sorted(countries, key=countries.__getitem__)
    ix.never = {pair(pos[a], pos[b]) for a, b in never if a in pos and b in pos}
    ix.met = {pair(pos[a], pos[b]) for a, b in met if a in pos and b in pos}
    return ix


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


def _row(ix: Index, i: int, others: list[int]) -> list[tuple[int, int]]:
    """(base score, j) for every j in `others` allowed with i by the cheap array rules."""
    w = ix.settings.weights
    same_country_ok = country_cap(ix.settings) != 1
    c, sc, lm, im, pm, sec = (
        ix.country[i],
        ix.school[i],
        ix.lang[i],
        ix.interests[i],
        ix.programmes[i],
        ix.sector[i],
    )
    country, school, lang = ix.country, ix.school, ix.lang
    interests, programmes, sector = ix.interests, ix.programmes, ix.sector
    ws, wi, ci, wp, cp = (
        w.same_sector,
        w.shared_interest,
        w.max_shared_interests,
        w.shared_programme,
        w.max_shared_programmes,
    )
    return [
        (
            ws * (sec == sector[j])
            + wi * min(ci, (im & interests[j]).bit_count())
            + wp * min(cp, (pm & programmes[j]).bit_count()),
            j,
        )
        for j in others
        if school[j] != sc and lang[j] & lm and (same_country_ok or country[j] != c)
    ]


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
    edges: list[Pair] = []
    scores: list[int] = []
    for k, i in enumerate(order):
        for s, j in _row(ix, i, order[k + 1 :]):
            if _sparse_ok(ix, i, j):
                edges.append((i, j))
                scores.append(s + _request_bonus(ix, i, j))
        if len(edges) > edge_limit:
            return _pruned_graph(ix, order, keep)
    return Graph(order, edges, scores, exact=True)


def _pruned_graph(ix: Index, order: list[int], keep: int) -> Graph:
    chosen: set[Pair] = set()
    for i in order:
        row = [(s, (j * 7919 + i * 104729) % 65521, j) for s, j in _row(ix, i, order) if j != i]
        row = [r for r in row if _sparse_ok(ix, i, r[2])]
        best = heapq.nlargest(keep, row)
        chosen.update(pair(i, j) for _, _, j in best)
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
    w = ix.settings.weights
    same_country_ok = country_cap(ix.settings) != 1
    country, school, lang = ix.country, ix.school, ix.lang
    interests, programmes, sector = ix.interests, ix.programmes, ix.sector
    ws, wi, ci = w.same_sector, w.shared_interest, w.max_shared_interests
    wp, cp = w.shared_programme, w.max_shared_programmes
    out = []
    for k, i in enumerate(order):
        c, sc, lm, im, pm, sec = (
            country[i],
            school[i],
            lang[i],
            interests[i],
            programmes[i],
            sector[i],
        )
        ui, li = u[i], lam[i]
        hits = [
            (j, s, rc)
            for j in order[k + 1 :]
            if (
                rc := (
                    s := ws * (sec == sector[j])
                    + wi * min(ci, (im & interests[j]).bit_count())
                    + wp * min(cp, (pm & programmes[j]).bit_count())
                )
                - ui
                - u[j]
                + li[country[j]]
                + lam[j][c]
            )
            > 1e-7
        ]
        for j, s, rc in hits:
            if (
                school[j] != sc
                and lang[j] & lm
                and (same_country_ok or country[j] != c)
                and (i, j) not in present
                and _sparse_ok(ix, i, j)
            ):
                out.append((i, j, s, rc))
    return out


def partner_counts(ix: Index) -> list[int]:
    """How many others each participant may share a room with (pairwise hard rules)."""
    same_country_ok = country_cap(ix.settings) != 1
    country, school, lang = ix.country, ix.school, ix.lang
    everyone = range(ix.n)
    counts = []
    for i in everyone:
        c, sc, lm = country[i], school[i], lang[i]
        ok = [
            j
            for j in everyone
            if school[j] != sc and lang[j] & lm and (same_country_ok or country[j] != c)
        ]
        counts.append(sum(1 for j in ok if _sparse_ok(ix, i, j)))
    return counts
