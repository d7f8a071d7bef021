"""Event settings changed in unusual but legal ways: nulls, far-off dates, fewer room names."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.app.test_schedule import generate
from tests.factories import make_event, make_participants

NEW_EVENT = {
    "name": "Inclusive schools: find a partner",
    "starts_at": "2026-06-12T14:00:00",
    "timezone": "Europe/Amsterdam",
}


def test_a_null_setting_in_an_update_leaves_it_as_it_is(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    created = org_client.post("/api/v1/events", json=NEW_EVENT).json()
    moved = org_client.patch(
        f"/api/v1/events/{created['id']}",
        json={"starts_at": "2026-06-12T15:00:00", "timezone": None},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["timezone"] == "Europe/Amsterdam"
    assert moved.json()["starts_at"].startswith("2026-06-12T13:00:00")  # 15:00 in Amsterdam
    scheduled = make_event(session, organiser, rounds=2)
    make_participants(session, scheduled, 8)
    generate(org_client, scheduled.id)
    renamed = org_client.patch(
        f"/api/v1/events/{scheduled.id}",
        json={"name": "Renamed", "rounds": None, "room_size": None, "weights": None},
    )
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["name"], renamed.json()["rounds"]) == ("Renamed", 2)


def test_a_start_outside_any_real_date_is_a_readable_422(org_client: TestClient) -> None:
    overflowing = {**NEW_EVENT, "starts_at": "9999-12-31T23:00:00-05:00"}
    refused = org_client.post("/api/v1/events", json=overflowing)
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["starts_at"]
    assert "years 2000 to 2100" in refused.json()["detail"]
    event = org_client.post("/api/v1/events", json=NEW_EVENT).json()
    typo = org_client.patch(f"/api/v1/events/{event['id']}", json={"starts_at": "9999-06-12T14:00"})
    assert typo.status_code == 422, typo.text
    assert org_client.get(f"/api/v1/events/{event['id']}").json()["starts_at"] == event["starts_at"]


def test_room_names_cannot_shrink_below_the_rooms_of_the_stored_schedule(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2, room_names=[f"Room {i}" for i in range(1, 6)])
    make_participants(session, event, 8)
    plan = generate(org_client, event.id)
    assert len(plan["rounds"][0]["rooms"]) == 4
    url = f"/api/v1/events/{event.id}"
    refused = org_client.patch(url, json={"room_names": ["Amsterdam"]})
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "room_names"
    assert "uses 4 rooms" in refused.json()["detail"]
    assert org_client.get(f"{url}/schedule").json() == plan
    cities = ["Amsterdam", "Aarhus", "Porto", "Graz"]
    assert org_client.patch(url, json={"room_names": cities}).status_code == 200
    after = org_client.get(f"{url}/schedule").json()
    assert {room["name"] for r in after["rounds"] for room in r["rooms"]} <= set(cities)
    assert all(room["name"] for r in after["rounds"] for room in r["rooms"])
