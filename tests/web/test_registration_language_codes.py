"""Language codes typed with spaces or slashes ("nl en", "PT/EN") are read as separate codes,
on the registration page and on the organiser's add form."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Organiser, Participant
from tests.factories import make_event, make_organiser
from tests.web.test_email_invisible_characters import FORM
from tests.web.test_organiser_pages import sign_in


def test_registration_reads_codes_separated_by_spaces_or_slashes(
    web: TestClient, db: Session
) -> None:
    event = make_event(db, make_organiser(db))
    url = f"/register/{event.registration_slug}"
    typed = {**FORM, "email": "ana@escola.pt", "languages": "PT/EN  nl"}
    answer = web.post(url, data=typed, follow_redirects=False)
    assert answer.status_code == 303
    assert db.exec(select(Participant)).one().languages == ["en", "nl", "pt"]


def test_the_organiser_add_form_reads_them_too(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    event = make_event(db, db.exec(select(Organiser)).one())
    url = f"/organiser/events/{event.id}/participants"
    typed = {**FORM, "email": "bo@skole.dk", "languages": "da en", "interests": "stem, art"}
    answer = web.post(url, data=typed, follow_redirects=False)
    assert answer.status_code == 303
    person = db.exec(select(Participant)).one()
    assert person.languages == ["da", "en"]
    assert person.interests == ["art", "stem"]  # themes keep their own spaces and commas
