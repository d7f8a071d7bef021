"""Page tests: a fresh migrated SQLite file per test, a TestClient, and a seated demo event."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.cli.db import upgrade
from app.db import dispose_engines, get_engine
from app.main import create_app
from app.models import Event, EventPhase, Organiser, Participant, Room, RoomMember, Round
from app.security import hash_token
from app.settings import get_settings
from tests.factories import make_event, make_organiser, make_participants

SECRET = "web-test-secret-key-0123456789"


@pytest.fixture(scope="session")
def web_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web-sqlite") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def web_db(
    web_sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    target = tmp_path / "speedmatch.sqlite3"
    shutil.copyfile(web_sqlite_template, target)
    url = f"sqlite:///{target}"
    monkeypatch.setenv("SPEEDMATCH_DATABASE_URL", url)
    monkeypatch.setenv("SPEEDMATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SPEEDMATCH_SECRET_KEY", SECRET)
    get_settings.cache_clear()
    dispose_engines()
    yield url
    dispose_engines()
    get_settings.cache_clear()


@pytest.fixture
def db(web_db: str) -> Iterator[Session]:
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


@pytest.fixture
def web(web_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(), base_url="http://127.0.0.1") as client:
        yield client


@dataclass
class Seated:
    organiser: Organiser
    event: Event
    people: list[Participant]
    tokens: dict[str, str]  # participant id -> raw link token


def seat_event(session: Session, n: int = 4, *, started_rounds: int = 0) -> Seated:
    """An event with `n` participants in rooms of two for two rounds, links issued."""
    organiser = make_organiser(session)
    event = make_event(
        session, organiser, phase=EventPhase.SCHEDULED, rounds=2, name="Dag van de partners"
    )
    people = make_participants(session, event, n)
    tokens: dict[str, str] = {}
    for i, person in enumerate(people):
        tokens[person.id] = f"token-{i}-abcdefghijklmnopqrstuvwxyz"
        person.token_hash = hash_token(tokens[person.id])
        session.add(person)
    for number in (1, 2):
        status = "ended" if number <= started_rounds else "planned"
        rnd = Round(event_id=event.id, number=number, status=status)
        session.add(rnd)
        session.flush()
        order = people if number == 1 else people[::2] + people[1::2]
        for k in range(0, n - 1, 2):
            room = Room(
                round_id=rnd.id, number=k // 2 + 1, link=f"https://meet.example/r{number}-{k}"
            )
            session.add(room)
            session.flush()
            for member in order[k : k + 2]:
                session.add(RoomMember(room_id=room.id, participant_id=member.id, why="both test"))
    if started_rounds:
        event.current_round = started_rounds
        event.phase = EventPhase.LIVE
        session.add(event)
    session.commit()
    return Seated(organiser, event, people, tokens)
