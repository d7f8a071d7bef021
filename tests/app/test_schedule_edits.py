"""Hand edits of a stored schedule: rule checks, what participants are told, and changes made
elsewhere at the same moment (another tab, a removal re-planning)."""

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

import matching
from app.db import get_engine
from app.models import Event, Organiser
from app.participants import service as participant_service
from app.schedule import convert, edit
from app.schedule import store as schedule_store
from app.settings import get_settings
from tests.app.test_schedule import generate, store_a_valid_swap
from tests.factories import make_event, make_participants


def test_after_a_swap_each_room_mate_is_told_why_they_meet_the_people_now_there(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    swap = store_a_valid_swap(org_client, session, organiser)
    people = {
        p.id: p
        for p in convert.to_people(
            participant_service.list_participants(session, event_id=swap.event.id)
        )
    }
    swapped = (swap.room_a, swap.room_b)
    rooms = [r for r in swap.answer.json()["rounds"][0]["rooms"] if r["number"] in swapped]
    for room in rooms:
        ids = [m["id"] for m in room["members"]]
        for member in room["members"]:
            mates = [people[i] for i in ids if i != member["id"]]
            # As the planner words it for a first round: about these room-mates, not the old ones.
            assert member["why"] == matching.explain(people[member["id"]], mates, ()), member


def test_two_tabs_editing_the_schedule_at_once_never_lose_an_edit_silently(
    org_client: TestClient,
    session: Session,
    organiser: Organiser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 12)
    plan = generate(org_client, event.id)
    rooms = plan["rounds"][1]["rooms"]
    moves = [
        {"round": 2, "participant": rooms[0]["members"][0]["id"], "room": rooms[1]["number"]},
        {"round": 2, "participant": rooms[2]["members"][0]["id"], "room": rooms[3]["number"]},
    ]
    # Both tabs have read the schedule before either stores its edit.
    both_read = threading.Barrier(2, timeout=30)
    validate = matching.validate_plan

    def validate_after_both_read(*args: Any, **kwargs: Any) -> list[str]:
        both_read.wait()
        return validate(*args, **kwargs)

    monkeypatch.setattr(matching, "validate_plan", validate_after_both_read)
    url = f"/api/v1/events/{event.id}/schedule/move"

    def store_move(move: dict[str, object]) -> Response:
        answer: Response = org_client.post(url, json={**move, "force": True})
        return answer

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(store_move, moves))
    monkeypatch.setattr(matching, "validate_plan", validate)
    assert sorted(r.status_code for r in answers) == [200, 409], [r.text for r in answers]
    stored, refused = sorted(zip(answers, moves, strict=True), key=lambda x: x[0].status_code)
    assert "try again" in refused[0].json()["detail"]
    after = org_client.get(f"/api/v1/events/{event.id}/schedule").json()
    assert after["version"] == 2
    seat = {
        m["id"]: room["number"] for room in after["rounds"][1]["rooms"] for m in room["members"]
    }
    assert seat[str(stored[1]["participant"])] == stored[1]["room"]
    assert seat[str(refused[1]["participant"])] != refused[1]["room"]


def test_a_hand_edit_made_while_a_removal_re_plans_is_not_silently_undone(
    org_client: TestClient,
    session: Session,
    organiser: Organiser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 12)
    plan = generate(org_client, event.id)
    leaving = plan["rounds"][0]["rooms"][0]["members"][0]["id"]
    rooms = [
        r for r in plan["rounds"][1]["rooms"] if leaving not in {m["id"] for m in r["members"]}
    ]
    mover, target = rooms[0]["members"][0]["id"], rooms[1]["number"]
    replan = matching.replan

    def replan_while_another_tab_moves(*args: Any, **kwargs: Any) -> matching.Plan:
        with Session(get_engine(), expire_on_commit=False) as other_tab:
            same = other_tab.get(Event, event.id)
            assert same is not None
            edit.move(
                other_tab,
                event=same,
                number=2,
                participant_id=mover,
                room=target,
                force=True,
                settings=get_settings(),
                actor="organiser:other-tab",
            )
        return replan(*args, **kwargs)

    monkeypatch.setattr(matching, "replan", replan_while_another_tab_moves)
    url = f"/api/v1/events/{event.id}"
    removed = org_client.delete(f"{url}/participants/{leaving}")
    monkeypatch.setattr(matching, "replan", replan)
    assert removed.status_code == 409, removed.text
    assert "try again" in removed.json()["detail"]
    after = org_client.get(f"{url}/schedule").json()
    seat = {
        m["id"]: room["number"] for room in after["rounds"][1]["rooms"] for m in room["members"]
    }
    assert seat[mover] == target  # the other tab's move stands
    assert org_client.get(f"{url}/participants/{leaving}").status_code == 200


