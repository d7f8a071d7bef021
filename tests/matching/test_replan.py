from dataclasses import replace

from matching import EventSettings, Participant, Pin, plan_event, replan, validate_plan
from matching.generate import generate_participants
from matching.greedy import repair_rounds
from matching.pairs import build_graph
from matching.participant_index import build_index
from matching.plan_state import State
from tests.matching.factories import person


def test_replan_after_drop_outs_keeps_played_rounds_and_removes_the_absent() -> None:
    people = generate_participants(40, seed=11)
    settings = EventSettings(rounds=4)
    plan = plan_event(people, settings, time_limit_s=3)
    absent = frozenset(p.id for p in people[:3])
    again = replan(people, settings, plan, played_rounds=2, absent=absent, time_limit_s=3)
    assert again.rounds[:2] == plan.rounds[:2]
    assert [r.rooms for r in again.rounds[:2]] == [r.rooms for r in plan.rounds[:2]]
    assert validate_plan(people, settings, again) == []
    for rnd in again.rounds[2:]:
        seated = {pid for room in rnd.rooms for pid in room.participants}
        assert not seated & absent
        assert not set(rnd.sitting_out) & absent
        assert len(seated) == 37  # 37 people: rooms of two plus one room of three
    assert again.score.violations == 0


def test_late_arrival_is_seated_from_the_next_round_without_repeat_meetings() -> None:
    people = generate_participants(21, seed=12)
    early = people[:20]
    settings = EventSettings(rounds=3)
    plan = plan_event(early, settings, time_limit_s=2)
    late = replace(people[20], id="late")
    everyone = [*early, late]
    again = replan(everyone, settings, plan, played_rounds=1, time_limit_s=2)
    assert again.rounds[0] == plan.rounds[0]
    assert all("late" not in room.participants for room in again.rounds[0].rooms)
    for rnd in again.rounds[1:]:
        assert any("late" in room.participants for room in rnd.rooms)
    assert validate_plan(everyone, settings, again) == []  # includes H4: no meeting repeats


def test_replan_honours_a_new_never_pin() -> None:
    people = generate_participants(16, seed=13)
    settings = EventSettings(rounds=3)
    plan = plan_event(people, settings, time_limit_s=2)
    room = plan.rounds[2].rooms[0].participants
    pin = Pin(room[0], room[1], together=False)
    again = replan(people, settings, plan, played_rounds=1, pins=[pin], time_limit_s=2)
    assert validate_plan(people, settings, again, pins=[pin]) == []
    assert all(set(room[:2]) - set(r.participants) for r in again.rounds[2].rooms)


def test_an_odd_count_after_a_drop_out_seats_the_one_left_over_in_a_room_of_three() -> None:
    # Planned: a-b, c-d, e-x. x drops out: e has no free partner and joins a kept room.
    people = [person(pid, c) for pid, c in zip("abcdex", "NL BE DE DK PT AT".split(), strict=True)]

    rooms = _repaired(people, ["ab", "cd", "ex"], "abcde", seed=1)

    assert rooms in (["a b e", "c d"], ["a b", "c d e"])


def test_a_pin_that_can_no_longer_be_kept_is_reported_not_fatal() -> None:
    # a and c met in round 1; pinning them to meet again in round 2 would break H4.
    people = [person(pid, c) for pid, c in zip("abcd", "NL BE DE DK".split(), strict=True)]
    settings = EventSettings(rounds=2)
    first = plan_event(people, settings, time_limit_s=1)
    a = "a"
    c = next(
        x
        for room in first.rounds[0].rooms
        if a in room.participants
        for x in room.participants
        if x != a
    )
    pin = Pin(a, c, together=True, round=2)
    again = replan(people, settings, first, played_rounds=1, pins=[pin], time_limit_s=1)
    assert validate_plan(people, settings, again) == []
    assert f"not kept: pin: a and {c} must meet in round 2" in again.warnings


def test_a_kept_room_is_re_paired_when_the_partners_left_behind_fit_nowhere_else() -> None:
    # x and y drop out. e (French only) can meet only c, f (German only) only d, and c and d
    # share a kept room: only re-pairing it as (c, e) and (d, f) seats everyone.
    people = [
        person("a", "NL"),
        person("b", "BE"),
        person("c", "DE", languages=("en", "fr")),
        person("d", "DK", languages=("en", "de")),
        person("e", "PT", languages=("fr",)),
        person("f", "ES", languages=("de",)),
        person("x", "AT", languages=("en", "fr", "de")),
        person("y", "FR", languages=("en", "fr", "de")),
    ]

    rooms = _repaired(people, ["ab", "cd", "ex", "fy"], "abcdef")

    assert rooms == ["a b", "c e", "d f"]


def test_the_one_left_over_joins_the_kept_room_they_share_most_with() -> None:
    # x drops out; e shares interests with c and d only, so e joins their room, not a-b's.
    people = [
        person("a", "NL"),
        person("b", "BE"),
        person("c", "DE", interests=("arts", "stem")),
        person("d", "DK", interests=("arts", "stem")),
        person("e", "PT", interests=("arts", "stem")),
        person("x", "AT"),
    ]

    rooms = _repaired(people, ["ab", "cd", "ex"], "abcde")

    assert rooms == ["a b", "c d e"]


def _repaired(
    people: list[Participant], previous: list[str], here: str, seed: int = 0
) -> list[str]:
    """One round's rooms ("ab cd ..." by id) kept and repaired for the people in `here`; the
    rooms come back as sorted, space-joined ids, in sorted order."""
    ix = build_index(people, EventSettings(rounds=1))
    present = [ix.pos[p] for p in here]
    graph = build_graph(ix, present, edge_limit=100, keep=10)
    edges = [(i, j, s) for (i, j), s in zip(graph.edges, graph.scores, strict=True)]
    state = State(set(), {v: {ix.country[v]} for v in range(ix.n)}, {})
    rooms = [[ix.pos[p] for p in room] for room in previous]
    (repaired,) = repair_rounds(ix, present, [rooms], state, edges=edges, seed=seed)
    return sorted(" ".join(sorted(ix.people[p].id for p in room)) for room in repaired)
