"""Speedmatch's side of `python -m bench live`: timed round starts and the reconnect storm."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
from websockets.asyncio.client import ClientConnection

from bench.live_clients import close_all, collector_paused, first_of, open_all
from bench.live_results import Result, median_of
from bench.seeded_event import Seeded, copy_event
from bench.servers import Process, free_port, speedmatch_env, start_all, uvicorn, wait_http

BREAK_S = 2.0  # between rounds (real events take minutes): the round-ended state goes out


async def timed_start(
    label: str, seeded: Seeded, port: int, sockets: list[ClientConnection], number: int
) -> Result:
    """Start round `number`; time each client's assignment and check it is its stored room."""
    pids = list(seeded.tokens)[: len(sockets)]
    live = f"http://127.0.0.1:{port}/api/v1/events/{seeded.event_id}/live"
    auth = {"Authorization": f"Bearer {seeded.api_token}"}
    with collector_paused():
        waits = [asyncio.create_task(first_of(ws, "assignment")) for ws in sockets]
        async with httpx.AsyncClient(timeout=120) as client:
            # As the organiser's live page does before start is pressed: an open connection
            # (a fresh client's first request spends ~40 ms on its own setup) and a signed-in read.
            (await client.get(live, headers=auth)).raise_for_status()
            t0 = time.time()
            response = await client.post(f"{live}/start-round", headers=auth)
        response.raise_for_status()
        done = await asyncio.gather(*waits)
    latencies, wrong = [], 0
    for pid, item in zip(pids, done, strict=True):
        if item is None:
            continue
        at, message = item
        latencies.append((at - t0) * 1000)
        room = message.get("room")
        members = frozenset(m["id"] for m in room["members"]) if isinstance(room, dict) else None
        wrong += members != seeded.rooms[number][pid]
    return Result.of(label, len(sockets), latencies, wrong)


def participant_urls(seeded: Seeded, ports: list[int], n: int) -> list[str]:
    """The first `n` participants' socket URLs, spread over `ports` in turn."""
    return [
        f"ws://127.0.0.1:{ports[i % len(ports)]}/ws/participant?token={seeded.tokens[pid]}"
        for i, pid in enumerate(list(seeded.tokens)[:n])
    ]


def serve(
    seeded: Seeded, workdir: Path, redis_url: str | None, count: int
) -> tuple[list[Process], list[int]]:
    """`count` speedmatch processes on the event's database, once they answer."""
    ports = [free_port() for _ in range(count)]
    servers = [
        uvicorn(
            "app.main:create_app",
            p,
            speedmatch_env(seeded.database_url, p, workdir / "data", redis_url),
            workdir,
        )
        for p in ports
    ]
    start_all(servers, [f"http://127.0.0.1:{p}/api/v1/health" for p in ports])
    return servers, ports


async def fresh_round_ones(
    label: str, seeded: Seeded, workdir: Path, redis_url: str | None, count: int, n: int, times: int
) -> list[Result]:
    """Round 1 on servers started for it, `times` times, each on a fresh copy of the event."""
    runs: list[Result] = []
    for i in range(times):
        event = copy_event(seeded, workdir / f"fresh-{n}-{count}-{i}.sqlite3")
        servers, ports = serve(event, workdir, redis_url, count)
        try:
            sockets = await open_all(participant_urls(event, ports, n))
            await asyncio.sleep(0.5)  # as in speedmatch_rounds
            runs.append(await timed_start(label, event, ports[0], sockets, 1))
            await close_all(sockets)
        finally:
            for server in servers:
                server.stop()
    return runs


async def speedmatch_rounds(
    label: str, seeded: Seeded, ports: list[int], n: int, repeats: int
) -> tuple[Result, Result | None, list[str]]:
    """Round 1 on freshly started servers, then `repeats` rounds, each after a short break:
    (round 1, the later rounds' medians, the clients' URLs)."""
    urls = participant_urls(seeded, ports, n)
    sockets = await open_all(urls)
    await asyncio.sleep(0.5)  # let presence settle
    first = await timed_start(label, seeded, ports[0], sockets, 1)
    later: list[Result] = []
    for number in range(2, 2 + repeats):
        async with httpx.AsyncClient(timeout=120) as client:
            (
                await client.post(
                    f"http://127.0.0.1:{ports[0]}/api/v1/events/{seeded.event_id}/live/end-round",
                    headers={"Authorization": f"Bearer {seeded.api_token}"},
                )
            ).raise_for_status()
        await asyncio.sleep(BREAK_S)
        later.append(await timed_start(label, seeded, ports[0], sockets, number))
    await close_all(sockets)
    warm = median_of(f"{label}, rounds 2-{1 + repeats}, median", later) if later else None
    return first, warm, urls


async def speedmatch_rows(
    label: str,
    seeded: Seeded,
    workdir: Path,
    redis_url: str | None,
    count: int,
    n: int,
    repeats: int,
) -> tuple[list[Result], str]:
    """Round 1 on fresh servers (median of `repeats` starts, each on its own servers and copy
    of the event as seeded) and the later rounds; plus, with one process, the reconnect storm's
    line."""
    fresh = await fresh_round_ones(label, seeded, workdir, redis_url, count, n, repeats - 1)
    seeded = copy_event(seeded, workdir / f"rounds-{n}-{count}.sqlite3")
    servers, ports = serve(seeded, workdir, redis_url, count)
    storm_line = ""
    try:
        first, warm, urls = await speedmatch_rounds(label, seeded, ports, n, repeats)
        if count == 1:
            restart_s, states, storm_s = await reconnect_storm(servers[0], ports[0], urls)
            storm_line = (
                f"- N={n:,}: restart took {restart_s:.1f} s; then {states:,}/{n:,} "
                f"clients reconnected at once and had their `state` in {storm_s:.2f} s."
            )
    finally:
        for server in servers:
            server.stop()
    if fresh:
        first = median_of(f"{label}, round 1, median", [first, *fresh])
    else:
        first.label = f"{label}, round 1"
    return [first, *([warm] if warm else [])], storm_line


async def reconnect_storm(server: Process, port: int, urls: list[str]) -> tuple[float, int, float]:
    """Restart the server; all clients reconnect at once. Returns (restart s, states, storm s)."""
    sockets = await open_all(urls)
    t_restart = time.monotonic()
    server.stop()
    server.start()
    await asyncio.to_thread(wait_http, f"http://127.0.0.1:{port}/api/v1/health")
    ready = time.monotonic()
    await close_all(sockets)
    with collector_paused():
        t0 = time.monotonic()
        again = await open_all(urls)  # each returns once its `state` arrived
        storm = time.monotonic() - t0
    await close_all(again)
    return ready - t_restart, len(again), storm
