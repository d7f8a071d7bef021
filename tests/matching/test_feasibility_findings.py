"""check_feasibility's findings are structured, and their English texts are the report's."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matching import EventSettings, Finding, FindingKind, check_feasibility
from matching.generate import generate_participants


@pytest.mark.parametrize(
    ("n", "seed", "settings"),
    [
        (60, 4, EventSettings(rounds=4, room_size=3)),
        (200, 0, EventSettings(rounds=4, room_size=5)),
        (20, 5, EventSettings(rounds=6, room_size=2)),
    ],
)
def test_the_report_is_made_of_its_findings_texts(
    n: int, seed: int, settings: EventSettings
) -> None:
    report = check_feasibility(generate_participants(n, seed=seed), settings)
    found = report.findings
    assert found
    assert [(u.participant_id, u.reason) for u in report.unplaceable] == [
        (f.person, f.text) for f in found if f.unplaceable
    ]
    assert list(report.warnings) == [
        f.text for f in found if not f.unplaceable and not f.suggestion
    ]
    assert list(report.suggestions) == [f.text for f in found if f.suggestion]


def test_each_kind_keeps_the_english_it_had() -> None:
    people = generate_participants(20, seed=5)
    lonely = replace(people[0], country="KE", languages=frozenset({"sw"}))
    dutch = [replace(p, country="NL") for p in people[1:15]] + people[15:]
    report = check_feasibility([lonely, *dutch], EventSettings(rounds=3, room_size=2))
    by_kind = {f.kind: f for f in report.findings}
    assert by_kind[FindingKind.NOBODY_SPEAKS] == Finding(
        FindingKind.NOBODY_SPEAKS, (lonely.id,), 2, languages=("sw",)
    )
    assert report.reasons[lonely.id] == "nobody else speaks sw"
    share = by_kind[FindingKind.COUNTRY_SHARE]
    assert (share.country, share.country_count, share.total, share.cap) == ("NL", 15, 19, 1)
    assert share.text == (
        "11 participants must sit out in every round (not always the same: sit-outs rotate): "
        "the Netherlands has 15 of 19 people and rooms of 2 allow at most 1 per country"
    )
    assert by_kind[FindingKind.RELAX_COUNTRY].text == (
        "set max_per_country=2 to seat everyone (at most 2 per country in a room)"
    )
    sizes = Finding(FindingKind.ROOM_SIZES, (), 3, count=1, total=5, fit=4)
    assert sizes.text == (
        "1 participant must sit out in every round (not always the same: sit-outs rotate): "
        "rooms hold 3 or 4 people (at most 2 rooms of 4 a round), so at most 4 of 5 fit"
    )
    few = Finding(FindingKind.FEW_GROUPS, ("p1",), 3, count=1, rounds=4)
    assert few.least_sit_outs == 3
    assert few.text == (
        "p1 can sit in a room in at most 1 of 4 rounds: nobody meets anyone twice, and only 1 "
        "group of 2 possible room-mates with no one in common exists (languages, schools, "
        "countries, avoid lists)"
    )
