"""A draft event's registration link says registration has not opened yet until the organiser
first opens it; once opened and closed again (back to draft) it says closed."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event
from tests.web.test_email_invisible_characters import FORM
from tests.web.test_organiser_pages import sign_in

NOT_YET = "Registration for this event has not opened yet."
CLOSED = "Registration for this event is closed."


def move(web: TestClient, event_id: str, to: str) -> None:
    assert web.post(f"/organiser/events/{event_id}/phase", data={"to": to}).status_code == 200


def test_a_draft_never_opened_says_not_yet_and_one_closed_again_says_closed(
    web: TestClient, db: Session
) -> None:
    sign_in(web, db)
    web.post(
        "/organiser/events/new",
        data={"name": "Open dag", "starts_at": "2026-06-12T10:00", "rounds": "3"},
    )
    event = db.exec(select(Event)).one()
    url = f"/register/{event.registration_slug}"

    page = web.get(url, headers={"Accept-Language": "en"})
    assert NOT_YET in page.text
    assert "the organiser will let you know when it opens" in page.text
    assert "Jun 12, 2026" in page.text  # when the event is, to plan for it
    assert CLOSED not in page.text
    assert f'method="post" action="{url}"' not in page.text
    refused = web.post(url, data={**FORM, "email": "ana@escola.pt"})
    assert refused.status_code == 409
    assert NOT_YET in refused.text

    move(web, event.id, "open")
    move(web, event.id, "draft")  # "Close registration"
    closed = web.get(url, headers={"Accept-Language": "en"})
    assert CLOSED in closed.text
    assert NOT_YET not in closed.text

    db.refresh(event)
    first_opened = event.registration_opened_at
    assert first_opened is not None
    move(web, event.id, "open")
    move(web, event.id, "draft")
    db.refresh(event)
    assert event.registration_opened_at == first_opened  # the first opening is kept
    assert CLOSED in web.get(url, headers={"Accept-Language": "en"}).text
