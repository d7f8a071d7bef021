"""The seeded event the live benchmarks run on: participants, link tokens and stored rooms."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from app.db import make_engine
from app.models import (
    ApiToken,
    AttendanceStatus,
    Event,
    EventPhase,
    Organiser,
    Participant,
    Room,
    RoomMember,
    Round,
    utcnow,
)
from app.security import hash_token, new_token

COUNTRIES = ["NL", "BE", "DK", "DE", "PT", "AT", "ES"]


def assignment_bytes(seeded: Seeded) -> int:
    """The median size of round 1's `assignment` messages, encoded as the server sends them."""
    from app.live.snapshot import load_view
    from rooms import encode

    engine = make_engine(seeded.database_url)
    try:
        with Session(engine) as session:
            view = load_view(session, seeded.event_id, round_number=1)
            assert view is not None
            envelope = len(encode(view.assignment_envelope()))
            sizes = sorted(envelope + len(view.room_part(pid)) for pid in view.cards)
    finally:
        engine.dispose()
    return sizes[len(sizes) // 2]


@dataclass
class Seeded:
    database_url: str
    event_id: str
    api_token: str
    tokens: dict[str, str]  # participant id → link token
    rooms: dict[int, dict[str, frozenset[str]]]  # round → participant id → their room's members


def add_organiser(session: Session, name: str, email: str) -> tuple[Organiser, str]:
    """An organiser with an API token (flushed, not committed); returns it and the token."""
    organiser = Organiser(email=email, name=name)
    session.add(organiser)
    session.flush()
    token = new_token()
    session.add(
        ApiToken(organiser_id=organiser.id, name=name.lower(), token_hash=hash_token(token))
    )
    return organiser, token


def seed(database_url: str, n: int, rounds: int = 2) -> Seeded:
    """An event with `n` present participants and `rounds` stored rounds of rooms of two."""
    from app.cli.db import upgrade

    upgrade(database_url)
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        organiser, api_token = add_organiser(session, "Bench", "bench@example.org")
        event = Event(
            organiser_id=organiser.id,
            name="Bench",
            starts_at=utcnow() + timedelta(days=1),
            rounds=rounds,
            phase=EventPhase.SCHEDULED,
            room_link_template="https://meet.example/{event}/r{round}/{room}",
        )
        session.add(event)
        session.flush()
        tokens: dict[str, str] = {}
        people = []
        for i in range(n):
            token = new_token()
            country = COUNTRIES[i % len(COUNTRIES)]
            p = Participant(
                event_id=event.id,
                external_id=f"p{i}",
                name=f"Person {i}",
                email=f"p{i}@example.org",
                school=f"School {i}",
                country=country,
                sector="primary",
                languages=["en"],
                interests=["inclusion", "stem"][: 1 + i % 2],
                token_hash=hash_token(token),
                attendance=AttendanceStatus.PRESENT,
            )
            tokens[p.id] = token
            people.append(p)
            session.add(p)
        session.flush()
        rooms: dict[int, dict[str, frozenset[str]]] = {k: {} for k in range(1, rounds + 1)}
        for number in range(1, rounds + 1):
            row = Round(event_id=event.id, number=number)
            session.add(row)
            session.flush()
            shift = number  # neighbours differ in country; each round pairs differently
            order = people[shift - 1 :] + people[: shift - 1]
            pairs = [order[i : i + 2] for i in range(0, n - n % 2, 2)]
            if n % 2:
                pairs[-1].append(order[-1])
            for k, members in enumerate(pairs, start=1):
                room = Room(round_id=row.id, number=k)
                session.add(room)
                session.flush()
                for p in members:
                    session.add(RoomMember(room_id=room.id, participant_id=p.id, why="bench"))
                    rooms[number][p.id] = frozenset(m.id for m in members)
        session.commit()
        seeded = Seeded(database_url, event.id, api_token, tokens, rooms)
    engine.dispose()
    return seeded


def copy_event(seeded: Seeded, path: Path) -> Seeded:
    """The same event (ids, tokens, rooms) in a fresh SQLite file, as it was when seeded."""
    source = sqlite3.connect(seeded.database_url.removeprefix("sqlite:///"))
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return replace(seeded, database_url=f"sqlite:///{path}")
