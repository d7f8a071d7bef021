"""`python -m bench matching`: sizes between the listed ones get a time limit too."""

from __future__ import annotations

from bench.matching_bench import REPLAN, for_size


def test_a_size_between_the_listed_ones_takes_the_limit_of_the_size_below() -> None:
    # An odd count next to the real event (61 people) used to stop the benchmark with a KeyError.
    assert for_size(REPLAN, 61) == REPLAN[60]
    assert for_size(REPLAN, 999) == REPLAN[200]
    assert for_size(REPLAN, 1000) == REPLAN[1000]
    assert for_size(REPLAN, 20_000) == REPLAN[5000]
    assert for_size(REPLAN, 10) == REPLAN[60]  # below every listed size: the smallest's
