"""The floor: a bare FastAPI websocket loop sending one fixed message to every socket.

`POST /push[?size=N]` answers after the loop has handed the message to every socket; the bench
compares speedmatch's personalised fan-out with this in the same run, on the same clients.

With `FLOOR_REDIS_URL` set, several such processes share one Redis channel, as speedmatch's do:
`/push` publishes the message, sends it to its own sockets, and every other process sends it
to its sockets when Redis delivers it. That is what two processes and Redis cost with nothing
of speedmatch's own in the way.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aioredis
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

CHANNEL = "speedmatch-bench:floor"
PROCESS = secrets.token_hex(4)
sockets: set[WebSocket] = set()
MESSAGE = {
    "type": "assignment",
    "round": 1,
    "room": {"number": 1, "link": "https://meet.example/x", "members": []},
    "why": "floor",
}
redis: aioredis.Redis | None = None


async def _send_all(text: str) -> None:
    for ws in list(sockets):
        try:
            await asyncio.wait_for(ws.send_text(text), 10)
        except Exception:
            sockets.discard(ws)


async def _relay(client: aioredis.Redis, subscribed: asyncio.Event) -> None:
    """Send what other processes publish to this process's sockets."""
    async with client.pubsub() as pubsub:
        await pubsub.subscribe(CHANNEL)
        subscribed.set()
        async for item in pubsub.listen():
            if item["type"] == "message":
                publisher, _, text = str(item["data"]).partition(" ")
                if publisher != PROCESS:
                    await _send_all(text)


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    global redis
    url = os.environ.get("FLOOR_REDIS_URL")
    if not url:
        yield
        return
    redis = aioredis.Redis.from_url(url, decode_responses=True)
    subscribed = asyncio.Event()
    relay = asyncio.create_task(_relay(redis, subscribed))
    await asyncio.wait_for(subscribed.wait(), 10)
    try:
        yield
    finally:
        relay.cancel()
        await redis.aclose()


app = FastAPI(lifespan=lifespan)


@app.websocket("/ws")
async def socket(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text('{"type":"state"}')
    sockets.add(websocket)
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        pass
    finally:
        sockets.discard(websocket)


@app.post("/push")
async def push(size: int = 0) -> dict[str, float]:
    """Send one message to every socket; `size` > 0 pads its `why` to that many bytes."""
    message = {**MESSAGE, "server_time": time.time()}
    text = json.dumps(message)
    if size > len(text):
        why = str(message["why"])
        message["why"] = why.ljust(size - len(text) + len(why), ".")
        text = json.dumps(message)
    start = time.perf_counter()
    if redis is not None:
        await redis.publish(CHANNEL, f"{PROCESS} {text}")
    await _send_all(text)
    return {"loop_s": time.perf_counter() - start, "sockets": len(sockets)}


@app.get("/health")
async def health() -> dict[str, int]:
    return {"sockets": len(sockets)}
