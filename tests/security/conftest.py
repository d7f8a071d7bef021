"""Two events of two organisers in one fresh SQLite database, and a client for the app.

Event A ("this" event) has a played first round, so participant A1 met A2 and may decide about
them. Event B belongs to another organiser; its participant B1 and organiser are the outsiders.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.db import make_engine
from app.main import create_app
from app.models import (
    ApiToken,
    Event,
    Organiser,
    Participant,
    Round,
    RoundStatus,
    SchedulePlan,
)
from app.security import ORGANISER_COOKIE, new_token, sign_cookie
from tests.fixtures.database import copy_sqlite, use_database
from tests.live.helpers import LiveEvent, create_live_event

SECRET = "security-test-secret-0123456789"
EVENT_A_NAME = "Event-A confidential partner day"


@dataclass
class Role:
    """One caller: how it authenticates (bearer, organiser cookie, personal link token)."""

    name: str
    bearer: str | None = None
    organiser_cookie: str | None = None
    link_token: str | None = None


@dataclass
class World:
    client: TestClient
    database_url: str
    a: LiveEvent
    b: LiveEvent
    a1: str  # participant of A (the caller "participant of this event")
    a2: str  # A1's room-mate in the played round 1
    b1: str  # participant of B
    a_token_id: str  # id of organiser A's API token
    a_slug: str
    a_email: str  # organiser A's sign-in e-mail
    a_secrets: list[str]  # e-mail addresses of A's participants: never in a denial
    roles: dict[str, Role]


def _organiser_cookie(database_url: str, event_id: str) -> str:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            event = session.get(Event, event_id)
            assert event is not None
            organiser = session.get(Organiser, event.organiser_id)
            assert organiser is not None
            return sign_cookie(
                {"o": organiser.id, "v": organiser.session_version},
                secret_key=SECRET,
                kind=ORGANISER_COOKIE,
            )
    finally:
        engine.dispose()


def _play_round_one(database_url: str, event_id: str) -> tuple[str, str, str]:
    """Marks A's round 1 as ended; returns its API token id, registration slug, organiser mail."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            event = session.get(Event, event_id)
            assert event is not None
            first = session.exec(
                select(Round).where(Round.event_id == event_id, Round.number == 1)
            ).one()
            first.status = RoundStatus.ENDED
            event.current_round = 1
            session.add_all([first, event, SchedulePlan(event_id=event_id)])
            session.commit()
            token = session.exec(
                select(ApiToken).where(ApiToken.organiser_id == event.organiser_id)
            ).one()
            organiser = session.get(Organiser, event.organiser_id)
            assert organiser is not None
            return token.id, event.registration_slug, organiser.email
    finally:
        engine.dispose()


def _emails(database_url: str, event_id: str) -> list[str]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            people = session.exec(select(Participant).where(Participant.event_id == event_id))
            return [p.email for p in people.all()]
    finally:
        engine.dispose()


@dataclass
class Seeded:
    """The two events, built once in a template database that each test copies."""

    path: Path
    a: LiveEvent
    b: LiveEvent
    a_token_id: str
    a_slug: str
    a_email: str
    a_secrets: list[str]
    cookies: dict[str, str]


@pytest.fixture(scope="session")
def seeded(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    path = tmp_path_factory.mktemp("security-seeded") / "seeded.sqlite3"
    url = copy_sqlite(sqlite_template, path)
    a = create_live_event(url, 6, rounds=2, name=EVENT_A_NAME)
    b = create_live_event(url, 4, rounds=2, seed=3, name="Event B")
    token_id, slug, email = _play_round_one(url, a.event_id)
    cookies = {
        "a": _organiser_cookie(url, a.event_id),
        "b": _organiser_cookie(url, b.event_id),
    }
    return Seeded(path, a, b, token_id, slug, email, _emails(url, a.event_id), cookies)


@pytest.fixture
def world(seeded: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    url = copy_sqlite(seeded.path, tmp_path / "speedmatch.sqlite3")
    settings = {
        "SPEEDMATCH_BASE_URL": "http://testserver",
        "SPEEDMATCH_SOLVER_TIME_LIMIT_S": "2",
        "SPEEDMATCH_REDIS_URL": None,
    }
    a, b = seeded.a, seeded.b
    a1 = sorted(a.tokens)[0]
    room = a.room_of(1, a1)
    assert room is not None
    a2 = next(p for p in room if p != a1)
    b1 = sorted(b.tokens)[0]
    roles = {
        "anonymous": Role("anonymous"),
        "participant_this": Role("participant_this", link_token=a.tokens[a1]),
        "participant_other": Role("participant_other", link_token=b.tokens[b1]),
        "organiser_other": Role(
            "organiser_other", bearer=b.api_token, organiser_cookie=seeded.cookies["b"]
        ),
        "organiser_this": Role(
            "organiser_this", bearer=a.api_token, organiser_cookie=seeded.cookies["a"]
        ),
    }
    with (
        use_database(monkeypatch, url, tmp_path / "data", secret_key=SECRET, env=settings),
        TestClient(create_app(), follow_redirects=False) as client,
    ):
        yield World(
            client,
            url,
            a,
            b,
            a1,
            a2,
            b1,
            seeded.a_token_id,
            seeded.a_slug,
            seeded.a_email,
            seeded.a_secrets,
            roles,
        )


def random_link_token() -> str:
    return new_token()
