"""A start the clocks skip (02:30 when summer time begins) is refused by the API too, also when
a PATCH leaves the time zone out and the event's own zone applies."""

from fastapi.testclient import TestClient

NEW_EVENT = {
    "name": "Inclusive schools: find a partner",
    "starts_at": "2026-06-12T14:00:00",
    "timezone": "Europe/Amsterdam",
}
SKIPPED = "2026-03-29T02:30:00"  # Amsterdam goes from 02:00 to 03:00 that night


def test_the_api_refuses_a_start_the_clocks_skip(org_client: TestClient) -> None:
    refused = org_client.post("/api/v1/events", json={**NEW_EVENT, "starts_at": SKIPPED})
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json()["errors"]] == ["starts_at"]

    event = org_client.post("/api/v1/events", json=NEW_EVENT).json()
    moved = org_client.patch(f"/api/v1/events/{event['id']}", json={"starts_at": SKIPPED})
    assert moved.status_code == 422, moved.text
    assert "clocks go forward" in moved.json()["detail"]
    assert org_client.get(f"/api/v1/events/{event['id']}").json()["starts_at"] == event["starts_at"]
    # The hour after the jump is a real time.
    real = org_client.patch(f"/api/v1/events/{event['id']}", json={"starts_at": "2026-03-29T03:30"})
    assert real.status_code == 200, real.text
    assert real.json()["starts_at"].startswith("2026-03-29T01:30:00")
