"""The all-pairs scans (vectorised with numpy) agree with the rules checked one pair at a time."""

from __future__ import annotations

import dataclasses
import random

import pytest

from matching import EventSettings, Participant, plan_event
from matching.bounds import best_possible
from matching.codes import LANGUAGES
from matching.generate import generate_participants
from matching.pairs import build_graph, partner_counts, positive_reduced, scored_partners
from matching.participant_index import Index, build_index, pair
from matching.score import participant_scores
from tests.matching.factories import person


def _event(n: int, room_size: int, seed: int) -> Index:
    people = generate_participants(n, seed=seed)
    ids = [p.id for p in people]
    return build_index(
        people,
        EventSettings(rounds=4, room_size=room_size),
        never=[(ids[0], ids[5]), (ids[3], ids[4])],
        met=[(ids[1], ids[7]), (ids[2], ids[9])],
    )


def _allowed_pairs(ix: Index, nodes: list[int]) -> list[tuple[int, int]]:
    return [(i, j) for i in nodes for j in nodes if i < j and ix.allowed(i, j)]


@pytest.mark.parametrize(("n", "room_size", "seed"), [(60, 2, 1), (90, 3, 2), (120, 2, 3)])
def test_partner_counts_are_the_allowed_partners(n: int, room_size: int, seed: int) -> None:
    ix = _event(n, room_size, seed)
    expected = [sum(ix.allowed(i, j) for j in range(n) if j != i) for i in range(n)]
    assert partner_counts(ix) == expected


@pytest.mark.parametrize(("n", "room_size", "seed"), [(120, 3, 1), (90, 4, 2)])
def test_scored_partners_are_the_allowed_ones_with_their_scores_requests_included(
    n: int, room_size: int, seed: int
) -> None:
    ix = _event(n, room_size, seed)
    assert any(ix.requests)  # the generated event has requests
    assert any(ix.avoid)  # and avoids
    others = list(range(0, n, 3))
    for i in range(n):
        expected = [(j, ix.score(i, j)) for j in others if ix.allowed(i, j)]
        assert scored_partners(ix, i, others) == expected


@pytest.mark.parametrize(("n", "room_size", "seed"), [(60, 2, 1), (90, 4, 2)])
def test_full_graph_holds_every_allowed_pair_with_its_score(
    n: int, room_size: int, seed: int
) -> None:
    ix = _event(n, room_size, seed)
    nodes = list(range(0, n, 2))  # a subset, as when some people are absent
    graph = build_graph(ix, nodes, edge_limit=10**9, keep=16)
    assert graph.exact
    assert graph.edges == _allowed_pairs(ix, nodes)
    assert graph.scores == [ix.score(i, j) for i, j in graph.edges]


def test_pruned_graph_keeps_each_persons_best_allowed_partners_and_requests() -> None:
    ix = _event(150, 2, 4)
    keep = 8
    graph = build_graph(ix, list(range(ix.n)), edge_limit=100, keep=keep)
    assert not graph.exact
    edges = set(graph.edges)
    assert all(ix.allowed(i, j) for i, j in edges)
    assert graph.scores == [ix.score(i, j) for i, j in graph.edges]
    for i in range(ix.n):
        allowed = [j for j in range(ix.n) if j != i and ix.allowed(i, j)]
        mine = [j for j in allowed if pair(i, j) in edges]
        assert len(mine) >= min(keep, len(allowed))
        # Nobody left out scores (without request bonuses) above the worst partner kept for i.
        base = {
            j: ix.score(i, j) - ix.settings.weights.request * _requests(ix, i, j) for j in allowed
        }
        kept = sorted((base[j] for j in mine), reverse=True)[:keep]
        assert max((base[j] for j in allowed if j not in mine), default=-1) <= min(kept, default=0)
        assert all(pair(i, j) in edges for j in ix.requests[i] if ix.allowed(i, j))


def _requests(ix: Index, i: int, j: int) -> int:
    return (j in ix.requests[i]) + (i in ix.requests[j])


