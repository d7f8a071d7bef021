"""Why a sit-out no feasibility finding covers happened, checked against the round's rooms."""

from __future__ import annotations

from dataclasses import replace

from matching import (
    EventSettings,
    Finding,
    FindingKind,
    Participant,
    Pin,
    Room,
    RoundPlan,
    Sector,
    SitOut,
    SitOutReason,
    sit_out_reasons,
)


def _person(pid: str, country: str, languages: str = "en") -> Participant:
    return Participant(
        id=pid,
        name=pid,
        school=f"school {pid}",
        country=country,
        sector=Sector.PRIMARY,
        languages=frozenset(languages.split(";")),
    )


PEOPLE = [_person("a", "NL"), _person("b", "DK"), _person("c", "PT"), _person("d", "ES")]
SETTINGS = EventSettings(rounds=1, room_size=2)


def _round(rooms: list[tuple[str, ...]], out: tuple[str, ...], number: int = 1) -> RoundPlan:
    return RoundPlan(number, tuple(Room(n + 1, ids) for n, ids in enumerate(rooms)), out)


def test_a_room_with_a_free_seat_that_takes_them_is_named() -> None:
    rounds = [_round([("a", "b")], ("c",))]
    assert sit_out_reasons(PEOPLE[:3], SETTINGS, rounds, []) == [
        SitOut("c", 1, SitOutReason.ROOM_FREE, (1,))
    ]


def test_a_rule_break_in_every_room_means_no_room() -> None:
    # c speaks only Portuguese; and meeting a twice (round 2) rules out a's room in round 1.
    people = [*PEOPLE[:2], _person("c", "PT", "pt"), PEOPLE[3]]
    rounds = [_round([("a", "b")], ("c",))]
    assert sit_out_reasons(people, SETTINGS, rounds, []) == [SitOut("c", 1, SitOutReason.NO_ROOM)]
    met = [_round([("a", "b")], ("d",)), _round([("a", "d")], ("b",), number=2)]
    reasons = sit_out_reasons(PEOPLE, replace(SETTINGS, rounds=2), met, [])
    assert SitOut("d", 1, SitOutReason.NO_ROOM) in reasons
    never = [Pin("d", "a", together=False)]
    alone = [_round([("a", "b")], ("d",))]
    assert sit_out_reasons(PEOPLE, SETTINGS, alone, [], never) == [
        SitOut("d", 1, SitOutReason.NO_ROOM)
    ]
    compatriot = [*PEOPLE[:3], _person("d", "NL")]
    assert sit_out_reasons(compatriot, SETTINGS, alone, []) == [
        SitOut("d", 1, SitOutReason.NO_ROOM)
    ]


def test_full_rooms_mean_their_seat_would_be_someone_elses() -> None:
    # Rooms of 2 allow one room of 3 a round: it is taken, so d could join a room of 2 only
    # if someone else sat out.
    people = [*PEOPLE, _person("e", "BE"), _person("f", "AT")]
    rounds = [_round([("a", "b", "c"), ("e", "f")], ("d",))]
    assert sit_out_reasons(people, SETTINGS, rounds, []) == [
        SitOut("d", 1, SitOutReason.ROOMS_FULL, (1, 2))
    ]


def test_sit_outs_a_finding_covers_get_no_reason() -> None:
    rounds = [_round([("a", "b")], ("c", "d"))]
    unplaceable = Finding(FindingKind.NOBODY_SPEAKS, ("c",), 2, languages=("sw",))
    assert [s.person for s in sit_out_reasons(PEOPLE, SETTINGS, rounds, [unplaceable])] == ["d"]
    one_each_round = Finding(FindingKind.ROOM_SIZES, (), 2, count=1, total=3, fit=2)
    assert sit_out_reasons(PEOPLE, SETTINGS, rounds, [unplaceable, one_each_round]) == []
    # Said to sit out at least one of two rounds: one sit-out is covered, a second is not.
    two = replace(SETTINGS, rounds=2)
    some = Finding(FindingKind.FEW_PARTNERS, ("d",), 2, count=1, rounds=2)
    once = [_round([("a", "b")], ("d",)), _round([("a", "d")], ("b",), number=2)]
    said = sit_out_reasons(PEOPLE[:2] + PEOPLE[3:], two, once, [some])
    assert [s.person for s in said] == ["b"]
    twice = [_round([("a", "b")], ("d",)), _round([("a", "b")], ("d",), number=2)]
    said = sit_out_reasons(PEOPLE[:2] + PEOPLE[3:], two, twice, [some])
    assert [(s.person, s.round) for s in said] == [("d", 1), ("d", 2)]
