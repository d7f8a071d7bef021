"""Contact-exchange test setup: a migrated SQLite file per test, the real app, seated events.

Rooms are written straight into the tables the schedule service fills, so these tests do not
depend on the solver; everything else goes through the real HTTP API.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.cli.db import upgrade
from app.db import dispose_engines, get_engine
from app.main import create_app
from app.models import (
    Event,
    EventPhase,
    Organiser,
    Participant,
    Room,
    RoomMember,
    Round,
    RoundStatus,
)
from app.security import hash_token, new_token
from app.settings import get_settings
from tests.factories import make_api_token, make_event, make_organiser
from tests.fixtures.services import PostgresServer


@pytest.fixture(scope="session")
def contacts_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("contacts-template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def contacts_postgres_template(postgres_server: PostgresServer) -> str:
    name = "contacts_template"
    upgrade(postgres_server.create_database(name))
    return name


# Modules opt into PostgreSQL as well with `pytestmark = BOTH_DATABASES`.
BOTH_DATABASES = pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def db_url(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[str]:
    """A fresh migrated database for one test (a SQLite file, or PostgreSQL when asked)."""
    server: PostgresServer | None = None
    name = f"c_{uuid.uuid4().hex[:12]}"
    if backend == "postgres":
        server = request.getfixturevalue("postgres_server")
        template = request.getfixturevalue("contacts_postgres_template")
        url = server.create_database(name, template=template)
    else:
        target = tmp_path / "speedmatch.sqlite3"
        shutil.copyfile(request.getfixturevalue("contacts_sqlite_template"), target)
        url = f"sqlite:///{target}"
    monkeypatch.setenv("SPEEDMATCH_DATABASE_URL", url)
    monkeypatch.setenv("SPEEDMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SPEEDMATCH_SECRET_KEY", "test-secret-key-0123456789")
    get_settings.cache_clear()
    dispose_engines()
    yield url
    dispose_engines()
    get_settings.cache_clear()
    if server is not None:
        server.drop_database(name)


@pytest.fixture
def db(db_url: str) -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture
def organiser(db: Session) -> Organiser:
    return make_organiser(db, email="ines@agency.example")


@pytest.fixture
def org_auth(db: Session, organiser: Organiser) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_api_token(db, organiser)}"}


@dataclass
class World:
    """A seated event: participants by short key, their link tokens, rounds of rooms."""

    event: Event
    people: dict[str, Participant] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def id(self, key: str) -> str:
        return self.people[key].id

    def q(self, key: str) -> dict[str, str]:
        """Query parameters that authenticate as participant `key` (their personal link)."""
        return {"token": self.tokens[key]}


def add_person(db: Session, world: World, key: str, **fields: object) -> Participant:
    token = new_token()
    values: dict[str, object] = {
        "external_id": key,
        "name": f"Person {key}",
        "email": f"{key.lower()}@school.example",
        "school": f"School {key}",
        "country": "NL",
        "sector": "primary",
        "languages": ["en"],
        "interests": ["inclusion", "stem"],
        "programmes": ["etwinning"],
        "share_fields": ["email", "school"],
    }
    values.update(fields)
    person = Participant(event_id=world.event.id, token_hash=hash_token(token), **values)  # type: ignore[arg-type]
    db.add(person)
    db.commit()
    db.refresh(person)
    world.people[key] = person
    world.tokens[key] = token
    return person


def seat(
    db: Session,
    world: World,
    rounds: Sequence[Sequence[Sequence[str]]],
    status: RoundStatus = RoundStatus.ENDED,
) -> None:
    """`rounds[r][k]` lists the keys of the people in room k+1 of round r+1."""
    for r, rooms in enumerate(rounds, start=1):
        rnd = Round(event_id=world.event.id, number=r, status=status)
        db.add(rnd)
        db.commit()
        for k, keys in enumerate(rooms, start=1):
            room = Room(round_id=rnd.id, number=k)
            db.add(room)
            db.commit()
            for key in keys:
                db.add(RoomMember(room_id=room.id, participant_id=world.id(key), why="why " + key))
            db.commit()


def make_world(
    db: Session,
    organiser: Organiser,
    keys: Sequence[str] = ("A", "B"),
    *,
    mutual: bool = True,
    **event_fields: Any,
) -> World:
    event = make_event(
        db, organiser, phase=EventPhase.FINISHED, mutual_consent=mutual, **event_fields
    )
    world = World(event)
    countries = ["NL", "BE", "DE", "PT", "DK", "AT", "ES"]
    for i, key in enumerate(keys):
        add_person(db, world, key, country=countries[i % len(countries)])
    return world
