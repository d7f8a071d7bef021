from dataclasses import replace

from matching import EventSettings, Pin, plan_event, replan, validate_plan
from matching.generate import generate_participants


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
