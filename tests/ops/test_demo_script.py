"""`bash scripts/demo` in a checkout whose `.env` is set up for production."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.fixtures.services import free_port
from tests.ops.helpers import ROOT, environment


def test_the_demo_keeps_to_its_own_sqlite_file_whatever_env_names(tmp_path: Path) -> None:
    # The script unset SPEEDMATCH_DATABASE_URL, but the service reads .env as well: an
    # operator's production database named there received the demo organiser and its
    # generated people.
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "demo", checkout / "scripts" / "demo")
    (checkout / ".venv").symlink_to(sys.prefix)  # the venv running the tests
    production = tmp_path / "production.sqlite3"
    (checkout / ".env").write_text(
        f"SPEEDMATCH_DATABASE_URL=sqlite:///{production}\n"
        "SPEEDMATCH_REDIS_URL=redis://127.0.0.1:1/0\n",
        encoding="utf-8",
    )
    port = free_port()
    env = environment(PARTICIPANTS="6", PORT=str(port))
    with subprocess.Popen(
        ["bash", "scripts/demo"],
        cwd=checkout,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as demo:
        try:
            deadline = time.monotonic() + 180
            while True:
                assert demo.poll() is None, demo.communicate()[0]
                assert time.monotonic() < deadline, "the demo did not start serving"
                try:
                    health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.3)
            assert health.json() == {"status": "ok", "database": "ok"}
        finally:
            os.killpg(demo.pid, signal.SIGTERM)
            demo.communicate(timeout=30)
    assert not production.exists()
    with sqlite3.connect(checkout / "data" / "speedmatch.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM participant").fetchone() == (6,)
