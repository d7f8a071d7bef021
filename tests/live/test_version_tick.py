"""The version tick repairs sockets a notification never reached, and only those, once the
change has stayed undelivered for a whole tick (a round start being fanned out is left alone)."""

from __future__ import annotations

import asyncio
import json

from sqlmodel import Session

from app.live.runtime import LiveRuntime
from app.models import Event
from rooms import Connection, MemoryBroker
from tests.live.helpers import create_live_event


def test_the_tick_waits_one_tick_then_resends_state_only_to_sockets_behind(
    configured: str, session: Session
) -> None:
    live = create_live_event(configured, 4, rounds=2)
    event = session.get(Event, live.event_id)
    assert event is not None
    event.state_version = 7
    session.add(event)
    session.commit()
    behind_pid, current_pid = sorted(live.tokens)[:2]

    async def scenario() -> None:
        runtime = LiveRuntime(MemoryBroker())
        behind = Connection(live.event_id, behind_pid, sent_version=6)
        current = Connection(live.event_id, current_pid, sent_version=7)
        for conn in (behind, current):
            runtime.hub.register(conn)
        await runtime._tick()  # version 7 is new to this tick: its push may be in flight
        assert behind.pending() == 0
        await runtime._tick()  # still undelivered a tick later: repaired
        assert behind.pending() == 1
        repaired = await behind.next()
        assert isinstance(repaired, str)
        assert json.loads(repaired)["type"] == "state"
        assert json.loads(repaired)["version"] == 7
        assert current.pending() == 0  # already had version 7

    asyncio.run(scenario())
