"""Fan-out between server processes: publish a small notification, every process hears it.

Delivery is at-most-once (as Redis pub/sub is): a notification only says "event X is now at
version V"; the database stays the truth and a periodic version check repairs anything missed.
Presence (who is connected, from any process) lives here too, as expiring entries.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Collection
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

SUBSCRIBER_QUEUE_SIZE = 1000


class Broker(Protocol):
    """Publish/subscribe plus presence. Open before use, close on shutdown."""

    # Whether other processes publish and keep presence here too (else presence is the hub's).
    shared: bool

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def publish(self, channel: str, message: str) -> None: ...

    def subscribe(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[str]]: ...

    async def presence_touch(self, key: str, members: Collection[str], ttl_s: float) -> None: ...

    async def presence_remove(self, key: str, member: str) -> None: ...

    async def presence_members(self, key: str) -> set[str]: ...


class MemoryBroker:
    """In-process broker: one process serves every connection (the default)."""

    shared = False

    def __init__(self) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[str]]] = {}
        self._presence: dict[str, dict[str, float]] = {}

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        self._subscribers.clear()

    async def publish(self, channel: str, message: str) -> None:
        for queue in list(self._subscribers.get(channel, ())):
            if queue.full():
                # A stuck subscriber loses its oldest notification, never blocks publishers.
                queue.get_nowait()
            queue.put_nowait(message)

    @asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[AsyncIterator[str]]:
        queue: asyncio.Queue[str] = asyncio.Queue(maxsize=SUBSCRIBER_QUEUE_SIZE)
        self._subscribers.setdefault(channel, set()).add(queue)

        async def messages() -> AsyncIterator[str]:
            while True:
                yield await queue.get()

        try:
            yield messages()
        finally:
            self._subscribers.get(channel, set()).discard(queue)

    async def presence_touch(self, key: str, members: Collection[str], ttl_s: float) -> None:
        entries = self._presence.setdefault(key, {})
        expiry = time.monotonic() + ttl_s
        for member in members:
            entries[member] = expiry

    async def presence_remove(self, key: str, member: str) -> None:
        self._presence.get(key, {}).pop(member, None)

    async def presence_members(self, key: str) -> set[str]:
        now = time.monotonic()
        entries = self._presence.get(key, {})
        for member in [m for m, expiry in entries.items() if expiry <= now]:
            del entries[member]
        return set(entries)


def make_broker(url: str | None) -> Broker:
    """A Redis broker for redis:// or rediss:// URLs, otherwise the in-process one."""
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        # Imported lazily: the redis client is only needed when fan-out spans processes.
        from rooms.redis_broker import RedisBroker

        return RedisBroker(url)
    if url and url not in ("memory", "memory://"):
        raise ValueError(f"unsupported broker URL {url!r}: use redis://host:port/db or memory://")
    return MemoryBroker()
