"""Whether a full garbage-collector pass now could delay a round start on this process.

A full pass blocks the event loop (with 5,000 sockets in one process: 260-720 ms), so
`app.gc_policy` runs a due pass only when every event with sockets here is in the middle of a
running round: its start's fan-out is over and its end is not near, and a next round cannot start
before it ends. Before the first round and between rounds a start may come at any moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from app.live.event_view import EventView
from app.models import EventPhase
from rooms import Status

AFTER_START_S = 5.0  # a round start's messages have gone out well before this
BEFORE_END_S = 30.0  # an auto-advance end (and a start right after it, with no break) is further


def event_is_quiet(view: EventView | None, now: datetime) -> bool:
    if view is None:
        return False  # not read yet: nothing is known, so assume the worst
    if view.phase == EventPhase.FINISHED:
        return True
    clock = view.round
    if clock is None or clock.starts_at is None:
        return False
    if clock.status is Status.PAUSED:
        return True  # a paused round must be ended before the next one can start
    if clock.status is not Status.RUNNING:
        return False
    left = clock.remaining_s(now)
    started = (now - clock.starts_at).total_seconds()
    return started >= AFTER_START_S and left is not None and left >= BEFORE_END_S


def quiet(views: Iterable[EventView | None], now: datetime) -> bool:
    """True when every event followed here is quiet (so also when none is)."""
    return all(event_is_quiet(view, now) for view in views)
