"""The organiser's "Whom they hope to meet" takes names or e-mail addresses (as registration
does), ids still work, and the edit form shows the stored requests as names."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event, Organiser, Participant
from tests.factories import make_event
from tests.web.test_organiser_pages import sign_in


def _person(event: Event, external_id: str, name: str, email: str) -> Participant:
    return Participant(
        event_id=event.id,
        external_id=external_id,
        name=name,
        email=email,
        school="School",
        country="NL",
        sector="primary",
        languages=["nl", "en"],
    )


def _event(web: TestClient, db: Session) -> Event:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event = make_event(db, organiser)
    db.add(_person(event, "p1", "Anna Müller", "anna@school.de"))
    db.add(_person(event, "p2", "Jan de Vries", "jan1@school.nl"))
    db.add(_person(event, "p3", "Jan de Vries", "jan2@school.nl"))
    db.commit()
    return event


def _form(requests: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": "Inês Marques",
        "email": "ines@escola.pt",
        "school": "Escola X",
        "country": "PT",
        "sector": "secondary",
        "languages": "pt, en",
        "requests": requests,
        "share_fields": ["email"],
        **extra,
    }


def _stored(db: Session, email: str) -> Participant:
    db.expire_all()
    found = db.exec(select(Participant).where(Participant.email == email)).first()
    assert found is not None
    return found


def test_names_emails_and_ids_are_accepted_and_shown_back_as_names(
    web: TestClient, db: Session
) -> None:
    event = _event(web, db)
    base = f"/organiser/events/{event.id}/participants"
    added = web.post(base, data=_form("anna müller, jan2@school.nl, p2"))
    assert "Participant added." in added.text
    ines = _stored(db, "ines@escola.pt")
    assert sorted(ines.requests) == ["p1", "p2", "p3"]
    edit = web.get(f"{base}/{ines.id}").text
    # A shared name cannot stand for one person: those two show as their e-mail addresses.
    shown = edit.split('name="requests" value="', 1)[1].split('"', 1)[0]
    assert sorted(shown.split(", ")) == ["Anna Müller", "jan1@school.nl", "jan2@school.nl"]
    saved = web.post(f"{base}/{ines.id}", data=_form("Anna Müller, jan1@school.nl"))
    assert "Saved." in saved.text
    assert sorted(_stored(db, "ines@escola.pt").requests) == ["p1", "p2"]


def test_a_shared_or_unknown_name_is_refused_next_to_the_field(
    web: TestClient, db: Session
) -> None:
    event = _event(web, db)
    base = f"/organiser/events/{event.id}/participants"
    refused = web.post(base, data=_form("Jan de Vries, Nobody Known"))
    assert refused.status_code == 422
    assert "Enter the e-mail address of the person you mean" in refused.text
    assert "Not registered (yet): Nobody Known" in refused.text
    assert "unknown participant id" not in refused.text
    db.expire_all()
    assert db.exec(select(Participant).where(Participant.email == "ines@escola.pt")).first() is None


def test_the_organiser_form_speaks_about_the_participant(web: TestClient, db: Session) -> None:
    event = _event(web, db)
    page = web.get(f"/organiser/events/{event.id}/participants").text
    assert "Whom they hope to meet" in page
    assert "Role (optional)" in page
    assert "Whom you hope to meet" not in page
    assert "Your role" not in page
