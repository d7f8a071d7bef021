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
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-key-0123456789abcdef"


@dataclass
class Result:
    database: str
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
def server(database_url: str, workdir: Path) -> Iterator[tuple[str, list[str]]]:
    """Demo data in `database_url`, then uvicorn; yields (base URL, participant tokens)."""
    port = free_port()
    env = {
        **os.environ,
        "SPEEDMATCH_DATABASE_URL": database_url,
        "SPEEDMATCH_DATA_DIR": str(workdir),
        "SPEEDMATCH_SECRET_KEY": SECRET,
        "SPEEDMATCH_BASE_URL": f"http://127.0.0.1:{port}",
        "SPEEDMATCH_LOG_LEVEL": "warning",
    }
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
        + ["--no-access-log"],
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


async def load(base: str, tokens: list[str], *, rate: int, duration_s: int) -> list[float | None]:
    """Latencies in ms (None for a failed request), one request every 1/rate seconds."""
    total = rate * duration_s
    latencies: list[float | None] = [None] * total
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
        for token in tokens[:5]:  # warm-up: connections, caches
            await client.get("/api/v1/me/room", params={"token": token})

        async def one(i: int) -> None:
            started = time.perf_counter()
            try:
                response = await client.get(
                    "/api/v1/me/room", params={"token": tokens[i % len(tokens)]}
                )
                if response.status_code == 200:
                    latencies[i] = (time.perf_counter() - started) * 1000
            except httpx.HTTPError:
                pass

        tasks = []
        t0 = time.perf_counter()
        for i in range(total):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i)))
        await asyncio.gather(*tasks)
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run(database: str, *, rate: int, duration_s: int) -> Result:
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        workdir = Path(tmp)
        with (
            postgres() if database == "postgres" else _sqlite(workdir) as url,
            server(url, workdir) as (base, tokens),
        ):
            started = time.perf_counter()
            latencies = asyncio.run(load(base, tokens, rate=rate, duration_s=duration_s))
            elapsed = time.perf_counter() - started
    ok = [v for v in latencies if v is not None]
    return Result(
        database=database,
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
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "api_latency.json")
    args = parser.parse_args(argv)
    results = [run(db, rate=args.rate, duration_s=args.duration) for db in args.db or ["sqlite"]]
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    print("| database | rate | duration | sent | errors | achieved | p50 | p90 | p99 | max |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r.database} | {r.rate}/s | {r.duration_s} s | {r.sent} | {r.errors} | "
            f"{r.achieved_rps}/s | {r.p50_ms} ms | {r.p90_ms} ms | {r.p99_ms} ms | {r.max_ms} ms |"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps([asdict(r) for r in results], indent=2))


if __name__ == "__main__":
    main()
