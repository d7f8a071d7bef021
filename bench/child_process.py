"""Runs one measurement in a fresh spawned process, so its peak memory and hooks are its own."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from typing import Any


def result_from_child(target: Callable[..., None], *args: Any) -> dict[str, Any]:
    """Call `target(*args, queue)` in a spawned child and return what it put on the queue."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=target, args=(*args, queue))
    child.start()
    result: dict[str, Any] = queue.get()
    child.join()
    return result
