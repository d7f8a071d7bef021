"""The event views this process serves its sockets from, each read once per version.

Concurrent readers of one event share a single read; the next round's view is read ahead of its
start (app.live.prepared). Who met whom before the round is kept between reads while what it was
worked out from stays the same (app.live.met_before).
"""

from __future__ import annotations

import asyncio
import logging

from app.db import get_engine, session_scope
from app.live import prepared, warm
from app.live.changes import Change
from app.live.event_view import EventView
from app.live.met_before import MetKept
from app.live.snapshot import load_view

log = logging.getLogger("speedmatch.live")

PREPARE_AFTER_S = 0.5  # read the next round once this change's messages have gone out


class ViewCache:
    def __init__(self) -> None:
        self.views: dict[str, EventView] = {}
        self.prepared: dict[str, prepared.PreparedRound] = {}
        self._loading: dict[str, asyncio.Future[EventView | None]] = {}
        self._preparing: dict[str, asyncio.Task[None]] = {}
        self._stale: set[str] = set()
        self.met = MetKept()

    async def view(self, event_id: str, min_version: int = 0) -> EventView | None:
        """The cached view if it is at least `min_version`, else one fresh read (single-flight)."""
        cached = self.views.get(event_id)
        if cached is not None and cached.version >= min_version:
            return cached
        loading = self._loading.get(event_id)
        if loading is None:
            loading = asyncio.ensure_future(asyncio.to_thread(_read_view, event_id, self.met))
            self._loading[event_id] = loading
            loading.add_done_callback(lambda _: self._loading.pop(event_id, None))
        fresh = await asyncio.shield(loading)
        if fresh is not None and fresh.version < min_version:
            fresh = await asyncio.to_thread(_read_view, event_id, self.met)
        if fresh is None:
            self.views.pop(event_id, None)
            return None
        self._keep(fresh)
        self.prepare_soon(event_id)
        return self.views[event_id]

    async def view_after(self, change: Change) -> EventView | None:
        """The view at `change`'s version; a round start takes the prepared one if it can."""
        ready = prepared.started(self.prepared.get(change.event_id), change)
        if ready is not None:
            self._keep(ready)
        return await self.view(change.event_id, change.version)

    def _keep(self, fresh: EventView) -> None:
        current = self.views.get(fresh.event_id)
        if current is None or fresh.version >= current.version:
            self.views[fresh.event_id] = fresh

    def version_of(self, event_id: str) -> int:
        view = self.views.get(event_id)
        return view.version if view is not None else 0

    def forget(self, event_id: str) -> None:
        """Nobody here follows the event any more: the next socket reads it afresh."""
        self.views.pop(event_id, None)
        self.prepared.pop(event_id, None)
        self.met.forget(event_id)

    def prepare_soon(self, event_id: str) -> None:
        """(Re-)read the event's next round in the background (app.live.prepared)."""
        self._stale.add(event_id)
        if event_id not in self._preparing:
            self._preparing[event_id] = asyncio.create_task(self._prepare(event_id))

    def preparing(self) -> list[asyncio.Task[None]]:
        """The read-ahead tasks now running, for the runtime to stop at shutdown."""
        return list(self._preparing.values())

    async def _prepare(self, event_id: str) -> None:
        try:
            while event_id in self._stale:
                await asyncio.sleep(PREPARE_AFTER_S)
                # Requests made while waiting are served by this read; later ones, by another.
                self._stale.discard(event_id)
                ready = await asyncio.to_thread(_read_prepared, event_id, self.met)
                if ready is None:
                    self.prepared.pop(event_id, None)
                else:
                    self.prepared[event_id] = ready
        except Exception:  # only a shortcut is lost: the round start reads the view itself
            log.exception("preparing the next round failed")
        finally:
            del self._preparing[event_id]


def _read_view(event_id: str, met: MetKept) -> EventView | None:
    with session_scope() as session:
        return load_view(session, event_id, met_kept=met)


def _read_prepared(event_id: str, met: MetKept) -> prepared.PreparedRound | None:
    warm.rehearse_once(get_engine())  # the first time only: a start's SQL, compiled ahead
    with session_scope() as session:
        return prepared.prepare(session, event_id, met_kept=met)