def test_positive_reduced_costs_are_found_among_all_left_out_pairs() -> None:
    ix = _event(120, 2, 5)
    graph = build_graph(ix, list(range(ix.n)), edge_limit=100, keep=6)
    rng = random.Random(7)
    countries = max(ix.country) + 1
    u = {v: rng.uniform(0, 6) for v in graph.nodes}
    lam = {v: [rng.uniform(0, 1) for _ in range(countries)] for v in graph.nodes}
    present = set(graph.edges)
    expected = []
    for i, j in _allowed_pairs(ix, graph.nodes):
        if (i, j) in present:
            continue
        s = ix.score(i, j) - ix.settings.weights.request * _requests(ix, i, j)
        rc = s - u[i] - u[j] + lam[i][ix.country[j]] + lam[j][ix.country[i]]
        if rc > 1e-7:
            expected.append((i, j, s, rc))
    found = positive_reduced(ix, graph, u, lam)
    assert [f[:3] for f in found] == [e[:3] for e in expected]
    assert [f[3] for f in found] == pytest.approx([e[3] for e in expected])
    assert expected  # the multipliers above do leave pairs worth adding


def test_nobody_scores_above_their_best_possible_in_a_real_plan() -> None:
    people = generate_participants(40, seed=6)
    settings = EventSettings(rounds=4, room_size=2)
    plan = plan_event(people, settings, time_limit_s=2)
    per, _, _ = participant_scores(people, settings, plan.rounds)
    ix = build_index(people, settings)
    best = best_possible(ix, 4)  # rooms of two, an even count: four meetings each at most
    assert all(per[p.id] <= best[ix.pos[p.id]] for p in people)
    assert plan.score.min_participant <= min(best)


def test_best_possible_takes_the_best_partners_and_each_new_country_once() -> None:
    people = [
        person("a", "NL", interests=("stem", "arts")),
        person("b", "BE", interests=("stem", "arts")),  # 3 (sector) + 4 (two interests)
        person("c", "BE", interests=("stem",)),  # 3 + 2
        person("d", "DE"),  # 3
        person("e", "NL"),  # same country as a: not allowed
    ]
    ix = build_index(people, EventSettings(rounds=2, room_size=2))
    # a meets at most two others: b and c score best; two meetings, countries BE and DE: +2.
    assert best_possible(ix, 2)[0] == 7 + 5 + 2


def _many_tags_and_languages(n: int, seed: int) -> list[Participant]:
    """A generated event where free-text tags and languages run past 64 distinct values."""
    rng = random.Random(seed)
    codes = sorted(LANGUAGES)[:150]
    return [
        dataclasses.replace(
            p,
            interests=p.interests | {f"topic-{rng.randrange(90)}" for _ in range(3)},
            programmes=p.programmes | {f"programme-{rng.randrange(90)}" for _ in range(2)},
            languages=p.languages | {rng.choice(codes) for _ in range(2)},
        )
        for p in generate_participants(n, seed=seed)
    ]


def test_more_than_64_distinct_tags_and_languages_are_scored_as_one_pair_at_a_time() -> None:
    people = _many_tags_and_languages(80, seed=3)
    assert len({t for p in people for t in p.interests}) > 64
    assert len({t for p in people for t in p.programmes}) > 64
    assert len({t for p in people for t in p.languages}) > 64
    ix = build_index(people, EventSettings(rounds=4, room_size=3))
    everyone = list(range(ix.n))
    for i in range(ix.n):
        expected = [(j, ix.score(i, j)) for j in everyone if ix.allowed(i, j)]
        assert scored_partners(ix, i, everyone) == expected


@pytest.mark.parametrize("room_size", [2, 4])
def test_an_event_with_more_than_64_distinct_tags_gets_a_valid_plan(room_size: int) -> None:
    people = _many_tags_and_languages(40, seed=4)
    plan = plan_event(people, EventSettings(rounds=4, room_size=room_size), time_limit_s=2)
    assert plan.score.violations == 0
    assert plan.score.total > 0
    assert plan.upper_bound >= plan.score.total
