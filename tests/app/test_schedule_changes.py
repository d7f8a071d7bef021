"""A stored plan after the event changed under it: people removed, settings changed on reopening."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.factories import make_event, make_participants


def generate(client: TestClient, event_id: str, **body: object) -> dict[str, object]:
    response = client.post(f"/api/v1/events/{event_id}/schedule", json={"time_limit_s": 1, **body})
    assert response.status_code == 201, response.text
    plan: dict[str, object] = response.json()
    return plan


def test_removing_a_pinned_participant_does_not_block_the_next_schedule(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2)
    people = make_participants(session, event, 8)
    a, b = people[1], people[2]
    pin = {"a": a.external_id, "b": b.external_id, "together": False}
    generate(org_client, event.id, pins=[pin])
    base = f"/api/v1/events/{event.id}"
    assert org_client.delete(f"{base}/participants/{a.id}").status_code == 204
    plan = generate(org_client, event.id)  # pins omitted: the current plan's pins are kept
    assert plan["pins"] == []
    warnings = plan["warnings"]
    assert isinstance(warnings, list)
    assert any(w.startswith("pin dropped:") and b.name in w for w in warnings)


def test_a_plan_that_no_longer_fits_the_settings_cannot_be_scheduled_again(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 8)
    generate(org_client, event.id)
    base = f"/api/v1/events/{event.id}"
    phase = f"{base}/phase"
    assert org_client.post(phase, json={"phase": "open"}).status_code == 200
    assert org_client.post(phase, json={"phase": "scheduled"}).status_code == 200  # unchanged
    assert org_client.post(phase, json={"phase": "open"}).status_code == 200
    assert org_client.patch(base, json={"rounds": 3, "room_size": 3}).status_code == 200
    refused = org_client.post(phase, json={"phase": "scheduled"})
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"] == "invalid_transition"
    assert "generate the schedule again" in refused.json()["detail"]
    assert "the plan has 2 rounds, the event 3" in refused.json()["detail"]
    assert "rooms hold 3 or 4" in refused.json()["detail"]
    assert org_client.get(base).json()["phase"] == "open"
    plan = generate(org_client, event.id)
    rounds = plan["rounds"]
    assert isinstance(rounds, list)
    assert len(rounds) == 3


def test_a_forced_edit_is_no_reason_to_refuse_scheduling_again(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 8)
    plan = generate(org_client, event.id)
    rounds = plan["rounds"]
    assert isinstance(rounds, list)
    first, second = rounds[0]["rooms"][0], rounds[0]["rooms"][1]
    mover = first["members"][0]["id"]
    body = {"round": 1, "participant": mover, "room": second["number"], "force": True}
    moved = org_client.post(f"/api/v1/events/{event.id}/schedule/move", json=body)
    assert moved.status_code == 200, moved.text
    assert moved.json()["warnings"]  # the forced rule break is kept on record
    phase = f"/api/v1/events/{event.id}/phase"
    assert org_client.post(phase, json={"phase": "open"}).status_code == 200
    assert org_client.post(phase, json={"phase": "scheduled"}).status_code == 200
