"""Server processes on 127.0.0.1 for the benchmarks: free ports, uvicorn, redis-server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-secret-key-0123456789"  # long enough for Settings; loopback only


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Process:
    """A child process (uvicorn or redis-server) stopped on exit."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args, self.env, self.log = args, env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.args, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def wait_http(url: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer in {timeout_s}s")


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


def uvicorn(app: str, port: int, env: dict[str, str], workdir: Path) -> Process:
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--backlog",
        "4096",
        "--log-level",
        "warning",
        "--no-access-log",
        # As `speedmatch serve` runs: no per-message compression (small JSON, thousands of sockets).
        "--ws-per-message-deflate",
        "false",
    ]
    if app.endswith("create_app"):
        args.append("--factory")
    return Process(args, {**os.environ, **env}, workdir / f"uvicorn-{port}.log")


def speedmatch_env(
    database_url: str, port: int, data_dir: Path, redis_url: str | None = None
) -> dict[str, str]:
    """The settings a speedmatch server on `port` reads (Redis only when given)."""
    env = {
        "SPEEDMATCH_DATABASE_URL": database_url,
        "SPEEDMATCH_DATA_DIR": str(data_dir),
        "SPEEDMATCH_SECRET_KEY": SECRET_KEY,
        "SPEEDMATCH_BASE_URL": f"http://127.0.0.1:{port}",
        "SPEEDMATCH_LOG_LEVEL": "warning",
    }
    if redis_url:
        env["SPEEDMATCH_REDIS_URL"] = redis_url
    return env


def redis_argv(binary: str, port: int, workdir: Path) -> list[str]:
    """A throw-away redis-server on 127.0.0.1: no persistence, its files and log in `workdir`
    (the test suite's fixture starts the same one)."""
    return [
        binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", str(workdir), "--logfile", str(workdir / "redis.log"),
    ]  # fmt: skip


def redis_server(workdir: Path) -> tuple[Process, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed")
    port = free_port()
    proc = Process(redis_argv(binary, port, workdir), dict(os.environ), workdir / "redis.out")
    proc.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    proc.stop()
    raise RuntimeError("redis-server did not start")
