"""Participant management used in unusual but legal ways: later imports, removals, erasures."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from app import audit
from app.models import AuditLog, Event, Organiser
from tests.app.test_participants import HEADER, import_csv
from tests.factories import make_event


def person(key: str, **fields: Any) -> dict[str, Any]:
    """A valid body for POST .../participants."""
    return {
        "name": f"Teacher {key}",
        "email": f"{key}@school.example",
        "school": f"School {key}",
        "country": "NL",
        "sector": "primary",
        "languages": ["en"],
        **fields,
    }


def add(client: TestClient, event: Event, key: str, **fields: Any) -> dict[str, Any]:
    response = client.post(f"/api/v1/events/{event.id}/participants", json=person(key, **fields))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_second_csv_may_request_and_avoid_people_already_in_the_event(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    add(org_client, event, "lieke", external_id="nl1")
    add(org_client, event, "jan", external_id="nl2")
    later = "\n".join(
        [
            HEADER + ",role,phone",
            'dk1,Søren,soren@skole.dk,Skole,DK,primary,da;en,,,nl1;pt1,"nl2\n",Head,+45 2222',
            "pt1,Ana,ana@escola.pt,Escola,PT,primary,pt,,,,,,+351 1111",
        ]
    )
    response = import_csv(org_client, event.id, later.encode())
    assert response.status_code == 201, response.text
    listed = {
        p["external_id"]: p
        for p in org_client.get(f"/api/v1/events/{event.id}/participants").json()
    }
    soren = listed["dk1"]
    assert (soren["requests"], soren["avoid"]) == (["nl1", "pt1"], ["nl2"])
    assert (soren["phone"], listed["pt1"]["phone"]) == ("+45 2222", "+351 1111")
    # An id that is neither in the file nor in the event is still refused.
    typo = "\n".join([HEADER, "be1,Els,els@school.be,School,BE,primary,nl,,,nl9,"])
    refused = import_csv(org_client, event.id, typo.encode())
    assert refused.status_code == 422
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(2, "requests")]


def test_a_participant_switching_off_sharing_with_null_keeps_their_page_working(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    add(org_client, event, "ana", share_fields=["email", "phone"])
    token = org_client.post(f"/api/v1/events/{event.id}/links").json()[0]["token"]
    changed = org_client.patch("/api/v1/me", params={"token": token}, json={"share_fields": None})
    assert changed.status_code == 200, changed.text
    page = org_client.get("/api/v1/me", params={"token": token})
    assert page.status_code == 200, page.text
    assert page.json()["participant"]["share_fields"] == ["email", "phone"]


def test_someone_added_after_a_removal_does_not_inherit_the_removed_persons_avoid(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    base = f"/api/v1/events/{event.id}/participants"
    first = add(org_client, event, "a")
    add(org_client, event, "b")
    gone = add(org_client, event, "c")
    edited = org_client.patch(f"{base}/{first['id']}", json={"avoid": [gone["external_id"]]})
    assert edited.status_code == 200, edited.text
    assert org_client.delete(f"{base}/{gone['id']}").status_code == 204
    newcomer = add(org_client, event, "d")
    avoided = org_client.get(f"{base}/{first['id']}").json()["avoid"]
    assert newcomer["external_id"] not in avoided
    assert avoided == []


def test_someone_imported_with_an_erased_persons_id_does_not_inherit_their_requests(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    base = f"/api/v1/events/{event.id}/participants"
    gone = add(org_client, event, "b", external_id="be1")
    keen = add(org_client, event, "a", external_id="nl1", requests=["be1"])
    assert org_client.post(f"{base}/{gone['id']}/erase").status_code == 204
    assert org_client.get(f"{base}/{keen['id']}").json()["requests"] == []
    # The id is free again; whoever gets it next is a stranger to nl1.
    again = "\n".join([HEADER, "be1,Bram,bram@school.be,School,BE,primary,nl,,,,"])
    assert import_csv(org_client, event.id, again.encode()).status_code == 201
    assert org_client.get(f"{base}/{keen['id']}").json()["requests"] == []


def twice_at_once(
    send: Callable[[Any], Response], bodies: list[Any], monkeypatch: pytest.MonkeyPatch
) -> list[Response]:
    """Both requests pass the uniqueness checks before either stores its participants."""
    both_checked = threading.Barrier(2, timeout=30)
    waited = threading.local()
    record = audit.record

    def record_after_both_checked(*args: Any, **kwargs: Any) -> AuditLog:
        if not getattr(waited, "once", False):  # a retry in the same request goes straight on
            waited.once = True
            both_checked.wait()
        return record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", record_after_both_checked)
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(send, bodies))
    monkeypatch.setattr(audit, "record", record)
    return answers


def add_twice_at_once(
    client: TestClient, event: Event, bodies: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> list[Response]:
    url = f"/api/v1/events/{event.id}/participants"
    return twice_at_once(lambda body: client.post(url, json=body), bodies, monkeypatch)


def test_two_teachers_added_at_the_same_moment_both_get_their_own_id(
    org_client: TestClient, session: Session, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event(session, organiser)
    answers = add_twice_at_once(org_client, event, [person("a"), person("b")], monkeypatch)
    assert [r.status_code for r in answers] == [201, 201], [r.text for r in answers]
    listed = org_client.get(f"/api/v1/events/{event.id}/participants").json()
    assert sorted(p["email"] for p in listed) == ["a@school.example", "b@school.example"]
    assert len({p["external_id"] for p in listed}) == 2


def test_a_double_submitted_participant_is_stored_once_and_the_second_is_a_409(
    org_client: TestClient, session: Session, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event(session, organiser)
    answers = add_twice_at_once(org_client, event, [person("a"), person("a")], monkeypatch)
    assert sorted(r.status_code for r in answers) == [201, 409], [r.text for r in answers]
    refused = next(r for r in answers if r.status_code == 409)
    assert "a@school.example is already registered" in refused.json()["detail"]
    listed = org_client.get(f"/api/v1/events/{event.id}/participants").json()
    assert [p["email"] for p in listed] == ["a@school.example"]


def test_a_csv_uploaded_twice_at_once_is_imported_once_and_the_second_names_the_clashes(
    org_client: TestClient, session: Session, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event(session, organiser)
    data = "\n".join([HEADER, "nl1,Lieke,lieke@school.nl,School,NL,primary,nl,,,,"]).encode()
    answers = twice_at_once(
        lambda body: import_csv(org_client, event.id, body), [data, data], monkeypatch
    )
    assert sorted(r.status_code for r in answers) == [201, 422], [r.text for r in answers]
    refused = next(r for r in answers if r.status_code == 422)
    assert {(e["row"], e["field"]) for e in refused.json()["errors"]} == {(2, "email"), (2, "id")}
    listed = org_client.get(f"/api/v1/events/{event.id}/participants").json()
    assert [p["external_id"] for p in listed] == ["nl1"]


def test_a_role_written_over_two_lines_stays_with_its_own_row_and_the_rows_after(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    """Excel writes a cell with Alt+Enter as a quoted value over two lines."""
    event = make_event(session, organiser)
    data = "\n".join(
        [
            HEADER + ",role,phone",
            'nl1,Lieke,lieke@school.nl,School,NL,primary,nl,,,,,"Teacher\nEnglish lead",+31 6 1111',
            "dk1,Søren,soren@skole.dk,Skole,DK,primary,da,,,,,Head,+45 2222",
            "de1,Jürgen,juergen@schule.de,Schule,DE,primary,de,,,,,,+49 3333",
            "pt1,Ana,ana@escola.pt,Escola,XX,primary,pt,,,,,,",
        ]
    )
    refused = import_csv(org_client, event.id, data.encode())
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(6, "country")]
    response = import_csv(org_client, event.id, data.replace(",XX,", ",PT,").encode())
    assert response.status_code == 201, response.text
    listed = org_client.get(f"/api/v1/events/{event.id}/participants").json()
    got = {p["external_id"]: (p["role"], p["phone"]) for p in listed}
    assert got == {
        "nl1": ("Teacher\nEnglish lead", "+31 6 1111"),
        "dk1": ("Head", "+45 2222"),
        "de1": (None, "+49 3333"),
        "pt1": (None, None),
    }
