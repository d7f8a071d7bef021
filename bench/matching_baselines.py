"""The simple plans `python -m bench matching` compares ours with: random, networkx, greedy."""

from __future__ import annotations

import random

from matching import EventSettings, Participant, Room, RoundPlan
from matching.greedy import plan_greedy
from matching.participant_index import Index, build_index, pair
from matching.plan_state import State
from matching.round_builder import RoundBuilder


def _round_plans(ix: Index, planned: list[list[list[int]]]) -> list[RoundPlan]:
    everyone = {p.id for p in ix.people}
    out = []
    for r, rooms in enumerate(planned):
        seated = {ix.people[v].id for room in rooms for v in room}
        out.append(
            RoundPlan(
                r + 1,
                tuple(
                    Room(k + 1, tuple(ix.people[v].id for v in room))
                    for k, room in enumerate(rooms)
                ),
                tuple(sorted(everyone - seated)),
            )
        )
    return out


def random_rooms(people: list[Participant], settings: EventSettings, seed: int) -> list[RoundPlan]:
    """Breakout rooms filled at random, with valid room-mates only (what a careful host does)."""
    ix = build_index(people, settings)
    rng = random.Random(seed)
    state = State(set(), {v: {ix.country[v]} for v in range(ix.n)}, {})
    builder = RoundBuilder(ix, state, rng)
    k = settings.room_size
    planned = []
    for _ in range(settings.rounds):
        order = list(range(ix.n))
        rng.shuffle(order)
        m = ix.n // k
        sizes = [k + 1] * min(ix.n % k, m) + [k] * (m - min(ix.n % k, m))
        rooms: list[list[int]] = [[] for _ in range(m)]
        for p in order:
            fits = [r for r in range(m) if len(rooms[r]) < sizes[r] and builder.ok(p, rooms[r])]
            if fits:
                rooms[rng.choice(fits)].append(p)
        rooms = builder.finalise(rooms)
        builder.commit(rooms, order)
        planned.append(rooms)
    return _round_plans(ix, planned)


def networkx_rounds(people: list[Participant], settings: EventSettings) -> list[RoundPlan]:
    """Room size 2: each round a maximum-weight matching of the pairs still allowed."""
    import networkx as nx

    ix = build_index(people, settings)
    w = settings.weights.new_country
    met: set[tuple[int, int]] = set()
    seen = {v: {ix.country[v]} for v in range(ix.n)}
    planned = []
    for _ in range(settings.rounds):
        graph = nx.Graph()
        for i in range(ix.n):
            for j in range(i + 1, ix.n):
                if ix.allowed(i, j) and (i, j) not in met:
                    gain = ix.score(i, j) + w * (
                        (ix.country[j] not in seen[i]) + (ix.country[i] not in seen[j])
                    )
                    graph.add_edge(i, j, weight=gain + 1)
        matching = nx.max_weight_matching(graph, maxcardinality=True)
        rooms = [sorted(e) for e in matching]
        for a, b in rooms:
            met.add(pair(a, b))
            seen[a].add(ix.country[b])
            seen[b].add(ix.country[a])
        planned.append(rooms)
    return _round_plans(ix, planned)


def greedy_rounds(people: list[Participant], settings: EventSettings) -> list[RoundPlan]:
    """Rooms of 3-6: round by round, as matching.greedy fills them."""
    ix = build_index(people, settings)
    state = State(set(), {v: {ix.country[v]} for v in range(ix.n)}, {})
    planned = plan_greedy(
        ix, list(range(ix.n)), settings.rounds, state, together={}, seed=0, time_limit_s=10
    )
    return _round_plans(ix, planned)
