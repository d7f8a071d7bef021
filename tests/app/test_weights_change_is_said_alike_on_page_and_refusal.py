"""The schedule page warns that the scoring weights changed since the plan was made in the very
words the refusal to go back to `scheduled` uses (one sentence, app.schedule.plan_weights)."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from app.schedule import plan_weights
from tests.app.test_schedule import generate
from tests.factories import PASSWORD, make_event, make_participants


def test_the_page_and_the_refusal_name_the_weights_change_alike(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 8)
    url = f"/api/v1/events/{event.id}"
    generate(org_client, event.id)
    assert org_client.post(f"{url}/phase", json={"phase": "open"}).status_code == 200
    weights = org_client.get(url).json()["weights"]
    assert org_client.patch(url, json={"weights": {**weights, "same_sector": 9}}).is_success

    refused = org_client.post(f"{url}/phase", json={"phase": "scheduled"})
    form = {"email": organiser.email, "password": PASSWORD}
    assert org_client.post("/organiser/sign-in", data=form, follow_redirects=False).is_redirect
    page = org_client.get(f"/organiser/events/{event.id}/schedule")

    assert refused.status_code == 409
    assert plan_weights.CHANGED in refused.json()["detail"]
    assert plan_weights.CHANGED in page.text
