from matching import (
    EventSettings,
    Pin,
    Plan,
    Room,
    RoundPlan,
    Score,
    Sector,
    plan_event,
    score_plan,
    validate_plan,
)
from tests.matching.factories import person

A = person("a", "NL", interests=("inclusion", "stem"), programmes=("etwinning",), requests=("c",))
B = person("b", "BE", interests=("inclusion",), programmes=("etwinning", "ka2"))
C = person("c", "DE", sector=Sector.SECONDARY, interests=("inclusion", "stem", "arts"))
D = person("d", "DK", interests=("stem",), programmes=("ka2",))
FOUR = [A, B, C, D]


def _round(number: int, *rooms: tuple[str, ...], out: tuple[str, ...] = ()) -> RoundPlan:
    return RoundPlan(number, tuple(Room(k + 1, r) for k, r in enumerate(rooms)), out)


def _plan(*rounds: RoundPlan) -> Plan:
    return Plan(rounds=rounds, score=Score(0, 0, 0, 0, 0, 0), upper_bound=0, elapsed_s=0.0)


def test_scores_a_hand_computed_plan_exactly() -> None:
    # s(a,b)=3+2+1=6, s(c,d)=2, s(a,c)=2*2+4=8, s(b,d)=3+1=4; every meeting is a new country.
    rounds = [_round(1, ("a", "b"), ("c", "d")), _round(2, ("a", "c"), ("b", "d"))]
    score = score_plan(FOUR, EventSettings(rounds=2), rounds)
    assert score == Score(
        total=28, pair=20, diversity=8, min_participant=8, violations=0, sit_outs=0
    )


def test_the_minimum_counts_someone_never_seated_unless_they_cannot_be_placed() -> None:
    rounds = [_round(1, ("a", "b"), out=("c", "d")), _round(2, ("a", "b"), out=("c", "d"))]
    settings = EventSettings(rounds=2)
    assert score_plan(FOUR, settings, rounds).min_participant == 0  # c and d: never seated
    left_out = score_plan(FOUR, settings, rounds, left_out={"c", "d"})
    assert left_out.min_participant == 2 * 6 + 1  # a and b: s = 3 + 2 + 1, one new country


def test_diversity_counts_a_country_once_even_twice_in_one_room() -> None:
    people = [person("a", "NL"), person("b", "NL"), person("c", "BE")]
    settings = EventSettings(rounds=1, room_size=3, max_per_country=2)
    score = score_plan(people, settings, [_round(1, ("a", "b", "c"))])
    assert score.diversity == 3  # a and b: Belgium; c: the Netherlands, once
    assert score.violations == 0


def test_planner_finds_the_hand_computed_optimum_and_proves_it() -> None:
    plan = plan_event(FOUR, EventSettings(rounds=2), time_limit_s=5)
    assert plan.score.total == 28
    assert plan.upper_bound == 28
    assert validate_plan(FOUR, EventSettings(rounds=2), plan) == []
    met = {frozenset(room.participants) for r in plan.rounds for room in r.rooms}
    assert met == {frozenset("ab"), frozenset("cd"), frozenset("ac"), frozenset("bd")}


def test_validation_names_each_broken_rule() -> None:
    people = [
        person("a", "NL", school="Same School"),
        person("b", "BE", school=" same school "),
        person("c", "DE", languages=("de",)),
        person("d", "DK", avoid=("e",)),
        person("e", "ES"),
        person("f", "NL"),
    ]
    plan = _plan(
        _round(1, ("a", "b"), ("c", "e"), ("d", "e", "f")),
        _round(2, ("a", "f"), ("d", "e")),
    )
    problems = "\n".join(
        validate_plan(people, EventSettings(rounds=2), plan, pins=[Pin("a", "c", together=True)])
    )
    assert "a and b: same school" in problems
    assert "c and e: no shared language" in problems
    assert "d and e: asked not to meet" in problems
    assert "2 people from NL" in problems
    assert "e is seated twice" in problems
    assert "already met in round 1" in problems
    assert "a and c must meet" in problems
