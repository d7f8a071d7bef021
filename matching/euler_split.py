"""Split a set of meetings into rounds by halving it along Euler circuits (room size 2).

At large events the meeting model (matching.meetings) finds no meeting set in time, yet the
pair LP's solution is nearly integral: at the generated n = 5,000 event, 9,886 of its 10,114
meetings have value 1, and almost everyone meets 4 people. Those meetings are worth far more
than the round-by-round plan (docs/matching.md), if they can be split into rounds. Walking an
Euler circuit and giving its edges two colours in turn splits a graph of degree d into two of
degree about d / 2 (each pass through a vertex takes one edge of each colour); halving twice
turns meetings of degree 4 into 4 matchings. Only where a circuit has odd length do two edges
at one vertex get the same colour; the lower-scoring one is left out, and the round-by-round
fill that follows pairs whoever is left without a partner.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import cycle

from matching.participant_index import Pair

_DUMMY = -1  # joined to every vertex of odd degree, so that every degree is even


def split_in_rounds(
    edges: Sequence[Pair], scores: Sequence[int], rounds: int
) -> list[list[Pair]] | None:
    """`rounds` disjoint matchings taken from `edges` (scores in the same order), keeping
    nearly all of them when no one has more than `rounds`; None unless `rounds` is a power of
    two (halving reaches no other count)."""
    if rounds < 1 or rounds & (rounds - 1):
        return None
    score = dict(zip(edges, scores, strict=True))
    parts = [list(edges)]
    while len(parts) < rounds:
        parts = [half for part in parts for half in _halves(part)]
    return [_matching(part, score) for part in parts]


def _halves(edges: list[Pair]) -> tuple[list[Pair], list[Pair]]:
    """Two halves of `edges`: their colours alternate along Euler circuits."""
    adjacent: dict[int, list[int]] = defaultdict(list)  # vertex -> indices into `ends`
    ends: list[Pair] = list(edges)
    for e, (a, b) in enumerate(ends):
        adjacent[a].append(e)
        adjacent[b].append(e)
    for v in [v for v, es in adjacent.items() if len(es) % 2]:
        adjacent[v].append(len(ends))
        adjacent[_DUMMY].append(len(ends))
        ends.append((v, _DUMMY))
    used = [False] * len(ends)
    colour = [0] * len(ends)
    # Circuits from the dummy first, so that an odd circuit's clash lands on it.
    for start in sorted(adjacent, key=lambda v: v != _DUMMY):
        for e, parity in zip(_circuit(start, adjacent, ends, used), cycle((0, 1))):
            colour[e] = parity
    first = [edges[e] for e in range(len(edges)) if colour[e] == 0]
    second = [edges[e] for e in range(len(edges)) if colour[e] == 1]
    return first, second


def _circuit(
    start: int, adjacent: dict[int, list[int]], ends: list[Pair], used: list[bool]
) -> list[int]:
    """Edge indices of an Euler circuit from `start` over unused edges (Hierholzer), marking
    them used; empty when every edge at `start` is used already."""
    stack: list[tuple[int, int]] = [(start, -1)]  # (vertex, edge that led to it)
    circuit: list[int] = []
    while stack:
        v, via = stack[-1]
        es = adjacent[v]
        while es and used[es[-1]]:
            es.pop()
        if es:
            e = es.pop()
            used[e] = True
            a, b = ends[e]
            stack.append((b if a == v else a, e))
        else:
            stack.pop()
            if via >= 0:
                circuit.append(via)
    circuit.reverse()
    return circuit


def _matching(edges: list[Pair], score: dict[Pair, int]) -> list[Pair]:
    """A matching from a graph of degree at most 2 or so: best edges first, clashes left out."""
    taken: set[int] = set()
    out: list[Pair] = []
    for a, b in sorted(edges, key=lambda e: -score[e]):
        if a not in taken and b not in taken:
            taken |= {a, b}
            out.append((a, b))
    return out
