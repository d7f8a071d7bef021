"""One running app (real lifespan, fresh SQLite file) with an event to fuzz against."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.main import create_app
from tests.fixtures.database import copy_sqlite, use_database
from tests.live.helpers import LiveEvent, create_live_event


@dataclass
class FuzzTarget:
    app: FastAPI
    client: TestClient
    event: LiveEvent
    participant_id: str
    mate_id: str


@pytest.fixture(scope="module")
def fuzz_target(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FuzzTarget]:
    workdir: Path = tmp_path_factory.mktemp("fuzz")
    url = copy_sqlite(sqlite_template, workdir / "speedmatch.sqlite3")
    settings = {"SPEEDMATCH_SOLVER_TIME_LIMIT_S": "1", "SPEEDMATCH_REDIS_URL": None}
    with (
        pytest.MonkeyPatch.context() as patch,
        use_database(patch, url, workdir / "data", env=settings),
    ):
        event = create_live_event(url, 6, rounds=2)
        participant = sorted(event.tokens)[0]
        room = event.room_of(1, participant) or []
        mate = next(p for p in room if p != participant)
        app = create_app()
        with TestClient(app) as client:
            yield FuzzTarget(app, client, event, participant, mate)
