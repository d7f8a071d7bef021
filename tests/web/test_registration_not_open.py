"""A registration link opened before the organiser opens registration says so, instead of
saying that registration is closed (the teacher would think they came too late)."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import EventPhase
from tests.factories import make_event, make_organiser


def test_a_draft_event_says_registration_has_not_opened_and_a_scheduled_one_that_it_closed(
    web: TestClient, db: Session
) -> None:
    event = make_event(db, make_organiser(db), phase=EventPhase.DRAFT)
    url = f"/register/{event.registration_slug}"
    page = html.unescape(web.get(url).text)
    assert "has not opened yet" in page
    assert "is closed" not in page
    assert 'name="email"' not in page  # no form to fill in yet

    event.phase = EventPhase.SCHEDULED
    db.add(event)
    db.commit()
    page = html.unescape(web.get(url).text)
    assert "Registration for this event is closed." in page
    assert "has not opened yet" not in page
