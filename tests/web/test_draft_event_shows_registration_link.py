"""An organiser can prepare the invitation before opening registration: a draft event's page
shows its registration link, with a note that the page says "not open yet" until it opens."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event
from tests.web.test_organiser_pages import sign_in

NOTE = "Registration is not open yet. You can already put this link in your invitation"


def test_a_draft_event_shows_its_registration_link_with_a_note(
    web: TestClient, db: Session
) -> None:
    sign_in(web, db)
    web.post(
        "/organiser/events/new",
        data={"name": "Open dag", "starts_at": "2026-06-12T10:00", "rounds": "3"},
    )
    event = db.exec(select(Event)).one()
    link = f"http://127.0.0.1/register/{event.registration_slug}"

    draft = web.get(f"/organiser/events/{event.id}")
    assert f'<code class="link" id="registration-url">{link}</code>' in draft.text
    assert NOTE in draft.text

    # The link the organiser copied now says so to a teacher who opens it early.
    early = web.get(f"/register/{event.registration_slug}")
    assert "Registration for this event has not opened yet." in early.text

    web.post(f"/organiser/events/{event.id}/phase", data={"to": "open"})
    opened = web.get(f"/organiser/events/{event.id}")
    assert f'id="registration-url">{link}</code>' in opened.text
    assert NOTE not in opened.text
