"""The service's collector policy: no automatic full passes while it runs, yet cycles are freed."""

from __future__ import annotations

import asyncio
import gc
import weakref

from app.gc_policy import scheduled_collection


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_reference_cycles_are_still_freed_by_the_scheduled_pass_and_defaults_come_back() -> None:
    defaults = gc.get_threshold()

    async def scenario() -> None:
        async with scheduled_collection(every_s=0.5):
            a, b = Node(), Node()
            a.other, b.other = b, a  # a cycle: reference counting alone never frees it
            gc.collect(1)  # survivors move to the oldest generation, as long-lived objects do
            alive = weakref.ref(a)
            del a, b
            # Young collections run as usual, but none of them reaches the oldest generation.
            for _ in range(20):
                gc.collect(1)
                _ = [Node() for _ in range(1000)]
            assert alive() is not None
            for _ in range(100):  # until the scheduled pass has run
                if alive() is None:
                    break
                await asyncio.sleep(0.05)
            assert alive() is None

    asyncio.run(scenario())
    assert gc.get_threshold() == defaults
    assert gc.get_freeze_count() == 0
