"""Removing someone from a scheduled event: their room-mates are re-seated, never left alone,
seats the organiser set by hand are kept (or the plan's warnings say why not), and an event
whose plan no longer fits cannot go live until the schedule is generated again."""

from itertools import combinations
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

import matching
from app.models import Organiser
from tests.factories import make_event, make_participants


def generate(client: TestClient, event_id: str) -> dict[str, Any]:
    response = client.post(f"/api/v1/events/{event_id}/schedule", json={"time_limit_s": 1})
    assert response.status_code == 201, response.text
    plan: dict[str, Any] = response.json()
    return plan


def room_mates(schedule: dict[str, Any], round_no: int, pid: str) -> list[str] | None:
    """Ids of everyone in `pid`'s room in round `round_no`; None when they sit out."""
    for room in schedule["rounds"][round_no - 1]["rooms"]:
        ids = [m["id"] for m in room["members"]]
        if pid in ids:
            return ids
    return None


def smallest_room(schedule: dict[str, Any]) -> int:
    return min(len(room["members"]) for r in schedule["rounds"] for room in r["rooms"])


def scheduled_with_a_pair(
    client: TestClient, session: Session, organiser: Organiser
) -> tuple[str, str, str]:
    """(event id, someone seated in round 1, their room-mate) of a freshly scheduled event."""
    event = make_event(session, organiser, rounds=3)
    make_participants(session, event, 8)
    plan = generate(client, event.id)
    room = plan["rounds"][0]["rooms"][0]["members"]
    assert len(room) == 2
    return event.id, room[0]["id"], room[1]["id"]


