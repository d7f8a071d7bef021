"""The `speedmatch` commands a person runs: db upgrade and demo."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.db import dispose_engines
from app.main import create_app
from app.settings import get_settings
from tests.fixtures.services import free_port


def test_demo_json_gives_working_organiser_and_participant_tokens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        **os.environ,
        "SPEEDMATCH_DATA_DIR": str(tmp_path),
        "SPEEDMATCH_SECRET_KEY": "cli-test-secret-key-0123456789",
    }
    env.pop("SPEEDMATCH_DATABASE_URL", None)
    command = [sys.executable, "-m", "app.cli", "demo", "--participants", "60", "--json"]
    result = subprocess.run(
        [*command, "--time-limit", "2"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    demo = json.loads(result.stdout)
    assert len(demo["participants"]) == 60
    monkeypatch.setenv("SPEEDMATCH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SPEEDMATCH_SECRET_KEY", env["SPEEDMATCH_SECRET_KEY"])
    monkeypatch.delenv("SPEEDMATCH_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    dispose_engines()
    try:
        with TestClient(create_app()) as client:
            bearer = {"Authorization": f"Bearer {demo['organiser_token']}"}
            event = client.get(f"/api/v1/events/{demo['event_id']}", headers=bearer).json()
            assert (event["phase"], event["participant_count"]) == ("scheduled", 60)
            first = demo["participants"][0]
            room = client.get("/api/v1/me/room", params={"token": first["token"]}).json()
            assert room["round"] == 1
            me = client.get("/api/v1/me", params={"token": first["token"]}).json()
            assert me["participant"]["id"] == first["id"]
    finally:
        dispose_engines()
        get_settings.cache_clear()


def test_db_upgrade_then_serve_answers_on_the_chosen_port(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SPEEDMATCH_DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
        "SPEEDMATCH_DATA_DIR": str(tmp_path),
    }
    upgrade = subprocess.run(
        [sys.executable, "-m", "app.cli", "db", "upgrade"],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert upgrade.returncode == 0, upgrade.stderr
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "speedmatch serve did not answer"
                time.sleep(0.2)
        assert health.json() == {"status": "ok", "database": "ok"}
    finally:
        server.terminate()
        server.wait(timeout=20)
