"""Round start, reconnects and restarts with a real uvicorn and real websocket clients."""

from __future__ import annotations

import asyncio

from tests.fixtures.live_server import LiveServer
from tests.live.helpers import (
    Client,
    apost,
    create_live_event,
    member_ids,
    post,
    stored_rooms,
)


def test_sixty_clients_each_receive_exactly_their_own_room_from_the_stored_plan(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 60, rounds=4)

    async def scenario() -> None:
        clients = {
            pid: await Client.participant(running.ws_url, token)
            for pid, token in live.tokens.items()
        }
        for pid, client in clients.items():
            first = await client.recv()
            assert first["type"] == "state"
            assert first["participant_id"] == pid
            assert first["phase"] == "scheduled"
            assert first["room"] is None
        response = await apost(running.base_url, live, "start-round")
        assert response.status_code == 200, response.text
        assert response.json()["current_round"] == 1
        stored = stored_rooms(live.database_url, live.event_id, 1)
        for pid, client in clients.items():
            message = await client.recv_type("assignment")
            assert message["round"] == 1
            assert message["server_time"]
            assert message["ends_at"] > message["starts_at"]
            mine = member_ids(message)
            assert mine == live.room_of(1, pid)
            assert mine in stored
            room = message["room"]
            assert room["link"] == (
                f"https://meet.example/{live.event_id}/r1/room{room['number']:02d}"
            )
            assert {"id", "name", "school", "country", "sector", "shared_interests"} <= set(
                room["members"][0]
            )
            assert message["why"] == f"why {pid}"
        for client in clients.values():
            await client.close()

    asyncio.run(scenario())


def test_a_client_that_reconnects_mid_round_first_receives_the_current_state(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 8, rounds=2)
    pid, token = next(iter(live.tokens.items()))

    async def scenario() -> None:
        client = await Client.participant(running.ws_url, token)
        await client.recv()
        await client.close()  # offline while the round starts
        assert post(running.base_url, live, "start-round").status_code == 200
        again = await Client.participant(running.ws_url, token)
        state = await again.recv()
        assert state["type"] == "state"
        assert state["current_round"] == 1
        assert state["round"]["status"] == "running"
        assert 0 < state["round"]["remaining_s"] <= 480
        assert member_ids(state) == live.room_of(1, pid)
        await again.close()

    asyncio.run(scenario())


def test_after_a_server_restart_mid_round_clients_reconnect_to_the_same_rooms(
    running: LiveServer,
) -> None:
    live = create_live_event(running.database_url, 12, rounds=3)
    assert post(running.base_url, live, "start-round").status_code == 200

    async def states() -> dict[str, dict[str, object]]:
        out = {}
        for pid, token in live.tokens.items():
            client = await Client.participant(running.ws_url, token)
            out[pid] = await client.recv()
            await client.close()
        return out

    before = asyncio.run(states())
    running.restart()
    after = asyncio.run(states())
    for pid in live.tokens:
        assert after[pid]["current_round"] == 1
        assert after[pid]["round"] is not None
        assert member_ids(after[pid]) == member_ids(before[pid]) == live.room_of(1, pid)
        assert after[pid]["round"]["ends_at"] == before[pid]["round"]["ends_at"]  # type: ignore[index]
    # The round goes on: the organiser can end it and start the next one as planned.
    assert post(running.base_url, live, "end-round").json()["round_status"] == "ended"
    assert post(running.base_url, live, "start-round").json()["current_round"] == 2
