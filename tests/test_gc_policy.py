"""The service's collector policy: no automatic full passes while it runs, yet cycles are freed,
and a due pass waits for a quiet moment (no round start near), but not for ever."""

from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Callable

import pytest

from app import gc_policy
from app.gc_policy import add_quiet_check, pass_now, scheduled_collection


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def _old_cycle() -> Callable[[], Node | None]:
    """A reference cycle in the oldest generation, which only a full pass frees."""
    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: reference counting alone never frees it
    gc.collect(1)  # survivors move to the oldest generation, as long-lived objects do
    return weakref.ref(a)


async def _freed_within(alive: Callable[[], Node | None], seconds: float) -> bool:
    for _ in range(int(seconds / 0.05)):
        if alive() is None:
            return True
        await asyncio.sleep(0.05)
    return alive() is None


def test_reference_cycles_are_still_freed_by_the_scheduled_pass_and_defaults_come_back() -> None:
    defaults = gc.get_threshold()

    async def scenario() -> None:
        async with scheduled_collection(every_s=0.5):
            alive = _old_cycle()
            # Young collections run as usual, but none of them reaches the oldest generation.
            for _ in range(20):
                gc.collect(1)
                _ = [Node() for _ in range(1000)]
            assert alive() is not None
            assert await _freed_within(alive, 5)

    asyncio.run(scenario())
    assert gc.get_threshold() == defaults
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize(
    ("since_last_s", "is_quiet", "expected"),
    [
        (30, True, False),  # not due yet, however quiet
        (60, True, True),  # due and quiet
        (61, False, False),  # due, but a round start may be near: wait
        (60 + 599, False, False),
        (60 + 600, False, True),  # deferred for long enough: cycles must not pile up for ever
    ],
)
def test_a_due_pass_waits_for_a_quiet_moment_but_not_longer_than_the_limit(
    since_last_s: float, is_quiet: bool, expected: bool
) -> None:
    assert pass_now(since_last_s, 60, 600, is_quiet) is expected


def test_the_scheduled_pass_waits_while_a_check_says_busy_and_runs_once_it_is_quiet() -> None:
    busy = True
    remove = add_quiet_check(lambda: not busy)

    async def scenario() -> None:
        nonlocal busy
        async with scheduled_collection(every_s=0.2, check_every_s=0.05, max_defer_s=3600):
            alive = _old_cycle()
            assert not await _freed_within(alive, 1.0)  # due for 0.8 s, but not quiet
            busy = False
            assert await _freed_within(alive, 2.0)

    try:
        asyncio.run(scenario())
    finally:
        remove()
    assert gc_policy.quiet()


def test_a_pass_deferred_for_too_long_runs_anyway_and_a_failing_check_counts_as_busy() -> None:
    def broken() -> bool:
        raise RuntimeError("boom")

    remove_busy = add_quiet_check(lambda: False)
    remove_broken = add_quiet_check(broken)

    async def scenario() -> None:
        async with scheduled_collection(every_s=0.2, check_every_s=0.05, max_defer_s=0.5):
            assert not gc_policy.quiet()
            alive = _old_cycle()
            assert await _freed_within(alive, 3.0)

    try:
        asyncio.run(scenario())
    finally:
        remove_busy()
        remove_broken()
    assert gc_policy.quiet()
