"""The `speedmatch` commands a person runs: db upgrade and demo."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.db import dispose_engines
from app.main import create_app
from app.settings import get_settings


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
