"""Redis pub/sub broker: several uvicorn processes or machines serve one event."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager

import redis.asyncio as aioredis

# Without these, a Redis that stops answering (frozen, or a half-open connection) would hang
# every organiser action on its PUBLISH: redis-py 5, which pyproject allows, waits forever by
# default. A command on a healthy Redis takes well under a millisecond; 2 s keeps a stuck call
# short of the 5 s that a shutdown waits for the live tasks (docs/reliability.md). A failed
# publish is logged, the process's own sockets are still served, and other processes repair
# on the version tick.
SOCKET_TIMEOUT_S = 2.0
SOCKET_CONNECT_TIMEOUT_S = 2.0
# How long one wait for a notification lasts. Given explicitly, so that the socket timeout
# above never applies to an idle subscription (it did in redis-py 5's `listen()`).
LISTEN_WAIT_S = 30.0


class RedisBroker:
    """Notifications over PUBLISH/SUBSCRIBE; presence as a sorted set scored by expiry time."""

    shared = True

    def __init__(self, url: str) -> None:
        self._url = url
        self._client: aioredis.Redis | None = None

    @property
    def client(self) -> aioredis.Redis:
        if self._client is None:
            raise RuntimeError("RedisBroker used before open()")
        return self._client

    async def open(self) -> None:
        # A bounded pool that waits for a free connection instead of failing under bursts.
        pool = aioredis.BlockingConnectionPool.from_url(
            self._url,
            max_connections=32,
            timeout=10,
            decode_responses=True,
            socket_timeout=SOCKET_TIMEOUT_S,
            socket_connect_timeout=SOCKET_CONNECT_TIMEOUT_S,
        )
        self._client = aioredis.Redis(connection_pool=pool)
        await self._client.ping()

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def publish(self, channel: str, message: str) -> None:
        await self.client.publish(channel, message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[str]]:
        pubsub = self.client.pubsub()
        await pubsub.subscribe(channel)
        # Wait for the server's confirmation so a publish right after this cannot be missed.
        while True:
            first = await pubsub.get_message(timeout=5)
            if first is None or first.get("type") == "subscribe":
                break

        async def messages() -> AsyncIterator[str]:
            while True:
                item = await pubsub.get_message(timeout=LISTEN_WAIT_S)
                if item is not None and item.get("type") == "message":
                    yield str(item["data"])

        try:
            yield messages()
        finally:
            await pubsub.unsubscribe(channel)
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def presence_touch(self, key: str, members: Collection[str], ttl_s: float) -> None:
        if members:
            expiry = time.time() + ttl_s
            await self.client.zadd(key, dict.fromkeys(members, expiry))

    async def presence_remove(self, key: str, member: str) -> None:
        await self.client.zrem(key, member)

    async def presence_members(self, key: str) -> set[str]:
        now = time.time()
        await self.client.zremrangebyscore(key, "-inf", now)
        members = await self.client.zrangebyscore(key, now, "+inf")
        return {str(m) for m in members}
