"""Contact-exchange test setup: a migrated SQLite file per test, the real app, seated events.

The database, `client` and `organiser` come from tests/fixtures/database.py; modules opt into
PostgreSQL as well with `pytestmark = BOTH_DATABASES` (from there too).

Rooms are written straight into the tables the schedule service fills, so these tests do not
depend on the solver; everything else goes through the real HTTP API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlmodel import Session

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
from tests.factories import make_api_token, make_event


@pytest.fixture
def db(session: Session) -> Session:
    return session


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
