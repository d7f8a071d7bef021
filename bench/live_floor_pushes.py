"""The floor of `python -m bench live`: the bare loop's pushes (bench.live_floor), timed."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

import httpx

from bench.live_clients import close_all, collector_paused, first_of, open_all
from bench.live_results import Result, median_of
from bench.servers import free_port, start_all, uvicorn


async def floor_round(ports: list[int], n: int, repeats: int, size: int = 0) -> Result:
    """The floor: the bare loop's one fixed message (padded to `size` bytes if given), pushed
    `repeats` times to the same clients, spread over `ports` as speedmatch's are."""
    port = ports[0]
    with collector_paused():
        t_connect = time.monotonic()
        sockets = await open_all([f"ws://127.0.0.1:{ports[i % len(ports)]}/ws" for i in range(n)])
        connect_s = time.monotonic() - t_connect
    runs: list[Result] = []
    loops: list[float] = []
    for _ in range(max(1, repeats)):
        with collector_paused():
            waits = [asyncio.create_task(first_of(ws, "assignment")) for ws in sockets]
            await asyncio.sleep(0.2)
            async with httpx.AsyncClient(timeout=120) as client:
                await client.get(f"http://127.0.0.1:{port}/health")  # warm, as for speedmatch
                t0 = time.time()
                push = f"http://127.0.0.1:{port}/push?size={size}"
                loops.append((await client.post(push)).json()["loop_s"])
            done = [d for d in await asyncio.gather(*waits) if d is not None]
        runs.append(Result.of("", n, [(at - t0) * 1000 for at, _ in done]))
    await close_all(sockets)
    label = f"bare FastAPI loop, {size}-byte message" if size else "bare FastAPI loop (floor)"
    if len(ports) > 1:
        label = f"bare FastAPI loop, {len(ports)} processes + Redis"
    row = median_of(f"{label}, median" if len(runs) > 1 else label, runs)
    where = "" if len(ports) == 1 else " (the publishing process's own sockets)"
    row.extra += (
        f"; server loop{where} {statistics.median(loops) * 1000:.0f} ms; "
        f"{n:,} connects took {connect_s:.2f} s"
    )
    return row


async def redis_floor_round(workdir: Path, redis_url: str, n: int, repeats: int) -> Result:
    """The floor of the Redis setup: two bare loops sharing a channel, clients on both."""
    ports = [free_port(), free_port()]
    floors = [
        uvicorn("bench.live_floor:app", p, {"FLOOR_REDIS_URL": redis_url}, workdir) for p in ports
    ]
    start_all(floors, [f"http://127.0.0.1:{p}/health" for p in ports])
    try:
        return await floor_round(ports, n, repeats)
    finally:
        for floor in floors:
            floor.stop()
