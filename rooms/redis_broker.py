"""Redis pub/sub broker: several uvicorn processes or machines serve one event.

A Redis that does not answer is never fatal, not even at start-up: the process serves its own
sockets, other processes catch up on their version tick (docs/reliability.md), and the
subscription comes back by itself when Redis answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

import redis.asyncio as aioredis
import redis.exceptions
from redis.asyncio.client import PubSub

log = logging.getLogger("rooms.redis")

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
# While Redis does not answer, the subscription tries again this often at most: a refused
# connection costs nothing, and pushes across processes resume soon after Redis is back.
RESUBSCRIBE_MAX_S = 2.0
# What "Redis does not answer" looks like: refused, unknown host, wrong password, timed out.
UNAVAILABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


def redacted_url(url: str) -> str:
    """`url` fit for a log line: without its password (nor a query, which may hold one)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}"
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username}@{host}" if parts.username else host
    with contextlib.suppress(ValueError):  # a port that is not a number: left out
        if parts.port is not None:
            netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _stopping() -> bool:
    # redis-py may swallow a cancellation (app/live/loops.py explains): ask the task itself.
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


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
        try:
            await self._client.ping()
        except UNAVAILABLE as exc:
            # Not fatal: the same as an outage while running, and it ends by itself.
            log.warning(
                "Redis at %s does not answer (%s): starting without it; this process serves "
                "its own sockets and other processes catch up every few seconds until it does",
                redacted_url(self._url),
                exc,
            )

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def publish(self, channel: str, message: str) -> None:
        await self.client.publish(channel, message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[str]]:
        # Without Redis the subscription still opens: its messages wait until Redis answers.
        current: list[PubSub] = []
        with contextlib.suppress(*UNAVAILABLE):
            current.append(await self._subscribed(channel))

        async def messages() -> AsyncIterator[str]:
            if not current:
                current.append(await self._resubscribed(channel))
            pubsub = current[0]
            while True:
                item = await pubsub.get_message(timeout=LISTEN_WAIT_S)
                if item is not None and item.get("type") == "message":
                    yield str(item["data"])

        try:
            yield messages()
        finally:
            if current:
                with contextlib.suppress(*UNAVAILABLE):  # Redis gone: nothing to unsubscribe
                    await current[0].unsubscribe(channel)
                await current[0].aclose()  # type: ignore[no-untyped-call]

    async def _subscribed(self, channel: str) -> PubSub:
        pubsub = self.client.pubsub()
        try:
            await pubsub.subscribe(channel)
            # Wait for the server's confirmation so a publish right after this cannot be missed.
            while True:
                first = await pubsub.get_message(timeout=5)
                if first is None or first.get("type") == "subscribe":
                    return pubsub
        except BaseException:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
            raise

    async def _resubscribed(self, channel: str) -> PubSub:
        """Subscribe as soon as Redis answers; one log line when it does."""
        backoff = 0.25
        while not _stopping():
            await asyncio.sleep(backoff)
            try:
                pubsub = await self._subscribed(channel)
            except UNAVAILABLE:
                backoff = min(backoff * 2, RESUBSCRIBE_MAX_S)
                continue
            log.warning("Redis at %s answers again", redacted_url(self._url))
            return pubsub
        raise asyncio.CancelledError

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
