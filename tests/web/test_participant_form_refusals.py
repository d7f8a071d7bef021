"""The organiser's add and fix forms say a taken e-mail address or an unknown request next to
the field, as the registration page does, instead of only above the form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Organiser, Participant
from tests.factories import make_event, make_participants
from tests.web.test_email_invisible_characters import FORM, field_error
from tests.web.test_organiser_pages import sign_in


def taken(email: str) -> str:
    return f"{email} is already registered for this event."


def test_add_and_fix_say_a_taken_address_next_to_the_email_field(
    web: TestClient, db: Session
) -> None:
    sign_in(web, db)
    event = make_event(db, db.exec(select(Organiser)).one())
    ana, bo = make_participants(db, event, 2)
    url = f"/organiser/events/{event.id}/participants"

    added = web.post(url, data={**FORM, "email": ana.email.upper()})
    assert added.status_code == 422
    assert field_error(added.text, "email") == taken(ana.email)
    assert re.search(
        rf'id="f-email" name="email" value="{re.escape(ana.email.upper())}"', added.text
    )

    fixed = web.post(f"{url}/{bo.id}", data={**FORM, "email": ana.email})
    assert fixed.status_code == 422
    assert field_error(fixed.text, "email") == taken(ana.email)
    db.refresh(bo)
    assert bo.email != ana.email

    # Keeping one's own address is no clash.
    kept = web.post(f"{url}/{bo.id}", data={**FORM, "email": bo.email}, follow_redirects=False)
    assert kept.status_code == 303


def test_an_unknown_request_is_said_next_to_the_requests_field(
    web: TestClient, db: Session
) -> None:
    sign_in(web, db)
    event = make_event(db, db.exec(select(Organiser)).one())
    url = f"/organiser/events/{event.id}/participants"
    page = web.post(url, data={**FORM, "email": "new@escola.pt", "requests": "nobody"})
    assert page.status_code == 422
    assert "nobody" in (field_error(page.text, "requests") or "")
    assert db.exec(select(Participant)).all() == []
