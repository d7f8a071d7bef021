"""Post/Redirect/Get on the schedule page: generating, a change and a pin lead back to the page
(no flag in its address), which says what happened once; a reload shows the plain page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.contacts import service as contacts_service
from app.models import Event, Participant
from tests.web.test_schedule_pages import scheduled_event


def said_once(web: TestClient, page: str, path: str, data: dict[str, str], said: str) -> None:
    """Send a form as a browser does, land on the page it leads to, then reload that page."""
    answer = web.post(path, data=data, follow_redirects=False)
    assert answer.status_code == 303, answer.text[:300]
    assert answer.headers["location"] == page
    assert said in web.get(page).text
    assert said not in web.get(page).text


def test_generate_a_change_and_a_pin_each_say_what_they_did_once(
    web: TestClient, db: Session
) -> None:
    event_id = scheduled_event(web, db)
    page = f"/organiser/events/{event_id}/schedule"
    ready = "The schedule is ready."

    said_once(web, page, f"{page}/generate", {}, ready)

    people = {p.external_id: p for p in db.exec(select(Participant)).all()}
    lieke, pieter, mette = people["n1"], people["n2"], people["d2"]
    event = db.get(Event, event_id)
    assert event is not None
    room = next(
        p for p in contacts_service.placements(db, event) if p.round == 1 and lieke.id in p.members
    )
    mate = next(m for m in room.members if m != lieke.id)
    # Lieke with Pieter, both Dutch, kept anyway.
    kept = {"round": "1", "a": mate, "b": pieter.id, "force": "yes"}
    said_once(web, page, f"{page}/change", kept, "Changed, although it breaks a rule")

    apart = {"a": lieke.id, "b": mette.id, "together": "no"}
    said_once(web, page, f"{page}/pins", apart, ready)
