"""A socket that stops taking messages is dropped by the runtime's watchdog, and only that one."""

from __future__ import annotations

import asyncio

from app.live.runtime import SEND_TIMEOUT_S, LiveRuntime
from rooms import Connection, MemoryBroker


def test_only_the_socket_stuck_in_a_send_has_its_pump_ended() -> None:
    async def scenario() -> None:
        runtime = LiveRuntime(MemoryBroker())
        stuck, sending, idle = Connection("e", "a"), Connection("e", "b"), Connection("e", "c")
        now = asyncio.get_running_loop().time()
        stuck.sending_since = now - SEND_TIMEOUT_S - 1
        sending.sending_since = now
        pumps = {}
        for conn in (stuck, sending, idle):
            runtime.hub.register(conn)
            pumps[conn.id] = runtime.pumps[conn.id] = asyncio.create_task(asyncio.sleep(3600))
        await runtime.drop_stuck()
        await asyncio.sleep(0)
        assert pumps[stuck.id].cancelled()
        assert not pumps[sending.id].done()
        assert not pumps[idle.id].done()
        for task in pumps.values():
            task.cancel()

    asyncio.run(scenario())
