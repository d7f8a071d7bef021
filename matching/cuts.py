"""What the meeting model learns between solves: candidate rooms of three, and odd groups.

An odd group C that the chosen meetings leave with fewer than `rounds` meetings (allowing for
rooms of three inside C and sit-outs in C) can never be split into rooms of two per round; the
model then gets the odd-set cut for C (see matching.meetings) and is solved again.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence

from matching.meetings import MeetingChoice
from matching.pairs import Graph


def candidate_triangles(
    graph: Graph, limit: int, country: Sequence[int], cap: int | None
) -> tuple[list[tuple[int, int, int]], bool]:
    """The `limit` best-scoring rooms of three whose pairs are all allowed and that hold at
    most `cap` people of one country (`country[v]`: v's country); True if that is all."""
    index = {e: k for k, e in enumerate(graph.edges)}
    near: dict[int, set[int]] = {v: set() for v in graph.nodes}
    for i, j in graph.edges:
        near[i].add(j)
        near[j].add(i)
    found: list[tuple[int, tuple[int, int, int]]] = []
    complete = True
    for (i, j), s in zip(graph.edges, graph.scores, strict=True):
        for k in near[i] & near[j]:
            # Pairs pass the country rule only when the cap is 1; a cap of 2 still keeps three
            # compatriots out of one room.
            if k > j and (cap is None or cap > 2 or not country[i] == country[j] == country[k]):
                value = s + graph.scores[index[(i, k)]] + graph.scores[index[(j, k)]]
                found.append((value, (i, j, k)))
        if len(found) > 40 * limit:
            found = heapq.nlargest(limit, found)
            complete = False
    complete = complete and len(found) <= limit
    return [t for _, t in heapq.nlargest(limit, found)], complete


def odd_groups(
    choice: MeetingChoice, nodes: Sequence[int], rounds: int, seed: int
) -> list[set[int]]:
    """Odd groups C that the chosen meetings leave with fewer than `rounds` meetings: no split
    into rooms of two exists then. Finds whole components and two-edge cuts (random XOR labels
    on a DFS tree: two edges with equal labels separate the graph).
    """
    rng = random.Random(seed)
    near: dict[int, list[int]] = {v: [] for v in nodes}
    for i, j in choice.edges:
        near[i].append(j)
        near[j].append(i)
    parent: dict[int, int] = {}
    order: list[int] = []
    for root in nodes:
        if root in parent:
            continue
        parent[root] = root
        stack = [root]
        while stack:
            v = stack.pop()
            order.append(v)
            for w in near[v]:
                if w not in parent:
                    parent[w] = v
                    stack.append(w)
    # DFS-like order from a stack is enough: every non-tree edge gets a label on both ends.
    acc = dict.fromkeys(nodes, 0)
    labels: dict[tuple[int, int], int] = {}
    for i, j in choice.edges:
        if parent.get(j) == i or parent.get(i) == j:
            continue
        r = rng.getrandbits(62) + 1
        labels[(i, j)] = r
        acc[i] ^= r
        acc[j] ^= r
    for v in reversed(order):
        if parent[v] != v:
            labels[(v, parent[v])] = acc[v]
            acc[parent[v]] ^= acc[v]
    same: dict[int, list[tuple[int, int]]] = {}
    for edge, label in labels.items():
        same.setdefault(label, []).append(edge)
    # The empty cut first: whole components (an odd one with nobody sitting out never splits).
    cuts: list[list[tuple[int, int]]] = [[]]
    cuts += [edges[:2] for label, edges in same.items() if len(edges) >= 2 or label == 0]
    found: list[set[int]] = []
    seen: set[frozenset[int]] = set()
    for cut in cuts[:200]:
        removed = {frozenset(e) for e in cut}
        for side in _sides(near, nodes, removed):
            key = frozenset(side)
            if len(side) % 2 == 0 or key in seen or len(side) == len(nodes):
                continue
            seen.add(key)
            inside = sum(1 for t in choice.triangles if set(t) <= side)
            # Only removed edges join a piece to the rest; not every one of them leaves it.
            leaving = sum(1 for i, j in cut if (i in side) != (j in side))
            if leaving + inside + sum(choice.sit[v] for v in side) < rounds:
                found.append(side)
        if len(found) >= 50:
            break
    return found


def _sides(
    near: dict[int, list[int]], nodes: Sequence[int], removed: set[frozenset[int]]
) -> list[set[int]]:
    """Connected pieces of the graph without the `removed` edges."""
    left = set(nodes)
    pieces = []
    while left:
        start = left.pop()
        piece = {start}
        stack = [start]
        while stack:
            v = stack.pop()
            for w in near[v]:
                if w in left and frozenset((v, w)) not in removed:
                    left.discard(w)
                    piece.add(w)
                    stack.append(w)
        pieces.append(piece)
        if len(pieces) > 2 and removed:
            break
    return pieces
