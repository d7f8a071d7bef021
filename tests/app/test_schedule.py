"""Schedule: generated through matching/, stored with score and bound, edited and re-validated."""

import itertools
from dataclasses import dataclass, replace
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

import matching
from app.models import Event, EventPhase, Organiser
from app.participants import service as participant_service
from app.schedule import convert
from app.schedule import store as schedule_store
from tests.factories import make_event, make_participants

TEMPLATE = "https://meet.jit.si/sm-{event}-r{round}-{room}"


def generate(client: TestClient, event_id: str, **body: object) -> dict[str, Any]:
    response = client.post(f"/api/v1/events/{event_id}/schedule", json={"time_limit_s": 2, **body})
    assert response.status_code == 201, response.text
    plan: dict[str, Any] = response.json()
    return plan


def test_generated_plan_is_stored_valid_with_score_and_bound(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, room_link_template=TEMPLATE, rounds=3)
    people = make_participants(session, event, 14)
    plan = generate(org_client, event.id)
    assert plan["version"] == 1
    assert plan["upper_bound"] >= plan["score"]["total"] > 0
    assert len(plan["rounds"]) == 3
    seated = [m["id"] for room in plan["rounds"][0]["rooms"] for m in room["members"]]
    assert sorted(seated + plan["rounds"][0]["sitting_out"]) == sorted(p.id for p in people)
    first_room = plan["rounds"][0]["rooms"][0]
    assert first_room["link"] == f"https://meet.jit.si/sm-{event.id}-r1-01"
    assert org_client.get(f"/api/v1/events/{event.id}").json()["phase"] == "scheduled"
    stored = schedule_store.current_plan(session, event_id=event.id)
    assert stored is not None
    everyone = participant_service.list_participants(session, event_id=event.id)
    people_m = convert.to_people(everyone)
    assert matching.validate_plan(people_m, convert.settings_for(event), stored) == []
    assert org_client.get(f"/api/v1/events/{event.id}/schedule").json() == plan


def test_participant_sees_own_room_and_room_mates(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, room_names=[f"Room {i:02d}" for i in range(1, 8)])
    make_participants(session, event, 10)
    plan = generate(org_client, event.id)
    room = plan["rounds"][0]["rooms"][0]
    me, mate = room["members"][0], room["members"][1]
    links = org_client.post(f"/api/v1/events/{event.id}/links").json()
    token = next(link["token"] for link in links if link["participant_id"] == me["id"])
    mine = TestClient(org_client.app).get("/api/v1/me/room", params={"token": token}).json()
    assert mine["round"] == 1
    assert mine["room_name"] == "Room 01"
    assert mine["link"] is None  # fixed breakout rooms: people move inside the meeting
    assert mate["id"] in [m["id"] for m in mine["members"]]
    assert me["id"] not in [m["id"] for m in mine["members"]]


