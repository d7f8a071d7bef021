"""An organiser reading Dutch or German gets the services' refusals in that language, values
filled in, while the JSON API's `detail` stays the English text clients match on."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event, EventPhase, Participant
from tests.factories import PASSWORD
from tests.web.conftest import seat_event
from tests.web.test_schedule_pages import scheduled_event


def said(page_text: str) -> str:
    return html.unescape(page_text)


def test_a_second_round_start_is_refused_in_the_organisers_language(
    web: TestClient, db: Session
) -> None:
    seated = seat_event(db, present=True)
    signed_in = web.post(
        "/organiser/sign-in",
        data={"email": seated.organiser.email, "password": PASSWORD, "next": "/organiser"},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    start = f"/api/v1/events/{seated.event.id}/live/start-round"
    assert web.post(start).status_code == 200
    web.cookies.set("sm_lang", "nl")  # as the language picker leaves it
    again = web.post(start)
    assert again.status_code == 409
    body = again.json()
    # The live page shows `message`; API clients keep matching the English `detail`.
    assert body["message"] == "Ronde 1 loopt nog; beëindig die eerst."
    assert body["detail"] == "Round 1 is still running; end it first."
    web.cookies.delete("sm_lang")
    english = web.post(start).json()
    assert english == {"type": "invalid_transition", "detail": body["detail"]}


def test_a_schedule_change_refused_by_the_service_is_in_dutch(web: TestClient, db: Session) -> None:
    event_id = scheduled_event(web, db)
    web.post(f"/organiser/events/{event_id}/schedule/generate")
    lieke = db.exec(select(Participant).where(Participant.external_id == "n1")).one()
    web.cookies.set("sm_lang", "nl")
    url = f"/organiser/events/{event_id}/schedule/change"
    no_room = web.post(url, data={"round": "2", "a": lieke.id, "room": "7"})
    assert no_room.status_code == 404
    assert "Ronde 2 heeft geen kamer 7." in said(no_room.text)
    event = db.get(Event, event_id)
    assert event is not None
    event.phase = EventPhase.FINISHED  # e.g. a colleague finished it in another tab
    db.add(event)
    db.commit()
    late = web.post(url, data={"round": "2", "a": lieke.id, "room": "1"})
    assert late.status_code == 409
    assert "Het evenement is afgelopen; het schema kan niet meer veranderen." in said(late.text)


def test_a_refused_pin_says_why_in_german(web: TestClient, db: Session) -> None:
    event_id = scheduled_event(web, db)
    web.post(f"/organiser/events/{event_id}/schedule/generate")
    people = {p.external_id: p for p in db.exec(select(Participant)).all()}
    # Two Dutch participants pinned together: the policy never seats compatriots together.
    page = web.post(
        f"/organiser/events/{event_id}/schedule/pins?lang=de",
        data={"a": people["n1"].id, "b": people["n2"].id, "together": "yes"},
    )
    assert page.status_code == 422
    assert 'id="schedule-error"' in page.text
    assert "Kein Plan ist möglich: " in said(page.text)
    assert "No schedule is possible" not in said(page.text)


def test_an_import_refusal_counts_the_problems_in_german(web: TestClient, db: Session) -> None:
    event_id = scheduled_event(web, db)
    bad = "id,name,email\nx1,,not-an-address\n"
    page = web.post(
        f"/organiser/events/{event_id}/participants/import?lang=de",
        files={"file": ("p.csv", bad.encode(), "text/csv")},
    )
    assert page.status_code == 422
    text = said(page.text)
    assert "Problem(e) in der Datei; nichts wurde importiert." in text
    assert "problem(s) in the file" not in text


def test_an_unknown_event_is_told_in_dutch_and_the_api_detail_stays_english(
    web: TestClient, db: Session
) -> None:
    seated = seat_event(db)
    web.post(
        "/organiser/sign-in",
        data={"email": seated.organiser.email, "password": PASSWORD, "next": "/organiser"},
    )
    web.cookies.set("sm_lang", "nl")
    page = web.get("/organiser/events/nope/schedule")
    assert page.status_code == 404
    assert "Dit evenement bestaat niet." in said(page.text)
    api = web.get("/api/v1/events/nope")
    assert api.status_code == 404
    assert api.json()["detail"] == "Event 'nope' does not exist."
    assert api.json()["message"] == "Evenement 'nope' bestaat niet."
