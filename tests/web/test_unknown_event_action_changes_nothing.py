"""The phase and contact-exchange buttons post an action; one the page never offers (a stale
form, a hand-made request) is refused by name and changes nothing, on both routes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Event, EventPhase
from tests.web.test_finish_event_confirmation import running_event


@pytest.mark.parametrize("route", ["phase", "contact-exchange"])
def test_an_unknown_action_is_refused_and_changes_nothing(
    web: TestClient, db: Session, route: str
) -> None:
    seated = running_event(web, db)
    event_id = seated.event.id
    answer = web.post(
        f"/organiser/events/{event_id}/{route}",
        data={"to": "archived", "confirm": "yes"},
        follow_redirects=False,
    )
    assert answer.status_code == 400
    assert "Unknown action &#39;archived&#39;." in answer.text
    db.expire_all()
    event = db.get(Event, event_id)
    assert event is not None
    assert (event.phase, event.export_closed) == (EventPhase.LIVE, False)
