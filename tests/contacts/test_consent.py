"""Consent rules of the contact exchange, through the real API on a real SQLite file."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Organiser, Round, RoundStatus
from tests.contacts.conftest import World, add_person, make_world, seat
from tests.factories import make_api_token, make_organiser
from tests.fixtures.database import BOTH_DATABASES

pytestmark = BOTH_DATABASES


def decide(
    client: TestClient, world: World, frm: str, to: str, *, share: bool, met: bool | None = True,
    note: str = "",
) -> Any:  # fmt: skip
    return client.put(
        f"/api/v1/me/decisions/{world.id(to)}",
        params=world.q(frm),
        json={"share": share, "met": met, "note": note},
    )


def contact_names(client: TestClient, world: World, key: str) -> list[str]:
    response = client.get("/api/v1/me/contacts", params=world.q(key))
    assert response.status_code == 200, response.text
    return [c["name"] for c in response.json()]


@pytest.fixture
def pair(db: Session, organiser: Organiser) -> World:
    world = make_world(db, organiser, ["A", "B"])
    seat(db, world, [[["A", "B"]]])
    return world


def test_mutual_consent_matrix(client: TestClient, pair: World) -> None:
    assert decide(client, pair, "A", "B", share=True).status_code == 200
    assert decide(client, pair, "B", "A", share=False).status_code == 200
    # A yes + B no: neither sees the other's details.
    assert contact_names(client, pair, "A") == []
    assert contact_names(client, pair, "B") == []

    decide(client, pair, "B", "A", share=True)
    # Both yes: both do, with what each chose to share.
    assert contact_names(client, pair, "A") == ["Person B"]
    assert contact_names(client, pair, "B") == ["Person A"]
    seen_by_a = client.get("/api/v1/me/contacts", params=pair.q("A")).json()[0]
    assert seen_by_a["email"] == "b@school.example"
    assert seen_by_a["round"] == 1

    # B changes to no before the export closes: gone again, for both.
    decide(client, pair, "B", "A", share=False)
    assert contact_names(client, pair, "A") == []
    assert contact_names(client, pair, "B") == []


def test_one_way_sharing_when_the_event_allows_it(
    client: TestClient, db: Session, organiser: Organiser
) -> None:
    world = make_world(db, organiser, ["A", "B"], mutual=False)
    seat(db, world, [[["A", "B"]]])
    decide(client, world, "A", "B", share=True)
    decide(client, world, "B", "A", share=False)
    assert contact_names(client, world, "B") == ["Person A"]
    assert contact_names(client, world, "A") == []


def test_only_the_fields_a_person_chose_are_shared(
    client: TestClient, db: Session, organiser: Organiser
) -> None:
    world = make_world(db, organiser, [])
    add_person(db, world, "A")
    add_person(
        db, world, "B", phone="+32 470 12 34 56", role="Head teacher", share_fields=["phone"]
    )
    seat(db, world, [[["A", "B"]]])
    decide(client, world, "A", "B", share=True)
    decide(client, world, "B", "A", share=True)
    (entry,) = client.get("/api/v1/me/contacts", params=world.q("A")).json()
    assert entry["phone"] == "+32 470 12 34 56"
    assert entry["email"] is None
    assert entry["school"] is None
    assert entry["role"] is None


def test_my_meetings_never_reveal_the_other_sides_pending_yes(
    client: TestClient, pair: World
) -> None:
    decide(client, pair, "B", "A", share=True)
    (mate,) = client.get("/api/v1/me/meetings", params=pair.q("A")).json()
    assert mate["name"] == "Person B"
    assert mate["decision"] is None
    assert mate["contact_visible"] is False
    assert "email" not in mate


def test_decisions_are_final_once_the_export_is_closed(
    client: TestClient, pair: World, org_auth: dict[str, str]
) -> None:
    decide(client, pair, "A", "B", share=True)
    decide(client, pair, "B", "A", share=True)
    closed = client.put(
        f"/api/v1/events/{pair.event.id}/export-closed", json={"closed": True}, headers=org_auth
    )
    assert closed.status_code == 200
    assert closed.json()["export_closed"] is True
    late = decide(client, pair, "B", "A", share=False)
    assert late.status_code == 409
    assert "closed" in late.json()["detail"]
    assert contact_names(client, pair, "A") == ["Person B"]


def test_a_decision_needs_a_shared_room_and_a_started_meeting(
    client: TestClient, db: Session, organiser: Organiser
) -> None:
    world = make_world(db, organiser, ["A", "B", "C"])
    world.event.phase = world.event.phase.LIVE
    db.add(world.event)
    db.commit()
    seat(db, world, [[["A", "B"], ["C"]]], status=RoundStatus.PLANNED)
    stranger = decide(client, world, "A", "C", share=True)
    assert stranger.status_code == 404
    too_early = decide(client, world, "A", "B", share=True)
    assert too_early.status_code == 409
    assert "after your meeting has started" in too_early.json()["detail"]


def test_rounds_left_unplayed_by_an_early_end_allow_no_decision(
    client: TestClient, db: Session, organiser: Organiser
) -> None:
    # The organiser ended the event after round 1 of 2: round 2 was planned but never played.
    world = make_world(db, organiser, ["A", "B", "C"])
    seat(db, world, [[["A", "B"], ["C"]], [["A", "C"], ["B"]]])
    unplayed = db.exec(
        select(Round).where(Round.event_id == world.event.id, Round.number == 2)
    ).one()
    unplayed.status = RoundStatus.PLANNED
    world.event.current_round = 1
    db.add_all([unplayed, world.event])
    db.commit()

    never_met = decide(client, world, "A", "C", share=True)
    assert never_met.status_code == 409
    assert decide(client, world, "C", "A", share=True).status_code == 409
    assert contact_names(client, world, "A") == []
    assert decide(client, world, "A", "B", share=True).status_code == 200


def test_note_longer_than_the_limit_is_refused_with_a_readable_error(
    client: TestClient, pair: World
) -> None:
    response = decide(client, pair, "A", "B", share=True, note="x" * 1001)
    assert response.status_code == 422
    assert "note" in response.json()["detail"]


def test_participants_cannot_reach_other_peoples_data(
    client: TestClient, db: Session, organiser: Organiser, org_auth: dict[str, str]
) -> None:
    world = make_world(db, organiser, ["A", "B"])
    seat(db, world, [[["A", "B"]]])
    other = make_world(db, organiser, ["X", "Y"])
    seat(db, other, [[["X", "Y"]]])
    decide(client, other, "X", "Y", share=True)
    decide(client, other, "Y", "X", share=True)
    # A participant of another event cannot record anything about X, nor see X's contacts.
    probe = client.put(
        f"/api/v1/me/decisions/{other.id('X')}", params=world.q("A"), json={"share": True}
    )
    assert probe.status_code == 404
    assert contact_names(client, world, "A") == []
    # No link, a wrong link, or a participant link on organiser exports: refused.
    assert client.get("/api/v1/me/contacts").status_code == 401
    assert client.get("/api/v1/me/contacts", params={"token": "forged"}).status_code == 401
    export = f"/api/v1/events/{other.event.id}/exports/contact-pairs.json"
    assert client.get(export, params=world.q("A")).status_code == 401
    # Another organiser's event looks missing.
    stranger = make_organiser(db, email="other@agency.example")
    headers = {"Authorization": f"Bearer {make_api_token(db, stranger)}"}
    assert client.get(export, headers=headers).status_code == 404
    assert client.get(export, headers=org_auth).status_code == 200
