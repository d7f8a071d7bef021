"""Generated events (the demo, the benchmarks) read like a real participant list."""

from collections import Counter

import pytest

from matching.generate import FIRST, LAST, generate_participants


@pytest.mark.parametrize(("n", "seed"), [(60, 0), (60, 1), (200, 0), (200, 3)])
def test_no_two_people_share_a_name_while_the_country_has_names_left(n: int, seed: int) -> None:
    people = generate_participants(n, seed)

    names = Counter(p.name for p in people)
    assert [name for name, count in names.items() if count > 1] == []
    assert all(p.name.split()[0] != p.name.split()[-1] for p in people)


def test_large_events_repeat_names_only_once_a_country_has_used_them_all() -> None:
    people = generate_participants(1000, seed=0)

    for country in FIRST:
        mine = [p.name for p in people if p.country == country]
        distinct = len(set(mine))
        assert distinct == min(len(mine), len(FIRST[country]) * len(LAST[country]))
