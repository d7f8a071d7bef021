""" "Finish the event" asks first, saying what finishing does, and says afterwards that it did:
it used to end the running round at once, with only ?phase=finished to show for it."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event, EventPhase, Round, RoundStatus, utcnow
from tests.factories import PASSWORD
from tests.web.conftest import Seated, seat_event


def running_event(web: TestClient, db: Session) -> Seated:
    seated = seat_event(db, started_rounds=1)
    first = db.exec(select(Round).where(Round.event_id == seated.event.id)).first()
    assert first is not None
    first.status = RoundStatus.RUNNING
    first.starts_at = utcnow()
    first.ends_at = first.starts_at + timedelta(minutes=5)
    db.add(first)
    db.commit()
    answer = web.post(
        "/organiser/sign-in",
        data={"email": seated.organiser.email, "password": PASSWORD, "next": "/organiser"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return seated


def phase(db: Session, event_id: str) -> EventPhase:
    db.expire_all()
    event = db.get(Event, event_id)
    assert event is not None
    return event.phase


def test_the_finish_button_asks_first_and_says_what_finishing_does(
    web: TestClient, db: Session
) -> None:
    seated = running_event(web, db)
    event_id = seated.event.id
    page = web.get(f"/organiser/events/{event_id}").text
    # The button only opens the confirmation (a GET form: it works without JavaScript).
    assert f'<form method="get" action="/organiser/events/{event_id}/finish">' in page

    confirm = web.get(f"/organiser/events/{event_id}/finish")
    assert confirm.status_code == 200
    text = html.unescape(re.sub(r"\s+", " ", confirm.text))
    assert "Finish the event?" in text
    assert "ends the round that is running now" in text
    assert "contact exchange open" in text
    assert phase(db, event_id) == EventPhase.LIVE  # looking at the question changes nothing

    done = web.post(
        f"/organiser/events/{event_id}/phase",
        data={"to": "finished", "confirm": "yes"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert phase(db, event_id) == EventPhase.FINISHED
    after = web.get(done.headers["location"])
    notice = re.search(r'id="finished-notice">([^<]+)<', html.unescape(after.text))
    assert notice is not None
    assert "The event is finished" in notice.group(1)


def test_finishing_without_the_confirmation_only_asks(web: TestClient, db: Session) -> None:
    seated = running_event(web, db)
    event_id = seated.event.id
    answer = web.post(
        f"/organiser/events/{event_id}/phase", data={"to": "finished"}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/organiser/events/{event_id}/finish"
    assert phase(db, event_id) == EventPhase.LIVE


def test_the_confirmation_of_a_finished_event_goes_back_to_its_page(
    web: TestClient, db: Session
) -> None:
    seated = running_event(web, db)
    event_id = seated.event.id
    web.post(f"/organiser/events/{event_id}/phase", data={"to": "finished", "confirm": "yes"})
    again = web.get(f"/organiser/events/{event_id}/finish", follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"] == f"/organiser/events/{event_id}"
