"""Two server processes share one database and a real Redis: both fan out the same round."""

from __future__ import annotations

import asyncio

import pytest

from tests.fixtures.live_server import LiveServerFactory
from tests.fixtures.redis import RedisServer
from tests.live.helpers import Client, apost, create_live_event, member_ids


@pytest.mark.redis
def test_clients_on_two_processes_receive_the_same_round_start(
    live_factory: LiveServerFactory, redis_server: RedisServer
) -> None:
    a, b = live_factory.pair(redis_server.url)
    live = create_live_event(a.database_url, 10, rounds=2)
    pids = list(live.tokens)

    async def scenario() -> None:
        clients = {
            pid: await Client.participant((a if i % 2 else b).ws_url, live.tokens[pid])
            for i, pid in enumerate(pids)
        }
        org = await Client.organiser(b.ws_url, live.event_id, live.api_token)
        first = await org.recv()
        for client in clients.values():
            await client.recv()
        # Presence is shared: the organiser on B learns of the clients on A (each process
        # flushes its joins a few times a second), before any round starts.
        online = {p["participant_id"] for p in first["presence"] if p["connected"]}
        while online != set(pids):
            seen = await org.recv_type("presence")
            if seen["connected"]:
                online.add(seen["participant_id"])
        # The organiser's click lands on process A; clients on B learn it through Redis.
        response = await apost(a.base_url, live, "start-round")
        assert response.status_code == 200, response.text
        for pid, client in clients.items():
            message = await client.recv_type("assignment")
            assert message["round"] == 1
            assert member_ids(message) == live.room_of(1, pid)
        assert (await org.recv_type("round_started"))["round"] == 1
        # The organiser's view of the new round still counts the clients of A as connected.
        state = await org.recv_type("state")
        online = {p["participant_id"] for p in state["presence"] if p["connected"]}
        assert online == set(pids)
        # Everyone hears the start once. A serves its own sockets itself and must skip the
        # change when Redis echoes it back; the echo comes before this broadcast (one channel).
        said = await apost(a.base_url, live, "broadcast", {"text": "Say hello"})
        assert said.status_code == 200, said.text
        for client in clients.values():
            kinds = []
            while (message := await client.recv())["type"] != "broadcast":
                kinds.append(message["type"])
            assert "assignment" not in kinds
            assert message["text"] == "Say hello"
        for client in [*clients.values(), org]:
            await client.close()

    try:
        asyncio.run(scenario())
    finally:
        a.stop()
        b.stop()


def test_rounds_end_on_time_and_auto_advance_after_the_break(
    live_factory: LiveServerFactory,
) -> None:
    server = live_factory.servers[0] if live_factory.servers else live_factory()
    server.start()
    live = create_live_event(
        server.database_url, 4, rounds=2, round_seconds=2, break_seconds=1, auto_advance=True
    )
    pid = next(iter(live.tokens))

    async def scenario() -> None:
        client = await Client.participant(server.ws_url, live.tokens[pid])
        await client.recv()
        assert (await apost(server.base_url, live, "start-round")).status_code == 200
        assert (await client.recv_type("assignment"))["round"] == 1
        assert (await client.recv_type("round_ending"))["round"] == 1
        ended = await client.recv_type("round_ended", timeout=20)
        assert ended["round"] == 1
        assert ended["next_round_at"] is not None
        second = await client.recv_type("assignment", timeout=20)
        assert second["round"] == 2
        assert member_ids(second) == live.room_of(2, pid)
        assert (await client.recv_type("event_finished", timeout=20))["type"] == "event_finished"
        await client.close()

    asyncio.run(scenario())
