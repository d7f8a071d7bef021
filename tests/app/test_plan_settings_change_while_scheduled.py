"""Settings that shape the plan change while the event is scheduled: they are saved, the stored
plan stays, and going live waits until the schedule is generated again. While live they are
refused in words an organiser knows, not field codes."""

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.db import session_scope
from app.live import prepared
from app.models import Organiser
from tests.app.test_remove_while_scheduled import swap_within_the_rules
from tests.app.test_schedule import generate
from tests.factories import make_event, make_participants

CODES = ("max_per_country", "room_size", "distinct_countries", "phase '", "%(")


def _scheduled(client: TestClient, session: Session, organiser: Organiser, **fields: Any) -> str:
    event = make_event(session, organiser, rounds=2, **fields)
    make_participants(session, event, 12)
    generate(client, event.id)
    url = f"/api/v1/events/{event.id}"
    assert client.get(url).json()["phase"] == "scheduled"
    return url


def _go_live(client: TestClient, url: str) -> dict[str, str]:
    response = client.post(f"{url}/phase", json={"phase": "live"})
    body: dict[str, str] = response.json()
    body["status"] = str(response.status_code)
    return body


def test_a_looser_country_rule_is_saved_and_going_live_waits_for_a_new_schedule(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    # The planner's advice: rooms of 4 with one person per country force sit-outs, at most 2
    # per country would seat everyone. A looser rule breaks nothing in the stored plan.
    url = _scheduled(org_client, session, organiser, room_size=4)
    saved = org_client.patch(url, json={"max_per_country": 2})
    assert saved.status_code == 200, saved.text
    assert saved.json()["max_per_country"] == 2
    assert saved.json()["phase"] == "scheduled"
    schedule = org_client.get(f"{url}/schedule")
    assert schedule.status_code == 200  # the plan stays
    assert "the event's settings changed since it was made" in schedule.json()["warnings"]
    refused = _go_live(org_client, url)
    assert refused["status"] == "409", refused
    assert refused["type"] == "invalid_transition"
    assert "the event's settings changed since it was made" in refused["detail"]
    assert "generate the schedule again" in refused["detail"]
    assert org_client.get(url).json()["phase"] == "scheduled"
    plan = generate(org_client, url.rsplit("/", 1)[1])
    assert "the event's settings changed since it was made" not in plan["warnings"]
    assert _go_live(org_client, url)["status"] == "200"


def test_a_swap_after_the_change_still_leaves_the_plan_to_generate_again(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=3)
    make_participants(session, event, 12)
    url = f"/api/v1/events/{event.id}"
    schedule = generate(org_client, event.id)
    assert org_client.patch(url, json={"max_per_country": 2}).status_code == 200
    swap_within_the_rules(org_client, url, schedule)  # a new plan version, still the old rule's
    refused = _go_live(org_client, url)
    assert refused["status"] == "409", refused
    assert "the event's settings changed since it was made" in refused["detail"]


def test_a_new_room_size_is_saved_and_going_live_waits_for_a_new_schedule(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    url = _scheduled(org_client, session, organiser)
    saved = org_client.patch(url, json={"room_size": 3})
    assert saved.status_code == 200, saved.text
    assert saved.json()["room_size"] == 3
    refused = _go_live(org_client, url)
    assert refused["status"] == "409", refused
    assert "rooms hold 3 or 4" in refused["detail"]
    generate(org_client, url.rsplit("/", 1)[1])
    assert _go_live(org_client, url)["status"] == "200"


def test_settings_that_do_not_shape_the_plan_leave_it_fit_to_go_live(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    url = _scheduled(org_client, session, organiser)
    same = org_client.patch(url, json={"name": "Renamed", "room_size": 2, "rounds": 2})
    assert same.status_code == 200, same.text
    assert _go_live(org_client, url)["status"] == "200"


def test_while_live_the_plan_settings_are_refused_without_field_codes(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    url = _scheduled(org_client, session, organiser)
    assert _go_live(org_client, url)["status"] == "200"
    for change in ({"max_per_country": 2}, {"room_size": 3}, {"distinct_countries": False}):
        refused = org_client.patch(url, json=change, headers={"Accept-Language": "nl"})
        assert refused.status_code == 409, refused.text
        detail, message = refused.json()["detail"], refused.json()["message"]
        assert "can no longer change" in detail
        assert not [code for code in CODES if code in detail or code in message], refused.json()
    event = org_client.get(url).json()
    assert (event["room_size"], event["max_per_country"]) == (2, None)


def test_the_first_round_start_waits_too_even_with_a_verdict_made_before_the_change(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    url = _scheduled(org_client, session, organiser)
    event_id = url.rsplit("/", 1)[1]
    with session_scope() as ahead:  # the next round is prepared ahead, its plan judged fit
        assert prepared.prepare(ahead, event_id) is not None
    assert org_client.patch(url, json={"max_per_country": 2}).status_code == 200
    started = org_client.post(f"{url}/live/start-round")
    assert started.status_code == 409, started.text
    assert "the event's settings changed since it was made" in started.json()["detail"]
    assert org_client.get(url).json()["phase"] == "scheduled"
