"""The simulated participants of `python -m bench soak`: one real websocket client each."""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

CONNECT_CONCURRENCY = 100


def _room_of(message: dict[str, Any]) -> tuple[int, list[str] | None] | None:
    """(round, sorted member ids or None) from a `state` or an `assignment`."""
    if message.get("type") == "assignment":
        number = int(message["round"])
    elif message.get("type") == "state":
        number = int(message["current_round"])
    else:
        return None
    room = message.get("room")
    return number, None if room is None else sorted(m["id"] for m in room["members"])


@dataclass
class Sim:
    """One participant: keeps the latest room it was told for each round."""

    participant_id: str
    token: str
    rooms: dict[int, list[str] | None] = field(default_factory=dict)
    first_state: tuple[int, list[str] | None] | None = None
    ws: ClientConnection | None = None
    task: asyncio.Task[None] | None = None

    async def _listen(self, ws: ClientConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for raw in ws:
                found = _room_of(json.loads(raw))
                if found is None:
                    continue
                if self.first_state is None:
                    self.first_state = found
                number, members = found
                if number > 0:
                    self.rooms[number] = members


class Crowd:
    """Connects, drops and reconnects simulated participants against one server."""

    def __init__(self, ws_url: str) -> None:
        self.ws_url = ws_url
        self.sims: dict[str, Sim] = {}
        self._gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def connect(self, participant_id: str, token: str) -> Sim:
        sim = self.sims.setdefault(participant_id, Sim(participant_id, token))
        sim.first_state = None
        async with self._gate:
            for attempt in range(5):
                try:
                    sim.ws = await connect(
                        f"{self.ws_url}/ws/participant?token={token}",
                        open_timeout=60,
                        max_queue=64,
                    )
                    break
                except (OSError, InvalidHandshake, TimeoutError):
                    await asyncio.sleep(0.2 * (attempt + 1))
            else:
                raise RuntimeError(f"{participant_id} could not connect")
        sim.task = asyncio.create_task(sim._listen(sim.ws))
        return sim

    async def connect_all(self, tokens: dict[str, str]) -> None:
        await asyncio.gather(*(self.connect(pid, token) for pid, token in tokens.items()))

    async def drop(self, participant_id: str) -> None:
        sim = self.sims[participant_id]
        if sim.ws is not None:
            await sim.ws.close()
        if sim.task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await sim.task
        sim.ws = sim.task = None

    async def wait_first_state(self, participant_id: str, timeout: float = 60) -> None:
        sim = self.sims[participant_id]
        async with asyncio.timeout(timeout):
            while sim.first_state is None:
                await asyncio.sleep(0.02)

    async def wait_round(
        self, expected: dict[str, list[str] | None], number: int, timeout: float
    ) -> list[str]:
        """Waits until every connected client holds its expected room; returns who does not."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            wrong = [
                pid
                for pid, sim in self.sims.items()
                if sim.ws is not None and sim.rooms.get(number, "?") != expected.get(pid)
            ]
            if not wrong or asyncio.get_running_loop().time() > deadline:
                return wrong
            await asyncio.sleep(0.1)

    async def close(self) -> None:
        await asyncio.gather(*(self.drop(pid) for pid in list(self.sims)))
