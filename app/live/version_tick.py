"""Re-sends `state` to the sockets a change never reached: pub/sub delivers at most once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from sqlmodel import col, select

from app.db import session_scope
from app.live.changes import Change
from app.models import Event
from rooms import Hub


class VersionTick:
    """Compares each followed event's stored version with what its sockets were sent."""

    def __init__(self, hub: Hub, dispatch: Callable[[Change], Awaitable[None]]) -> None:
        self.hub = hub
        self.dispatch = dispatch
        self._ticked: dict[str, int] = {}  # stored versions the last tick read

    async def repair(self, events: list[str]) -> None:
        """Send a fresh `state` to the sockets still behind a version stored a tick ago."""
        stored = await asyncio.to_thread(stored_versions, events)
        previous, self._ticked = self._ticked, stored
        for event_id, version in stored.items():
            if previous.get(event_id) != version:
                # New since the last tick: its notification may be on its way (a round start
                # being fanned out). Repair only what stayed undelivered for a whole tick.
                continue
            behind = [c for c in self.hub.connections(event_id) if c.sent_version < version]
            if behind:
                await self.dispatch(Change(event_id=event_id, version=version, kind="state"))


def stored_versions(events: list[str]) -> dict[str, int]:
    """Each event's state version as stored now."""
    with session_scope() as session:
        rows = session.exec(
            select(Event.id, Event.state_version).where(col(Event.id).in_(events))
        ).all()
        return {str(e): int(v) for e, v in rows}
