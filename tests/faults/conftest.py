"""Redis and PostgreSQL of their own that the fault tests may kill and restart on the same port."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.fixtures.services import _pg_bin, free_port, missing_service


class KillableRedis:
    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            missing_service("redis-server is not installed")
        self.binary = binary or "redis-server"
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


@pytest.fixture
def killable_redis(tmp_path: Path) -> Iterator[KillableRedis]:
    redis = KillableRedis(tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.kill()


class RestartablePostgres:
    """A throw-away PostgreSQL cluster of its own, so restarting it disturbs no other test."""

    def __init__(self) -> None:
        pg_bin = _pg_bin()
        if pg_bin is None:
            missing_service("PostgreSQL server binaries are not installed")
        assert pg_bin is not None
        self.pg_bin = pg_bin
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # Not under pytest's tmp dir: the 'postgres' user cannot enter root's 0700 directories.
        self.datadir = Path(tempfile.mkdtemp(prefix="speedmatch-faults-pg-"))
        if self.run_as:
            shutil.chown(self.datadir, "postgres", "postgres")
        self.port = free_port()
        self._run("initdb", "-D", str(self.datadir), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self.admin("CREATE DATABASE speedmatch_faults")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/speedmatch_faults"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.run_as, str(self.pg_bin / tool), *args], check=True, capture_output=True
        )

    def _ctl(self, *args: str) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.datadir} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        log = str(self.datadir / "server.log")
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-l", log, "-w", "-t", "60", "-o", options, *args
        )

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        self._ctl("-m", "fast", "restart")

    def stop(self) -> None:
        self._ctl("-m", "immediate", "stop")

    def admin(self, sql: str) -> None:
        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as conn:
            conn.execute(sql)


@pytest.fixture
def restartable_postgres() -> Iterator[RestartablePostgres]:
    server = RestartablePostgres()
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            server.stop()
        shutil.rmtree(server.datadir, ignore_errors=True)
