"""Background loops that end when cancelled, even where a library swallows the cancellation.

redis-py sometimes turns the cancellation of a command into a ConnectionError, or swallows it
and returns (redis/redis-py#2717). A loop that retries on errors then never ends, and the
server's shutdown waits for it forever (seen on SIGTERM with Redis: `docker stop` would have
had to kill the container). So each loop asks whether its task is being cancelled.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


def cancelled() -> bool:
    """Whether the current task has been asked to stop (even if the request got lost)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


async def every(seconds: float, step: Callable[[], Awaitable[None]]) -> None:
    """`step` every `seconds` until cancelled; a failed step is logged and retried next time."""
    while not cancelled():
        await asyncio.sleep(seconds)
        try:
            await step()
        except Exception:
            if not cancelled():
                log.exception("live background step %s failed", step.__name__)
    raise asyncio.CancelledError
