"""Property tests: on random small events every plan keeps H1-H5, room sizes and pins."""

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import (
    EventSettings,
    InfeasibleError,
    Participant,
    Sector,
    check_feasibility,
    plan_event,
    replan,
    validate_plan,
)


@st.composite
def events(draw: st.DrawFn) -> tuple[list[Participant], EventSettings]:
    n = draw(st.integers(2, 12))
    countries = draw(
        st.lists(st.sampled_from(["NL", "BE", "DE", "DK", "PT"]), min_size=1, max_size=4)
    )
    ids = [f"x{i}" for i in range(n)]
    people = []
    for pid in ids:
        people.append(
            Participant(
                id=pid,
                name=pid,
                school=draw(st.sampled_from(["A", "B", "C", "D", "E", "F", "G", pid])),
                country=draw(st.sampled_from(countries)),
                sector=draw(st.sampled_from(list(Sector))),
                languages=frozenset(draw(st.sets(st.sampled_from(["en", "de", "fr"]), min_size=1))),
                interests=frozenset(draw(st.sets(st.sampled_from(["a", "b", "c", "d"])))),
                programmes=frozenset(draw(st.sets(st.sampled_from(["ka1", "ka2"])))),
                requests=frozenset(draw(st.sets(st.sampled_from(ids), max_size=2)) - {pid}),
                avoid=frozenset(draw(st.sets(st.sampled_from(ids), max_size=1)) - {pid}),
            )
        )
    room_size = draw(st.integers(2, 4))
    cap = draw(st.sampled_from([None, 2])) if room_size > 2 else None
    event = EventSettings(
        rounds=draw(st.integers(1, 4)),
        room_size=room_size,
        distinct_countries=draw(st.booleans()),
        max_per_country=cap,
    )
    return people, event


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_every_plan_keeps_the_hard_rules_and_room_sizes(
    event: tuple[list[Participant], EventSettings],
) -> None:
    people, config = event
    report = check_feasibility(people, config)
    if report.placeable - report.forced_sit_outs_per_round == 0:  # not one room can be seated
        with pytest.raises(InfeasibleError):
            plan_event(people, config, time_limit_s=1)
        return
    plan = plan_event(people, config, time_limit_s=1)
    assert validate_plan(people, config, plan) == []
    assert plan.score.violations == 0
    assert plan.upper_bound >= plan.score.total
    # Whoever the report says can sit in at most m rounds is never seated more often.
    seated = Counter(pid for r in plan.rounds for room in r.rooms for pid in room.participants)
    for warning in plan.warnings:
        if found := re.match(r"(\S+) can sit in a room in at most (\d+) of", warning):
            assert seated[found.group(1)] <= int(found.group(2))
    unplaceable = {u.participant_id for u in plan.unplaceable}
    for rnd in plan.rounds:
        in_rooms = [pid for room in rnd.rooms for pid in room.participants]
        assert len(in_rooms) == len(set(in_rooms))
        assert set(in_rooms) | set(rnd.sitting_out) == {p.id for p in people}
        assert not unplaceable & set(in_rooms)
    if config.rounds > 1:
        absent = frozenset({people[0].id})
        again = replan(people, config, plan, played_rounds=1, absent=absent, time_limit_s=1)
        assert again.rounds[0] == plan.rounds[0]
        assert validate_plan(people, config, again) == []
        for rnd in again.rounds[1:]:
            assert all(people[0].id not in room.participants for room in rnd.rooms)
        # The same at a round start (steady: the round starting keeps its rooms where it can).
        steady = replan(
            people, config, plan, played_rounds=1, absent=absent, time_limit_s=1, steady=True
        )
        assert steady.rounds[0] == plan.rounds[0]
        assert validate_plan(people, config, steady) == []
        assert all(people[0].id not in room.participants for room in steady.rounds[1].rooms)
