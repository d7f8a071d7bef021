"""Legal but unusual events: tiny ones, one country, odd pins and weights, rooms that run out."""

import random
from dataclasses import replace

import pytest

from matching import (
    EventSettings,
    Participant,
    Pin,
    Weights,
    check_feasibility,
    plan_event,
    validate_plan,
)
from matching.greedy import plan_greedy
from matching.group_search import GroupSearch
from matching.participant_index import build_index, pair
from matching.plan_state import State
from tests.matching.factories import person

COUNTRIES = ["NL", "BE", "DE", "DK", "FR", "IT", "ES", "PT", "AT", "PL", "SE", "FI", "IE", "CZ"]


def _one_each(n: int) -> list[Participant]:
    """n people from n countries, everyone allowed with everyone."""
    return [person(f"p{i}", COUNTRIES[i]) for i in range(n)]


def test_pairs_with_two_per_country_never_put_three_compatriots_in_the_room_of_three() -> None:
    # Nine Dutch teachers, rooms of 2 with at most 2 per country: the odd one sits out, as
    # a room of three would hold three of them (this raised "internal error" before).
    people = [person(f"n{i}", "NL") for i in range(9)]
    settings = EventSettings(rounds=2, max_per_country=2)
    plan = plan_event(people, settings, time_limit_s=2)
    assert validate_plan(people, settings, plan) == []
    for rnd in plan.rounds:
        assert [len(room.participants) for room in rnd.rooms] == [2, 2, 2, 2]
        assert len(rnd.sitting_out) == 1


def test_sit_outs_forced_by_room_sizes_are_not_blamed_on_a_country() -> None:
    # Five people, rooms of 3: one room of 3 or 4 a round, so one sits out; no country is why.
    people = _one_each(5)
    for distinct in (True, False):
        settings = EventSettings(rounds=1, room_size=3, distinct_countries=distinct)
        report = check_feasibility(people, settings)
        assert report.forced_sit_outs_per_round == 1
        assert len(report.warnings) == 1
        assert "rooms hold 3 or 4 people" in report.warnings[0]
        assert "at most 4 of 5 fit" in report.warnings[0]
        assert "Netherlands" not in report.warnings[0]
        assert "None" not in report.warnings[0]


def test_room_sizes_and_the_country_rule_are_each_named_for_their_share() -> None:
    # Seven people, four Dutch, rooms of 4: one room of 4 or 5 a round, so 2 sit out for the
    # room sizes; with one person per country that room holds one Dutch person, so 1 more.
    people = [person(f"n{i}", "NL") for i in range(4)] + _one_each(4)[1:]
    report = check_feasibility(people, EventSettings(rounds=1, room_size=4))
    assert report.forced_sit_outs_per_round == 3
    sizes, country = report.warnings
    # Said in whole words, and that the sit-outs rotate: "2 must sit out every round" read to an
    # organiser as the same two people every round.
    assert sizes.startswith(
        "2 participants must sit out in every round (not always the same: sit-outs rotate): "
        "rooms hold 4 or 5"
    )
    assert country.startswith(
        "1 participant must sit out in every round (not always the same: sit-outs rotate): "
        "the Netherlands has 4"
    )
    assert report.suggestions == (
        "set max_per_country=2 to seat 5 of 7, as many as rooms of 4 hold "
        "(at most 2 per country in a room)",
    )


def test_someone_with_no_language_is_told_so() -> None:
    people = [replace(person("mute", "NL"), languages=frozenset()), *_one_each(4)[1:]]
    report = check_feasibility(people, EventSettings())
    assert report.reasons["mute"].startswith("has no language listed")


def test_two_participants_with_one_id_are_refused() -> None:
    people = [person("a", "NL"), person("a", "BE"), person("b", "DE")]
    with pytest.raises(ValueError, match="participant id 'a' is used twice"):
        plan_event(people, EventSettings(rounds=1), time_limit_s=1)


@pytest.mark.parametrize(
    "weights",
    [Weights(same_sector=-1), Weights(fairness=-5), Weights(request=1001)],
)
def test_weights_outside_their_range_are_refused_by_name(weights: Weights) -> None:
    with pytest.raises(ValueError, match="must be a whole number between 0 and 1000"):
        check_feasibility(_one_each(4), EventSettings(weights=weights))


def test_pins_that_contradict_each_other_are_refused_with_both_names() -> None:
    people = _one_each(6)
    settings = EventSettings(rounds=3)
    both = [Pin("p0", "p1", together=True), Pin("p1", "p0", together=False)]
    with pytest.raises(ValueError, match="pin p0-p1: they are pinned both to meet and never"):
        plan_event(people, settings, pins=both, time_limit_s=1)
    twice = [Pin("p0", "p1", together=True, round=1), Pin("p0", "p1", together=True, round=2)]
    with pytest.raises(ValueError, match="pinned to meet in rounds 1 and 2"):
        plan_event(people, settings, pins=twice, time_limit_s=1)


def test_the_round_by_round_start_seats_people_pinned_together_in_one_room() -> None:
    # Pins a-b and a-c in one round make a room of three (a hand-set room kept by a re-plan
    # arrives as such pins, and may repeat an organiser's pin).
    people = _one_each(14)
    settings = EventSettings(rounds=3, room_size=3)
    ix = build_index(people, settings)
    pins = [(0, 1), (0, 1), (0, 2), (1, 2)]
    for seed in range(6):
        state = State(set(), {v: {ix.country[v]} for v in range(ix.n)}, {})
        rounds = plan_greedy(
            ix, list(range(14)), 3, state, together={1: pins}, seed=seed, time_limit_s=0.3
        )
        assert any({0, 1, 2} <= set(room) for room in rounds[1]), seed