def test_removing_a_seated_participant_while_scheduled_re_seats_their_room_mates(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event_id, gone, mate = scheduled_with_a_pair(org_client, session, organiser)
    base = f"/api/v1/events/{event_id}"
    before = org_client.get(f"{base}/schedule").json()
    after = schedule_after_removing(org_client, base, gone)
    assert after["version"] > before["version"]
    assert smallest_room(after) >= 2  # nobody sits alone in a room in any round
    for round_no in (1, 2, 3):
        assert room_mates(after, round_no, gone) is None
        assert gone not in after["rounds"][round_no - 1]["sitting_out"]
    mates = room_mates(after, 1, mate)
    assert mates is not None  # a new room-mate in the round they lost one
    assert len(mates) >= 2
    live = org_client.post(f"{base}/phase", json={"phase": "live"})
    assert live.status_code == 200, live.text


def test_an_event_whose_plan_lost_a_room_mate_cannot_go_live_until_generated_again(
    org_client: TestClient,
    session: Session,
    organiser: Organiser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event_id, gone, mate = scheduled_with_a_pair(org_client, session, organiser)
    base = f"/api/v1/events/{event_id}"

    def planner_fails(*_args: object, **_kwargs: object) -> matching.Plan:
        raise ValueError("a pin the policy cannot honour")

    with monkeypatch.context() as patched:
        patched.setattr(matching, "replan", planner_fails)
        assert org_client.delete(f"{base}/participants/{gone}").status_code == 204
    assert room_mates(org_client.get(f"{base}/schedule").json(), 1, mate) == [mate]
    refused = org_client.post(f"{base}/phase", json={"phase": "live"})
    assert refused.status_code == 409, refused.text
    assert refused.json()["type"] == "invalid_transition"
    assert "generate the schedule again" in refused.json()["detail"]
    assert org_client.get(base).json()["phase"] == "scheduled"
    assert smallest_room(generate(org_client, event_id)) >= 2
    assert org_client.post(f"{base}/phase", json={"phase": "live"}).status_code == 200


def test_an_erased_participant_does_not_keep_the_event_from_going_live(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    """The first round start takes erased people out as drop-outs (app.live.noshow)."""
    event_id, gone, _ = scheduled_with_a_pair(org_client, session, organiser)
    base = f"/api/v1/events/{event_id}"
    assert org_client.post(f"{base}/participants/{gone}/erase").status_code == 204
    live = org_client.post(f"{base}/phase", json={"phase": "live"})
    assert live.status_code == 200, live.text


def rooms_in(schedule: dict[str, Any], round_no: int) -> list[set[str]]:
    return [
        {m["id"] for m in room["members"]} for room in schedule["rounds"][round_no - 1]["rooms"]
    ]


def schedule_after_removing(client: TestClient, base: str, pid: str) -> dict[str, Any]:
    """Removes `pid` from the event at `base`; the schedule after the removal's re-plan."""
    assert client.delete(f"{base}/participants/{pid}").status_code == 204
    schedule: dict[str, Any] = client.get(f"{base}/schedule").json()
    return schedule


def rooms_swapped_by_hand(
    client: TestClient, session: Session, organiser: Organiser
) -> tuple[str, list[set[str]], list[str]]:
    """A planned event of 16 in 3 rounds with two people of round 2 swapped by hand: (event id,
    round 2's rooms the swap changed, everyone else seated in round 2: the people to remove)."""
    event = make_event(session, organiser, rounds=3)
    make_participants(session, event, 16)
    base = f"/api/v1/events/{event.id}"
    swapped = swap_within_the_rules(client, base, generate(client, event.id))
    edited = rooms_in(client.get(f"{base}/schedule").json(), 2)
    by_hand = [room for room in edited if room & swapped]
    others = sorted(set().union(*edited) - set().union(*by_hand))
    return event.id, by_hand, others


def assert_hand_made_rooms_kept(schedule: dict[str, Any], by_hand: list[set[str]]) -> None:
    """Each room of round 2 made by hand still sits together, and no warning says otherwise."""
    for room in by_hand:
        assert any(room <= now for now in rooms_in(schedule, 2)), (room, rooms_in(schedule, 2))
    assert not [w for w in schedule["warnings"] if w.startswith("change not kept")]


def swap_within_the_rules(client: TestClient, base: str, schedule: dict[str, Any]) -> set[str]:
    """Swaps two people between rooms of round 2 (the first swap that keeps the rules)."""
    for first, second in combinations(schedule["rounds"][1]["rooms"], 2):
        for a in first["members"]:
            for b in second["members"]:
                body = {"round": 2, "a": a["id"], "b": b["id"]}
                if client.post(f"{base}/schedule/swap", json=body).status_code == 200:
                    return {a["id"], b["id"]}
    pytest.fail("no swap in round 2 keeps the rules")


def test_a_swap_made_by_hand_survives_removals_while_scheduled(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event_id, by_hand, others = rooms_swapped_by_hand(org_client, session, organiser)
    base = f"/api/v1/events/{event_id}"
    for gone in others[:2]:  # the second re-plan keeps what the first one kept
        assert_hand_made_rooms_kept(schedule_after_removing(org_client, base, gone), by_hand)


def test_the_organiser_is_told_when_a_re_plan_undoes_a_forced_move(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 10)
    base = f"/api/v1/events/{event.id}"
    rooms = generate(org_client, event.id)["rounds"][0]["rooms"]
    country = {m["id"]: m["country"] for room in rooms for m in room["members"]}
    # Into a room with someone from their own country: one per country is the rule.
    mover, target = next(
        (m, room)
        for room in rooms
        for m in country
        if m not in {x["id"] for x in room["members"]}
        and country[m] in {x["country"] for x in room["members"]}
    )
    body = {"round": 1, "participant": mover, "room": target["number"], "force": True}
    moved = org_client.post(f"{base}/schedule/move", json=body)
    assert moved.status_code == 200, moved.text
    assert any("at most 1 allowed" in w for w in moved.json()["warnings"])
    mates = {x["id"] for x in target["members"]}
    gone = next(pid for pid in country if pid != mover and pid not in mates)
    after = schedule_after_removing(org_client, base, gone)
    name = next(m["name"] for room in rooms for m in room["members"] if m["id"] == mover)
    assert any(
        w.startswith(f"change not kept: round 1, {name}'s seat set by hand (it broke a rule")
        for w in after["warnings"]
    ), after["warnings"]
    assert smallest_room(after) >= 2  # the re-plan follows the rules again
