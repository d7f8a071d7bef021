"""The websocket clients of `python -m bench live`: open, wait for a message, close."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import time
from collections.abc import Iterator

from websockets.asyncio.client import ClientConnection, connect

CONNECT_CONCURRENCY = 200
RECEIVE_TIMEOUT_S = 30.0


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection in this (the client) process while a figure is being timed.

    With 5,000 sockets open, a full pass of the client's own collector took 300-500 ms (logged
    with a `gc.callbacks` hook); one landing in a round start delayed every receive behind it,
    and that was the cause of the 720 and 634 ms outliers of 2026-11-27, not the server. The
    pass runs here, before the timed window, and cycles made inside the window wait until its end.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def open_all(urls: list[str]) -> list[ClientConnection]:
    """One client per URL, each returned once its first `state` arrived."""
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def one(url: str) -> ClientConnection:
        async with gate:
            ws = await connect(
                url, open_timeout=60, max_size=2**20, compression=None, ping_interval=None
            )
            await asyncio.wait_for(ws.recv(), RECEIVE_TIMEOUT_S)  # the first `state`
            return ws

    return list(await asyncio.gather(*(one(u) for u in urls)))


async def first_of(ws: ClientConnection, kind: str) -> tuple[float, dict[str, object]] | None:
    """(wall-clock time of arrival, message) of the next message of type `kind`, or None."""
    try:
        async with asyncio.timeout(RECEIVE_TIMEOUT_S):
            while True:
                message = json.loads(await ws.recv())
                if message.get("type") == kind:
                    return time.time(), message
    except (TimeoutError, Exception):
        return None


async def close_all(sockets: list[ClientConnection]) -> None:
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
