"""Redis frozen (SIGSTOP: connections stay open, nothing answers): the event goes on.

Unlike a killed Redis, a frozen one refuses nothing; without a socket timeout every PUBLISH
would wait forever, and with it the organiser's click.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import redis.exceptions

from rooms.redis_broker import SOCKET_CONNECT_TIMEOUT_S, SOCKET_TIMEOUT_S, RedisBroker
from tests.faults.conftest import KillableRedis
from tests.fixtures.live_server import LiveServerFactory
from tests.live.helpers import Client, apost, create_live_event, member_ids

ACTION_BOUND_S = 30  # far above the socket timeout; without one the action never returns


@contextmanager
def frozen(redis: KillableRedis) -> Iterator[None]:
    assert redis.proc is not None
    os.kill(redis.proc.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(redis.proc.pid, signal.SIGCONT)


@pytest.mark.slow
@pytest.mark.redis
def test_an_organiser_action_completes_and_local_sockets_get_it_while_redis_is_frozen(
    live_server_factory: LiveServerFactory, killable_redis: KillableRedis
) -> None:
    db = live_server_factory.new_database()
    server = live_server_factory(db, redis_url=killable_redis.url)
    live = create_live_event(db, 6, rounds=2)

    async def scenario() -> None:
        clients = {}
        for pid in sorted(live.tokens):
            clients[pid] = await Client.participant(server.ws_url, live.tokens[pid])
            assert (await clients[pid].recv())["type"] == "state"
        organiser = await Client.organiser(server.ws_url, live.event_id, live.api_token)
        assert (await organiser.recv())["type"] == "state"
        with frozen(killable_redis):
            async with asyncio.timeout(ACTION_BOUND_S):
                started = await apost(server.base_url, live, "start-round")
            assert started.status_code == 200, started.text
            assert started.json()["current_round"] == 1
            for pid, client in clients.items():
                assignment = await client.recv_type("assignment")
                assert (assignment["round"], member_ids(assignment)) == (1, live.room_of(1, pid))
            assert (await organiser.recv_type("round_started"))["round"] == 1
        # Redis answers again: the next action is as usual.
        assert (await apost(server.base_url, live, "end-round")).status_code == 200
        for client in clients.values():
            assert (await client.recv_type("round_ended"))["round"] == 1
            await client.close()
        await organiser.close()

    asyncio.run(scenario())
    assert server.running


@pytest.mark.redis
def test_the_redis_broker_sets_its_own_socket_timeouts(killable_redis: KillableRedis) -> None:
    """Whatever redis-py's default (none in redis-py 5), a stuck call gives up."""

    async def check() -> None:
        broker = RedisBroker(killable_redis.url)
        await broker.open()
        try:
            kwargs = broker.client.connection_pool.connection_kwargs
            assert kwargs["socket_timeout"] == SOCKET_TIMEOUT_S
            assert kwargs["socket_connect_timeout"] == SOCKET_CONNECT_TIMEOUT_S
            with frozen(killable_redis):
                async with asyncio.timeout(ACTION_BOUND_S):
                    with pytest.raises(redis.exceptions.TimeoutError):  # not a hang
                        await broker.publish("sm:test", "hello")
        finally:
            await broker.close()

    asyncio.run(check())
