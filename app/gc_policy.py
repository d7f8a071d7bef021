"""When the garbage collector's full passes run: on a timer, never in the middle of a fan-out.

Reference counting frees almost every object at once; the cycle collector is only for reference
cycles. CPython starts a full (generation 2) pass by itself once enough objects have survived,
and with a thousand sockets open such a pass took 130 ms here, landing in the burst of
allocations of a round start, in front of every client's assignment (docs/benchmarks.md). So
while the service runs, what startup loaded is frozen (never rescanned), automatic full passes
are off, and one runs every minute between bursts instead. Cycles wait at most that long.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator

FULL_PASS_EVERY_S = 60.0
_NEVER = 2**31 - 1  # a generation-2 threshold that is never reached


@contextlib.asynccontextmanager
async def scheduled_collection(every_s: float = FULL_PASS_EVERY_S) -> AsyncIterator[None]:
    """For the application's lifetime; restores the collector's defaults when it ends."""
    gc.collect()
    gc.freeze()
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], _NEVER)
    task = asyncio.create_task(_full_passes(every_s), name="gc-full-passes")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        gc.set_threshold(*before)
        gc.unfreeze()


async def _full_passes(every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        gc.collect()
