"""The weights a plan was made with are stored with the plan, not read from the audit log: after
an audit purge, going back to `scheduled` with changed weights is still refused, also when the
plan in force is an edit or a removal's re-plan of the generated one."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.app.conftest import PurgeAudit
from tests.app.test_remove_while_scheduled import swap_within_the_rules
from tests.app.test_schedule import generate
from tests.factories import make_event, make_participants


def test_new_weights_still_ask_for_a_new_schedule_after_an_audit_purge(
    org_client: TestClient, session: Session, organiser: Organiser, purge_audit: PurgeAudit
) -> None:
    event = make_event(session, organiser, rounds=3)
    make_participants(session, event, 12)
    url = f"/api/v1/events/{event.id}"
    schedule = generate(org_client, event.id)
    swap_within_the_rules(org_client, url, schedule)  # a new plan version: an edit
    people = [m["id"] for room in schedule["rounds"][0]["rooms"] for m in room["members"]]
    assert org_client.delete(f"{url}/participants/{people[-1]}").status_code == 204  # a re-plan
    assert org_client.get(f"{url}/schedule").json()["version"] == schedule["version"] + 2
    assert org_client.post(f"{url}/phase", json={"phase": "open"}).status_code == 200
    weights = org_client.get(url).json()["weights"]
    changed = org_client.patch(url, json={"weights": {**weights, "same_sector": 9}})
    assert changed.status_code == 200, changed.text
    purge_audit(event.id)

    back = org_client.post(f"{url}/phase", json={"phase": "scheduled"})

    assert back.status_code == 409, back.text
    assert "the scoring weights changed since it was made" in back.json()["detail"]
    # As they were: the plan fits again.
    assert org_client.patch(url, json={"weights": weights}).status_code == 200
    assert org_client.post(f"{url}/phase", json={"phase": "scheduled"}).status_code == 200
