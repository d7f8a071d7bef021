"""Events API: CRUD, ownership, and the lifecycle state machine."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.factories import make_api_token, make_organiser

NEW_EVENT = {
    "name": "Inclusive schools: find a partner",
    "starts_at": "2026-06-12T14:00:00",
    "timezone": "Europe/Amsterdam",
    "room_link_template": "https://meet.jit.si/sm-{event}-r{round}-{room}",
    "ui_languages": ["en", "nl"],
}


def create(client: TestClient, **overrides: object) -> dict[str, Any]:
    response = client.post("/api/v1/events", json={**NEW_EVENT, **overrides})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_create_event_reads_local_time_in_the_event_zone(org_client: TestClient) -> None:
    event = create(org_client)
    assert event["phase"] == "draft"
    assert event["rounds"] == 4
    # 14:00 in Amsterdam in June is 12:00 UTC.
    assert event["starts_at"].startswith("2026-06-12T12:00:00")
    assert org_client.get(f"/api/v1/events/{event['id']}").json()["name"] == NEW_EVENT["name"]
    assert [e["id"] for e in org_client.get("/api/v1/events").json()] == [event["id"]]


def test_invalid_event_fields_are_named_in_a_422(org_client: TestClient) -> None:
    response = org_client.post(
        "/api/v1/events",
        json={
            **NEW_EVENT,
            "timezone": "Mars/Olympus",
            "room_size": 9,
            "room_link_template": "https://x/{nope}",
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "invalid_input"
    fields = {e["field"] for e in body["errors"]}
    assert {"timezone", "room_size", "room_link_template"} <= fields


def test_lifecycle_follows_the_state_machine(org_client: TestClient) -> None:
    event_id = create(org_client)["id"]
    url = f"/api/v1/events/{event_id}/phase"
    assert org_client.post(url, json={"phase": "open"}).json()["phase"] == "open"
    live = org_client.post(url, json={"phase": "live"})
    assert live.status_code == 409
    assert live.json()["type"] == "invalid_transition"
    assert "open to live" in live.json()["detail"]
    scheduled = org_client.post(url, json={"phase": "scheduled"})
    assert scheduled.status_code == 409
    assert "Generate the schedule first" in scheduled.json()["detail"]
    assert org_client.post(url, json={"phase": "draft"}).json()["phase"] == "draft"
    unknown = org_client.post(url, json={"phase": "paused"})
    assert unknown.status_code == 422


def test_organisers_only_see_their_own_events(org_client: TestClient, session: Session) -> None:
    event_id = create(org_client)["id"]
    other = make_organiser(session, email="other@agency.example")
    org_client.headers["Authorization"] = f"Bearer {make_api_token(session, other)}"
    assert org_client.get(f"/api/v1/events/{event_id}").status_code == 404
    assert org_client.patch(f"/api/v1/events/{event_id}", json={"name": "x"}).status_code == 404
    assert org_client.get("/api/v1/events").json() == []


def test_unauthenticated_requests_are_refused(client: TestClient) -> None:
    response = client.get("/api/v1/events")
    assert response.status_code == 401
    assert response.json()["type"] == "unauthorized"
    bad = client.get("/api/v1/events", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_update_and_delete_event_are_audited(org_client: TestClient) -> None:
    event_id = create(org_client)["id"]
    patched = org_client.patch(f"/api/v1/events/{event_id}", json={"rounds": 5, "room_size": 3})
    assert patched.status_code == 200
    assert (patched.json()["rounds"], patched.json()["room_size"]) == (5, 3)
    actions = [e["action"] for e in org_client.get(f"/api/v1/events/{event_id}/audit").json()]
    assert actions[:2] == ["event.update", "event.create"]
    assert org_client.delete(f"/api/v1/events/{event_id}").status_code == 204
    assert org_client.get(f"/api/v1/events/{event_id}").status_code == 404


def test_malformed_json_and_wrong_types_get_422_not_500(
    org_client: TestClient, organiser: Organiser
) -> None:
    broken = org_client.post(
        "/api/v1/events", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422
    assert broken.json()["type"] == "invalid_input"
    wrong = org_client.post("/api/v1/events", json={**NEW_EVENT, "rounds": "many"})
    assert wrong.status_code == 422
    assert any(e["field"] == "rounds" for e in wrong.json()["errors"])
    assert org_client.get("/api/v1/events/does-not-exist").status_code == 404
