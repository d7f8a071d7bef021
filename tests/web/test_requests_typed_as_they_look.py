"""A name typed in "Whom you hope to meet" that looks like a registered one finds that person:
accents typed as letter plus combining mark (as some phones and keyboards send them), a double
space, other capitals."""

from __future__ import annotations

import unicodedata

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Participant
from app.web.requests_field import resolve_requests
from tests.factories import make_event, make_organiser
from tests.web.test_email_invisible_characters import FORM, field_error

MARIA = "Maria João Gonçalves"  # as stored: composed accents (NFC)
TYPED = unicodedata.normalize("NFD", "Maria  joão Gonçalves")  # decomposed, a double space


def person(external_id: str, name: str, email: str, event_id: str = "e") -> Participant:
    return Participant(
        event_id=event_id,
        external_id=external_id,
        name=name,
        email=email,
        school="Escola Y",
        country="PT",
        sector="primary",
        languages=["pt", "en"],
    )


def test_a_name_that_looks_the_same_is_the_same_person() -> None:
    assert TYPED != MARIA
    people = [person("m1", MARIA, "maria@escola.pt"), person("z1", "Zoë Ångström", "zoe@x.se")]
    found = resolve_requests(people, [TYPED, unicodedata.normalize("NFD", " ZOË\tångström ")])
    assert found.found == ["m1", "z1"]
    assert found.missing == []
    # An address typed with decomposed letters too.
    typed_email = unicodedata.normalize("NFD", "ZOË@X.SE")
    assert resolve_requests([person("z1", "Zoe", "zoë@x.se")], [typed_email]).found == ["z1"]


def test_two_people_whose_names_look_the_same_are_still_asked_about() -> None:
    people = [person("m1", MARIA, "a@escola.pt"), person("m2", MARIA.replace(" ", "  "), "b@x.pt")]
    found = resolve_requests(people, [TYPED])
    assert found.found == []
    assert found.ambiguous == [TYPED]


def test_registering_with_a_decomposed_name_requests_that_person(
    web: TestClient, db: Session
) -> None:
    event = make_event(db, make_organiser(db))
    db.add(person("m1", MARIA, "maria@escola.pt", event.id))
    db.commit()
    answer = web.post(
        f"/register/{event.registration_slug}",
        data={**FORM, "email": "ana@escola.pt", "requests": TYPED},
    )
    assert field_error(answer.text, "requests") is None
    assert "Not registered (yet)" not in answer.text
    assert answer.status_code == 200
    ana = db.exec(select(Participant).where(Participant.email == "ana@escola.pt")).one()
    assert ana.requests == ["m1"]
