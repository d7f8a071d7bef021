"""When the garbage collector's full passes run: on a timer, at a quiet moment, never in a burst.

Reference counting frees almost every object at once; the cycle collector is only for reference
cycles. CPython starts a full (generation 2) pass by itself once enough objects have survived,
and with a thousand sockets open such a pass took 130 ms here, landing in the burst of
allocations of a round start, in front of every client's assignment (docs/benchmarks.md). So
while the service runs, what startup loaded is frozen (never rescanned), automatic full passes
are off, and one runs about every minute instead.

A pass blocks the event loop for as long as it takes, and that grows with the sockets held: with
5,000 sockets in one process it took 260-720 ms (2,500 per process: 300-420 ms). A round start
arriving during it waits for it, so a pass that is due also waits, checked every second, until
every registered check (`add_quiet_check`; the live runtime registers one) says no round start
can be near. Cycles wait at most `MAX_DEFER_S` longer: then the pass runs anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Callable

log = logging.getLogger("speedmatch")

FULL_PASS_EVERY_S = 60.0
CHECK_EVERY_S = 1.0
MAX_DEFER_S = 600.0  # a due pass waits at most this long for a quiet moment
_NEVER = 2**31 - 1  # a generation-2 threshold that is never reached

_quiet_checks: list[Callable[[], bool]] = []


def add_quiet_check(check: Callable[[], bool]) -> Callable[[], None]:
    """Register `check()`: whether a full pass now would delay nothing that matters.

    Returns the function that removes it again.
    """
    _quiet_checks.append(check)
    return lambda: _quiet_checks.remove(check)


def quiet() -> bool:
    """Whether every registered check agrees (a failing check counts as not quiet)."""
    try:
        return all(check() for check in list(_quiet_checks))
    except Exception:
        log.exception("a collection quiet check failed")
        return False


def pass_now(since_last_s: float, every_s: float, max_defer_s: float, is_quiet: bool) -> bool:
    """The decision: due and quiet, or due and already deferred for `max_defer_s`."""
    if since_last_s < every_s:
        return False
    return is_quiet or since_last_s - every_s >= max_defer_s


@contextlib.asynccontextmanager
async def scheduled_collection(
    every_s: float = FULL_PASS_EVERY_S,
    *,
    check_every_s: float = CHECK_EVERY_S,
    max_defer_s: float = MAX_DEFER_S,
) -> AsyncIterator[None]:
    """For the application's lifetime; restores the collector's defaults when it ends."""
    gc.collect()
    gc.freeze()
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], _NEVER)
    task = asyncio.create_task(
        _full_passes(every_s, min(check_every_s, every_s), max_defer_s), name="gc-full-passes"
    )
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        gc.set_threshold(*before)
        gc.unfreeze()


async def _full_passes(every_s: float, check_every_s: float, max_defer_s: float) -> None:
    loop = asyncio.get_running_loop()
    last = loop.time()
    while True:
        await asyncio.sleep(check_every_s)
        since = loop.time() - last
        if since >= every_s and pass_now(since, every_s, max_defer_s, quiet()):
            gc.collect()
            last = loop.time()
