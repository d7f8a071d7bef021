"""Scoring weights changed while the event is reopened: the stored plan was made for the old
ones, so going back to `scheduled` asks for a new schedule instead of keeping it silently."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.app.test_schedule import generate
from tests.factories import make_event, make_participants


def test_going_back_to_scheduled_after_new_weights_asks_for_a_new_schedule(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 8)
    url = f"/api/v1/events/{event.id}"
    generate(org_client, event.id)
    assert org_client.post(f"{url}/phase", json={"phase": "open"}).status_code == 200
    weights = org_client.get(url).json()["weights"]
    changed = org_client.patch(url, json={"weights": {**weights, "same_sector": 9}})
    assert changed.status_code == 200, changed.text
    back = org_client.post(f"{url}/phase", json={"phase": "scheduled"})
    assert back.status_code == 409, back.text
    assert back.json()["type"] == "invalid_transition"
    assert "the scoring weights changed since it was made" in back.json()["detail"]
    assert "generate the schedule again" in back.json()["detail"]
    assert org_client.get(url).json()["phase"] == "open"
    # A new schedule is made with the new weights and the event is scheduled again.
    generate(org_client, event.id)
    assert org_client.get(url).json()["phase"] == "scheduled"


def test_weights_set_back_as_they_were_keep_the_plan(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 8)
    url = f"/api/v1/events/{event.id}"
    generate(org_client, event.id)
    assert org_client.post(f"{url}/phase", json={"phase": "open"}).status_code == 200
    weights = org_client.get(url).json()["weights"]
    org_client.patch(url, json={"weights": {**weights, "same_sector": 9}})
    org_client.patch(url, json={"weights": weights})
    back = org_client.post(f"{url}/phase", json={"phase": "scheduled"})
    assert back.status_code == 200, back.text
