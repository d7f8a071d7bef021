import asyncio

import pytest

from rooms import Broker, MemoryBroker, make_broker
from rooms.redis_broker import RedisBroker
from tests.fixtures.redis import RedisServer


async def _publish_and_receive(broker: Broker) -> list[str]:
    await broker.open()
    try:
        async with broker.subscribe("sm:test") as messages:
            await broker.publish("sm:test", '{"event_id": "e", "version": 1}')
            await broker.publish("sm:other", "not for us")
            await broker.publish("sm:test", '{"event_id": "e", "version": 2}')
            it = aiter(messages)
            return [
                await asyncio.wait_for(anext(it), 5),
                await asyncio.wait_for(anext(it), 5),
            ]
    finally:
        await broker.close()


async def _presence(broker: Broker) -> None:
    await broker.open()
    try:
        await broker.presence_touch("p:e", ["a|c1", "b|c2"], 30)
        await broker.presence_touch("p:e", ["gone|c3"], -1)  # already expired
        await broker.presence_remove("p:e", "b|c2")
        assert await broker.presence_members("p:e") == {"a|c1"}
    finally:
        await broker.close()


def test_make_broker_picks_by_scheme_and_refuses_unknown_urls() -> None:
    assert isinstance(make_broker(None), MemoryBroker)
    assert isinstance(make_broker("memory://"), MemoryBroker)
    assert isinstance(make_broker("redis://127.0.0.1:1/0"), RedisBroker)
    with pytest.raises(ValueError, match="unsupported broker URL"):
        make_broker("kafka://x")


def test_memory_broker_delivers_in_order_to_subscribers_of_the_channel() -> None:
    got = asyncio.run(_publish_and_receive(MemoryBroker()))
    assert got == ['{"event_id": "e", "version": 1}', '{"event_id": "e", "version": 2}']


def test_memory_broker_presence_expires_and_can_be_removed() -> None:
    asyncio.run(_presence(MemoryBroker()))


@pytest.mark.redis
def test_redis_broker_delivers_across_connections(redis_server: RedisServer) -> None:
    got = asyncio.run(_publish_and_receive(make_broker(redis_server.url)))
    assert got == ['{"event_id": "e", "version": 1}', '{"event_id": "e", "version": 2}']


@pytest.mark.redis
def test_redis_broker_presence_is_shared_and_expires(redis_server: RedisServer) -> None:
    asyncio.run(_presence(make_broker(redis_server.url)))
