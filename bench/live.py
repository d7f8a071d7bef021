"""`python -m bench live`: N real websocket clients on 127.0.0.1, the organiser starts a round.

For each N: time from the start-round request to each client's assignment (p50/p99/max, and
whether every client got exactly its own room), for one uvicorn process and for two processes
sharing Redis:
- round 1 on freshly started servers, `--repeats` times (each on its own servers and its own
  copy of the event);
- `--repeats` later rounds on the first of those servers, each after a short break.
In the same run: the bare FastAPI loop (the floor), pushed `--repeats` times to the same number
of clients (for the Redis mode also as two processes sharing Redis); then every client
reconnecting at once after a server restart, until all have their `state`. Repeated figures are
the median over the repeats (at 60 clients a p99 is one message of one start, and single runs
put the floor anywhere from 2 to 6 ms), with the range of the p99s in the notes. Latency is
measured on the client side, so the clients' own CPU share is included (upper bound). The client
process's own garbage collector is kept out of every timed window (`collector_paused`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from websockets.asyncio.client import ClientConnection, connect

from bench.live_support import (
    Process,
    Seeded,
    app_env,
    assignment_bytes,
    copy_event,
    free_port,
    redis_server,
    seed,
    uvicorn,
    wait_http,
)

CONNECT_CONCURRENCY = 200
BREAK_S = 2.0  # between rounds (real events take minutes): the round-ended state goes out
RECEIVE_TIMEOUT_S = 30.0
REPEATS = 5  # warm round starts and floor pushes per N


@dataclass
class Result:
    label: str
    n: int
    got: int
    wrong: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    extra: str = ""
    expected: int = 0  # assignments due, when more than one per client (repeated runs)

    def row(self) -> str:
        due = self.expected or self.n
        return (
            f"| {self.label} | {self.n:,} | {self.got:,}/{due:,} | {self.wrong} | "
            f"{self.p50_ms:.0f} | {self.p99_ms:.0f} | **{self.max_ms:.0f}** | {self.extra} |"
        )


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


def median_of(label: str, runs: list[Result]) -> Result:
    """One row for repeated runs: assignments received and wrong rooms in all, medians of the
    figures."""
    p99s = [r.p99_ms for r in runs]
    return Result(
        label,
        runs[0].n,
        sum(r.got for r in runs),
        sum(r.wrong for r in runs),
        statistics.median(r.p50_ms for r in runs),
        statistics.median(p99s),
        statistics.median(r.max_ms for r in runs),
        f"p99 {min(p99s):.0f}-{max(p99s):.0f} ms over {len(runs)}",
        expected=sum(r.n for r in runs),
    )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def open_all(urls: list[str]) -> list[ClientConnection]:
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
    return Result(
        label,
        len(sockets),
        len(latencies),
        wrong,
        statistics.median(latencies) if latencies else float("nan"),
        percentile(latencies, 0.99),
        max(latencies, default=float("nan")),
    )


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
        uvicorn("app.main:create_app", p, app_env(seeded, p, workdir, redis_url), workdir)
        for p in ports
    ]
    start_all(servers, [f"http://127.0.0.1:{p}/api/v1/health" for p in ports])
    return servers, ports


def start_all(processes: list[Process], health_urls: list[str]) -> None:
    """Start `processes` and wait until each answers; on failure none is left running."""
    for process in processes:
        process.start()
    try:
        for url in health_urls:
            wait_http(url)
    except BaseException:
        for process in processes:
            process.stop()
        raise


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
        latencies = [(at - t0) * 1000 for at, _ in done]
        runs.append(
            Result(
                "",
                n,
                len(latencies),
                0,
                statistics.median(latencies),
                percentile(latencies, 0.99),
                max(latencies),
            )
        )
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


async def run(sizes: list[int], modes: list[str], workdir: Path, repeats: int) -> list[str]:
    lines: list[str] = []
    rounds = 1 + repeats
    seeds = {n: seed(f"sqlite:///{workdir / f'bench-{n}.sqlite3'}", n, rounds) for n in sizes}
    redis, redis_url = redis_server(workdir) if "redis" in modes else (None, None)
    floor_port = free_port()
    floor = uvicorn("bench.live_floor:app", floor_port, {}, workdir)
    floor.start()
    try:
        wait_http(f"http://127.0.0.1:{floor_port}/health")
        for n in sizes:
            seeded = seeds[n]
            # Also with a message as large as a median assignment: what the bytes alone cost.
            results = [
                await floor_round([floor_port], n, repeats),
                await floor_round([floor_port], n, repeats, assignment_bytes(seeded)),
            ]
            storm_line = ""
            if "single" in modes:
                rows, storm_line = await speedmatch_rows(
                    "speedmatch, 1 process", seeded, workdir, None, 1, n, repeats
                )
                results += rows
            if "redis" in modes and redis_url:
                results.append(await redis_floor_round(workdir, redis_url, n, repeats))
                rows, _ = await speedmatch_rows(
                    "speedmatch, 2 processes + Redis", seeded, workdir, redis_url, 2, n, repeats
                )
                results += rows
            if any(r.got < (r.expected or r.n) for r in results):
                for log in sorted(workdir.glob("*.log")):
                    print(f"--- {log.name} ---\n{log.read_text(errors='replace')[-3000:]}")
            for r in results:
                lines.append(r.row())
                print(r.row(), flush=True)
            if storm_line:
                lines.append(storm_line)
                print(storm_line, flush=True)
    finally:
        floor.stop()
        if redis is not None:
            redis.stop()
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench live", description=__doc__)
    parser.add_argument("--sizes", default="60,1000,5000", help="comma-separated client counts")
    parser.add_argument("--modes", default="single,redis", help="single and/or redis")
    parser.add_argument(
        "--repeats", type=int, default=REPEATS, help="warm round starts and floor pushes per N"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    modes = [m for m in args.modes.split(",") if m]
    with tempfile.TemporaryDirectory(prefix="sm-bench-live-") as tmp:
        print("| setup | N | got | wrong room | p50 ms | p99 ms | max ms | notes |")
        print("|---|---|---|---|---|---|---|---|")
        asyncio.run(run(sizes, modes, Path(tmp), max(1, args.repeats)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