def test_group_round_pins_are_kept_when_listed_twice_or_as_a_room() -> None:
    people = _one_each(14)
    settings = EventSettings(rounds=3, room_size=3)
    pins = [
        Pin("p0", "p1", together=True, round=2),
        Pin("p1", "p0", together=True, round=2),
        Pin("p0", "p2", together=True, round=2),
    ]
    for seed in range(2):
        plan = plan_event(people, settings, pins=pins, time_limit_s=1.5, seed=seed)
        assert validate_plan(people, settings, plan, pins=pins) == []
        assert plan.warnings == ()


@pytest.mark.parametrize("seed", [0, 1])
def test_pins_for_any_round_are_dealt_to_rounds_where_they_fit_a_room(seed: int) -> None:
    # x must meet six people in three rounds of rooms of 3: two a round, never two compatriots
    # (BE, DE, DK) in one room. Dealt in turn, both Belgians landed in round 1: 3 of 6 kept.
    partners = [person(f"q{i}", c) for i, c in enumerate(["BE", "DE", "DK"] * 2)]
    others = [person(f"f{i}", c) for i, c in enumerate(["FR", "IT", "ES", "PT", "AT", "PL"])]
    people = [person("x", "NL"), *partners, *others]
    pins = [Pin("x", p.id, together=True) for p in partners]
    settings = EventSettings(rounds=3, room_size=3)
    plan = plan_event(people, settings, pins=pins, time_limit_s=1.5, seed=seed)
    assert validate_plan(people, settings, plan, pins=pins) == []
    assert not [w for w in plan.warnings if "not kept" in w]


def test_a_pin_naming_someone_who_cannot_be_placed_is_reported_not_a_crash() -> None:
    # p0 speaks only French, as only p1 does: no room of 3 holds p0 (it raised KeyError).
    french = person("p0", "NL", languages=("fr",))
    people = [french, person("p1", "BE", languages=("fr", "en")), *_one_each(9)[2:]]
    settings = EventSettings(rounds=2, room_size=3)
    plan = plan_event(people, settings, pins=[Pin("p0", "p1", together=True)], time_limit_s=1)
    assert [u.participant_id for u in plan.unplaceable] == ["p0"]
    assert plan.warnings == ("not kept: pin: p0 and p1 must meet",)


def test_a_round_with_one_room_and_pins_it_cannot_hold_still_gets_a_plan() -> None:
    # One room of 3 a round (four Dutch, one per country): the pins cannot all hold, and the
    # repair had only that room to swap with (it raised IndexError).
    people = [person(f"n{i}", "NL") for i in range(4)] + [person("b", "BE"), person("d", "DE")]
    settings = EventSettings(rounds=2, room_size=3)
    pins = [
        Pin("n0", "b", together=True, round=1),
        Pin("n1", "b", together=True, round=2),
        Pin("n2", "d", together=True),
        Pin("n3", "d", together=True),
    ]
    plan = plan_event(people, settings, pins=pins, time_limit_s=1)
    assert [p for p in validate_plan(people, settings, plan) if "must meet" not in p] == []
    assert all(w.startswith("not kept: pin:") for w in plan.warnings if "pin" in w)


def test_a_pair_pinned_in_a_round_does_not_meet_again_in_rooms_of_two() -> None:
    people = _one_each(6)
    settings = EventSettings(rounds=2)
    ix = build_index(people, settings)
    state = State({pair(0, 1)}, {v: {ix.country[v]} for v in range(ix.n)}, {})
    edges = [(i, j, ix.score(i, j)) for i in range(6) for j in range(i + 1, 6)]
    rounds = plan_greedy(
        ix, list(range(6)), 2, state, together={0: [(0, 1)]}, seed=0, time_limit_s=0.2,
        edges=edges,
    )  # fmt: skip
    assert all(set(room) != {0, 1} for rooms in rounds for room in rooms)


@pytest.mark.parametrize(("n", "room_size", "rounds", "sit_outs"), [(5, 3, 2, 4), (6, 3, 4, 12)])
def test_small_group_events_do_not_fill_one_round_at_the_cost_of_the_next(
    n: int, room_size: int, rounds: int, sit_outs: int
) -> None:
    # Five people, rooms of 3, two rounds: one room of 4 in round 1 leaves no room of 3 in
    # round 2 (everyone met but one); rooms of 3 in both rounds seat 6. Six people, four
    # rounds: one round of two rooms ends it, four rooms of 3 over the rounds seat 12.
    people = _one_each(n)
    settings = EventSettings(rounds=rounds, room_size=room_size)
    plan = plan_event(people, settings, time_limit_s=3)
    assert validate_plan(people, settings, plan) == []
    assert plan.score.sit_outs == sit_outs


def test_a_broken_rule_costs_the_search_more_than_a_pair_is_worth_with_large_weights() -> None:
    # Weights of 1,000 a shared interest: a pair sharing 100 interests is worth 100,000, ten
    # times the fixed penalty for meeting twice, so swaps that broke rules paid (and the
    # plan then benched whoever broke one).
    tags = tuple(f"t{i}" for i in range(100))
    people = [person(f"p{i}", COUNTRIES[i], interests=tags if i < 2 else ()) for i in range(9)]
    weights = Weights(shared_interest=1000, max_shared_interests=1000)
    ix = build_index(people, EventSettings(rounds=2, room_size=3, weights=weights))
    state = State(set(), {v: {ix.country[v]} for v in range(ix.n)}, {})
    rounds = [[[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 3, 6], [1, 4, 7], [2, 5, 8]]]
    search = GroupSearch(ix, list(range(9)), rounds, state, {}, random.Random(0))
    # Swapping 3 and 1 in round 2 puts 0 and 1 together a second time.
    assert search.delta(1, 3, 1) < 0
    assert search.hard > 100_000
