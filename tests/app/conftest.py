"""API test setup: every test runs on a fresh, migrated SQLite file AND on real PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlmodel import Session, SQLModel

import app.models  # noqa: F401  (every table registered before TRUNCATE lists them)
from app.cli.db import upgrade
from app.db import dispose_engines, get_engine
from app.main import create_app
from app.models import Organiser
from app.settings import get_settings
from tests.factories import make_api_token, make_organiser
from tests.fixtures.services import PostgresServer


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; each test gets a copy (migrating once keeps the suite fast)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database(postgres_server: PostgresServer) -> str:
    """One migrated PostgreSQL database; tests empty its tables (faster than a database each)."""
    url = postgres_server.create_database("speedmatch_test")
    upgrade(url)
    return url


def _empty_tables(url: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh migrated database for one test: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        target = tmp_path / "speedmatch.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    url = request.getfixturevalue("postgres_database")
    dispose_engines()
    _empty_tables(url)
    try:
        yield url
    finally:
        dispose_engines()


@pytest.fixture
def configured(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Points the settings (and so every engine and session) at this test's database."""
    monkeypatch.setenv("SPEEDMATCH_DATABASE_URL", database_url)
    monkeypatch.setenv("SPEEDMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SPEEDMATCH_SECRET_KEY", "test-secret-key-0123456789")
    get_settings.cache_clear()
    dispose_engines()
    yield database_url
    dispose_engines()
    get_settings.cache_clear()


@pytest.fixture
def session(configured: str) -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as db:
        yield db


@pytest.fixture
def client(configured: str) -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture
def organiser(session: Session) -> Organiser:
    return make_organiser(session, email="ines@agency.example")


@pytest.fixture
def org_client(client: TestClient, session: Session, organiser: Organiser) -> TestClient:
    """The client, authenticated as `organiser` with an API bearer token."""
    client.headers["Authorization"] = f"Bearer {make_api_token(session, organiser)}"
    return client
