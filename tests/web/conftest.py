"""Page tests: a fresh migrated SQLite file per test, a TestClient, and a seated demo event
(in the test's database, or in the live server's for browser tests).

The database and the settings pointed at it come from tests/fixtures/database.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page
from sqlmodel import Session

from app.db import make_engine
from app.main import create_app
from app.models import (
    AttendanceStatus,
    Event,
    EventPhase,
    Organiser,
    Participant,
    Room,
    RoomMember,
    Round,
    RoundStatus,
)
from app.security import hash_token
from tests.factories import make_event, make_organiser, make_participants
from tests.fixtures.live_server import LiveServer
from tests.web.browser import chromium, require_browser


@pytest.fixture
def web_db(configured: str) -> str:
    """A fresh migrated SQLite file for this test, the settings pointed at it."""
    return configured


@pytest.fixture
def db(session: Session) -> Session:
    return session


@pytest.fixture
def web(web_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(), base_url="http://127.0.0.1") as client:
        yield client


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium (Debian's, through Playwright) per test module that asks for it."""
    require_browser()
    with chromium() as b:
        yield b


@dataclass
class Seated:
    organiser: Organiser
    event: Event
    people: list[Participant]
    tokens: dict[str, str]  # participant id -> raw link token


def seat_event(
    session: Session, n: int = 4, *, started_rounds: int = 0, present: bool = False
) -> Seated:
    """An event with `n` participants in rooms of two for two rounds, links issued.

    `present` marks everyone present, so starting a round uses the stored plan instead of
    re-planning for those whose pages are not open.
    """
    organiser = make_organiser(session)
    event = make_event(
        session, organiser, phase=EventPhase.SCHEDULED, rounds=2, name="Dag van de partners"
    )
    people = make_participants(session, event, n)
    tokens: dict[str, str] = {}
    for i, person in enumerate(people):
        tokens[person.id] = f"token-{i}-abcdefghijklmnopqrstuvwxyz"
        person.token_hash = hash_token(tokens[person.id])
        if present:
            person.attendance = AttendanceStatus.PRESENT
        session.add(person)
    for number in (1, 2):
        status = RoundStatus.ENDED if number <= started_rounds else RoundStatus.PLANNED
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


def seat_live_event(
    server: LiveServer,
    n: int = 4,
    *,
    started_rounds: int = 0,
    present: bool = False,
    **event_fields: object,
) -> Seated:
    """`seat_event` in the live server's database, with `event_fields` set on the event."""
    engine = make_engine(server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n, started_rounds=started_rounds, present=present)
        if event_fields:
            for name, value in event_fields.items():
                setattr(seated.event, name, value)
            db.add(seated.event)
            db.commit()
    engine.dispose()
    return seated


def registration_page(browser: Browser, server: LiveServer) -> tuple[Event, Page]:
    """A new event in the live server's database and its registration page, open in English."""
    engine = make_engine(server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        event = make_event(db, make_organiser(db), name="Buurklassen contact day")
    engine.dispose()
    page = browser.new_context(base_url=server.base_url, locale="en-GB").new_page()
    page.goto(f"/register/{event.registration_slug}")
    return event, page
