"""A registrant who names someone to meet by a name two registered people share is asked for
that person's e-mail address (the request used to go silently to whoever registered first);
everything typed stays in the form."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Participant
from tests.factories import make_event, make_organiser
from tests.web.test_email_invisible_characters import FORM, field_error

ENGLISH = {"Accept-Language": "en"}


def register(web: TestClient, url: str, **typed: str) -> None:
    answer = web.post(url, data={**FORM, **typed}, headers=ENGLISH, follow_redirects=False)
    assert answer.status_code == 303


def test_a_shared_name_asks_for_the_e_mail_and_an_e_mail_picks_the_person(
    web: TestClient, db: Session
) -> None:
    event = make_event(db, make_organiser(db))
    url = f"/register/{event.registration_slug}"
    register(web, url, name="Jan de Vries", email="jan@school-a.nl")
    register(web, url, name="Jan de Vries", email="jan@school-b.nl")
    register(web, url, name="Eva Peeters", email="eva@school.be")

    typed = {
        **FORM,
        "name": "Lotte Maes",
        "email": "lotte@school.be",
        "school": "Basisschool De Linde",
        "requests": "jan de vries, Eva Peeters",
    }
    page = web.post(url, data=typed, headers=ENGLISH)
    assert page.status_code == 422
    assert field_error(page.text, "requests") == (
        "More than one person registered with the name jan de vries. Enter the e-mail "
        "address of the person you mean instead."
    )
    assert db.exec(select(Participant).where(Participant.name == "Lotte Maes")).first() is None
    # Nothing typed is lost.
    assert 'value="Lotte Maes"' in page.text
    assert 'value="lotte@school.be"' in page.text
    assert 'value="Basisschool De Linde"' in page.text
    assert 'value="jan de vries, Eva Peeters"' in page.text

    register(web, url, **{**typed, "requests": "JAN@school-b.nl, Eva Peeters"})
    people = {p.email: p for p in db.exec(select(Participant)).all()}
    wanted = people["lotte@school.be"].requests
    assert wanted == [people["jan@school-b.nl"].external_id, people["eva@school.be"].external_id]
