"""Redis gone and back under two instances: clients still converge, and pushes resume."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.faults.conftest import KillableRedis
from tests.faults.helpers import subscribed
from tests.fixtures.live_server import LiveServerFactory
from tests.live.helpers import Client, apost, create_live_event, member_ids


def room_of_message(message: dict[str, Any]) -> tuple[int, list[str] | None] | None:
    """(round, member ids) from an `assignment` or a `state`; None for other messages."""
    if message["type"] == "assignment":
        round_no = message["round"]
    elif message["type"] == "state":
        round_no = message["current_round"]
    else:
        return None
    room = message.get("room")
    return round_no, None if room is None else sorted(m["id"] for m in room["members"])


async def wait_for_round(client: Client, round_no: int, timeout: float = 40) -> list[str] | None:
    async with asyncio.timeout(timeout):
        while True:
            found = room_of_message(await client.recv(timeout))
            if found is not None and found[0] == round_no:
                return found[1]


@pytest.mark.slow
@pytest.mark.redis
def test_clients_on_both_instances_converge_while_redis_is_down_and_after_it_returns(
    live_server_factory: LiveServerFactory, killable_redis: KillableRedis
) -> None:
    db = live_server_factory.new_database()
    first = live_server_factory(db, redis_url=killable_redis.url)
    second = live_server_factory(db, redis_url=killable_redis.url)
    live = create_live_event(db, 8, rounds=3)
    pids = sorted(live.tokens)

    async def scenario() -> None:
        clients = {}
        for i, pid in enumerate(pids):
            server = first if i % 2 == 0 else second
            clients[pid] = await Client.participant(server.ws_url, live.tokens[pid])
            assert (await clients[pid].recv())["type"] == "state"
        killable_redis.kill()
        started = await apost(first.base_url, live, "start-round")
        assert started.status_code == 200, started.text  # the organiser is not blocked
        for i, pid in enumerate(pids):
            if i % 2 == 0:  # on the instance that took the click: pushed first-hand
                assignment = await clients[pid].recv_type("assignment")
                assert (assignment["round"], member_ids(assignment)) == (1, live.room_of(1, pid))
            else:  # on the other: the version tick delivers without Redis
                assert await wait_for_round(clients[pid], 1) == live.room_of(1, pid)
        # A participant connecting during the outage gets the current state at once.
        late = await Client.participant(second.ws_url, live.tokens[pids[0]])
        assert room_of_message(await late.recv()) == (1, live.room_of(1, pids[0]))
        await late.close()
        killable_redis.start()
        await subscribed(killable_redis.url, 2)  # both instances re-subscribed by themselves
        assert (await apost(second.base_url, live, "end-round")).status_code == 200
        assert (await apost(second.base_url, live, "start-round")).status_code == 200
        for pid, client in clients.items():
            assert await wait_for_round(client, 2) == live.room_of(2, pid)
            await client.close()

    asyncio.run(scenario())
    assert first.running
    assert second.running
