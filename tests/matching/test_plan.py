import itertools
import random
from collections.abc import Iterator
from dataclasses import replace

import pytest

from matching import (
    EventSettings,
    InfeasibleError,
    Participant,
    Pin,
    Room,
    RoundPlan,
    Sector,
    Weights,
    check_feasibility,
    plan_event,
    score_plan,
    validate_plan,
)
from matching.generate import generate_participants
from tests.matching.factories import person


def _partitions(ids: list[str], k: int) -> Iterator[list[tuple[str, ...]]]:
    """Every split of ids into rooms of k, with exactly len(ids) % k rooms of k+1."""
    big = len(ids) % k

    def rec(rest: list[str], big_left: int) -> Iterator[list[tuple[str, ...]]]:
        if not rest:
            yield []
            return
        first, others = rest[0], rest[1:]
        sizes = [k + 1] if big_left and len(rest) == (k + 1) * big_left else []
        sizes = sizes or ([k, k + 1] if big_left else [k])
        for size in sizes:
            for mates in itertools.combinations(others, size - 1):
                left = [x for x in others if x not in mates]
                for tail in rec(left, big_left - (size == k + 1)):
                    yield [(first, *mates), *tail]

    yield from rec(ids, big)


def _brute_force_best(
    people: list[Participant], settings: EventSettings, fairness: int = 0
) -> int | None:
    """The best total + fairness x (minimum participant score) over every valid plan."""
    ids = [p.id for p in people]
    options = list(_partitions(ids, settings.room_size))
    best = None
    for combo in itertools.product(options, repeat=settings.rounds):
        rounds = [
            RoundPlan(r + 1, tuple(Room(i + 1, room) for i, room in enumerate(rooms)))
            for r, rooms in enumerate(combo)
        ]
        score = score_plan(people, settings, rounds)
        value = score.total + fairness * score.min_participant
        if score.violations == 0 and (best is None or value > best):
            best = value
    return best


def _random_people(n: int, seed: int) -> list[Participant]:
    rng = random.Random(seed)
    tags = ["inclusion", "stem", "arts", "languages"]
    return [
        person(
            f"p{i}",
            rng.choice(["NL", "BE", "DE", "DK"]),
            sector=rng.choice(list(Sector)),
            interests=tuple(rng.sample(tags, rng.randint(0, 3))),
            programmes=tuple(rng.sample(["ka1", "ka2"], rng.randint(0, 2))),
            languages=("en",) if rng.random() < 0.9 else ("de", "en"),
        )
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("n", "rounds", "seed"), [(6, 2, 1), (6, 3, 2), (5, 1, 3), (7, 2, 4), (8, 2, 5)]
)
def test_total_is_optimal_and_bound_holds_against_brute_force(
    n: int, rounds: int, seed: int
) -> None:
    people = _random_people(n, seed)
    total_first = Weights(fairness=0)
    settings = EventSettings(rounds=rounds, distinct_countries=False, weights=total_first)
    best = _brute_force_best(people, settings)
    plan = plan_event(people, settings, time_limit_s=3)
    assert validate_plan(people, settings, plan) == []
    assert best is not None
    assert plan.score.total <= best <= plan.upper_bound
    assert plan.score.sit_outs == 0
    if n % 2 == 0:
        assert plan.score.total == best  # room size 2 with an even count: proven optimal


@pytest.mark.parametrize(("n", "rounds", "seed"), [(6, 2, 1), (6, 3, 2), (8, 2, 5), (8, 2, 6)])
def test_the_default_fairness_trade_off_is_optimal_and_the_bound_still_holds_for_the_total(
    n: int, rounds: int, seed: int
) -> None:
    people = _random_people(n, seed)
    settings = EventSettings(rounds=rounds, distinct_countries=False)
    fairness = settings.weights.fairness
    assert fairness > 0
    best_total = _brute_force_best(people, settings)
    best_traded = _brute_force_best(people, settings, fairness)
    plan = plan_event(people, settings, time_limit_s=3)
    assert validate_plan(people, settings, plan) == []
    assert best_total is not None
    assert plan.upper_bound >= best_total  # a bound on every plan's total, fair or not
    assert plan.score.total + fairness * plan.score.min_participant == best_traded


def test_odd_count_gets_one_room_of_three_per_round_and_nobody_sits_out() -> None:
    people = _random_people(21, seed=5)
    settings = EventSettings(rounds=4)
    plan = plan_event(people, settings, time_limit_s=5)
    assert validate_plan(people, settings, plan) == []
    for rnd in plan.rounds:
        assert sorted(len(room.participants) for room in rnd.rooms) == [2] * 9 + [3]
        assert rnd.sitting_out == ()


