"""One running app (real lifespan, fresh SQLite file) with an event to fuzz against."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.cli.db import upgrade
from app.db import dispose_engines
from app.main import create_app
from app.settings import get_settings
from tests.live.helpers import LiveEvent, create_live_event


@dataclass
class FuzzTarget:
    app: FastAPI
    client: TestClient
    event: LiveEvent
    participant_id: str
    mate_id: str


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    workdir: Path = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{workdir / 'speedmatch.sqlite3'}"
    upgrade(url)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SPEEDMATCH_DATABASE_URL", url)
        env.setenv("SPEEDMATCH_DATA_DIR", str(workdir / "data"))
        env.setenv("SPEEDMATCH_SECRET_KEY", "fuzz-secret-key-0123456789")
        env.setenv("SPEEDMATCH_SOLVER_TIME_LIMIT_S", "1")
        env.delenv("SPEEDMATCH_REDIS_URL", raising=False)
        get_settings.cache_clear()
        dispose_engines()
        event = create_live_event(url, 6, rounds=2)
        participant = sorted(event.tokens)[0]
        room = event.room_of(1, participant) or []
        mate = next(p for p in room if p != participant)
        app = create_app()
        with TestClient(app) as client:
            yield FuzzTarget(app, client, event, participant, mate)
        dispose_engines()
        get_settings.cache_clear()
