"""A participant added or edited at the moment of a schedule edit is no change to the schedule:
the edit is stored, not refused as "changed elsewhere". Open pages still see both changes."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

import matching
from app.db import get_engine
from app.events import service as event_service
from app.models import Event, Organiser
from app.participants import service as participant_service
from tests.app.test_schedule import generate
from tests.factories import make_event, make_participants


def _rename_in_another_tab(event_id: str, participant_id: str, name: str) -> None:
    with Session(get_engine(), expire_on_commit=False) as other_tab:
        event = other_tab.get(Event, event_id)
        assert event is not None
        person = participant_service.get_participant(
            other_tab, event_id=event_id, participant_id=participant_id
        )
        participant_service.update_participant(
            other_tab, event=event, participant=person, changes={"name": name}, actor="other"
        )


def test_a_move_is_stored_while_a_participant_is_renamed_at_the_same_moment(
    org_client: TestClient,
    session: Session,
    organiser: Organiser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    event = make_event(session, organiser, rounds=2)
    people = make_participants(session, event, 12)
    plan = generate(org_client, event.id)
    rooms = plan["rounds"][1]["rooms"]
    mover, target = rooms[0]["members"][0]["id"], rooms[1]["number"]
    validate = matching.validate_plan
    renamed: list[str] = []

    def validate_while_a_colleague_renames(*args: Any, **kwargs: Any) -> list[str]:
        if not renamed:  # once: after this edit read the schedule, before it stores
            renamed.append(people[0].id)
            _rename_in_another_tab(event.id, people[0].id, "Renamed Meanwhile")
        return validate(*args, **kwargs)

    monkeypatch.setattr(matching, "validate_plan", validate_while_a_colleague_renames)
    url = f"/api/v1/events/{event.id}"
    before = org_client.get(url).json()["state_version"]
    moved = org_client.post(
        f"{url}/schedule/move",
        json={"round": 2, "participant": mover, "room": target, "force": True},
    )
    monkeypatch.setattr(matching, "validate_plan", validate)
    assert renamed
    assert moved.status_code == 200, moved.text
    after = org_client.get(f"{url}/schedule").json()
    seat = {m["id"]: r["number"] for r in after["rounds"][1]["rooms"] for m in r["members"]}
    assert seat[mover] == target
    assert after["version"] == 2
    name = org_client.get(f"{url}/participants/{people[0].id}").json()["name"]
    assert name == "Renamed Meanwhile"
    # Both changes moved the version that open pages follow.
    assert org_client.get(url).json()["state_version"] == before + 2


def test_new_room_links_and_a_participant_edit_at_once_both_reach_open_pages(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=2)
    people = make_participants(session, event, 8)
    generate(org_client, event.id)
    with Session(get_engine(), expire_on_commit=False) as this_tab:
        found = this_tab.get(Event, event.id)  # as a request loads it, before the rename
        assert found is not None
        before = found.state_version
        _rename_in_another_tab(event.id, people[0].id, "Renamed Meanwhile")
        event_service.update_event(
            this_tab,
            event=found,
            organiser=organiser,
            changes={"room_link_template": "https://meet.example/r{round}-{room}"},
        )
    # Open pages re-read the event when its version moves: one move per change, none lost.
    assert org_client.get(f"/api/v1/events/{event.id}").json()["state_version"] == before + 2