def test_language_island_is_named_and_the_rest_is_planned() -> None:
    people = [*generate_participants(10, seed=6), person("solo", "FI", languages=("fi",))]
    settings = EventSettings(rounds=3)
    plan = plan_event(people, settings, time_limit_s=3)
    assert [u.participant_id for u in plan.unplaceable] == ["solo"]
    assert "nobody else speaks fi" in plan.unplaceable[0].reason
    assert all("solo" in r.sitting_out for r in plan.rounds)
    assert validate_plan(people, settings, plan) == []


def test_dominant_country_forces_sit_outs_in_group_rooms_and_suggests_a_relaxed_rule() -> None:
    people = generate_participants(60, seed=0)
    report = check_feasibility(people, EventSettings(room_size=4))
    assert report.forced_sit_outs_per_round == 2
    assert any("max_per_country=2" in s for s in report.suggestions)
    relaxed = check_feasibility(people, EventSettings(room_size=4, max_per_country=2))
    assert relaxed.forced_sit_outs_per_round == 0


def test_one_country_holding_most_people_is_reported_for_pairs() -> None:
    people = [person(f"n{i}", "NL") for i in range(6)] + [person("b1", "BE"), person("b2", "BE")]
    report = check_feasibility(people, EventSettings(rounds=2))
    assert report.forced_sit_outs_per_round == 4
    plan = plan_event(people, EventSettings(rounds=2), time_limit_s=2)
    assert validate_plan(people, EventSettings(rounds=2), plan) == []
    assert all(len(r.sitting_out) == 4 for r in plan.rounds)
    sat_out = [pid for r in plan.rounds for pid in r.sitting_out]
    counts = [sat_out.count(f"n{i}") for i in range(6)]
    assert max(counts) - min(counts) <= 1  # 8 sit-outs over 6 people rotate: 2,2,1,1,1,1


def test_too_few_placeable_people_raise_infeasible_with_the_report() -> None:
    people = [person("a", "NL", languages=("nl",)), person("b", "DE", languages=("de",))]
    with pytest.raises(InfeasibleError) as caught:
        plan_event(people, EventSettings(rounds=1))
    assert {u.participant_id for u in caught.value.report.unplaceable} == {"a", "b"}


def test_a_country_rule_no_room_can_meet_is_refused_with_the_setting_to_relax() -> None:
    # Nine Dutch teachers, rooms of 3, at most 2 per country: each may sit with anyone, yet no
    # room can be formed. This returned a plan where everyone sat out every round.
    people = [person(f"p{i}", "NL") for i in range(9)]
    settings = EventSettings(rounds=2, room_size=3, max_per_country=2)
    with pytest.raises(InfeasibleError, match="no room of 3 can be seated") as caught:
        plan_event(people, settings, time_limit_s=1)
    assert "set max_per_country=3" in caught.value.report.summary()
    relaxed = plan_event(people, replace(settings, max_per_country=3), time_limit_s=1)
    assert relaxed.score.sit_outs == 0


def test_group_rooms_are_valid_and_sized_exactly() -> None:
    people = generate_participants(30, seed=7)
    settings = EventSettings(rounds=3, room_size=4, max_per_country=2)
    plan = plan_event(people, settings, time_limit_s=3)
    assert validate_plan(people, settings, plan) == []
    for rnd in plan.rounds:
        seated = sum(len(room.participants) for room in rnd.rooms)
        sizes = sorted(len(room.participants) for room in rnd.rooms)
        assert sizes.count(5) == seated % 4
        assert set(sizes) <= {4, 5}
    assert plan.upper_bound >= plan.score.total


def test_pins_are_respected() -> None:
    people = generate_participants(20, seed=8)
    ids = [p.id for p in people]
    pairs = [
        (a.id, b.id)
        for a, b in itertools.combinations(people, 2)
        if a.country != b.country and a.languages & b.languages and a.school != b.school
    ]
    must, never = pairs[0], pairs[1]
    pins = [Pin(*must, together=True, round=3), Pin(*never, together=False)]
    settings = EventSettings(rounds=4)
    plan = plan_event(people, settings, time_limit_s=3, pins=pins)
    assert validate_plan(people, settings, plan, pins=pins) == []
    third = {frozenset(r.participants) for r in plan.rounds[2].rooms}
    assert any(set(must) <= room for room in third)
    assert len(ids) == 20


def test_every_room_explains_itself() -> None:
    people = generate_participants(12, seed=9)
    plan = plan_event(people, EventSettings(rounds=2), time_limit_s=2)
    first = plan.rounds[0].rooms[0]
    assert set(first.explanations) == set(first.participants)
    assert all("first meeting with" in text for text in first.explanations.values())
