"""Splitting meetings into rounds along Euler circuits, and the plan the LP's meetings lead."""

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from matching import EventSettings
from matching.core import _with_edges, lead_edges
from matching.euler_split import split_in_rounds
from matching.greedy import plan_greedy
from matching.pairs import Graph
from matching.participant_index import Pair, build_index, pair
from matching.plan_state import State
from tests.matching.factories import person


def _bipartite_regular(n_side: int, degree: int, seed: int) -> list[Pair]:
    """`degree` disjoint perfect matchings between 0..n-1 and n..2n-1: shifted by distinct
    offsets of one random order, so no pair repeats."""
    order = random.Random(seed).sample(range(n_side), n_side)
    return [
        pair(order[i], n_side + order[(i + shift) % n_side])
        for shift in range(degree)
        for i in range(n_side)
    ]


def _is_matching(edges: list[Pair]) -> bool:
    seen = Counter(v for e in edges for v in e)
    return all(count == 1 for count in seen.values())


def test_four_regular_bipartite_meetings_split_into_four_full_rounds() -> None:
    # Every closed walk of a bipartite graph is even, so nothing clashes: all 400 meetings fit.
    edges = _bipartite_regular(50, 4, seed=3)

    rounds = split_in_rounds(edges, [1] * len(edges), 4)

    assert rounds is not None
    assert all(len(r) == 50 and _is_matching(r) for r in rounds)
    assert sorted(e for r in rounds for e in r) == sorted(edges)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=40),
    density=st.floats(min_value=0.05, max_value=0.6),
    seed=st.integers(min_value=0, max_value=10**6),
)
def test_any_meetings_give_disjoint_rounds_that_are_matchings(
    n: int, density: float, seed: int
) -> None:
    rng = random.Random(seed)
    edges = [(a, b) for a in range(n) for b in range(a + 1, n) if rng.random() < density]
    scores = [rng.randint(0, 20) for _ in edges]

    rounds = split_in_rounds(edges, scores, 4)

    assert rounds is not None
    assert len(rounds) == 4
    taken = [e for r in rounds for e in r]
    assert all(_is_matching(r) for r in rounds)
    assert len(taken) == len(set(taken))
    assert set(taken) <= set(edges)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10**6))
def test_four_rounds_worth_of_meetings_keep_nearly_all_of_them(seed: int) -> None:
    # Four disjoint perfect matchings of 200 people, as a plan's meetings would be.
    rng = random.Random(seed)
    edges: list[Pair] = []
    while len(edges) < 400:
        order = rng.sample(range(200), 200)
        matching = [pair(order[2 * i], order[2 * i + 1]) for i in range(100)]
        if not set(matching) & set(edges):
            edges += matching

    rounds = split_in_rounds(edges, [1] * len(edges), 4)

    assert rounds is not None
    assert sum(map(len, rounds)) >= 0.95 * len(edges)


def test_odd_cycles_lose_their_lowest_scoring_meeting_only() -> None:
    # A triangle split into two rounds: two meetings fit, the cheapest one is left out.
    edges = [(0, 1), (1, 2), (0, 2)]

    rounds = split_in_rounds(edges, [5, 9, 1], 2)

    assert rounds is not None
    assert sorted(e for r in rounds for e in r) == [(0, 1), (1, 2)]


def test_round_counts_that_halving_cannot_reach_are_declined() -> None:
    assert split_in_rounds([(0, 1)], [1], 3) is None


def test_the_lp_meetings_lead_the_round_by_round_plan_even_where_they_score_less() -> None:
    # 8 people; the led meetings (a 4-regular bipartite set between the first and last four)
    # share nothing, while every other pair shares a sector: a plain greedy would avoid them.
    people = [
        person(f"p{i}", ["NL", "BE", "DE", "DK", "PT", "AT", "ES", "FR"][i]) for i in range(8)
    ]
    ix = build_index(people, EventSettings(rounds=4, room_size=2))
    led = set(_bipartite_regular(4, 4, seed=1))
    edges = [(a, b) for a in range(8) for b in range(a + 1, 8)]
    scores = [0 if e in led else 3 for e in edges]
    graph = Graph(list(range(8)), edges, scores, exact=True)
    state = State(set(), {v: {ix.country[v]} for v in range(8)}, {})

    lead = lead_edges(graph, led, 4)

    assert lead is not None
    plan = plan_greedy(
        ix, list(range(8)), 4, state, together={}, seed=0, time_limit_s=1.0, edges_by_round=lead
    )
    assert {pair(*room) for rooms in plan for room in rooms} == led


def test_meetings_outside_the_pruned_graph_join_it_unless_a_rule_forbids_them() -> None:
    # p0 and p1 are missing from the (pruned) graph; p2 and p3 share a school (H1).
    people = [person(f"p{i}", c) for i, c in enumerate(["NL", "BE", "DE", "DK"])]
    people[3] = person("p3", "DK", school="School of p2")
    ix = build_index(people, EventSettings(rounds=1, room_size=2))
    graph = Graph([0, 1, 2, 3], [(0, 2)], [ix.score(0, 2)], exact=False)

    grown = _with_edges(ix, graph, {(0, 1), (2, 3), (0, 2)})

    assert sorted(grown.edges) == [(0, 1), (0, 2)]
    assert dict(zip(grown.edges, grown.scores, strict=True))[(0, 1)] == ix.score(0, 1)