def test_an_erased_room_mate_is_not_listed_as_a_blank_entry(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    make_participants(session, event, 10)
    room = generate(org_client, event.id)["rounds"][0]["rooms"][0]
    me, mate = room["members"][0], room["members"][1]
    erased = org_client.post(f"/api/v1/events/{event.id}/participants/{mate['id']}/erase")
    assert erased.status_code == 204
    links = org_client.post(f"/api/v1/events/{event.id}/links").json()
    token = next(link["token"] for link in links if link["participant_id"] == me["id"])
    mine = TestClient(org_client.app).get("/api/v1/me/room", params={"token": token}).json()
    assert mate["id"] not in [m["id"] for m in mine["members"]]
    assert all(m["name"] for m in mine["members"])


def _a_valid_swap(session: Session, event: Event) -> tuple[str, str, int, int]:
    """Two people in different rooms of round 1 whose swap keeps every rule (per matching)."""
    plan = schedule_store.current_plan(session, event_id=event.id)
    assert plan is not None
    people = convert.to_people(participant_service.list_participants(session, event_id=event.id))
    settings = convert.settings_for(event)
    rooms = plan.rounds[0].rooms
    for first, second in itertools.combinations(rooms, 2):
        for a, b in itertools.product(first.participants, second.participants):
            swapped = (
                replace(first, participants=tuple(p if p != a else b for p in first.participants)),
                replace(
                    second, participants=tuple(p if p != b else a for p in second.participants)
                ),
            )
            others = tuple(r for r in rooms if r.number not in (first.number, second.number))
            candidate = replace(plan, rounds=(replace(plan.rounds[0], rooms=swapped + others),))
            if not matching.validate_plan(people, settings, candidate):
                return a, b, first.number, second.number
    raise AssertionError("no valid swap in this plan")


@dataclass(frozen=True)
class StoredSwap:
    """`a` (from room `room_a`) and `b` (from room `room_b`) swapped in round 1 of `event`."""

    event: Event
    a: str
    b: str
    room_a: int
    room_b: int
    answer: Response


def store_a_valid_swap(client: TestClient, session: Session, organiser: Organiser) -> StoredSwap:
    """A planned one-round event of 14 in which a swap that keeps every rule was stored."""
    event = make_event(session, organiser, rounds=1)
    make_participants(session, event, 14)
    generate(client, event.id)
    a, b, room_a, room_b = _a_valid_swap(session, event)
    answer = client.post(
        f"/api/v1/events/{event.id}/schedule/swap", json={"round": 1, "a": a, "b": b}
    )
    assert answer.status_code == 200, answer.text
    return StoredSwap(event, a, b, room_a, room_b, answer)


def test_valid_swap_is_stored_as_a_new_version_with_a_fresh_score(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    swap = store_a_valid_swap(org_client, session, organiser)
    swapped = swap.answer
    assert swapped.json()["version"] == 2
    assert swapped.json()["score"]["violations"] == 0
    after = {
        m["id"]: room["number"]
        for room in swapped.json()["rounds"][0]["rooms"]
        for m in room["members"]
    }
    assert (after[swap.a], after[swap.b]) == (swap.room_b, swap.room_a)


def test_move_breaking_a_rule_is_refused_unless_forced(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 8)
    plan = generate(org_client, event.id)
    rooms = plan["rounds"][1]["rooms"]
    mover = rooms[0]["members"][1]["id"]
    move = {"round": 2, "participant": mover, "room": rooms[1]["number"]}
    url = f"/api/v1/events/{event.id}/schedule/move"
    refused = org_client.post(url, json=move)
    assert refused.status_code == 422
    assert "rules" in refused.json()["detail"]
    assert refused.json()["errors"]
    assert org_client.get(f"/api/v1/events/{event.id}/schedule").json() == plan
    forced = org_client.post(url, json={**move, "force": True})
    assert forced.status_code == 200
    assert forced.json()["warnings"]
    assert mover in [m["id"] for m in forced.json()["rounds"][1]["rooms"][1]["members"]]


def test_schedule_cannot_be_generated_once_live_or_without_people(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    empty = org_client.post(f"/api/v1/events/{event.id}/schedule", json={})
    assert empty.status_code == 422
    assert "participants are needed" in empty.json()["detail"]
    assert org_client.get(f"/api/v1/events/{event.id}/schedule").status_code == 404
    live = make_event(session, organiser, phase=EventPhase.LIVE)
    make_participants(session, live, 6)
    refused = org_client.post(f"/api/v1/events/{live.id}/schedule", json={})
    assert refused.status_code == 409
    assert refused.json()["type"] == "invalid_transition"


def test_changing_the_link_template_updates_rooms_not_yet_started(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, room_link_template=TEMPLATE, rounds=2)
    make_participants(session, event, 8)
    generate(org_client, event.id)
    patched = org_client.patch(
        f"/api/v1/events/{event.id}", json={"room_link_template": "https://zoom.example/r{round}"}
    )
    assert patched.status_code == 200, patched.text
    plan = org_client.get(f"/api/v1/events/{event.id}/schedule").json()
    links = {room["link"] for r in plan["rounds"] for room in r["rooms"]}
    assert links == {"https://zoom.example/r1", "https://zoom.example/r2"}
    # A plan-shaping setting is saved while scheduled; going live then waits for a new plan
    # (tests/app/test_plan_settings_change_while_scheduled.py).
    reshaped = org_client.patch(f"/api/v1/events/{event.id}", json={"rounds": 3})
    assert reshaped.status_code == 200, reshaped.text


def test_an_impossible_pin_or_event_is_a_readable_422_naming_the_people(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2)
    people = make_participants(session, event, 8)
    a, b = next((a, b) for a, b in itertools.combinations(people, 2) if a.country == b.country)
    response = org_client.post(
        f"/api/v1/events/{event.id}/schedule",
        json={"time_limit_s": 2, "pins": [{"a": a.id, "b": b.id, "together": True}]},
    )
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert "same country" in detail
    assert a.name in detail
    assert b.name in detail
    assert org_client.get(f"/api/v1/events/{event.id}").json()["phase"] != "scheduled"