def test_an_edit_breaking_a_rule_names_the_people_not_their_ids(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2)
    people = {p.id: p.name for p in make_participants(session, event, 12)}
    plan = generate(org_client, event.id)
    mover, mate = (m["id"] for m in plan["rounds"][0]["rooms"][0]["members"][:2])
    room = next(
        r["number"] for r in plan["rounds"][1]["rooms"] if mate in {m["id"] for m in r["members"]}
    )
    url = f"/api/v1/events/{event.id}/schedule"
    move = {"round": 2, "participant": mover, "room": room}
    refused = org_client.post(f"{url}/move", json=move)
    assert refused.status_code == 422, refused.text
    messages = [e["message"] for e in refused.json()["errors"]]
    met = next(m for m in messages if "already met in round 1" in m)
    assert people[mover] in met, met
    assert people[mate] in met, met
    forced = org_client.post(f"{url}/move", json={**move, "force": True})
    assert forced.status_code == 200, forced.text
    for shown in (forced.json(), org_client.get(url).json()):
        assert any(people[mover] in w and people[mate] in w for w in shown["warnings"])
        assert not any(pid in w for w in shown["warnings"] for pid in people), shown["warnings"]


def _swap_adding_no_break(session: Session, event: Event, number: int) -> tuple[str, str]:
    """Two people in different rooms of round `number` whose swap breaks no new rule."""
    plan = schedule_store.current_plan(session, event_id=event.id)
    assert plan is not None
    people = convert.to_people(participant_service.list_participants(session, event_id=event.id))
    settings = convert.settings_for(event)
    known = set(matching.validate_plan(people, settings, plan))
    (round_plan,) = [r for r in plan.rounds if r.number == number]
    for first, second in itertools.combinations(round_plan.rooms, 2):
        for a, b in itertools.product(first.participants, second.participants):
            swap = {a: b, b: a}
            rooms = tuple(
                replace(room, participants=tuple(swap.get(p, p) for p in room.participants))
                for room in round_plan.rooms
            )
            rounds = tuple(replace(r, rooms=rooms) if r is round_plan else r for r in plan.rounds)
            after = matching.validate_plan(people, settings, replace(plan, rounds=rounds))
            if set(after) <= known:
                return a, b
    raise AssertionError(f"no swap in round {number} keeps every rule")


def test_a_rule_break_kept_with_force_does_not_block_later_valid_edits(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 12)
    plan = generate(org_client, event.id)
    url = f"/api/v1/events/{event.id}/schedule"
    first, second = plan["rounds"][0]["rooms"][:2]
    forced = {"round": 1, "participant": first["members"][0]["id"], "room": second["number"]}
    kept = org_client.post(f"{url}/move", json={**forced, "force": True})
    assert kept.status_code == 200, kept.text
    a, b = _swap_adding_no_break(session, event, 2)
    swapped = org_client.post(f"{url}/swap", json={"round": 2, "a": a, "b": b})
    assert swapped.status_code == 200, swapped.text
    assert swapped.json()["warnings"] == kept.json()["warnings"]  # the round 1 break, on record
    seats = {
        m["id"]: r["number"] for r in swapped.json()["rounds"][1]["rooms"] for m in r["members"]
    }
    before = {m["id"]: r["number"] for r in plan["rounds"][1]["rooms"] for m in r["members"]}
    assert (seats[a], seats[b]) == (before[b], before[a])


def test_a_swap_or_move_that_changes_nothing_is_refused_and_stores_no_new_version(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=1)
    make_participants(session, event, 8)
    plan = generate(org_client, event.id)
    room = plan["rounds"][0]["rooms"][0]
    a, b = (m["id"] for m in room["members"][:2])
    url = f"/api/v1/events/{event.id}/schedule"
    for action, body in [
        ("swap", {"round": 1, "a": a, "b": a}),
        ("swap", {"round": 1, "a": a, "b": b}),  # room-mates
        ("move", {"round": 1, "participant": a, "room": room["number"]}),
    ]:
        refused = org_client.post(f"{url}/{action}", json=body)
        assert refused.status_code == 422, refused.text
        assert "Nothing to change" in refused.json()["detail"]
    assert org_client.get(url).json()["plan_id"] == plan["plan_id"]
    actions = [e["action"] for e in org_client.get(f"/api/v1/events/{event.id}/audit").json()]
    assert not {"schedule.swap", "schedule.move"} & set(actions)
