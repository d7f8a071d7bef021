"""The floor: a bare FastAPI websocket loop sending one fixed message to every socket.

`POST /push[?size=N]` answers after the loop has handed the message to every socket; the bench
compares speedmatch's personalised fan-out with this in the same run, on the same clients.
"""

from __future__ import annotations

import asyncio
import json
import time

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI()
sockets: set[WebSocket] = set()
MESSAGE = {
    "type": "assignment",
    "round": 1,
    "room": {"number": 1, "link": "https://meet.example/x", "members": []},
    "why": "floor",
}


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
    for ws in list(sockets):
        try:
            await asyncio.wait_for(ws.send_text(text), 10)
        except Exception:
            sockets.discard(ws)
    return {"loop_s": time.perf_counter() - start, "sockets": len(sockets)}


@app.get("/health")
async def health() -> dict[str, int]:
    return {"sockets": len(sockets)}
