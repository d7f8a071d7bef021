"""API input the database cannot hold or the policy forbids: a clear 422, nothing stored."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.factories import make_event, make_participants

# A valid participant for POST .../participants; tests change one field to probe a rule.
NEW_PARTICIPANT = {
    "name": "Bo",
    "email": "bo@school.example",
    "school": "School",
    "country": "BE",
    "sector": "primary",
    "languages": ["nl"],
}


def test_a_nul_character_in_a_participant_or_event_is_a_422_naming_the_field(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    person = make_participants(session, event, 2)[0]
    base = f"/api/v1/events/{event.id}"
    edited = org_client.patch(f"{base}/participants/{person.id}", json={"name": "Ana\x00"})
    assert edited.status_code == 422, edited.text
    assert [e["field"] for e in edited.json()["errors"]] == ["name"]
    added = org_client.post(
        f"{base}/participants", json={**NEW_PARTICIPANT, "interests": ["stem\x00"]}
    )
    assert added.status_code == 422, added.text
    assert [e["field"] for e in added.json()["errors"]] == ["interests"]
    renamed = org_client.patch(base, json={"name": "Day\x00"})
    assert renamed.status_code == 422, renamed.text
    assert org_client.get(base).json()["name"] == event.name
    assert org_client.get(f"{base}/participants/{person.id}").json()["name"] == person.name


def test_a_participant_cannot_request_or_avoid_themself(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    person, other = make_participants(session, event, 2)
    url = f"/api/v1/events/{event.id}/participants/{person.id}"
    for field in ("requests", "avoid"):
        response = org_client.patch(url, json={field: [other.external_id, person.external_id]})
        assert response.status_code == 422, response.text
        assert response.json()["errors"] == [
            {"field": field, "message": "lists the participant themself"}
        ]
    assert org_client.get(url).json()["requests"] == person.requests


def test_a_request_differing_from_an_id_only_in_case_is_a_422_suggesting_that_id(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    person, other = make_participants(session, event, 2)
    assert other.external_id is not None
    assert other.external_id != other.external_id.upper()
    url = f"/api/v1/events/{event.id}/participants/{person.id}"
    typed = other.external_id.upper()
    response = org_client.patch(url, json={"requests": [typed, "nobody"]})
    assert response.status_code == 422, response.text
    assert response.json()["errors"] == [
        {
            "field": "requests",
            "message": f"unknown participant id {typed!r} (ids are case-sensitive: "
            f"did you mean {other.external_id!r}?)",
        },
        {"field": "requests", "message": "unknown participant id 'nobody'"},
    ]
    assert org_client.get(url).json()["requests"] == person.requests


def test_an_id_or_email_already_used_in_the_event_is_a_409_naming_it(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    person, other = make_participants(session, event, 2)
    base = f"/api/v1/events/{event.id}/participants"
    taken_id = org_client.post(base, json={**NEW_PARTICIPANT, "external_id": other.external_id})
    assert taken_id.status_code == 409, taken_id.text
    assert repr(other.external_id) in taken_id.json()["detail"]
    assert len(org_client.get(base).json()) == 2
    url = f"{base}/{person.id}"
    taken_email = org_client.patch(url, json={"email": other.email})
    assert taken_email.status_code == 409, taken_email.text
    assert f"{other.email} is already registered" in taken_email.json()["detail"]
    assert org_client.get(url).json()["email"] == person.email


def test_an_id_with_a_semicolon_is_refused_as_the_csv_import_refuses_it(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    answer = org_client.post(
        f"/api/v1/events/{event.id}/participants", json={**NEW_PARTICIPANT, "external_id": "a;b"}
    )
    assert answer.status_code == 422
    assert "';'" in answer.json()["detail"]
