"""Plain functions that build and save valid objects for tests (and nothing else)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlmodel import Session

from app.models import ApiToken, Event, EventPhase, Organiser, Participant, utcnow
from app.security import hash_password, hash_token, new_token

PASSWORD = "correct horse battery staple"

_COUNTRIES = ["NL", "BE", "DK", "DE", "PT", "AT", "ES"]
_LANGUAGES = {
    "NL": ["nl", "en"],
    "BE": ["nl", "fr", "en"],
    "DK": ["da", "en"],
    "DE": ["de", "en"],
    "PT": ["pt", "en"],
    "AT": ["de", "en"],
    "ES": ["es", "en"],
}
_FIRST = ["Ana", "Jens", "Søren", "João", "Lieke", "Jüri", "Maëlle", "Inês", "Björn", "Pieter"]
_INTERESTS = ["inclusion", "stem", "citizenship", "languages", "sustainability", "arts"]
_PROGRAMMES = ["etwinning", "ka1", "ka2", "buurklassen"]
_SECTORS = ["primary", "secondary", "specialised"]


@lru_cache
def _password_hash(password: str) -> str:
    # argon2 is slow on purpose; tests reuse one hash per password.
    return hash_password(password)


def make_organiser(
    session: Session, *, email: str | None = None, password: str = PASSWORD, name: str = "Org"
) -> Organiser:
    organiser = Organiser(
        email=email or f"org-{new_token()[:8].lower()}@example.org",
        name=name,
        password_hash=_password_hash(password),
    )
    session.add(organiser)
    session.commit()
    session.refresh(organiser)
    return organiser


def make_api_token(session: Session, organiser: Organiser) -> str:
    """Creates an API token for `organiser` and returns the raw bearer token."""
    token = new_token()
    session.add(ApiToken(organiser_id=organiser.id, name="tests", token_hash=hash_token(token)))
    session.commit()
    return token


def make_event(
    session: Session,
    organiser: Organiser,
    *,
    phase: EventPhase = EventPhase.OPEN,
    starts_at: datetime | None = None,
    **fields: Any,
) -> Event:
    if phase != EventPhase.DRAFT:
        # As the app would have it: an event past draft went through (or past) registration.
        fields.setdefault("registration_opened_at", utcnow())
    event = Event(
        organiser_id=organiser.id,
        name=str(fields.pop("name", "Partner-finding day")),
        starts_at=starts_at or utcnow() + timedelta(days=7),
        phase=phase,
        **fields,
    )
    session.add(event)
    session.commit()
    session.refresh(event)
    return event


def make_participants(
    session: Session, event: Event, n: int, *, seed: int = 0
) -> list[Participant]:
    """`n` valid participants from seven countries, saved to `event`."""
    rows: list[Participant] = []
    try:
        from matching.generate import generate_participants

        generated = generate_participants(n, seed=seed)
        for p in generated:
            rows.append(
                Participant(
                    event_id=event.id,
                    external_id=p.id,
                    name=p.name,
                    email=p.email or f"{p.id}@example.org",
                    school=p.school,
                    country=p.country,
                    sector=str(p.sector),
                    languages=sorted(p.languages),
                    interests=sorted(p.interests),
                    programmes=sorted(p.programmes),
                    requests=sorted(p.requests),
                    avoid=sorted(p.avoid),
                )
            )
    except ImportError:
        rng = random.Random(seed)
        for i in range(n):
            country = _COUNTRIES[i % len(_COUNTRIES)]
            rows.append(
                Participant(
                    event_id=event.id,
                    external_id=f"p{i + 1:03d}",
                    name=f"{rng.choice(_FIRST)} {i + 1}",
                    email=f"p{i + 1:03d}@example.org",
                    school=f"School {i + 1} ({country})",
                    country=country,
                    sector=_SECTORS[i % 3],
                    languages=_LANGUAGES[country],
                    interests=sorted(rng.sample(_INTERESTS, 2)),
                    programmes=sorted(rng.sample(_PROGRAMMES, 1)),
                )
            )
    session.add_all(rows)
    session.commit()
    for row in rows:
        session.refresh(row)
    return rows
