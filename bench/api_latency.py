"""Latency of the participant "my current room" endpoint (GET /api/v1/me/room) under load.

Open-loop load: requests are sent on a fixed schedule (default 200 per second for 60 s) whether or
not earlier ones have answered, so a slow server shows up as latency instead of a lower rate.
The server is a real uvicorn process on 127.0.0.1 with a demo event (60 participants, stored
plan); the load generator runs on the same machine, so both share its cores.

    python -m bench.api_latency --db sqlite --db postgres [--rate 200] [--duration 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx  # only for the readiness probe

from bench.command_line import markdown_header
from bench.servers import ROOT, free_port, speedmatch_env


@dataclass
class Result:
    database: str
    workers: int
    rate: int
    duration_s: int
    sent: int
    ok: int
    errors: int
    achieved_rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float


@contextmanager
def postgres() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on loopback; yields its SQLAlchemy URL."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        raise SystemExit("PostgreSQL is not installed (Debian package postgresql)")
    pg_bin = bins[-1].parent
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    datadir = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    if run_as:
        shutil.chown(datadir, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        [*run_as, str(pg_bin / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {datadir}"
    subprocess.run(
        [*run_as, str(pg_bin / "pg_ctl"), "-D", str(datadir), "-l", str(datadir / "log"), "-w"]
        + ["-o", options, "start"],
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-qc"]
            + ["create database bench"],
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/bench"
    finally:
        subprocess.run(
            [*run_as, str(pg_bin / "pg_ctl"), "-D", str(datadir), "-m", "fast", "-w", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(datadir, ignore_errors=True)


@contextmanager
def server(database_url: str, workdir: Path, *, workers: int) -> Iterator[tuple[str, list[str]]]:
    """Demo data in `database_url`, then uvicorn; yields (base URL, participant tokens)."""
    port = free_port()
    env = {**os.environ, **speedmatch_env(database_url, port, workdir)}
    demo = subprocess.run(
        [sys.executable, "-m", "app.cli", "demo", "--participants", "60", "--json"]
        + ["--time-limit", "5"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    tokens = [p["token"] for p in json.loads(demo.stdout)["participants"]]
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
        + ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
        + ["--no-access-log", "--workers", str(workers)],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("uvicorn did not start")
        yield base, tokens
    finally:
        proc.terminate()
        proc.wait(timeout=10)


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One keep-alive HTTP/1.1 GET on an open connection; returns the status code."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def load(
    base: str, tokens: list[str], *, rate: int, duration_s: int, connections: int = 64
) -> list[float | None]:
    """Latencies in ms (None for a failed request), one request due every 1/rate seconds.

    Latency counts from when a request was due, not from when a connection was free, so a
    server that falls behind shows it (no coordinated omission). A hand-written keep-alive
    client keeps the load generator's own CPU use small on a shared 2-core machine.
    """
    host, port = base.removeprefix("http://").split(":")
    total = rate * duration_s
    latencies: list[float | None] = [None] * total
    paths = [f"/api/v1/me/room?token={t}" for t in tokens]
    queue: asyncio.Queue[tuple[int, float]] = asyncio.Queue()

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while True:
                index, due = await queue.get()
                if index < 0:
                    return
                try:
                    status = await asyncio.wait_for(
                        _get(reader, writer, paths[index % len(paths)]), timeout=10
                    )
                except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, int(port))
                    continue
                if status == 200:
                    latencies[index] = (time.perf_counter() - due) * 1000
        finally:
            writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(connections)]
    await asyncio.sleep(0.5)  # connections open before the clock starts
    t0 = time.perf_counter()
    for index in range(total):
        due = t0 + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((index, due))
    for _ in workers:
        queue.put_nowait((-1, 0.0))
    await asyncio.gather(*workers)
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run(database: str, *, rate: int, duration_s: int, workers: int) -> Result:
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        workdir = Path(tmp)
        with (
            postgres() if database == "postgres" else _sqlite(workdir) as url,
            server(url, workdir, workers=workers) as (base, tokens),
        ):
            started = time.perf_counter()
            latencies = asyncio.run(load(base, tokens, rate=rate, duration_s=duration_s))
            elapsed = time.perf_counter() - started
    ok = [v for v in latencies if v is not None]
    return Result(
        database=database,
        workers=workers,
        rate=rate,
        duration_s=duration_s,
        sent=len(latencies),
        ok=len(ok),
        errors=len(latencies) - len(ok),
        achieved_rps=round(len(ok) / elapsed, 1),
        p50_ms=round(statistics.median(ok), 2) if ok else float("nan"),
        p90_ms=round(percentile(ok, 0.90), 2) if ok else float("nan"),
        p99_ms=round(percentile(ok, 0.99), 2) if ok else float("nan"),
        max_ms=round(max(ok), 2) if ok else float("nan"),
    )


@contextmanager
def _sqlite(workdir: Path) -> Iterator[str]:
    yield f"sqlite:///{workdir / 'bench.sqlite3'}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "api_latency.json")
    args = parser.parse_args(argv)
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs", flush=True)
    columns = "database workers rate duration sent errors achieved p50 p90 p99 max".split()
    print(markdown_header(columns), flush=True)
    results = []
    for db in args.db or ["sqlite"]:
        load_before = os.getloadavg()[0]
        r = run(db, rate=args.rate, duration_s=args.duration, workers=args.workers)
        results.append(r)
        print(
            f"| {r.database} | {r.workers} | {r.rate}/s | {r.duration_s} s | {r.sent} | "
            f"{r.errors} | {r.achieved_rps}/s | {r.p50_ms} ms | {r.p90_ms} ms | {r.p99_ms} ms | "
            f"{r.max_ms} ms |  (load average before: {load_before:.1f})",
            flush=True,
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
