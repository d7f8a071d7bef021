"""The organiser's participant page can remove a participant (before the event is live) or
erase their personal data (a GDPR request), each after a confirmation page, without a script."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event, EventPhase, Organiser, Participant
from tests.factories import make_event, make_participants
from tests.web.test_organiser_pages import sign_in


def _event(web: TestClient, db: Session, phase: EventPhase) -> tuple[Event, list[Participant]]:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event = make_event(db, organiser, phase=phase)
    return event, make_participants(db, event, 4)


def _row(db: Session, participant_id: str) -> Participant | None:
    db.expire_all()  # the page changed the row in its own session
    return db.exec(select(Participant).where(Participant.id == participant_id)).first()


def test_remove_asks_first_then_takes_the_participant_out(web: TestClient, db: Session) -> None:
    event, people = _event(web, db, EventPhase.OPEN)
    person = people[0]
    name, person_id = person.name, person.id
    base = f"/organiser/events/{event.id}/participants"
    edit = web.get(f"{base}/{person.id}")
    assert f'href="{base}/{person.id}/remove"' in edit.text
    confirm = web.get(f"{base}/{person.id}/remove")
    assert confirm.status_code == 200
    assert "taken out of the event" in confirm.text
    assert f'action="{base}/{person.id}/remove"' in confirm.text
    assert db.get(Participant, person.id) is not None  # nothing happens before the confirmation
    done = web.post(f"{base}/{person.id}/remove")
    assert done.status_code == 200
    assert "Participant removed." in done.text
    assert _row(db, person_id) is None
    assert name not in done.text


def test_remove_while_live_is_refused_on_the_page_in_its_language(
    web: TestClient, db: Session
) -> None:
    event, people = _event(web, db, EventPhase.LIVE)
    person = people[0]
    url = f"/organiser/events/{event.id}/participants/{person.id}/remove?lang=de"
    refused = web.post(url)
    assert refused.status_code == 409
    assert "Markieren Sie die Person als abwesend" in refused.text
    db.expire_all()
    assert db.get(Participant, person.id) is not None


def test_erase_asks_first_then_replaces_the_personal_data(web: TestClient, db: Session) -> None:
    event, people = _event(web, db, EventPhase.LIVE)  # erasure is allowed at any time
    person = people[0]
    name, email = person.name, person.email
    base = f"/organiser/events/{event.id}/participants"
    assert f'href="{base}/{person.id}/erase"' in web.get(f"{base}/{person.id}").text
    confirm = web.get(f"{base}/{person.id}/erase")
    assert "(erased)" in confirm.text
    db.expire_all()
    assert db.get(Participant, person.id).deleted is False  # type: ignore[union-attr]
    done = web.post(f"{base}/{person.id}/erase")
    assert done.status_code == 200
    assert "Personal data erased." in done.text
    assert name not in done.text
    db.expire_all()
    erased = db.get(Participant, person.id)
    assert erased is not None
    assert erased.deleted
    assert erased.email != email


def test_remove_and_erase_refuse_a_post_from_another_site(web: TestClient, db: Session) -> None:
    event, people = _event(web, db, EventPhase.OPEN)
    base = f"/organiser/events/{event.id}/participants/{people[0].id}"
    for action in ("remove", "erase"):
        answer = web.post(f"{base}/{action}", headers={"origin": "https://evil.example"})
        assert answer.status_code == 403
    db.expire_all()
    kept = db.get(Participant, people[0].id)
    assert kept is not None
    assert not kept.deleted
