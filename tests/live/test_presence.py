"""Presence batching: joins and leaves are flushed together, and no leave is ever swallowed."""

import asyncio

from app.live.changes import Change
from app.live.presence import Presence
from rooms import Connection, Hub, MemoryBroker


def test_a_socket_closed_before_the_flush_is_still_announced_as_gone() -> None:
    async def scenario() -> list[Change]:
        hub = Hub()
        published: list[Change] = []

        async def publish(change: Change) -> None:
            published.append(change)

        presence = Presence(hub, MemoryBroker(), "p1", publish, lambda _event: 3)
        conn = Connection(event_id="ev", participant_id="ana")
        hub.register(conn)
        presence.joined(conn)
        hub.unregister(conn)  # gone within one flush interval, e.g. a quick page reload
        presence.left(conn)
        await presence.flush()
        return published

    published = asyncio.run(scenario())
    assert [(c.participants, c.connected) for c in published] == [(("ana",), False)]
